//! [`SoapVersion`]: what differs between SOAP 1.1 and SOAP 1.2 on the wire.

/// The namespace of SOAP 1.1 envelopes.
pub const SOAP11_ENVELOPE_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// The namespace of SOAP 1.2 envelopes.
pub const SOAP12_ENVELOPE_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// A SOAP version: envelope namespace, media type and fault vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml`, `Client`/`Server` fault codes).
    Soap11,
    /// SOAP 1.2 (`application/soap+xml`, `Sender`/`Receiver` fault codes).
    Soap12,
}

impl SoapVersion {
    /// The namespace of this version's `Envelope`, `Header`, `Body` and `Fault` elements.
    pub fn envelope_namespace(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => SOAP11_ENVELOPE_NS,
            SoapVersion::Soap12 => SOAP12_ENVELOPE_NS,
        }
    }

    /// The media type of this version's messages.
    pub fn content_type(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => "text/xml; charset=utf-8",
            SoapVersion::Soap12 => "application/soap+xml; charset=utf-8",
        }
    }

    /// The version whose envelope namespace is `ns`.
    pub fn from_namespace(ns: &str) -> Option<Self> {
        match ns {
            SOAP11_ENVELOPE_NS => Some(SoapVersion::Soap11),
            SOAP12_ENVELOPE_NS => Some(SoapVersion::Soap12),
            _ => None,
        }
    }

    /// The prefix written for the envelope namespace (Spyne's choice, so that replies look
    /// familiar to people comparing them with a Spyne server's).
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => "soap11env",
            SoapVersion::Soap12 => "soap12env",
        }
    }

    /// A human-readable name for messages.
    pub(crate) fn label(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => "SOAP 1.1",
            SoapVersion::Soap12 => "SOAP 1.2",
        }
    }

    /// Whether a `mustUnderstand` attribute value asks for the block to be understood
    /// (1.1 defines `1`, 1.2 `true` and `1`; both are accepted in either version).
    pub(crate) fn must_understand(value: &str) -> bool {
        matches!(value.trim(), "1" | "true")
    }

    /// The name of the attribute that targets a header block at a node.
    pub(crate) fn target_attribute(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => "actor",
            SoapVersion::Soap12 => "role",
        }
    }

    /// Whether a header block addressed to `target` (its `actor`/`role`) is meant for the
    /// ultimate receiver, i.e. for us.
    pub(crate) fn targets_us(self, target: &str) -> bool {
        match self {
            SoapVersion::Soap11 => target == "http://schemas.xmlsoap.org/soap/actor/next",
            SoapVersion::Soap12 => matches!(
                target,
                "http://www.w3.org/2003/05/soap-envelope/role/next"
                    | "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver"
            ),
        }
    }
}
