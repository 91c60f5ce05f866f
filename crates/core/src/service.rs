//! Services and the descriptors of their methods, messages and headers (re-exported at the
//! crate root; [`Service`] documents how to write them by hand).

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use crate::context::MethodContext;
use crate::fault::Fault;
use crate::model::{
    ComplexType, DeError, Deserializer, FieldPath, Model, SerError, Serializer, TypeRef,
    ValidationError,
};

/// A type whose methods are remote procedures; implemented by `#[service]`, or by hand.
///
/// The `#[service]` attribute macro writes the implementation, the descriptors and everything
/// they point to from an `impl` block; all of it can also be written by hand, with the items
/// documented here (at the crate root) and in [`model`](crate::model).
/// `crates/core/tests/no_macro.rs` in the repository does so and checks that the result is the
/// same as its macro-defined twin. A hand-written service consists of:
///
/// 1. **Message types.** For each method, a request and a response message: a type
///    implementing [`Model`] (for the wrapped style, a [`ComplexModel`](crate::ComplexModel)
///    struct with one field per parameter, or per result; for the bare style, a newtype whose
///    value is the body element itself), and a `'static` [`ComplexType`] listing the parts, one
///    [`FieldDescriptor`](crate::model::FieldDescriptor) each.
/// 2. **An invoker** per method, an [`Invoke`]: a blocking [`InvokeFn`] or an
///    [`AsyncInvokeFn`] returning a boxed future. It downcasts the service instance and the
///    request message (with [`downcast_boxed`]), calls the method (awaiting it, for an async
///    one) and boxes the response message.
/// 3. **The descriptors**: a `static` [`ServiceDescriptor`] whose [`MethodDescriptor`]s name the
///    operation and point to the message descriptors, filled with the generic
///    [`deserialize_boxed`], [`serialize_boxed`] and [`validate_boxed`] instantiated at each
///    message type, header lists built with [`HeaderDescriptor::of`], and the declared fault
///    detail types built with [`FaultDescriptor::of`] (what the interface document publishes
///    and what a client reads a fault's detail back into).
/// 4. **The [`Service`] impl**, returning the descriptor. The value is then registered with
///    [`ApplicationBuilder::service`](crate::ApplicationBuilder::service) like any other.
///
/// Invariants the pipeline relies on, which the macro keeps and hand-written code must too:
/// the request message produced by `input.deserialize` is the type `invoke` downcasts to, and
/// the response message `invoke` returns is the type `output.serialize` downcasts to; the
/// message descriptors' `ty` lists the parts in the order the message type reads and writes
/// them; operation names are unique within an application.
///
/// The value registered with [`ApplicationBuilder::service`](crate::ApplicationBuilder::service)
/// is the instance every method's [`InvokeFn`] receives (as `&dyn Any`); it is shared between
/// concurrent requests, hence `Send + Sync`.
pub trait Service: Send + Sync + 'static {
    /// The service's descriptor: a `'static` value (usually a `static` item) that must be the
    /// same on every call.
    fn descriptor() -> &'static ServiceDescriptor
    where
        Self: Sized;
}

/// A service: a named group of methods sharing a namespace and header declarations.
#[derive(Debug)]
pub struct ServiceDescriptor {
    /// Service name (the WSDL `service` element's name).
    pub name: &'static str,
    /// Namespace of the service's messages; `None` means the application's.
    pub namespace: Option<&'static str>,
    /// The methods, in declaration order.
    pub methods: &'static [MethodDescriptor],
    /// Header blocks every method accepts unless it declares its own.
    pub in_headers: &'static [HeaderDescriptor],
    /// Header blocks every method may send unless it declares its own.
    pub out_headers: &'static [HeaderDescriptor],
    /// Documentation from the Rust doc comment.
    pub doc: Option<&'static str>,
}

/// How parameters and results sit in the message body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyStyle {
    /// The body holds one element named after the operation (or `<op>Response`) whose children
    /// are the parameters (or results): document/literal wrapped.
    Wrapped,
    /// The body element is the single parameter (or result) itself: document/literal bare.
    Bare,
}

