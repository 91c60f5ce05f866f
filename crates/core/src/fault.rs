//! [`Fault`]: the error that travels on the wire.

use std::any::Any;
use std::borrow::Cow;
use std::error::Error;
use std::fmt;

use crate::model::{Model, SerializeValue, TypeRef};

/// What a fault code says about who is to blame; protocols map it to each SOAP version
/// (`Client`/`Server` in 1.1, `Sender`/`Receiver` in 1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FaultClass {
    /// The request was wrong; sending it again unchanged will fail again.
    Client,
    /// The server failed; the request may succeed later.
    Server,
    /// The envelope is of a protocol version the server does not speak.
    VersionMismatch,
    /// A header block marked `mustUnderstand` was not understood.
    MustUnderstand,
    /// A code outside the standard classes (e.g. a bare application code like `Plausible`).
    Other,
}

/// A dotted fault code: the class first, then optional subcodes, e.g. `Client.ValidationError`.
///
/// The first segment may also be the SOAP 1.2 names `Sender` and `Receiver`, or any other name
/// an application chooses; [`class`](FaultCode::class) says what it means.
///
/// The subcodes are in the application's namespace unless the code has a
/// [namespace](FaultCode::with_namespace) of its own (a standard's codes, such as
/// WS-Security's `wsse:FailedAuthentication`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FaultCode(Cow<'static, str>, Option<Box<Cow<'static, str>>>);

impl FaultCode {
    /// `Client`: the request was wrong.
    pub const CLIENT: FaultCode = FaultCode(Cow::Borrowed("Client"), None);
    /// `Server`: the server failed.
    pub const SERVER: FaultCode = FaultCode(Cow::Borrowed("Server"), None);
    /// `VersionMismatch`: unknown envelope namespace.
    pub const VERSION_MISMATCH: FaultCode = FaultCode(Cow::Borrowed("VersionMismatch"), None);
    /// `MustUnderstand`: a mandatory header block was not understood.
    pub const MUST_UNDERSTAND: FaultCode = FaultCode(Cow::Borrowed("MustUnderstand"), None);

    /// A code from its dotted text.
    pub fn new(code: impl Into<Cow<'static, str>>) -> Self {
        FaultCode(code.into(), None)
    }

    /// `Client.<sub>`.
    pub fn client(sub: &str) -> Self {
        FaultCode(Cow::Owned(format!("Client.{sub}")), None)
    }

    /// `Server.<sub>`.
    pub fn server(sub: &str) -> Self {
        FaultCode(Cow::Owned(format!("Server.{sub}")), None)
    }

    /// This code with its subcodes in `namespace`: SOAP 1.2 writes them as `Subcode` values
    /// qualified by it, and SOAP 1.1, whose `faultcode` is one qualified name, writes the last
    /// segment alone qualified by it (`FaultCode::client("FailedAuthentication")` in the
    /// WS-Security namespace is `wsse:FailedAuthentication` in 1.1, `env:Sender` with the
    /// subcode `wsse:FailedAuthentication` in 1.2).
    pub fn with_namespace(mut self, namespace: impl Into<Cow<'static, str>>) -> Self {
        // Boxed: one word keeps `Fault` and `ClientError` small enough to be the error of
        // every `Result` in the pipeline (the namespace is rare, the box cheap).
        self.1 = Some(Box::new(namespace.into()));
        self
    }

    /// The namespace of the subcodes, if the code has one of its own.
    pub fn namespace(&self) -> Option<&str> {
        self.1.as_deref().map(|ns| &**ns)
    }

    /// The dotted text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first segment.
    pub fn head(&self) -> &str {
        self.0.split('.').next().unwrap_or("")
    }

    /// The segments after the first.
    pub fn subcodes(&self) -> impl Iterator<Item = &str> {
        self.0.split('.').skip(1)
    }

    /// What the code says about blame.
    pub fn class(&self) -> FaultClass {
        match self.head() {
            "Client" | "Sender" => FaultClass::Client,
            "Server" | "Receiver" => FaultClass::Server,
            "VersionMismatch" => FaultClass::VersionMismatch,
            "MustUnderstand" => FaultClass::MustUnderstand,
            _ => FaultClass::Other,
        }
    }
}

impl fmt::Display for FaultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The value a fault's `detail` carries, behind a trait object.
trait DetailValue: SerializeValue + Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    fn type_name(&self) -> &'static str;
}

impl<T: Model + Sync> DetailValue for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }

    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// A typed fault detail: any model value (a complex type declared in `faults(...)`, or
/// [`AnyXml`](crate::model::AnyXml) for raw XML).
pub struct FaultDetail(Box<dyn DetailValue>);

impl FaultDetail {
    /// Wraps a model value.
    pub fn new<T: Model + Sync>(value: T) -> Self {
        FaultDetail(Box::new(value))
    }

    /// The value, if it is a `T`.
    pub fn downcast_ref<T: Model>(&self) -> Option<&T> {
        self.0.as_any().downcast_ref()
    }

    /// The value for serialization.
    pub fn value(&self) -> &dyn SerializeValue {
        &*self.0
    }

    /// The declared type of the value.
    pub fn value_type(&self) -> TypeRef {
        self.0.value_type()
    }
}

