//! # rpclib-interface-wsdl
//!
//! WSDL 1.1 with inline XML Schema for rpclib applications: an implementation of
//! [`rpclib_core::Interface`] that stock SOAP clients (.NET, Java, zeep, suds, gSOAP,
//! node-soap) consume without hand edits.
//!
//! What it writes, from the descriptors the macros produce:
//!
//! - document/literal, wrapped (a named wrapper type and element per message) and bare (the
//!   element is the part);
//! - one `xs:schema` per namespace, `elementFormDefault="qualified"`, `xs:import` between them;
//! - a named complex type and a global element per struct, `complexContent/extension` for a
//!   struct with a `base`; string enumerations; arrays as named `<item>Array` types, and
//!   unwrapped arrays as `maxOccurs="unbounded"` elements; `minOccurs` and `nillable` as
//!   declared; field facets (length, pattern, ranges) as a named restriction
//!   `<Owner>_<field>Type`;
//! - header messages and `soap:header` in the binding; declared faults as `wsdl:fault` and
//!   `soap:fault`; custom operation and message names;
//! - a SOAP 1.1 binding, a SOAP 1.2 binding, or both ([`Wsdl11::soap12`]): a SOAP-1.1-only
//!   document declares no SOAP 1.2 namespace (gSOAP would otherwise switch to 1.2);
//! - one `wsdl:service` per registered service, each with a port per binding.
//!
//! [`WsdlDocument::parse`] reads WSDL 1.1 documents (ours and other tools') into a typed model
//! with namespace resolution, and [`WsdlDocument::unresolved`] lists every qualified name that
//! resolves to nothing.
//!
//! The document is built once per transport and cached by the application; the
//! `soap:address` is filled per request by the transport. Output is deterministic: the same
//! application gives byte-identical documents.
//!
//! ```
//! use rpclib_core::{Application, TransportInfo, service};
//! use rpclib_interface_wsdl::Wsdl11;
//!
//! pub struct Hello;
//!
//! #[service(namespace = "urn:hello")]
//! impl Hello {
//!     #[rpc]
//!     fn say_hello(&self, name: String, times: u32) -> Vec<String> {
//!         vec![name; times as usize]
//!     }
//! }
//!
//! let app = Application::builder("Hello", "urn:hello")
//!     .service(Hello)
//!     .interface(Wsdl11::new())
//!     .build()?;
//! let transport = TransportInfo { uri: "http://schemas.xmlsoap.org/soap/http".into() };
//! let wsdl = app.interface_document(&transport)?.render("http://localhost:8000/");
//! assert!(wsdl.contains(r#"<xs:complexType name="stringArray">"#));
//! assert!(wsdl.contains(r#"<soap:address location="http://localhost:8000/"/>"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]

mod definitions;
mod prefixes;
mod reader;
mod schema;
mod xml;

use std::borrow::Cow;

use rpclib_core::{Catalogue, Fault, Interface, InterfaceDocument, TransportInfo};

pub use reader::{
    Binding, ComplexTypeDecl, ElementDecl, Message, Operation, Port, PortType, QName, ReadError,
    Schema, ServiceDecl, SimpleTypeDecl, WsdlDocument,
};

/// The WSDL 1.1 namespace.
pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
/// The WSDL SOAP 1.1 binding namespace.
pub const WSDL_SOAP11_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// The WSDL SOAP 1.2 binding namespace.
pub const WSDL_SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";

/// Marks where the endpoint address goes; never appears in a rendered document.
pub(crate) const ADDRESS_SLOT: &str = "\u{1}rpclib-address\u{1}";

/// Which SOAP versions the document offers bindings for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SoapVersions {
    pub(crate) soap11: bool,
    pub(crate) soap12: bool,
}

impl SoapVersions {
    fn list(self) -> Vec<u8> {
        let mut v = Vec::new();
        if self.soap11 {
            v.push(11);
        }
        if self.soap12 {
            v.push(12);
        }
        v
    }
}

/// The WSDL 1.1 interface: give it to [`ApplicationBuilder::interface`](rpclib_core::ApplicationBuilder::interface).
#[derive(Debug, Clone)]
pub struct Wsdl11 {
    versions: SoapVersions,
}

impl Default for Wsdl11 {
    fn default() -> Self {
        Wsdl11::new()
    }
}

impl Wsdl11 {
    /// A document with a SOAP 1.1 binding only.
    pub fn new() -> Self {
        Wsdl11 {
            versions: SoapVersions {
                soap11: true,
                soap12: false,
            },
        }
    }

    /// Also (`true`) or no longer (`false`) offer a SOAP 1.2 binding and port, for an
    /// application that serves both versions.
    pub fn soap12(mut self, enabled: bool) -> Self {
        self.versions.soap12 = enabled;
        self
    }

    /// Offer a SOAP 1.2 binding only.
    pub fn soap12_only() -> Self {
        Wsdl11 {
            versions: SoapVersions {
                soap11: false,
                soap12: true,
            },
        }
    }

    /// The document for the application described by `catalogue` as a string, with
    /// `address` as the endpoint.
    pub fn generate(
        &self,
        catalogue: &Catalogue,
        transport: &TransportInfo,
        address: &str,
    ) -> Result<String, Fault> {
        Ok(self
            .build_interface_document(catalogue, transport)?
            .render(address))
    }
}

/// The address as an attribute value. It comes from the request (the `Host` header), so a
/// character XML cannot carry is replaced rather than refused: the document must get out.
fn escape_address(address: &str) -> Cow<'_, str> {
    xml::escape_attr(address).unwrap_or_else(|_| {
        let mut out = Vec::with_capacity(address.len());
        rpclib_core::xml_escape::escape_attribute_lossy(&mut out, address);
        Cow::Owned(String::from_utf8_lossy(&out).into_owned())
    })
}

impl Interface for Wsdl11 {
    fn build_interface_document(
        &self,
        catalogue: &Catalogue,
        transport: &TransportInfo,
    ) -> Result<InterfaceDocument, Fault> {
        let text = definitions::build(catalogue, &transport.uri, self.versions)?;
        Ok(InterfaceDocument::from_template(
            "text/xml; charset=utf-8",
            &text,
            ADDRESS_SLOT,
            escape_address,
        ))
    }
}