/// A boxed future that can be sent between threads: what an async method's invoker and a
/// [`CallWrapper`](crate::CallWrapper) return, and what an async [`Caller`](crate::Caller)
/// may hand back.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Calls a blocking user method (a plain `fn`): downcasts the service instance and the input message, runs the
/// method and boxes its output message.
///
/// Arguments: the registered service instance (the value given to
/// [`ApplicationBuilder::service`](crate::ApplicationBuilder::service), as `dyn Any`), the
/// request's context, and the request message as produced by the method's
/// [`input.deserialize`](MessageDescriptor::deserialize) (or built by a typed client). Contract:
/// return the response message boxed as exactly the type that
/// [`output.serialize`](MessageDescriptor::serialize) downcasts to, or a [`Fault`]; a value of
/// another type fails when the response is written. A service instance or request message of
/// an unexpected type is a programming error, to be reported as a [`Fault::server`] rather
/// than by panicking (a panic is caught and turned into a `Server` fault anyway). The arguments
/// have already been validated with [`input.validate`](MessageDescriptor::validate) when this
/// runs.
pub type InvokeFn = fn(
    &(dyn Any + Send + Sync),
    &mut MethodContext,
    Box<dyn Any + Send>,
) -> Result<Box<dyn Any + Send>, Fault>;

/// Calls an `async fn` user method: the same contract as [`InvokeFn`], but the call is a
/// future, which borrows the service instance and the context until it completes.
///
/// The future must not block the thread it is polled on (it runs on the transport's async
/// runtime, beside other requests); the unpacking of the arguments may happen before the
/// future is returned or inside it.
pub type AsyncInvokeFn = for<'a> fn(
    &'a (dyn Any + Send + Sync),
    &'a mut MethodContext,
    Box<dyn Any + Send>,
) -> BoxFuture<'a, Result<Box<dyn Any + Send>, Fault>>;

/// How a method is called: a blocking function or an `async fn`.
///
/// Transports look at it to decide where the call runs: an async method is awaited on the
/// transport's runtime and never holds a thread while it waits; a blocking one runs where it
/// may block without holding up other requests (a connection's own thread, the blocking
/// pool). Call wrappers and events work the same for both.
#[derive(Clone, Copy)]
pub enum Invoke {
    /// A plain `fn`, which may block.
    Blocking(InvokeFn),
    /// An `async fn`.
    Async(AsyncInvokeFn),
}

impl Invoke {
    /// Whether the method is an `async fn`.
    pub fn is_async(self) -> bool {
        matches!(self, Invoke::Async(_))
    }
}

impl std::fmt::Debug for Invoke {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Invoke::Blocking(_) => "Invoke::Blocking",
            Invoke::Async(_) => "Invoke::Async",
        })
    }
}

/// Reads a boxed value (a message or a header block) from a deserializer.
///
/// Contract: read one value of the message's (or header's) type with [`Model::deserialize`]
/// and box it as exactly that type (the type the method's [`InvokeFn`] downcasts to);
/// [`deserialize_boxed`] is the implementation for any [`Model`].
pub type DeserializeFn = fn(&mut dyn Deserializer) -> Result<Box<dyn Any + Send>, DeError>;

/// Writes a boxed message.
///
/// Contract: downcast the value to the message type and write it with [`Model::serialize`];
/// a value of another type is a [`SerError`], not a panic. [`serialize_boxed`] is the
/// implementation for any [`Model`].
pub type SerializeFn = fn(&(dyn Any + Send), &mut dyn Serializer) -> Result<(), SerError>;

/// Writes a boxed header block; `None` if the value is not of the header's type.
///
/// Protocols offer every outgoing header value to every declared header until one accepts it,
/// so returning `None` (not an error) for a foreign type is part of the contract.
/// [`HeaderDescriptor::of`] fills it.
pub type HeaderSerializeFn =
    fn(&(dyn Any + Send), &mut dyn Serializer) -> Option<Result<(), SerError>>;

/// Validates a boxed message.
///
/// Contract: check every part of the message against the constraints declared in the
/// message's [`ComplexType`] (with [`Model::validate`]), naming the failing part in the
/// [`ValidationError`]'s path; a value of another type is an error. Called by the application
/// before the method's [`InvokeFn`], on every transport. [`validate_boxed`] is the
/// implementation for any [`Model`].
pub type ValidateFn = fn(&(dyn Any + Send)) -> Result<(), ValidationError>;

/// A method of a [`Catalogue`](crate::Catalogue), with its service: what a protocol selects for a request
/// ([`MethodContext::set_method`](crate::MethodContext::set_method)) and what the rest of the
/// pipeline reads back.
///
/// Only a catalogue makes one ([`Catalogue::lookup_method`](crate::Catalogue::lookup_method),
/// [`Catalogue::method_ref`](crate::Catalogue::method_ref)), so a `MethodRef` always names a
/// method of a registered service.
#[derive(Clone, Copy)]
pub struct MethodRef {
    service: &'static ServiceDescriptor,
    method: &'static MethodDescriptor,
    /// Where the service sits in the catalogue's registration order: lets the application
    /// find the service's listeners and wrapper without a search.
    position: usize,
}

