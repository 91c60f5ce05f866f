//! [`Application`]: services, protocols and interface put together, and the request pipeline.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::LOG_TARGET;
use crate::call_wrapper::{CallWrapper, DynCallWrapper, Next, check_called_through};
use crate::catalogue::{Catalogue, ConfigError};
use crate::context::MethodContext;
use crate::event::{Event, EventListener, EventManager, panic_message};
use crate::fault::Fault;
use crate::future::{CatchUnwind, block_on};
use crate::interface::{Interface, InterfaceDocument, TransportInfo};
use crate::protocol::{MessageKind, Protocol};
use crate::raw_header::HeaderName;
use crate::service::{MethodRef, Service, ServiceDescriptor};

/// One registered service: its descriptor, the instance its methods run on, and its own
/// listeners and call wrapper.
pub struct ServiceEntry {
    /// The service's descriptor.
    pub descriptor: &'static ServiceDescriptor,
    instance: Arc<dyn Any + Send + Sync>,
    events: EventManager,
    call_wrapper: Option<Box<dyn DynCallWrapper>>,
    /// The header blocks its call wrapper understands (registered application-wide).
    understood_headers: Vec<HeaderName>,
}

impl fmt::Debug for ServiceEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceEntry")
            .field("name", &self.descriptor.name)
            .field("events", &self.events)
            .field("call_wrapper", &self.call_wrapper.is_some())
            .finish_non_exhaustive()
    }
}

/// Configures one service while it is registered: its listeners and call wrapper.
#[derive(Debug)]
pub struct ServiceConfig<'a> {
    entry: &'a mut ServiceEntry,
}

impl ServiceConfig<'_> {
    /// Adds a listener that fires for requests to this service's methods.
    pub fn add_listener(&mut self, event: Event, listener: impl EventListener) -> &mut Self {
        self.entry.events.add_listener(event, listener);
        self
    }

    /// Sets the service-level call wrapper (it runs inside the application's). The header
    /// blocks it [understands](CallWrapper::understood_headers) are registered with the
    /// application.
    pub fn call_wrapper(&mut self, wrapper: impl CallWrapper) -> &mut Self {
        self.entry.understood_headers = wrapper.understood_headers();
        self.entry.call_wrapper = Some(Box::new(wrapper));
        self
    }
}

/// Builds an [`Application`].
pub struct ApplicationBuilder {
    name: String,
    tns: String,
    services: Vec<ServiceEntry>,
    in_protocol: Option<Arc<dyn Protocol>>,
    out_protocol: Option<Arc<dyn Protocol>>,
    interface: Option<Arc<dyn Interface>>,
    events: EventManager,
    call_wrapper: Option<Box<dyn DynCallWrapper>>,
    understood_headers: Vec<HeaderName>,
}

impl fmt::Debug for ApplicationBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplicationBuilder")
            .field("name", &self.name)
            .field("tns", &self.tns)
            .field("services", &self.services)
            .finish_non_exhaustive()
    }
}

impl ApplicationBuilder {
    /// Registers a service instance; its methods run on it.
    pub fn service<S: Service>(self, service: S) -> Self {
        self.service_with(service, |_| {})
    }

