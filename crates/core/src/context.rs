//! [`MethodContext`]: everything one request touches.

use std::any::Any;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Instant;

use crate::application::Application;
use crate::event::Event;
use crate::fault::Fault;
use crate::service::{MethodDescriptor, ServiceDescriptor};
use crate::type_map::TypeMap;

/// Everything one request touches, from the incoming bytes to the outgoing ones.
///
/// A transport creates it with [`Application::new_context`], fills [`in_string`] and its own
/// [`transport`](Self::transport) part, and runs the pipeline:
/// [`Application::get_in_object`], [`Application::get_out_object`],
/// [`Application::get_out_string`], then sends [`out_string`] and ends the request, which
/// fires `method_context_closed`: a transport holds the context in a [`ContextCloseGuard`]
/// from the moment it creates it, so that the event fires exactly once however the request
/// ends (normally, by an early return, or by unwinding). Dropping a bare `MethodContext` fires
/// nothing. The slots in between are public so that protocols, transports,
/// event listeners and call wrappers can read and write them; each says which stage fills it.
///
/// [`in_string`]: Self::in_string
/// [`out_string`]: Self::out_string
pub struct MethodContext {
    app: Arc<Application>,
    service: Option<usize>,
    closed: bool,
    transport: Option<Box<dyn Any + Send>>,
    /// The method being called: set by the in-protocol's `decompose_incoming_envelope` (server)
    /// or by the client before serializing.
    pub descriptor: Option<&'static MethodDescriptor>,
    /// `{namespace}name` of the request's body element, as received.
    pub method_request_string: Option<String>,
    /// The incoming bytes, as chunks (set by the transport).
    pub in_string: Vec<Vec<u8>>,
    /// The media type the transport received the message with (HTTP `Content-Type`), if it
    /// has one. Protocols may take it as a hint (a SOAP endpoint serving both versions picks
    /// the version of a fault for an unreadable request from it), never as the truth.
    pub in_content_type: Option<String>,
    /// The in-protocol's parsed document (`create_in_document`).
    pub in_document: Option<Box<dyn Any + Send>>,
    /// The in-protocol's header part (`decompose_incoming_envelope`).
    pub in_header_doc: Option<Box<dyn Any + Send>>,
    /// The in-protocol's body part (`decompose_incoming_envelope`).
    pub in_body_doc: Option<Box<dyn Any + Send>>,
    /// Header blocks read from the request, one value per declared header type
    /// (`deserialize`); read them with [`in_header`](Self::in_header).
    pub in_headers: Vec<Box<dyn Any + Send>>,
    /// The request message (`deserialize`): the generated struct of the method's parameters.
    pub in_object: Option<Box<dyn Any + Send>>,
    /// What went wrong reading the request.
    pub in_error: Option<Fault>,
    /// The response message (`get_out_object`).
    pub out_object: Option<Box<dyn Any + Send>>,
    /// The fault the method (or a call wrapper, or validation) produced.
    pub out_error: Option<Fault>,
    /// Header blocks to send; set them with [`set_out_header`](Self::set_out_header).
    pub out_headers: Vec<Box<dyn Any + Send>>,
    /// The out-protocol's document (`serialize`).
    pub out_document: Option<Box<dyn Any + Send>>,
    /// The outgoing bytes, as chunks (`create_out_string`).
    pub out_string: Vec<Vec<u8>>,
    /// What the protocols keep about this message across their stages (rpclib's
    /// `ctx.protocol`): e.g. the SOAP version a request was read in, which the reply, its
    /// content type and its status then follow.
    pub protocol_data: TypeMap,
    /// Data event listeners share during this request (rpclib's `ctx.event`).
    pub event: TypeMap,
    /// The application's own data for this request (rpclib's `ctx.udc`).
    pub user_data: TypeMap,
    /// When the user method was called.
    pub call_start: Option<Instant>,
    /// When the user method returned.
    pub call_end: Option<Instant>,
}

impl MethodContext {
    pub(crate) fn new(app: Arc<Application>) -> Self {
        MethodContext {
            app,
            service: None,
            closed: false,
            transport: None,
            descriptor: None,
            method_request_string: None,
            in_string: Vec::new(),
            in_content_type: None,
            in_document: None,
            in_header_doc: None,
            in_body_doc: None,
            in_headers: Vec::new(),
            in_object: None,
            in_error: None,
            out_object: None,
            out_error: None,
            out_headers: Vec::new(),
            out_document: None,
            out_string: Vec::new(),
            protocol_data: TypeMap::new(),
            event: TypeMap::new(),
            user_data: TypeMap::new(),
            call_start: None,
            call_end: None,
        }
    }

    /// The application serving the request.
    pub fn app(&self) -> &Arc<Application> {
        &self.app
    }

