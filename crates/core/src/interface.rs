//! The [`Interface`] extension trait: the document that describes an application.

use std::borrow::Cow;
use std::fmt;

use crate::catalogue::Catalogue;
use crate::fault::Fault;

/// Where an interface document is served from; the transport says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TransportInfo {
    /// URI identifying the transport in the document (e.g. the SOAP binding's
    /// `transport` attribute: `http://schemas.xmlsoap.org/soap/http`).
    pub uri: String,
}

/// Builds the document that describes an application (rpclib's `InterfaceBase`): WSDL for
/// SOAP, from the application's [`Catalogue`] (its names, namespaces, services and methods).
/// The application builds it once per transport and caches it
/// ([`Application::interface_document`](crate::Application::interface_document)); the endpoint
/// address is filled in per request.
///
/// ```
/// use rpclib_core::{Catalogue, Fault, Interface, InterfaceDocument, TransportInfo};
///
/// /// Lists the operation names, one per line, then the address.
/// #[derive(Debug)]
/// struct OperationList;
///
/// impl Interface for OperationList {
///     fn build_interface_document(
///         &self,
///         catalogue: &Catalogue,
///         _transport: &TransportInfo,
///     ) -> Result<InterfaceDocument, Fault> {
///         let mut text = String::new();
///         for method in catalogue.methods() {
///             text.push_str(method.method().operation);
///             text.push('\n');
///         }
///         text.push_str("ADDRESS");
///         Ok(InterfaceDocument::from_template("text/plain", &text, "ADDRESS", |a| a.into()))
///     }
/// }
/// ```
pub trait Interface: Send + Sync + fmt::Debug + 'static {
    /// Builds the document for the application described by `catalogue`, as served by
    /// `transport`.
    fn build_interface_document(
        &self,
        catalogue: &Catalogue,
        transport: &TransportInfo,
    ) -> Result<InterfaceDocument, Fault>;
}

/// A built interface document, with slots for the endpoint address.
pub struct InterfaceDocument {
    content_type: String,
    segments: Vec<String>,
    escape: fn(&str) -> Cow<'_, str>,
}

impl InterfaceDocument {
    /// A document from `text` where every occurrence of `placeholder` is an address slot;
    /// `escape` makes an address safe to insert (e.g. XML attribute escaping).
    pub fn from_template(
        content_type: &str,
        text: &str,
        placeholder: &str,
        escape: fn(&str) -> Cow<'_, str>,
    ) -> Self {
        InterfaceDocument {
            content_type: content_type.to_owned(),
            segments: text.split(placeholder).map(str::to_owned).collect(),
            escape,
        }
    }

    /// The media type of the document.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The document with `address` in every address slot.
    pub fn render(&self, address: &str) -> String {
        let escaped = (self.escape)(address);
        let total: usize = self.segments.iter().map(String::len).sum::<usize>()
            + escaped.len() * self.segments.len().saturating_sub(1);
        let mut out = String::with_capacity(total);
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 {
                out.push_str(&escaped);
            }
            out.push_str(segment);
        }
        out
    }
}

impl fmt::Debug for InterfaceDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InterfaceDocument")
            .field("content_type", &self.content_type)
            .field("slots", &self.segments.len().saturating_sub(1))
            .finish_non_exhaustive()
    }
}
