//! [`SoapAny`]: SOAP 1.1 and SOAP 1.2 on one endpoint, each message answered in its own
//! version.

use std::borrow::Cow;

use rpclib_core::{Catalogue, Fault, MessageKind, MethodContext, Protocol};

use crate::limits::Limits;
use crate::negotiate;
use crate::protocol::{create_out_string, fault_status};
use crate::read::stages;
use crate::version::SoapVersion;
use crate::write::envelope;

/// The envelopes a [`SoapAny`] endpoint speaks, in its order of preference (as a SOAP 1.2
/// `Upgrade` header block lists them).
const SUPPORTED: [SoapVersion; 2] = [SoapVersion::Soap12, SoapVersion::Soap11];

/// SOAP 1.1 and SOAP 1.2 on one endpoint, document/literal: what a WSDL with both a SOAP 1.1
/// and a SOAP 1.2 port at one address (`Wsdl11::new().soap12(true)`) promises.
///
/// Each request is read in the version of its envelope's namespace and answered in that
/// version: envelope namespace, content type (`text/xml` or `application/soap+xml`), fault
/// shape (`faultcode` `Client`/`Server`, or `Code` `Sender`/`Receiver` with subcodes) and
/// HTTP status (500 for every 1.1 fault; 400 for 1.2 `Sender` faults, 500 for the others).
/// The version is recorded in the context, `ctx.protocol_data.get::<SoapVersion>()`, where
/// listeners, call wrappers and every later stage find it.
///
/// The transport's content type (`ctx.in_content_type`) is a hint only, used when the
/// envelope cannot be read: an unreadable message gets a SOAP 1.2 fault if it came as
/// `application/soap+xml`, else a SOAP 1.1 fault. An `Envelope` in a namespace neither
/// version uses gets a SOAP 1.2 `VersionMismatch` fault with an `Upgrade` header block naming
/// both supported envelopes (SOAP 1.2 part 1, section 5.4.7).
///
/// As a client's protocol, it writes requests in [`request_version`](Self::request_version)
/// (SOAP 1.1 unless set) and reads replies in whichever version they come.
///
/// ```
/// use rpclib_core::{Application, Fault, service};
/// use rpclib_protocol_soap::{SoapAny, SoapVersion};
///
/// pub struct Echo;
///
/// #[service(namespace = "urn:example:echo")]
/// impl Echo {
///     #[rpc]
///     fn echo_string(&self, s: String) -> Result<String, Fault> {
///         Ok(s)
///     }
/// }
///
/// let app = Application::builder("Echo", "urn:example:echo")
///     .service(Echo)
///     .protocol(SoapAny::new())
///     .build()?;
///
/// let request = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
///     xmlns:e="urn:example:echo"><env:Body><e:echo_string><e:s>hi</e:s></e:echo_string>
///     </env:Body></env:Envelope>"#;
/// let mut ctx = app.new_context();
/// ctx.in_string = vec![request.as_bytes().to_vec()];
/// app.get_in_object(&mut ctx);
/// app.get_out_object_blocking(&mut ctx);
/// app.get_out_string(&mut ctx);
///
/// assert_eq!(ctx.protocol_data.get::<SoapVersion>(), Some(&SoapVersion::Soap12));
/// assert_eq!(app.response_content_type(&ctx), "application/soap+xml; charset=utf-8");
/// assert!(String::from_utf8(ctx.out_bytes())?.contains("http://www.w3.org/2003/05/soap-envelope"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct SoapAny {
    limits: Limits,
    request_version: SoapVersion,
}

impl Default for SoapAny {
    fn default() -> Self {
        SoapAny {
            limits: Limits::default(),
            request_version: SoapVersion::Soap11,
        }
    }
}

impl SoapAny {
    /// The protocol with the default [`Limits`], writing requests in SOAP 1.1.
    pub fn new() -> Self {
        Self::default()
    }

    /// The protocol with the given limits.
    pub fn with_limits(limits: Limits) -> Self {
        SoapAny {
            limits,
            ..Self::default()
        }
    }

    /// Writes requests (as a client's protocol) in `version`.
    #[must_use]
    pub fn request_version(mut self, version: SoapVersion) -> Self {
        self.request_version = version;
        self
    }

    /// The limits incoming messages are held to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The version of the message in `ctx`: the one recorded when it was read or written,
    /// else the one its content type hints at (for a fault raised before any envelope was
    /// read).
    pub fn version_of(ctx: &MethodContext) -> SoapVersion {
        ctx.protocol_data
            .get::<SoapVersion>()
            .copied()
            .unwrap_or_else(|| negotiate::hint(ctx.in_content_type.as_deref()))
    }
}

impl Protocol for SoapAny {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        // Until the envelope says otherwise (or if it cannot be read), the hint stands.
        let hinted = negotiate::hint(ctx.in_content_type.as_deref());
        ctx.protocol_data.insert(hinted);
        stages::create_in_document(ctx, &self.limits)
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        // The envelope's namespace decides, read in the same pass as the rest of the
        // envelope; the hint stands for a message whose root cannot be read or is in no SOAP
        // namespace.
        let hint = Self::version_of(ctx);
        stages::decompose_negotiated(catalogue, ctx, hint, &self.limits, kind)
    }

    fn deserialize(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        stages::deserialize(catalogue, ctx, Self::version_of(ctx), &self.limits, kind)
    }

    fn serialize(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let version = match kind {
            MessageKind::Request => {
                ctx.protocol_data.insert(self.request_version);
                self.request_version
            }
            MessageKind::Response => Self::version_of(ctx),
        };
        envelope::serialize(catalogue, ctx, version, kind, &SUPPORTED)
    }

    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        create_out_string(ctx)
    }

    fn message_content_type(&self, ctx: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed(Self::version_of(ctx).content_type())
    }

    fn fault_status(&self, ctx: &MethodContext, fault: &Fault) -> u16 {
        fault_status(Self::version_of(ctx), fault)
    }
}
