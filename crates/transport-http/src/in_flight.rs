//! [`InFlight`]: the future of one request on the server's own connections, in a heap slot
//! that the thread reuses for its next request.
//!
//! hyper wants a future per request of a nameable type; the request's future (the whole
//! pipeline, an `async fn`'s) has none, so it went into a new `Box<dyn Future>` per request:
//! an allocation of about 5 KB each time. Here the box is a slot that holds such a future
//! and can be refilled: when the request is answered (or dropped unanswered) the slot is
//! emptied and kept by the thread, and the thread's next request starts in it.

use std::cell::Cell;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use http::{Request, Response};
use hyper::body::Incoming;
use pin_project_lite::pin_project;

use crate::endpoints::Endpoints;
use crate::reply::{HyperBody, ReplyBytes};

/// A heap slot that runs one request at a time.
trait RequestSlot: Send {
    /// Starts answering `request` from `peer` with `service` (the slot is empty).
    fn start(
        self: Pin<&mut Self>,
        service: Endpoints,
        request: Request<Incoming>,
        peer: SocketAddr,
    );
    /// Polls the request's future; pending while the slot is empty.
    fn poll_reply(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response<HyperBody>>;
    /// Drops the request's future, if any (a request cancelled midway is dropped here).
    fn vacate(self: Pin<&mut Self>);
}

pin_project! {
    /// The slot for the futures `make` returns.
    struct Slot<M, F> {
        make: M,
        #[pin]
        future: Option<F>,
    }
}

impl<M, F> RequestSlot for Slot<M, F>
where
    M: Fn(Endpoints, Request<Incoming>, SocketAddr) -> F + Send,
    F: Future<Output = Response<HyperBody>> + Send,
{
    fn start(
        self: Pin<&mut Self>,
        service: Endpoints,
        request: Request<Incoming>,
        peer: SocketAddr,
    ) {
        let mut this = self.project();
        let future = (this.make)(service, request, peer);
        this.future.set(Some(future));
    }

    fn poll_reply(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response<HyperBody>> {
        match self.project().future.as_pin_mut() {
            Some(future) => future.poll(cx),
            None => Poll::Pending,
        }
    }

    fn vacate(self: Pin<&mut Self>) {
        self.project().future.set(None);
    }
}

/// A slot whose future type is the one `make` returns (named here by inference, since the
/// future of an `async fn` has no name to write).
fn slot<M, F>(make: M) -> Slot<M, F>
where
    M: Fn(Endpoints, Request<Incoming>, SocketAddr) -> F,
{
    Slot { make, future: None }
}

/// One request's whole answer on a server connection.
async fn answer(
    service: Endpoints,
    request: Request<Incoming>,
    peer: SocketAddr,
) -> Response<HyperBody> {
    let reply = service.handle_from(request, Some(peer)).await;
    reply.map(ReplyBytes::into_hyper)
}

type BoxedSlot = Pin<Box<dyn RequestSlot>>;

thread_local! {
    /// The emptied slot of the thread's last request. One is enough: an HTTP/1.1 connection
    /// runs one request at a time; concurrent HTTP/2 streams on one thread allocate the
    /// others.
    static SPARE: Cell<Option<BoxedSlot>> = const { Cell::new(None) };
}

/// The future hyper awaits for one request: its answer, running in a reused slot.
pub(crate) struct InFlight {
    slot: Option<BoxedSlot>,
}

impl InFlight {
    /// Starts answering `request` from `peer` with `service`, in the thread's spare slot or
    /// a new one.
    pub(crate) fn start(
        service: Endpoints,
        request: Request<Incoming>,
        peer: SocketAddr,
    ) -> InFlight {
        let spare = SPARE.try_with(Cell::take).ok().flatten();
        let mut slot = spare.unwrap_or_else(|| Box::pin(slot(answer)));
        slot.as_mut().start(service, request, peer);
        InFlight { slot: Some(slot) }
    }

    /// Empties the slot and keeps it for the thread's next request.
    fn give_back(&mut self) {
        if let Some(mut slot) = self.slot.take() {
            slot.as_mut().vacate();
            // During thread teardown there is nowhere to keep it: it is freed.
            let _ = SPARE.try_with(|spare| spare.set(Some(slot)));
        }
    }
}

impl Future for InFlight {
    type Output = Result<Response<HyperBody>, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Polled again after it completed (which hyper does not do): it stays pending.
        let Some(slot) = self.slot.as_mut() else {
            return Poll::Pending;
        };
        let reply = ready!(slot.as_mut().poll_reply(cx));
        self.give_back();
        Poll::Ready(Ok(reply))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // A request dropped before its answer (the connection closed) is cancelled here.
        self.give_back();
    }
}

impl std::fmt::Debug for InFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InFlight")
            .field("running", &self.slot.is_some())
            .finish()
    }
}
