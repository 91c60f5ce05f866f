//! Clients: the call-level [`Caller`] that typed clients use, the bytes-level transports
//! ([`AsyncClientTransport`], and the blocking [`ClientTransport`]), and [`RemoteClient`],
//! which joins the two through the protocols.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use crate::application::Application;
use crate::close_guard::ContextCloseGuard;
use crate::fault::Fault;
use crate::protocol::MessageKind;
use crate::service::{BoxFuture, MethodDescriptor};

/// The error type of client transports: any error, sendable across threads.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A failed remote call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The server answered with a fault.
    #[error("the server answered with a fault: {0}")]
    Fault(Fault),
    /// The request could not be sent or the reply not received.
    #[error("transport error: {0}")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The reply could not be read.
    #[error("invalid reply: {0}")]
    InvalidReply(Fault),
    /// The request could not be written.
    #[error("cannot write the request: {0}")]
    InvalidRequest(Fault),
    /// The transport is one-way and returned no reply where one was needed.
    #[error("the transport returned no reply")]
    NoReply,
    /// The method does not belong to a service registered in the client's application.
    #[error("method `{0}` is not declared in this client's application")]
    UnknownMethod(&'static str),
}

impl ClientError {
    /// The server's fault, if that is what this is.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            ClientError::Fault(f) => Some(f),
            _ => None,
        }
    }
}

/// One call, as a typed client hands it to a [`Caller`].
pub struct Call<T> {
    /// The method to call.
    pub method: &'static MethodDescriptor,
    /// The request message (the generated struct of the method's parameters).
    pub args: Box<dyn Any + Send>,
    /// Header blocks to send.
    pub headers: Vec<Box<dyn Any + Send>>,
    /// Takes the typed result out of the response message (and, for a call that returns them,
    /// the reply's header blocks).
    pub extract: fn(ReplyParts) -> Option<T>,
}

/// What a call's reply holds, as a [`Caller`] hands it to [`Call::extract`]: the response
/// message and the reply's header blocks.
pub struct ReplyParts {
    /// The response message (the generated struct of the method's results).
    pub message: Box<dyn Any + Send>,
    /// The reply's header blocks: one value per declared out-header type that came back, and
    /// (from a protocol with header blocks, SOAP) each block as a
    /// [`RawHeader`](crate::RawHeader).
    pub headers: Vec<Box<dyn Any + Send>>,
}

impl ReplyParts {
    /// A reply of `message` without header blocks.
    pub fn new(message: Box<dyn Any + Send>) -> Self {
        ReplyParts {
            message,
            headers: Vec::new(),
        }
    }
}

impl fmt::Debug for ReplyParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyParts")
            .field("headers", &self.headers.len())
            .finish_non_exhaustive()
    }
}

/// A call's result with the reply's header blocks: what the `<method>_with_headers` variants
/// of generated clients return.
///
/// ```
/// use rpclib_core::{HeaderName, RawHeader, Reply};
///
/// #[derive(Debug, PartialEq)]
/// struct Session(String);
///
/// let raw = RawHeader::new(HeaderName::new("urn:x", "Trace"), "<x:Trace xmlns:x=\"urn:x\"/>", false);
/// let reply = Reply::new(42, vec![Box::new(Session("s1".into())), Box::new(raw)]);
/// assert_eq!(reply.header::<Session>(), Some(&Session("s1".into())));
/// assert_eq!(reply.raw_headers().count(), 1);
/// assert_eq!(reply.into_value(), 42);
/// ```
pub struct Reply<T> {
    /// The call's result.
    pub value: T,
    headers: Vec<Box<dyn Any + Send>>,
}

impl<T> Reply<T> {
    /// `value` with the header blocks `headers`.
    pub fn new(value: T, headers: Vec<Box<dyn Any + Send>>) -> Self {
        Reply { value, headers }
    }

    /// The reply's header block of type `H` (a declared out-header), if it came back.
    pub fn header<H: Any>(&self) -> Option<&H> {
        self.headers.iter().find_map(|h| h.downcast_ref())
    }

    /// The reply's header blocks as raw XML, in document order (every block, declared or
    /// not, from a protocol with header blocks).
    pub fn raw_headers(&self) -> impl Iterator<Item = &crate::RawHeader> {
        self.headers.iter().filter_map(|h| h.downcast_ref())
    }

    /// Every header block, typed and raw.
    pub fn headers(&self) -> &[Box<dyn Any + Send>] {
        &self.headers
    }

    /// The result alone.
    pub fn into_value(self) -> T {
        self.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Reply<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("value", &self.value)
            .field("headers", &self.headers.len())
            .finish()
    }
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.method.operation)
            .finish_non_exhaustive()
    }
}

