//! Header blocks carried as raw XML: the ones no operation declares as a type (a
//! `wsse:Security` block, a WS-Addressing `To`), read by call wrappers and written by clients
//! and servers that build them by hand.

use std::fmt;

use crate::model::AnyXml;

/// The qualified name of a header block: `{namespace}name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HeaderName {
    /// The block's namespace (empty: none).
    pub namespace: String,
    /// The block's local name.
    pub name: String,
}

impl HeaderName {
    /// `{namespace}name`.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        HeaderName {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// Whether this is `{namespace}name`.
    pub fn is(&self, namespace: &str, name: &str) -> bool {
        self.namespace == namespace && self.name == name
    }
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}{}", self.namespace, self.name)
    }
}

/// One header block as raw XML: its name, the whole element as text, and whether it must be
/// understood.
///
/// - **Incoming**, a protocol that has header blocks (SOAP) puts one `RawHeader` per block of
///   the message into [`MethodContext::in_headers`](crate::MethodContext::in_headers), declared
///   or not, in document order; read them with
///   [`MethodContext::raw_in_headers`](crate::MethodContext::raw_in_headers). The text stands
///   alone: the namespace declarations it uses from the envelope are copied onto it, and
///   [`must_understand`](Self::must_understand) says how the sender marked it.
/// - **Outgoing**, a `RawHeader` pushed into
///   [`MethodContext::out_headers`](crate::MethodContext::out_headers) (or a client call's
///   headers) is written as is, after the protocol checked that it is one well-formed element
///   named [`name`](Self::name); with `must_understand` set, the protocol adds its own
///   `mustUnderstand` attribute (the text should not carry one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHeader {
    /// The block's qualified name.
    pub name: HeaderName,
    /// The whole element, start tag to end tag.
    pub xml: AnyXml,
    /// Marked (or to be marked) `mustUnderstand`.
    pub must_understand: bool,
}

impl RawHeader {
    /// A block named `name` whose element is `xml`.
    pub fn new(name: HeaderName, xml: impl Into<String>, must_understand: bool) -> Self {
        RawHeader {
            name,
            xml: AnyXml::new(xml),
            must_understand,
        }
    }
}