impl MethodRef {
    /// A method of the service at `position` in a catalogue's registration order.
    pub(crate) fn new(
        service: &'static ServiceDescriptor,
        method: &'static MethodDescriptor,
        position: usize,
    ) -> Self {
        MethodRef {
            service,
            method,
            position,
        }
    }

    /// The service the method belongs to.
    pub fn service(&self) -> &'static ServiceDescriptor {
        self.service
    }

    /// The method.
    pub fn method(&self) -> &'static MethodDescriptor {
        self.method
    }

    /// The service's position in registration order (the application's own bookkeeping).
    pub(crate) fn position(&self) -> usize {
        self.position
    }
}

impl std::fmt::Debug for MethodRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.service.name, self.method.operation)
    }
}

impl PartialEq for MethodRef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.service, other.service) && std::ptr::eq(self.method, other.method)
    }
}

impl Eq for MethodRef {}

/// A remote procedure.
///
/// All fields are public so that a descriptor can be a `static` written by hand; see
/// [`Service`] for how the parts fit together.
#[derive(Debug)]
pub struct MethodDescriptor {
    /// The Rust function's name.
    pub name: &'static str,
    /// The public operation name (WSDL operation, SOAPAction).
    pub operation: &'static str,
    /// Wrapped or bare.
    pub body_style: BodyStyle,
    /// The request message.
    pub input: MessageDescriptor,
    /// The response message.
    pub output: MessageDescriptor,
    /// Header blocks accepted; `None` means the service's.
    pub in_headers: Option<&'static [HeaderDescriptor]>,
    /// Header blocks sent; `None` means the service's.
    pub out_headers: Option<&'static [HeaderDescriptor]>,
    /// Declared fault detail types, one [`FaultDescriptor::of`] each: published in the
    /// interface document, and read back into their type by a client when a reply's fault
    /// detail is one of them.
    pub faults: &'static [FaultDescriptor],
    /// Documentation from the Rust doc comment.
    pub doc: Option<&'static str>,
    /// Whether the method is *safe* in HTTP's sense (RFC 9110, 9.2.1): calling it changes
    /// nothing the caller is responsible for (a lookup, a computation), so that it may be
    /// called with a `GET` that caches, crawlers and prefetchers repeat at will. Protocols
    /// that read calls from a URL (HttpRpc) accept `GET` only for safe methods and answer
    /// `405 Method Not Allowed` for the others; interface documents (OpenAPI) publish safe
    /// methods as `GET` operations. `#[rpc(safe)]` sets it; the default is `false`.
    pub safe: bool,
    /// Calls the method; see [`InvokeFn`] and [`AsyncInvokeFn`] for the contract.
    pub invoke: Invoke,
}

impl MethodDescriptor {
    /// The header blocks this method accepts, given its service.
    pub fn effective_in_headers(&self, service: &ServiceDescriptor) -> &'static [HeaderDescriptor] {
        self.in_headers.unwrap_or(service.in_headers)
    }

    /// The header blocks this method sends, given its service.
    pub fn effective_out_headers(
        &self,
        service: &ServiceDescriptor,
    ) -> &'static [HeaderDescriptor] {
        self.out_headers.unwrap_or(service.out_headers)
    }
}

/// A request or response message: its body element and the code that reads, writes and
/// validates it.
///
/// The message is itself a model value: a generated struct with one field per parameter (or
/// result), whose [`ComplexType`] lists the parts. In the bare style it has at most one part and
/// the body element carries that part's value directly.
#[derive(Debug)]
pub struct MessageDescriptor {
    /// Name of the body element (and of the WSDL message).
    pub name: &'static str,
    /// Namespace of the body element; `None` means the service's (or application's).
    pub namespace: Option<&'static str>,
    /// The parts as a complex type (one field per part, in wire order). For a bare message,
    /// its single field (if any) describes the body element's value; the type's name and
    /// namespace are the message's.
    pub ty: &'static ComplexType,
    /// Reads the message from the body element.
    pub deserialize: DeserializeFn,
    /// Writes the message as the body element's content.
    pub serialize: SerializeFn,
    /// Checks every part against its declared constraints.
    pub validate: ValidateFn,
}