    /// Registers a service instance and configures its listeners and call wrapper.
    pub fn service_with<S: Service>(
        mut self,
        service: S,
        configure: impl FnOnce(&mut ServiceConfig<'_>),
    ) -> Self {
        let mut entry = ServiceEntry {
            descriptor: S::descriptor(),
            instance: Arc::new(service),
            events: EventManager::new(),
            call_wrapper: None,
            understood_headers: Vec::new(),
        };
        configure(&mut ServiceConfig { entry: &mut entry });
        self.services.push(entry);
        self
    }

    /// Declares a service without an instance: for a client's application, which needs the
    /// descriptors only. Calling one of its methods on a server yields a `Server` fault.
    pub fn declare(mut self, descriptor: &'static ServiceDescriptor) -> Self {
        self.services.push(ServiceEntry {
            descriptor,
            instance: Arc::new(()),
            events: EventManager::new(),
            call_wrapper: None,
            understood_headers: Vec::new(),
        });
        self
    }

    /// Sets the protocol requests arrive in.
    pub fn in_protocol(mut self, protocol: impl Protocol) -> Self {
        self.in_protocol = Some(Arc::new(protocol));
        self
    }

    /// Sets the protocol responses leave in.
    pub fn out_protocol(mut self, protocol: impl Protocol) -> Self {
        self.out_protocol = Some(Arc::new(protocol));
        self
    }

    /// Uses one protocol for both directions.
    pub fn protocol<P: Protocol>(mut self, protocol: P) -> Self {
        let p: Arc<dyn Protocol> = Arc::new(protocol);
        self.in_protocol = Some(Arc::clone(&p));
        self.out_protocol = Some(p);
        self
    }

    /// Sets the interface document generator.
    pub fn interface(mut self, interface: impl Interface) -> Self {
        self.interface = Some(Arc::new(interface));
        self
    }

    /// Adds an application-level listener.
    pub fn add_listener(mut self, event: Event, listener: impl EventListener) -> Self {
        self.events.add_listener(event, listener);
        self
    }

    /// Sets the application-level call wrapper, and registers the header blocks it
    /// [understands](CallWrapper::understood_headers).
    pub fn call_wrapper(mut self, wrapper: impl CallWrapper) -> Self {
        self.understood_headers.extend(wrapper.understood_headers());
        self.call_wrapper = Some(Box::new(wrapper));
        self
    }

    /// Declares that the application processes header blocks named `{namespace}name` (in a
    /// call wrapper, a listener or the methods), so that a block marked `mustUnderstand` with
    /// that name is accepted by protocols that check it (SOAP) instead of being refused with
    /// a `MustUnderstand` fault. Blocks an operation declares as a header type need no
    /// registration; a call wrapper registers its own through
    /// [`CallWrapper::understood_headers`].
    pub fn understand_header(mut self, namespace: &str, name: &str) -> Self {
        self.understood_headers
            .push(HeaderName::new(namespace, name));
        self
    }

    /// Checks the configuration and builds the application.
    pub fn build(self) -> Result<Arc<Application>, ConfigError> {
        let mut understood = self.understood_headers;
        for entry in &self.services {
            understood.extend(entry.understood_headers.iter().cloned());
        }
        let catalogue = Catalogue::new(
            self.name,
            self.tns,
            self.services.iter().map(|s| s.descriptor).collect(),
        )?
        .with_understood_headers(understood);
        Ok(Arc::new(Application {
            catalogue,
            services: self.services,
            in_protocol: self.in_protocol,
            out_protocol: self.out_protocol,
            interface: self.interface,
            events: self.events,
            call_wrapper: self.call_wrapper,
            documents: Mutex::new(Vec::new()),
        }))
    }
}

/// Services, protocols and an interface, put together; runs the request pipeline.
///
/// Transports drive a request through [`get_in_object`](Self::get_in_object),
/// [`get_out_object`](Self::get_out_object) and [`get_out_string`](Self::get_out_string) on a
/// context from [`new_context`](Self::new_context); see the crate docs for the whole pipeline
/// and [`event`](crate::event) for the events it fires.
pub struct Application {
    catalogue: Catalogue,
    /// In registration order: the catalogue's positions index it.
    services: Vec<ServiceEntry>,
    in_protocol: Option<Arc<dyn Protocol>>,
    out_protocol: Option<Arc<dyn Protocol>>,
    interface: Option<Arc<dyn Interface>>,
    events: EventManager,
    call_wrapper: Option<Box<dyn DynCallWrapper>>,
    documents: Mutex<Vec<(TransportInfo, Arc<InterfaceDocument>)>>,
}

impl fmt::Debug for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Application")
            .field("catalogue", &self.catalogue)
            .field("services", &self.services)
            .field("in_protocol", &self.in_protocol)
            .field("out_protocol", &self.out_protocol)
            .field("interface", &self.interface)
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}

impl Application {
    /// Starts building an application with a name and a target namespace.
    pub fn builder(name: impl Into<String>, tns: impl Into<String>) -> ApplicationBuilder {
        ApplicationBuilder {
            name: name.into(),
            tns: tns.into(),
            services: Vec::new(),
            in_protocol: None,
            out_protocol: None,
            interface: None,
            events: EventManager::new(),
            call_wrapper: None,
            understood_headers: Vec::new(),
        }
    }

    /// The application's name.
    pub fn name(&self) -> &str {
        self.catalogue.name()
    }

    /// What protocols and interfaces know of the application: names, namespaces, services,
    /// methods.
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    /// The registered services, in registration order.
    pub fn services(&self) -> impl Iterator<Item = &ServiceEntry> {
        self.services.iter()
    }

    /// The registered service a method belongs to: found at the method's position, checked
    /// to be the same service (a `MethodRef` from another application's catalogue is not
    /// trusted to line up).
    fn entry(&self, method: MethodRef) -> Option<&ServiceEntry> {
        match self.services.get(method.position()) {
            Some(entry) if std::ptr::eq(entry.descriptor, method.service()) => Some(entry),
            _ => self
                .services
                .iter()
                .find(|e| std::ptr::eq(e.descriptor, method.service())),
        }
    }