impl fmt::Debug for FaultDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FaultDetail")
            .field(&self.0.type_name())
            .finish()
    }
}

/// An error that travels on the wire: code, human-readable string, optional actor and typed
/// detail; and, for logging only, the error it was caused by.
///
/// The [`source`](Error::source) (set with [`with_source`](Fault::with_source), and by the
/// conversions from [`DeError`](crate::model::DeError),
/// [`ValidationError`](crate::model::ValidationError) and
/// [`SerError`](crate::model::SerError)) is never written into a message: a peer sees the
/// code, string, actor and detail only.
///
/// The struct is `#[non_exhaustive]`: its fields can be read (and assigned) anywhere, but a
/// fault is made with [`Fault::new`] and the other constructors.
///
/// Service methods return `Result<T, Fault>` (see [`Result`](crate::Result)) or any error type
/// that converts into a `Fault`. A panic in a method becomes a `Server` fault.
///
/// ```
/// use rpclib_core::{Fault, FaultClass};
///
/// let f = Fault::client("ArgumentError", "`times` must be positive")
///     .with_actor("http://example.com/actor");
/// assert_eq!(f.code.as_str(), "Client.ArgumentError");
/// assert_eq!(f.code.class(), FaultClass::Client);
///
/// // The cause is kept for logs, not sent.
/// let io = std::io::Error::other("disk full");
/// let f = Fault::server("cannot store the order").with_source(io);
/// assert_eq!(std::error::Error::source(&f).map(|s| s.to_string()).as_deref(), Some("disk full"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Fault {
    /// The dotted code.
    pub code: FaultCode,
    /// Human-readable explanation (`faultstring` / `Reason`).
    pub string: String,
    /// Who raised it (`faultactor` / `Role`).
    pub actor: Option<String>,
    /// Typed detail.
    pub detail: Option<FaultDetail>,
    /// The error this fault was caused by, for logs; never written into a message.
    source: Option<Box<dyn Error + Send + Sync + 'static>>,
}

impl Fault {
    /// A fault with a code and string.
    pub fn new(code: FaultCode, string: impl Into<String>) -> Self {
        Fault {
            code,
            string: string.into(),
            actor: None,
            detail: None,
            source: None,
        }
    }

    /// `Client.<sub>` with a string.
    pub fn client(sub: &str, string: impl Into<String>) -> Self {
        Fault::new(FaultCode::client(sub), string)
    }

    /// `Server` with a string.
    pub fn server(string: impl Into<String>) -> Self {
        Fault::new(FaultCode::SERVER, string)
    }

    /// Sets the actor.
    pub fn with_actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = Some(actor.into());
        self
    }

    /// Sets a typed detail.
    pub fn with_detail<T: Model + Sync>(mut self, detail: T) -> Self {
        self.detail = Some(FaultDetail::new(detail));
        self
    }

    /// Records the error this fault was caused by (replacing any recorded before), for logs:
    /// [`Error::source`] returns it, and it is never written into a message.
    #[must_use]
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Takes the recorded source out of the fault (e.g. to hand it to a logger that wants
    /// ownership).
    pub fn take_source(&mut self) -> Option<Box<dyn Error + Send + Sync + 'static>> {
        self.source.take()
    }

    /// The detail, if present and of type `T`.
    pub fn detail<T: Model>(&self) -> Option<&T> {
        self.detail.as_ref().and_then(|d| d.downcast_ref())
    }

    /// Takes the detail out of the fault if it is a `T` (leaving the fault without detail);
    /// else leaves it where it is. This is how a typed client's fault enum
    /// (`<Service><Method>Error`, for a method with declared faults) takes its variant's
    /// value.
    ///
    /// ```
    /// use rpclib_core::Fault;
    ///
    /// let mut f = Fault::client("Refused", "no").with_detail(7_i32);
    /// assert_eq!(f.take_detail::<String>(), None);
    /// assert_eq!(f.take_detail::<i32>(), Some(7));
    /// assert!(f.detail.is_none());
    /// ```
    pub fn take_detail<T: Model>(&mut self) -> Option<T> {
        // Checked before taking, so a detail of another type stays in place.
        if !self.detail.as_ref()?.0.as_any().is::<T>() {
            return None;
        }
        let detail = self.detail.take()?;
        detail.0.into_any().downcast::<T>().ok().map(|value| *value)
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.string)
    }
}

impl Error for Fault {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|s| {
            let s: &(dyn Error + 'static) = s;
            s
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_is_kept_for_logs_only() {
        let plain = Fault::client("Refused", "no");
        assert!(plain.source().is_none());
        let mut caused = Fault::client("Refused", "no").with_source("the cause");
        assert_eq!(
            caused.source().map(ToString::to_string).as_deref(),
            Some("the cause")
        );
        // The source shows in neither the display nor the fields a protocol writes.
        assert_eq!(caused.to_string(), plain.to_string());
        assert_eq!(
            (&caused.code, &caused.string, &caused.actor),
            (&plain.code, &plain.string, &plain.actor)
        );
        assert!(caused.take_source().is_some());
        assert!(caused.source().is_none());
    }
}