/// Carries a typed call to where it runs and brings back what the caller gets. Typed clients
/// generated by `#[service]` are generic over it: each client method returns
/// `C::Output<'_, T>` for a method returning `T`, so one generated client serves every kind
/// of caller:
///
/// - an async caller ([`InProcess`](crate::InProcess)) returns a future of
///   `Result<T, ClientError>`: `client.say_hello(g).await?`;
/// - [`RemoteClient`] over an [`AsyncClientTransport`] (made with
///   [`RemoteClient::new_async`]) returns a future too;
/// - a blocking caller ([`RemoteClient`] over a blocking [`ClientTransport`]) returns
///   `Result<T, ClientError>` at once: `client.say_hello(g)?`;
/// - a one-way caller (the queue's producer) returns what it made of the call, e.g. the id of
///   the task it enqueued, without waiting for a result.
pub trait Caller {
    /// What calling a method that returns `T` gives: `Result<T, ClientError>`, a future of
    /// it, or a one-way transport's receipt. It may borrow the caller (`'a`).
    type Output<'a, T: Send + 'static>
    where
        Self: 'a;

    /// Makes the call.
    fn call<'a, T: Send + 'static>(&'a self, call: Call<T>) -> Self::Output<'a, T>;
}

/// An outgoing request, as handed to a [`ClientTransport`] or an [`AsyncClientTransport`].
#[derive(Debug, Clone, Copy)]
pub struct OutgoingRequest<'a> {
    /// The serialized request.
    pub body: &'a [u8],
    /// The media type of this request (the out-protocol's
    /// [`message_content_type`](crate::Protocol::message_content_type) for it).
    pub content_type: &'a str,
    /// The operation name (SOAPAction for SOAP over HTTP).
    pub operation: &'a str,
}

/// Moves bytes: sends a serialized request and returns the reply's bytes, or `None` for a
/// one-way transport.
///
/// ```
/// use rpclib_core::{ClientTransport, OutgoingRequest};
///
/// /// Records requests and never answers (a one-way transport).
/// #[derive(Debug, Default)]
/// struct Sink(std::sync::Mutex<Vec<Vec<u8>>>);
///
/// impl ClientTransport for Sink {
///     fn send(
///         &self,
///         request: &OutgoingRequest<'_>,
///     ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
///         self.0.lock().map_err(|e| e.to_string())?.push(request.body.to_vec());
///         Ok(None)
///     }
/// }
/// ```
///
/// This is the blocking form, for transports that wait on the calling thread (a plain socket,
/// a test loopback); [`AsyncClientTransport`] is the form for transports on an async runtime.
pub trait ClientTransport: Send + Sync {
    /// Sends the request; returns the reply's bytes (or `None` if the transport has none).
    fn send(&self, request: &OutgoingRequest<'_>) -> Result<Option<Vec<u8>>, BoxError>;
}

/// Moves bytes without blocking: sends a serialized request and resolves to the reply's bytes,
/// or `None` for a one-way transport. The future may borrow the transport and the request.
///
/// ```
/// use std::future::Future;
/// use rpclib_core::{AsyncClientTransport, BoxError, OutgoingRequest};
///
/// /// Answers every request with its own bytes (a loopback for tests).
/// #[derive(Debug)]
/// struct Echo;
///
/// impl AsyncClientTransport for Echo {
///     fn send(
///         &self,
///         request: OutgoingRequest<'_>,
///     ) -> impl Future<Output = Result<Option<Vec<u8>>, BoxError>> + Send {
///         async move { Ok(Some(request.body.to_vec())) }
///     }
/// }
/// ```
pub trait AsyncClientTransport: Send + Sync {
    /// Sends the request; resolves to the reply's bytes (or `None` if the transport has none).
    fn send(
        &self,
        request: OutgoingRequest<'_>,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, BoxError>> + Send;
}

/// The mode of a [`RemoteClient`] over a blocking [`ClientTransport`]: each call returns
/// `Result<T, ClientError>` once the reply is in.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocking;

/// The mode of a [`RemoteClient`] over an [`AsyncClientTransport`]: each call returns a
/// future of `Result<T, ClientError>`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

/// A [`Caller`] that serializes calls with the application's out-protocol, sends them over a
/// transport and reads the reply with the in-protocol (rpclib's client, step by step the
/// server's pipeline in reverse).
///
/// The second parameter is the mode, fixed by the constructor:
///
/// - [`RemoteClient::new_async`] over an [`AsyncClientTransport`] gives a
///   `RemoteClient<C, Async>`, whose calls are futures (`client.say_hello(g).await?`);
/// - [`RemoteClient::new`] over a blocking [`ClientTransport`] gives a `RemoteClient<C>`
///   (`Blocking` is the default), whose calls return their result (`client.say_hello(g)?`).
///
/// (One type with a mode rather than one `Caller` impl per transport trait: Rust cannot tell
/// two blanket impls apart by their trait bounds, and a transport may implement both traits.)
///
/// ```
/// # use std::future::Future;
/// # use std::sync::Arc;
/// use rpclib_core::{Application, Async, AsyncClientTransport, BoxError, OutgoingRequest, RemoteClient};
///
/// # #[derive(Debug)] struct Echo;
/// # impl AsyncClientTransport for Echo {
/// #     fn send(&self, r: OutgoingRequest<'_>)
/// #         -> impl Future<Output = Result<Option<Vec<u8>>, BoxError>> + Send {
/// #         async move { Ok(Some(r.body.to_vec())) }
/// #     }
/// # }
/// # fn demo(app: Arc<Application>) {
/// let caller: RemoteClient<Echo, Async> = RemoteClient::new_async(app, Echo);
/// // let client = HelloServiceClient::new(caller); client.say_hello(..).await?
/// # let _ = caller; }
/// ```
pub struct RemoteClient<C, M = Blocking> {
    app: Arc<Application>,
    transport: C,
    mode: PhantomData<fn() -> M>,
}

impl<C: ClientTransport> RemoteClient<C, Blocking> {
    /// A blocking client for the services declared in `app`, over `transport`.
    pub fn new(app: Arc<Application>, transport: C) -> Self {
        RemoteClient {
            app,
            transport,
            mode: PhantomData,
        }
    }
}

impl<C: AsyncClientTransport> RemoteClient<C, Async> {
    /// An async client for the services declared in `app`, over `transport`: calls are
    /// futures, to be awaited on the runtime the transport needs.
    pub fn new_async(app: Arc<Application>, transport: C) -> Self {
        RemoteClient {
            app,
            transport,
            mode: PhantomData,
        }
    }
}

impl<C, M> RemoteClient<C, M> {
    /// The application describing the services.
    pub fn app(&self) -> &Arc<Application> {
        &self.app
    }