    /// The protocol requests arrive in.
    pub fn in_protocol(&self) -> Option<&Arc<dyn Protocol>> {
        self.in_protocol.as_ref()
    }

    /// The protocol responses leave in.
    pub fn out_protocol(&self) -> Option<&Arc<dyn Protocol>> {
        self.out_protocol.as_ref()
    }

    /// The interface document generator.
    pub fn interface(&self) -> Option<&Arc<dyn Interface>> {
        self.interface.as_ref()
    }

    /// The interface document for `transport`: built on first use, then cached
    /// (rpclib's `build_interface_document` and `get_interface_document`).
    pub fn interface_document(
        &self,
        transport: &TransportInfo,
    ) -> Result<Arc<InterfaceDocument>, Fault> {
        let interface = self
            .interface
            .as_ref()
            .ok_or_else(|| Fault::server("this application has no interface document"))?;
        let mut docs = self
            .documents
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, doc)) = docs.iter().find(|(t, _)| t == transport) {
            return Ok(Arc::clone(doc));
        }
        let doc = Arc::new(interface.build_interface_document(&self.catalogue, transport)?);
        docs.push((transport.clone(), Arc::clone(&doc)));
        Ok(doc)
    }

    /// Whether firing `event` for `ctx` would run any listener: the application's, or those
    /// of the selected method's service. A transport uses it to skip work whose only reader
    /// would be a listener (the queue's consumer writes no reply that nobody reads).
    pub fn has_listeners(&self, event: Event, ctx: &MethodContext) -> bool {
        self.events.has_listeners(event)
            || ctx
                .method()
                .and_then(|m| self.entry(m))
                .is_some_and(|entry| entry.events.has_listeners(event))
    }

    /// Fires `event`: application listeners, then the service's if the method is known.
    ///
    /// Never panics because of a listener: a panicking listener is caught and logged, and the
    /// others still run (see [`EventManager::fire`]).
    pub fn fire(&self, event: Event, ctx: &mut MethodContext) {
        self.events.fire(event, ctx);
        if let Some(entry) = ctx.method().and_then(|m| self.entry(m)) {
            entry.events.fire(event, ctx);
        }
    }

    /// Server step 1: reads the request in `ctx.in_string` with the in-protocol into
    /// `ctx.in_object`; a failure lands in `ctx.in_error` and fires `method_exception_object`.
    pub fn get_in_object(&self, ctx: &mut MethodContext) {
        let result = match &self.in_protocol {
            None => Err(Fault::server("this application has no in-protocol")),
            Some(p) => p
                .create_in_document(ctx)
                .and_then(|()| {
                    p.decompose_incoming_envelope(&self.catalogue, ctx, MessageKind::Request)
                })
                .and_then(|()| p.deserialize(&self.catalogue, ctx, MessageKind::Request)),
        };
        if let Err(fault) = result {
            log::info!(target: LOG_TARGET, "request rejected: {fault}");
            ctx.in_error = Some(fault);
            self.fire(Event::MethodExceptionObject, ctx);
        }
    }

    /// Server step 2 (rpclib's `process_request`): validates the arguments, fires
    /// `method_call`, runs the call wrappers and the method, and stores the result in
    /// `ctx.out_object` (firing `method_return_object`) or the fault in `ctx.out_error`
    /// (firing `method_exception_object`). A panic in a wrapper or the method becomes a
    /// `Server` fault. Does nothing if the request could not be read.
    ///
    /// The future awaits an `async fn` method (and async wrappers) where it is polled; a
    /// blocking method runs inside the poll. A transport with an async runtime awaits it there
    /// for an async method, and polls it where blocking is allowed for a blocking one (see
    /// [`MethodDescriptor::invoke`](crate::MethodDescriptor::invoke)); code without a runtime uses
    /// [`get_out_object_blocking`](Self::get_out_object_blocking). Dropping the future before
    /// it completes (a transport's deadline) cancels the call: the context then holds neither
    /// a result nor a fault.
    pub async fn get_out_object(&self, ctx: &mut MethodContext) {
        if ctx.in_error.is_some() {
            return;
        }
        let Some(selected) = ctx.method() else {
            self.fail(
                ctx,
                Fault::server("no method was selected for this request"),
            );
            return;
        };
        let method = selected.method();
        let Some(entry) = self.entry(selected) else {
            log::warn!(
                target: LOG_TARGET,
                "`{}`: service `{}` is not registered in this application",
                method.operation,
                selected.service().name
            );
            self.fail(
                ctx,
                Fault::server("no method was selected for this request"),
            );
            return;
        };
        if let Some(args) = &ctx.in_object
            && let Err(e) = (method.input.validate)(args.as_ref())
        {
            log::info!(target: LOG_TARGET, "`{}`: invalid arguments: {e}", method.operation);
            self.fail(ctx, e.into());
            return;
        }
        self.fire(Event::MethodCall, ctx);
        log::debug!(target: LOG_TARGET, "calling `{}`", method.operation);
        ctx.call_start = Some(Instant::now());
        let called = AtomicBool::new(false);
        let next = Next {
            service_wrapper: entry.call_wrapper.as_deref(),
            instance: entry.instance.as_ref(),
            method,
            called: &called,
        };
        let outcome = {
            let call = async {
                match &self.call_wrapper {
                    Some(wrapper) => check_called_through(
                        wrapper.call_boxed(ctx, next).await,
                        &called,
                        "application",
                    ),
                    None => next.call(ctx).await,
                }
            };
            CatchUnwind::new(std::pin::pin!(call)).await
        };
        ctx.call_end = Some(Instant::now());
        match outcome {
            Ok(Ok(())) => self.fire(Event::MethodReturnObject, ctx),
            Ok(Err(fault)) => {
                log::debug!(target: LOG_TARGET, "`{}` returned a fault: {fault}", method.operation);
                self.fail(ctx, fault);
            }
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                log::error!(target: LOG_TARGET, "`{}` panicked: {message}", method.operation);
                ctx.out_object = None;
                self.fail(ctx, Fault::server("Internal Error"));
            }
        }
    }

    /// [`get_out_object`](Self::get_out_object) on the current thread, for code without an
    /// async runtime (a plain worker thread, a test, a benchmark): blocking methods run as
    /// they are; an `async fn` method is polled here and the thread parks while it waits.
    /// That suits async methods that wait on plain threads or channels; one that needs a
    /// runtime (tokio timers, sockets) fails with a `Server` fault (its panic, caught) unless
    /// it is awaited on that runtime instead.
    pub fn get_out_object_blocking(&self, ctx: &mut MethodContext) {
        block_on(self.get_out_object(ctx));
    }

    fn fail(&self, ctx: &mut MethodContext, fault: Fault) {
        ctx.out_error = Some(fault);
        self.fire(Event::MethodExceptionObject, ctx);
    }

    /// Server step 3: writes the result (or the fault) with the out-protocol into
    /// `ctx.out_string`, then fires `method_return_string` or `method_exception_string`.
    ///
    /// If the result cannot be written, a `Server` fault is written instead.
    pub fn get_out_string(&self, ctx: &mut MethodContext) {
        let Some(protocol) = &self.out_protocol else {
            ctx.out_error = Some(Fault::server("this application has no out-protocol"));
            ctx.out_string = vec![b"this application has no out-protocol".to_vec()];
            self.fire(Event::MethodExceptionString, ctx);
            return;
        };
        if let Err(fault) = self.write_response(protocol.as_ref(), ctx) {
            log::error!(target: LOG_TARGET, "cannot write the response: {fault}");
            ctx.out_object = None;
            ctx.in_error = None;
            ctx.out_error = Some(fault);
            if let Err(again) = self.write_response(protocol.as_ref(), ctx) {
                log::error!(target: LOG_TARGET, "cannot write a fault either: {again}");
                ctx.out_string = vec![again.string.into_bytes()];
            }
        }
        let event = if ctx.error().is_some() {
            Event::MethodExceptionString
        } else {
            Event::MethodReturnString
        };
        self.fire(event, ctx);
    }

    fn write_response(
        &self,
        protocol: &dyn Protocol,
        ctx: &mut MethodContext,
    ) -> Result<(), Fault> {
        ctx.out_string.clear();
        protocol.serialize(&self.catalogue, ctx, MessageKind::Response)?;
        protocol.create_out_string(ctx)
    }

    /// The transport status for the context's outcome: 200, or the out-protocol's status for
    /// its fault.
    pub fn response_status(&self, ctx: &MethodContext) -> u16 {
        match (ctx.error(), &self.out_protocol) {
            (Some(fault), Some(p)) => p.fault_status(ctx, fault),
            (Some(_), None) => 500,
            (None, _) => 200,
        }
    }

    /// The media type of the response written in `ctx`: the out-protocol's
    /// [`message_content_type`](Protocol::message_content_type) (per message: an endpoint
    /// serving SOAP 1.1 and 1.2 answers each request in its own), or plain text when the
    /// application has no out-protocol (`get_out_string` then writes a plain message).
    pub fn response_content_type<'a>(&'a self, ctx: &MethodContext) -> Cow<'a, str> {
        match &self.out_protocol {
            Some(p) => p.message_content_type(ctx),
            None => Cow::Borrowed("text/plain; charset=utf-8"),
        }
    }
}