/// A declared fault detail type (`#[rpc(faults(T))]`).
///
/// A server sends it with [`Fault::with_detail`]; the detail element is named after the type
/// ([`Model::type_ref`]: its name, and its namespace or the application's). A client whose
/// reply carries a fault whose detail holds exactly one element with that name and namespace
/// reads it with `deserialize`, so that [`Fault::detail::<T>()`](Fault::detail) gives the value
/// back.
#[derive(Debug)]
pub struct FaultDescriptor {
    /// The detail's type (its element is named after the type).
    pub ty: fn() -> TypeRef,
    /// Reads a detail value into a [`FaultDetail`](crate::FaultDetail).
    pub deserialize: FaultDeserializeFn,
}

impl FaultDescriptor {
    /// The descriptor of fault detail type `T`.
    pub const fn of<T: Model + Sync>() -> Self {
        FaultDescriptor {
            ty: T::type_ref,
            deserialize: deserialize_fault::<T>,
        }
    }
}

/// Reads a fault detail value (positioned like a [`DeserializeFn`]) as a
/// [`FaultDetail`](crate::FaultDetail); [`deserialize_fault`] is the implementation for any
/// [`Model`].
pub type FaultDeserializeFn =
    fn(&mut dyn Deserializer) -> Result<crate::fault::FaultDetail, DeError>;

/// Reads a `T` and wraps it as a [`FaultDetail`](crate::FaultDetail): the
/// [`FaultDeserializeFn`] of fault detail type `T`.
pub fn deserialize_fault<T: Model + Sync>(
    d: &mut dyn Deserializer,
) -> Result<crate::fault::FaultDetail, DeError> {
    Ok(crate::fault::FaultDetail::new(T::deserialize(d)?))
}

/// A SOAP header block type.
#[derive(Debug)]
pub struct HeaderDescriptor {
    /// The header's type (its element is named after the type).
    pub ty: fn() -> TypeRef,
    /// Reads a header value.
    pub deserialize: DeserializeFn,
    /// Writes a header value; `None` if the value is not of this header's type.
    pub serialize: HeaderSerializeFn,
}

impl HeaderDescriptor {
    /// The descriptor of header type `T`.
    pub const fn of<T: Model>() -> Self {
        HeaderDescriptor {
            ty: T::type_ref,
            deserialize: deserialize_boxed::<T>,
            serialize: serialize_header::<T>,
        }
    }
}

/// Reads a `T` and boxes it: the [`DeserializeFn`] of a message or header of type `T`.
pub fn deserialize_boxed<T: Model>(
    d: &mut dyn Deserializer,
) -> Result<Box<dyn Any + Send>, DeError> {
    Ok(Box::new(T::deserialize(d)?))
}

/// Writes a boxed `T`; fails if the box holds something else: the [`SerializeFn`] of a
/// message of type `T`.
pub fn serialize_boxed<T: Model>(
    value: &(dyn Any + Send),
    s: &mut dyn Serializer,
) -> Result<(), SerError> {
    match (value as &dyn Any).downcast_ref::<T>() {
        Some(v) => v.serialize(s),
        None => Err(SerError::new(format!(
            "message value is not a {}",
            std::any::type_name::<T>()
        ))),
    }
}

fn serialize_header<T: Model>(
    value: &(dyn Any + Send),
    s: &mut dyn Serializer,
) -> Option<Result<(), SerError>> {
    (value as &dyn Any)
        .downcast_ref::<T>()
        .map(|v| v.serialize(s))
}

/// Validates a boxed `T` (a message) against its declared constraints: the [`ValidateFn`] of a
/// message of type `T`.
///
/// Runs `T`'s [`Model::validate`] with no constraint of its own (a message's constraints are
/// on its parts, which `T` checks field by field).
pub fn validate_boxed<T: Model>(value: &(dyn Any + Send)) -> Result<(), ValidationError> {
    match (value as &dyn Any).downcast_ref::<T>() {
        Some(v) => v.validate(&crate::model::Constraints::NONE, &mut FieldPath::new()),
        None => Err(ValidationError::new(
            &FieldPath::new(),
            format!("message value is not a {}", std::any::type_name::<T>()),
        )),
    }
}

/// Takes a `T` out of a box holding a message (or any value), or `None` if it holds
/// something else.
///
/// What an [`InvokeFn`] (or [`AsyncInvokeFn`]) uses to recover its request message, and a typed client's
/// [`Call::extract`](crate::Call::extract) its response message.
pub fn downcast_boxed<T: 'static>(value: Box<dyn Any + Send>) -> Option<T> {
    (value as Box<dyn Any>).downcast::<T>().ok().map(|b| *b)
}