    /// The service of the method being called.
    pub fn service(&self) -> Option<&'static ServiceDescriptor> {
        self.service
            .and_then(|i| self.app.service_at(i))
            .map(|entry| entry.descriptor)
    }

    pub(crate) fn service_index(&self) -> Option<usize> {
        self.service
    }

    /// Sets the method being called, with its service; protocols call it from
    /// `decompose_incoming_envelope` after [`Application::lookup_method`].
    ///
    /// `service_index` must be the index of a service of this context's application (as
    /// [`Application::lookup_method`] or [`Application::service_index_of`] return it), and
    /// `method` one of that service's methods. An index out of range does not panic: the
    /// context then has no service ([`service`](Self::service) is `None`), no service-level
    /// listener runs (a warning is logged each time an event fires) and the method is not
    /// called (the request gets a `Server` fault).
    pub fn set_method(&mut self, service_index: usize, method: &'static MethodDescriptor) {
        self.service = Some(service_index);
        self.descriptor = Some(method);
    }

    /// The public operation name of the method being called.
    pub fn method_name(&self) -> Option<&'static str> {
        self.descriptor.map(|d| d.operation)
    }

    /// The transport's own part (e.g. the queue's consumer and task ids, the HTTP peer).
    pub fn transport<T: Any + Send>(&self) -> Option<&T> {
        self.transport.as_ref().and_then(|t| t.downcast_ref())
    }

    /// The transport's own part, mutably.
    pub fn transport_mut<T: Any + Send>(&mut self) -> Option<&mut T> {
        self.transport.as_mut().and_then(|t| t.downcast_mut())
    }

    /// Sets the transport's own part; a transport calls it right after creating the context.
    pub fn set_transport<T: Any + Send>(&mut self, transport: T) {
        self.transport = Some(Box::new(transport));
    }

    /// The request's header block of type `T`, if it was sent.
    pub fn in_header<T: Any + Send>(&self) -> Option<&T> {
        self.in_headers.iter().find_map(|h| h.downcast_ref())
    }

    /// Sets the response's header block of type `T` (replacing one set before).
    pub fn set_out_header<T: Any + Send>(&mut self, header: T) {
        self.out_headers.retain(|h| !h.is::<T>());
        self.out_headers.push(Box::new(header));
    }

    /// The response's header block of type `T`.
    pub fn out_header<T: Any + Send>(&self) -> Option<&T> {
        self.out_headers.iter().find_map(|h| h.downcast_ref())
    }

    /// The fault to report: the request's error, else the method's.
    pub fn error(&self) -> Option<&Fault> {
        self.in_error.as_ref().or(self.out_error.as_ref())
    }

    /// The concatenated outgoing bytes.
    pub fn out_bytes(&self) -> Vec<u8> {
        self.out_string.concat()
    }

    /// Whether [`close`](Self::close) ran.
    pub fn is_closed(&self) -> bool {
        self.closed
    }

    /// Ends the request: fires `method_context_closed`, the first time only.
    ///
    /// Transports do not call it by hand; they hold the context in a [`ContextCloseGuard`],
    /// which calls it once on every path. It stays public for code that runs the pipeline
    /// itself on a bare context (tests, benchmarks). Dropping a context does not close it.
    pub fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            let app = Arc::clone(&self.app);
            app.fire(Event::MethodContextClosed, self);
        }
    }
}

// There is deliberately no `Drop for MethodContext` firing `method_context_closed` (there was
// one). The context is an ordinary value: a transport may move it into another thread
// (`spawn_blocking`), a client keeps it inside its `OutgoingCall` for as long as the user keeps
// that, code may park it in a collection. Closing on drop made the event fire whenever the last
// owner happened to let go, on whichever thread that was, possibly long after the response was
// sent, and never at all for a context leaked or kept in a cycle. And a drop that runs while the
// thread is unwinding from a panic ran user listeners at that point; a second panic there (a
// listener panicking during unwinding) aborts the whole process. The end of a request is the
// transport's decision, so the transport marks it: it wraps the context in a
// `ContextCloseGuard`, whose lifetime is exactly the transport's handling of the request, and
// listeners never panic out of `Application::fire` (they are caught one by one), so the guard
// is safe to run during unwinding too.

/// Ends a request exactly once: owns a [`MethodContext`] and fires `method_context_closed`
/// when [`close`](Self::close)d or dropped, whichever comes first, so the event fires on a
/// normal return, on an early return (`?`) and while unwinding from a panic.
///
/// A transport wraps the context as soon as it creates it, runs the pipeline through the guard
/// (it dereferences to the context), and either calls [`close`](Self::close) when it is done
/// with the context or lets the guard go out of scope. That is after the response was built;
/// whether before or after its bytes go out is the transport's choice (the HTTP transport
/// closes before the response is written, the example below after sending):
///
/// ```
/// use rpclib_core::{Application, ContextCloseGuard};
///
/// # fn send(_: &[u8]) -> std::io::Result<()> { Ok(()) }
/// fn handle(app: &std::sync::Arc<Application>, request: Vec<u8>) -> std::io::Result<()> {
///     let mut ctx = ContextCloseGuard::new(app.new_context());
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
    ctx: MethodContext,
}

impl ContextCloseGuard {
    /// Takes charge of closing `ctx`.
    pub fn new(ctx: MethodContext) -> Self {
        ContextCloseGuard { ctx }
    }

    /// Ends the request now: fires `method_context_closed` (unless the context was already
    /// closed) and drops the context.
    pub fn close(mut self) {
        self.ctx.close();
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
        &mut self.ctx
    }
}

impl Drop for ContextCloseGuard {
    fn drop(&mut self) {
        self.ctx.close();
    }
}

impl fmt::Debug for ContextCloseGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ContextCloseGuard").field(&self.ctx).finish()
    }
}

impl fmt::Debug for MethodContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MethodContext")
            .field("app", &self.app.name())
            .field("method", &self.method_name())
            .field("method_request_string", &self.method_request_string)
            .field("in_error", &self.in_error)
            .field("out_error", &self.out_error)
            .field("closed", &self.closed)
            .finish_non_exhaustive()
    }
}
