//! A spare request context per thread, reused by the next request served on that thread.
//!
//! Every request needs a [`MethodContext`](rpclib_core::MethodContext) and a [`RequestMeta`]
//! (the method, path, query and every header copied into strings: two allocations per
//! header). Building them anew cost about fifteen allocations per W1 request; a thread (a
//! connection's own thread, or a runtime worker) serves its requests one after the other, so
//! it keeps the last request's context, in its closed guard, and request description once the
//! request is closed, emptied, and refills them. What the protocols and the method allocate
//! inside the context is freed as before, when the request ends. The kept guard holds the
//! application it served last (until the thread's next request, or its end).

use std::cell::RefCell;
use std::sync::Arc;

use http::{HeaderMap, Uri};
use rpclib_core::{Application, ContextCloseGuard, RequestMeta};

use crate::transport::HttpTransport;

/// What one thread keeps between requests.
struct Spare {
    /// The last request's guard, closed, its context emptied (`close_and_keep`).
    ctx: Option<ContextCloseGuard>,
    meta: Option<RequestMeta>,
    /// The last reply's buffer, handed back when hyper dropped the sent body (after the
    /// context was closed): the next context gets it for its reply
    /// (`MethodContext::keep_out_buffer`).
    reply: Option<Vec<u8>>,
}

thread_local! {
    static SPARE: RefCell<Spare> = const {
        RefCell::new(Spare {
            ctx: None,
            meta: None,
            reply: None,
        })
    };
}

/// The largest reply buffer (by capacity) a thread keeps: the context's own limit, so that
/// a thread that served one large reply does not pin its buffer.
const KEPT_REPLY_BYTES: usize = 64 * 1024;

/// A context for a request carried by `transport`, with its `request` filled in: this
/// thread's spare ones refilled, or new ones; fires `method_context_created` like
/// [`Application::new_context_with`].
pub(crate) fn context(app: &Arc<Application>, transport: HttpTransport) -> ContextCloseGuard {
    let (ctx, meta, reply) = SPARE
        .try_with(|s| {
            let mut s = s.borrow_mut();
            (s.ctx.take(), s.meta.take(), s.reply.take())
        })
        .unwrap_or((None, None, None));
    let mut meta = meta.unwrap_or_default();
    fill(&mut meta, &transport);
    let mut ctx = match ctx {
        Some(mut guard) => {
            guard.reopen_for(app, transport);
            guard
        }
        None => app.new_context_with(transport),
    };
    ctx.set_request(meta);
    if let Some(reply) = reply {
        ctx.keep_out_buffer(reply);
    }
    ctx
}

/// Keeps a sent reply's buffer for the next reply written on this thread (see
/// [`Spare::reply`]); an empty or large one is freed.
pub(crate) fn keep_reply_buffer(buffer: Vec<u8>) {
    if buffer.capacity() == 0 || buffer.capacity() > KEPT_REPLY_BYTES {
        return;
    }
    // Not kept while the thread's spare is borrowed (it never is when a body is dropped), nor
    // during the thread's teardown.
    let _ = SPARE.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            s.reply = Some(buffer);
        }
    });
}

/// Closes the request (`method_context_closed` fires, its listeners see the whole context)
/// and keeps the emptied context and request description for the thread's next request.
/// Returns the request's header map, emptied, for the response's headers (see
/// [`release`]).
pub(crate) fn close(mut guard: ContextCloseGuard) -> HeaderMap {
    guard.close_in_place();
    let meta = guard.request.take();
    let headers = guard
        .transport_mut::<HttpTransport>()
        .map(release)
        .unwrap_or_default();
    // Emptied now rather than at reuse, so that a thread that serves no further request does
    // not hold the last one's messages.
    guard.close_and_keep();
    let _ = SPARE.try_with(|s| {
        let mut s = s.borrow_mut();
        s.ctx = Some(guard);
        if meta.is_some() {
            s.meta = meta;
        }
    });
    headers
}

/// Takes the request's header map out of the HTTP part a closed context keeps (in its box,
/// until the next request's part overwrites it), emptied, to carry the response's headers:
/// hyper keeps a response's map for the connection's next request, so neither allocates a
/// table. The URI goes too: like the header values, it may be a slice of hyper's read
/// buffer, which hyper can reuse only once nothing points into it.
fn release(transport: &mut HttpTransport) -> HeaderMap {
    transport.uri = Uri::default();
    let mut headers = std::mem::take(&mut transport.headers);
    headers.clear();
    headers
}

/// Writes the request's method, path, query and headers into `meta`, reusing its strings.
pub(crate) fn fill(meta: &mut RequestMeta, transport: &HttpTransport) {
    refill(&mut meta.method, transport.method.as_str());
    refill(&mut meta.path, transport.uri.path());
    match (&mut meta.query, transport.uri.query()) {
        (Some(query), Some(text)) => refill(query, text),
        (query, text) => *query = text.map(str::to_owned),
    }
    let mut count = 0;
    for (name, value) in &transport.headers {
        match meta.headers.get_mut(count) {
            Some((n, v)) => {
                refill(n, name.as_str());
                v.clear();
                v.extend_from_slice(value.as_bytes());
            }
            None => meta
                .headers
                .push((name.as_str().to_owned(), value.as_bytes().to_vec())),
        }
        count += 1;
    }
    meta.headers.truncate(count);
}

fn refill(target: &mut String, text: &str) {
    target.clear();
    target.push_str(text);
}
