//! Services and the descriptors of their methods, messages and headers.
//!
//! The `#[service]` attribute macro writes all of this from an `impl` block; everything it emits
//! can also be written by hand (see the crate's tests).

use std::any::Any;

use crate::context::MethodContext;
use crate::fault::Fault;
use crate::model::{
    ComplexType, DeError, Deserializer, FieldPath, Model, SerError, Serializer, TypeRef,
    ValidationError,
};

/// A type whose methods are remote procedures; implemented by `#[service]`.
pub trait Service: Send + Sync + 'static {
    /// The service's descriptor.
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

/// Calls the user's method: downcasts the service instance and the input message, runs the
/// method and boxes its output message.
pub type InvokeFn = fn(
    &(dyn Any + Send + Sync),
    &mut MethodContext,
    Box<dyn Any + Send>,
) -> Result<Box<dyn Any + Send>, Fault>;

/// Reads a boxed value (a message or a header block) from a deserializer.
pub type DeserializeFn = fn(&mut dyn Deserializer) -> Result<Box<dyn Any + Send>, DeError>;

/// Writes a boxed message.
pub type SerializeFn = fn(&(dyn Any + Send), &mut dyn Serializer) -> Result<(), SerError>;

/// Writes a boxed header block; `None` if the value is not of the header's type.
pub type HeaderSerializeFn =
    fn(&(dyn Any + Send), &mut dyn Serializer) -> Option<Result<(), SerError>>;

/// Validates a boxed message.
pub type ValidateFn = fn(&(dyn Any + Send)) -> Result<(), ValidationError>;

/// A remote procedure.
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
    /// Declared fault detail types (published in the interface document).
    pub faults: &'static [fn() -> TypeRef],
    /// Documentation from the Rust doc comment.
    pub doc: Option<&'static str>,
    /// Calls the method.
    pub invoke: InvokeFn,
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
    /// The parts as a complex type (one field per part).
    pub ty: &'static ComplexType,
    /// Reads the message from the body element.
    pub deserialize: DeserializeFn,
    /// Writes the message as the body element's content.
    pub serialize: SerializeFn,
    /// Checks every part against its declared constraints.
    pub validate: ValidateFn,
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

/// Reads a `T` and boxes it.
pub fn deserialize_boxed<T: Model>(
    d: &mut dyn Deserializer,
) -> Result<Box<dyn Any + Send>, DeError> {
    Ok(Box::new(T::deserialize(d)?))
}

/// Writes a boxed `T`; fails if the box holds something else.
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

/// Validates a boxed `T` (a message) against its declared constraints.
pub fn validate_boxed<T: Model>(value: &(dyn Any + Send)) -> Result<(), ValidationError> {
    match (value as &dyn Any).downcast_ref::<T>() {
        Some(v) => v.validate(&crate::model::Constraints::NONE, &mut FieldPath::new()),
        None => Err(ValidationError::new(
            &FieldPath::new(),
            format!("message value is not a {}", std::any::type_name::<T>()),
        )),
    }
}
