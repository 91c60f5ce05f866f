//! [`ContextCloseGuard`]: a request's context, ended exactly once.

use std::any::Any;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::application::Application;
use crate::context::MethodContext;
use crate::event::Event;

// Why a guard and not `Drop for MethodContext` (which there once was): the context is an
// ordinary value. A transport moves it to another thread (`spawn_blocking`), a client keeps it
// inside its `OutgoingCall` for as long as the user keeps that, code may park it in a
// collection. Closing on drop made the event fire whenever the last owner happened to let go,
// on whichever thread that was, possibly long after the response was sent, and never for a
// context leaked or kept in a cycle; and a drop running while the thread unwinds ran user
// listeners at that point, where a second panic aborts the process. The end of a request is
// the transport's decision, so the transport marks it: `Application::new_context` hands out
// the context inside this guard, whose lifetime is exactly the transport's handling of the
// request. Listeners never panic out of `Application::fire` (each is caught), so the guard is
// safe to run during unwinding too.

// Where contexts come from: here rather than in `application.rs`, so that the application's
// module does not depend on the guard's (the guard fires the application's events).
impl Application {
    /// A context for a new request, in the guard that ends it exactly once; fires
    /// `method_context_created`.
    pub fn new_context(self: &Arc<Self>) -> ContextCloseGuard {
        let mut ctx = ContextCloseGuard::new(Arc::clone(self), MethodContext::new());
        self.fire(Event::MethodContextCreated, &mut ctx);
        ctx
    }

    /// A context for a new request with the transport's part already set (so that
    /// `method_context_created` listeners see it), in the guard that ends it exactly once.
    pub fn new_context_with<T: Any + Send>(self: &Arc<Self>, transport: T) -> ContextCloseGuard {
        let mut ctx = ContextCloseGuard::new(Arc::clone(self), MethodContext::new());
        ctx.set_transport(transport);
        self.fire(Event::MethodContextCreated, &mut ctx);
        ctx
    }
}

/// A request's [`MethodContext`], which fires `method_context_closed` exactly once: when
/// [`close`](Self::close)d or dropped, whichever comes first, so the event fires on a normal
/// return, on an early return (`?`), on a cancelled future and while unwinding from a panic.
///
/// [`Application::new_context`] hands it out. A transport runs the pipeline through it (it
/// dereferences to the context) and either calls [`close`](Self::close) when it is done or
/// lets it go out of scope. That is after the response was built; whether before or after its
/// bytes go out is the transport's choice (the HTTP transport closes before the response is
/// written, the example below after sending):
///
/// ```
/// use rpclib_core::Application;
///
/// # fn send(_: &[u8]) -> std::io::Result<()> { Ok(()) }
/// fn handle(app: &std::sync::Arc<Application>, request: Vec<u8>) -> std::io::Result<()> {
///     let mut ctx = app.new_context();
///     ctx.in_string = vec![request];
///     app.get_in_object(&mut ctx);
///     app.get_out_object_blocking(&mut ctx);
///     app.get_out_string(&mut ctx);
///     send(&ctx.out_bytes())?; // an error here still closes the context, once
///     ctx.close();
///     Ok(())
/// }
/// # let app = Application::builder("app", "urn:app").build().unwrap();
/// # handle(&app, b"x".to_vec()).unwrap();
/// ```
///
/// A `method_context_closed` listener that panics is caught and logged like any other, so a
/// guard dropped during unwinding does not abort the process.
pub struct ContextCloseGuard {
    app: Arc<Application>,
    ctx: MethodContext,
    closed: bool,
    /// Whether `ctx` is as [`close_and_keep`](Self::close_and_keep)'s reset left it: set
    /// there, cleared by every mutable access, so that [`reopen_with`](Self::reopen_with)
    /// resets only a context that may have changed (a reset costs a few hundred
    /// instructions even on an empty context).
    emptied: bool,
}

impl ContextCloseGuard {
    /// Takes charge of closing `ctx`, a context of `app`.
    pub(crate) fn new(app: Arc<Application>, ctx: MethodContext) -> Self {
        ContextCloseGuard {
            app,
            ctx,
            closed: false,
            emptied: false,
        }
    }

    /// The application serving the request.
    pub fn app(&self) -> &Arc<Application> {
        &self.app
    }

    /// Ends the request now: fires `method_context_closed` and drops the context.
    pub fn close(mut self) {
        self.fire_closed();
    }

    /// Ends the request now, like [`close`](Self::close) (`method_context_closed` fires, its
    /// listeners see the whole context), but keeps the guard and the context as they are, so
    /// that the transport can take parts of it for its next request (its `request`, the
    /// transport part's buffers) before [`close_and_keep`](Self::close_and_keep) empties it.
    pub fn close_in_place(&mut self) {
        self.fire_closed();
    }

    /// Ends the request now, like [`close`](Self::close), but keeps the context in the guard,
    /// [`reset`](MethodContext::reset) (what the request held is dropped now; buffer
    /// capacities and the transport part's box are kept), for
    /// [`reopen_with`](Self::reopen_with). For a transport that serves its requests one
    /// after the other and keeps the guard between them (the queue's worker, or a thread of
    /// the HTTP server): the context (several hundred bytes) stays where it is, and no new
    /// one is built.
    pub fn close_and_keep(&mut self) {
        self.fire_closed();
        self.ctx.reset();
        self.emptied = true;
    }

    /// Starts a new request, carried by `transport`, in this guard: ends the current one
    /// first if it is still open (`method_context_closed`), resets the context (every reader
    /// sees a new one) and fires `method_context_created`, as
    /// [`Application::new_context_with`] does for a new context.
    pub fn reopen_with<T: Any + Send>(&mut self, transport: T) {
        self.fire_closed();
        self.restart(transport);
    }

    /// [`reopen_with`](Self::reopen_with) for a request of `app`, which may be another
    /// application than the one the guard served last: a thread of a server with several
    /// endpoints keeps one guard for all of them. The current request, if still open, ends
    /// with its own application's listeners; the new one starts with `app`'s.
    pub fn reopen_for<T: Any + Send>(&mut self, app: &Arc<Application>, transport: T) {
        self.fire_closed();
        if !Arc::ptr_eq(&self.app, app) {
            self.app = Arc::clone(app);
        }
        self.restart(transport);
    }

    /// Resets the context if it may have changed since [`close_and_keep`](Self::close_and_keep)
    /// and opens it for a request carried by `transport`.
    fn restart<T: Any + Send>(&mut self, transport: T) {
        if !self.emptied {
            self.ctx.reset();
        }
        self.emptied = false;
        self.closed = false;
        self.ctx.set_transport(transport);
        self.app.fire(Event::MethodContextCreated, &mut self.ctx);
    }

    fn fire_closed(&mut self) {
        if !self.closed {
            self.closed = true;
            self.app.fire(Event::MethodContextClosed, &mut self.ctx);
        }
    }
}

impl Deref for ContextCloseGuard {
    type Target = MethodContext;

    fn deref(&self) -> &MethodContext {
        &self.ctx
    }
}

impl DerefMut for ContextCloseGuard {
    fn deref_mut(&mut self) -> &mut MethodContext {
        self.emptied = false;
        &mut self.ctx
    }
}

impl Drop for ContextCloseGuard {
    fn drop(&mut self) {
        self.fire_closed();
    }
}

impl fmt::Debug for ContextCloseGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContextCloseGuard")
            .field("app", &self.app.name())
            .field("ctx", &self.ctx)
            .field("closed", &self.closed)
            .finish()
    }
}