    /// The transport.
    pub fn transport(&self) -> &C {
        &self.transport
    }
}

impl<C, M> fmt::Debug for RemoteClient<C, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteClient")
            .field("app", &self.app.name())
            .finish_non_exhaustive()
    }
}

impl<C: ClientTransport> Caller for RemoteClient<C, Blocking> {
    type Output<'a, T: Send + 'static>
        = Result<T, ClientError>
    where
        Self: 'a;

    fn call<T: Send + 'static>(&self, call: Call<T>) -> Result<T, ClientError> {
        let outgoing = OutgoingCall::write(&self.app, call)?;
        let reply = self
            .transport
            .send(&outgoing.request())
            .map_err(ClientError::Transport)?
            .ok_or(ClientError::NoReply)?;
        outgoing.read_reply(reply)
    }
}

/// Calls are futures: the request is written when the future is first polled, sent with the
/// transport's future, and the reply read when it arrives. Dropping the future abandons the
/// call (its context is closed).
impl<C: AsyncClientTransport> Caller for RemoteClient<C, Async> {
    type Output<'a, T: Send + 'static>
        = BoxFuture<'a, Result<T, ClientError>>
    where
        Self: 'a;

    fn call<'a, T: Send + 'static>(&'a self, call: Call<T>) -> Self::Output<'a, T> {
        Box::pin(async move {
            let outgoing = OutgoingCall::write(&self.app, call)?;
            let reply = self
                .transport
                .send(outgoing.request())
                .await
                .map_err(ClientError::Transport)?
                .ok_or(ClientError::NoReply)?;
            outgoing.read_reply(reply)
        })
    }
}

/// A call written by the out-protocol, waiting for its reply: the client-side mirror of the
/// server's steps. [`RemoteClient`] uses it over any [`ClientTransport`] or
/// [`AsyncClientTransport`]; a one-way transport
/// (the queue's producer) takes [`body`](Self::body) and drops the rest.
pub struct OutgoingCall<T> {
    ctx: ContextCloseGuard,
    body: Vec<u8>,
    content_type: String,
    extract: fn(ReplyParts) -> Option<T>,
}

impl<T> fmt::Debug for OutgoingCall<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingCall")
            .field("method", &self.ctx.method_name())
            .field("bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl<T> OutgoingCall<T> {
    /// Writes `call` with `app`'s out-protocol (`serialize` and `create_out_string` for a
    /// [`MessageKind::Request`]), in a context of its own.
    pub fn write(app: &Arc<Application>, call: Call<T>) -> Result<OutgoingCall<T>, ClientError> {
        let protocol = app.out_protocol().ok_or_else(|| {
            ClientError::InvalidRequest(Fault::server("the client's application has no protocol"))
        })?;
        let method = app
            .catalogue()
            .method_ref(call.method)
            .ok_or(ClientError::UnknownMethod(call.method.operation))?;
        // The call's context ends with the call: closed once by `read_reply` or `into_body`, or
        // when the `OutgoingCall` is dropped (a transport error, an early return).
        let mut ctx = app.new_context();
        ctx.set_method(method);
        ctx.out_object = Some(call.args);
        ctx.out_headers = call.headers;
        protocol
            .serialize(app.catalogue(), &mut ctx, MessageKind::Request)
            .and_then(|()| protocol.create_out_string(&mut ctx))
            .map_err(ClientError::InvalidRequest)?;
        let body = ctx.out_bytes();
        // Per message: a protocol that speaks several versions names the one it wrote.
        let content_type = protocol.message_content_type(&ctx).into_owned();
        Ok(OutgoingCall {
            content_type,
            ctx,
            body,
            extract: call.extract,
        })
    }

    /// The serialized request.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Takes the serialized request, ending the call (for one-way transports).
    pub fn into_body(self) -> Vec<u8> {
        self.ctx.close();
        self.body
    }

    /// The request as a [`ClientTransport`] or an [`AsyncClientTransport`] takes it.
    pub fn request(&self) -> OutgoingRequest<'_> {
        OutgoingRequest {
            body: &self.body,
            content_type: &self.content_type,
            operation: self.ctx.method_name().unwrap_or(""),
        }
    }

