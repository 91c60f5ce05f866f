//! Events fired along the pipeline, and the listeners that observe them.
//!
//! Listeners are registered on the application (every request) or on one service (requests to
//! its methods); any `Fn(&mut MethodContext)` closure is a listener. Application listeners run
//! first, then the service's, each in registration order.
//!
//! # Firing order
//!
//! For one request served by a transport through [`Application::get_in_object`],
//! [`get_out_object`] and [`get_out_string`]:
//!
//! | outcome | events |
//! |---|---|
//! | success | `method_context_created`, `method_call`, `method_return_object`, `method_return_string`, `method_context_closed` |
//! | the method returns a fault | `method_context_created`, `method_call`, `method_exception_object`, `method_exception_string`, `method_context_closed` |
//! | the method panics | as for a fault; the fault is `Server` with the string `Internal Error` |
//! | the request cannot be read | `method_context_created`, `method_exception_object`, `method_exception_string`, `method_context_closed` |
//!
//! The in-process transport fires the same events minus the two `*_string` ones (it moves no
//! bytes). Service-level listeners only see events fired once the method is known.
//!
//! # A panicking listener
//!
//! Listeners observe the pipeline; they do not decide its outcome. A listener that panics is
//! caught ([`EventManager::fire`], the one place every event goes through), logged at error
//! level with the event's name and the panic message (log target `rpclib_core`), and otherwise
//! ignored: the listeners after it still run, the pipeline goes on, and the response is the
//! one it would have been without the panic (a listener on `method_call` does not turn a
//! successful call into a fault). Whatever the listener wrote into the context before it
//! panicked stays there. A panic never unwinds out of [`Application::fire`], so closing a
//! context while a transport unwinds (see [`ContextCloseGuard`]) cannot panic twice and abort
//! the process.
//!
//! [`Application::get_in_object`]: crate::Application::get_in_object
//! [`get_out_object`]: crate::Application::get_out_object
//! [`get_out_string`]: crate::Application::get_out_string
//! [`Application::fire`]: crate::Application::fire
//! [`ContextCloseGuard`]: crate::ContextCloseGuard

use std::any::Any;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;

use crate::LOG_TARGET;
use crate::context::MethodContext;

/// A point in the pipeline where listeners run (rpclib's event names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Event {
    /// A context was created for a new request.
    MethodContextCreated,
    /// The user method is about to be called (after the request was read and validated).
    MethodCall,
    /// The user method returned normally.
    MethodReturnObject,
    /// The request could not be read, or the method (or a call wrapper) failed.
    MethodExceptionObject,
    /// The response bytes are ready.
    MethodReturnString,
    /// The fault's bytes are ready.
    MethodExceptionString,
    /// The transport is done with the context: its
    /// [`ContextCloseGuard`](crate::ContextCloseGuard) was closed or dropped. That is after the
    /// response was built (for HTTP, before its bytes are written; other transports may close
    /// after sending), or on an early return or an unwind. Fires exactly once per context.
    MethodContextClosed,
}

impl Event {
    /// Every event, in pipeline order.
    pub const ALL: [Event; 7] = [
        Event::MethodContextCreated,
        Event::MethodCall,
        Event::MethodReturnObject,
        Event::MethodExceptionObject,
        Event::MethodReturnString,
        Event::MethodExceptionString,
        Event::MethodContextClosed,
    ];

    /// rpclib's name of the event, e.g. `method_call`.
    pub fn name(self) -> &'static str {
        match self {
            Event::MethodContextCreated => "method_context_created",
            Event::MethodCall => "method_call",
            Event::MethodReturnObject => "method_return_object",
            Event::MethodExceptionObject => "method_exception_object",
            Event::MethodReturnString => "method_return_string",
            Event::MethodExceptionString => "method_exception_string",
            Event::MethodContextClosed => "method_context_closed",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Observes an event; implemented for every `Fn(&mut MethodContext) + Send + Sync` closure.
pub trait EventListener: Send + Sync + 'static {
    /// Called when the event fires.
    fn on_event(&self, ctx: &mut MethodContext);
}

impl<F> EventListener for F
where
    F: Fn(&mut MethodContext) + Send + Sync + 'static,
{
    fn on_event(&self, ctx: &mut MethodContext) {
        self(ctx)
    }
}

/// The listeners of one application or service, per event.
#[derive(Default, Clone)]
pub struct EventManager {
    listeners: [Vec<Arc<dyn EventListener>>; Event::ALL.len()],
}

impl EventManager {
    /// No listeners.
    pub fn new() -> Self {
        EventManager::default()
    }

    /// Adds a listener for `event`.
    pub fn add_listener(&mut self, event: Event, listener: impl EventListener) {
        self.listeners[event.index()].push(Arc::new(listener));
    }

    /// Runs every listener of `event`, in registration order.
    ///
    /// A listener that panics is caught and logged at error level (the event's name and the
    /// panic message); the listeners after it still run and `fire` returns normally. See
    /// [the module docs](self#a-panicking-listener).
    pub fn fire(&self, event: Event, ctx: &mut MethodContext) {
        for listener in &self.listeners[event.index()] {
            run_listener(event, listener.as_ref(), ctx);
        }
    }

    /// Whether `event` has listeners.
    pub fn has_listeners(&self, event: Event) -> bool {
        !self.listeners[event.index()].is_empty()
    }
}

/// Runs one listener, catching its panic: the one place a listener is called.
///
/// `AssertUnwindSafe` is sound here in the sense that matters: the context may be left with
/// whatever the listener wrote before panicking, which is no different from a listener that
/// wrote it and returned; nothing in the pipeline relies on an invariant a listener could break
/// half-way.
fn run_listener(event: Event, listener: &dyn EventListener, ctx: &mut MethodContext) {
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| listener.on_event(ctx))) {
        log::error!(
            target: LOG_TARGET,
            "a `{}` listener panicked (ignored, the request goes on): {}",
            event.name(),
            panic_message(payload.as_ref()),
        );
    }
}

/// The message of a panic payload (`panic!` with a literal or with format arguments).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("non-string panic payload")
}

impl fmt::Debug for EventManager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for event in Event::ALL {
            let n = self.listeners[event.index()].len();
            if n > 0 {
                m.entry(&event.name(), &n);
            }
        }
        m.finish()
    }
}
