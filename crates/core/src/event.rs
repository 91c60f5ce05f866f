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
//! [`Application::get_in_object`]: crate::Application::get_in_object
//! [`get_out_object`]: crate::Application::get_out_object
//! [`get_out_string`]: crate::Application::get_out_string

use std::fmt;
use std::sync::Arc;

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
    /// The request is finished (the transport sent the response or dropped the context).
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
    pub fn fire(&self, event: Event, ctx: &mut MethodContext) {
        for listener in &self.listeners[event.index()] {
            listener.on_event(ctx);
        }
    }

    /// Whether `event` has listeners.
    pub fn has_listeners(&self, event: Event) -> bool {
        !self.listeners[event.index()].is_empty()
    }
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