    /// Reads the reply with the in-protocol (`MessageKind::Response`) into the typed result
    /// (handing the reply's header blocks to the call's `extract` too), or the server's fault.
    pub fn read_reply(mut self, reply: Vec<u8>) -> Result<T, ClientError> {
        let app = Arc::clone(self.ctx.app());
        let protocol = app.in_protocol().ok_or_else(|| {
            ClientError::InvalidReply(Fault::server("the client's application has no protocol"))
        })?;
        let ctx = &mut self.ctx;
        ctx.in_string = vec![reply];
        protocol
            .create_in_document(ctx)
            .and_then(|()| {
                protocol.decompose_incoming_envelope(app.catalogue(), ctx, MessageKind::Response)
            })
            .and_then(|()| protocol.deserialize(app.catalogue(), ctx, MessageKind::Response))
            .map_err(ClientError::InvalidReply)?;
        if let Some(fault) = ctx.in_error.take() {
            return Err(ClientError::Fault(fault));
        }
        let out = ctx.in_object.take().ok_or_else(|| {
            ClientError::InvalidReply(Fault::client("EmptyReply", "the reply carried no result"))
        })?;
        let parts = ReplyParts {
            message: out,
            headers: std::mem::take(&mut ctx.in_headers),
        };
        self.ctx.close();
        (self.extract)(parts).ok_or_else(|| {
            ClientError::InvalidReply(Fault::client(
                "WrongReply",
                "the reply is not this method's response",
            ))
        })
    }
}

/// Produces a fresh copy of one header value per call.
trait HeaderFactory: Send + Sync {
    fn make(&self) -> Box<dyn Any + Send>;
    fn header_type(&self) -> std::any::TypeId;
}

impl<H: Any + Send + Sync + Clone> HeaderFactory for H {
    fn make(&self) -> Box<dyn Any + Send> {
        Box::new(self.clone())
    }

    fn header_type(&self) -> std::any::TypeId {
        std::any::TypeId::of::<H>()
    }
}

/// Header blocks a typed client sends with every call (one value per header type).
#[derive(Clone, Default)]
pub struct HeaderSet {
    headers: Vec<Arc<dyn HeaderFactory>>,
}

impl HeaderSet {
    /// An empty set.
    pub fn new() -> Self {
        HeaderSet::default()
    }

    /// Sets the header block of type `H`, replacing one set before.
    pub fn set<H: Any + Send + Sync + Clone>(&mut self, header: H) {
        let id = std::any::TypeId::of::<H>();
        self.headers.retain(|h| (**h).header_type() != id);
        self.headers.push(Arc::new(header));
    }

    /// Removes the header block of type `H`.
    pub fn remove<H: Any>(&mut self) {
        let id = std::any::TypeId::of::<H>();
        self.headers.retain(|h| (**h).header_type() != id);
    }

    /// Fresh values of every header, for one call.
    pub fn instantiate(&self) -> Vec<Box<dyn Any + Send>> {
        // Deref explicitly: `Arc<dyn HeaderFactory>` is itself `Clone + Any` and would match
        // the blanket impl, boxing the Arc instead of the header.
        self.headers.iter().map(|h| (**h).make()).collect()
    }
}

impl fmt::Debug for HeaderSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HeaderSet")
            .field("len", &self.headers.len())
            .finish()
    }
}
