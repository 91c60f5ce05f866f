//! A small catalogue service whose types use the XML shapes of schemas written outside Rust:
//! attributes, a value with attributes (simple content), unqualified elements and an element of
//! another namespace. Its WSDL is pinned in `tests/snapshots/shapes.wsdl`.

use rpclib_core::model::Decimal;
use rpclib_core::{Application, ApplicationBuilder, ComplexModel, Fault, SimpleEnum, service};

/// The target namespace of the shapes service.
pub const TNS: &str = "urn:example:shapes";

/// What an item is; written as an attribute.
#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:example:shapes")]
pub enum Kind {
    /// A printed book.
    Book,
    /// A recording.
    Disc,
}

/// An amount with its currency: `<price currency="EUR">12.50</price>`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:shapes")]
pub struct Price {
    /// The amount, as the element's text.
    #[model(text)]
    pub amount: Decimal,
    /// ISO 4217 code.
    #[model(attribute, min_len = 3, max_len = 3)]
    pub currency: String,
    /// Where the price comes from, a qualified attribute of another vocabulary.
    #[model(attribute, namespace = "urn:example:meta")]
    pub source: Option<String>,
}

/// An item of the catalogue.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:shapes")]
pub struct Item {
    /// The item's number, an attribute.
    #[model(attribute)]
    pub id: u32,
    /// Its kind, an optional attribute.
    #[model(attribute)]
    pub kind: Option<Kind>,
    /// Its title.
    pub title: String,
    /// Its price.
    pub price: Price,
    /// A note, an element in no namespace.
    #[model(form = "unqualified")]
    pub note: Option<String>,
    /// A label of another vocabulary (an element declared in that namespace's schema).
    #[model(namespace = "urn:example:meta")]
    pub label: Option<String>,
}

/// A type whose elements are unqualified unless said otherwise, as in a schema with
/// `elementFormDefault="unqualified"`.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:shapes", element_form = "unqualified")]
pub struct Query {
    /// Text to look for (unqualified).
    pub text: String,
    /// At most this many items (qualified, declared so).
    #[model(form = "qualified")]
    pub limit: Option<u32>,
}

/// The catalogue.
#[derive(Debug)]
pub struct ShapesService;

#[service(name = "ShapesService", namespace = "urn:example:shapes")]
impl ShapesService {
    /// The items matching `query`.
    #[rpc]
    fn find(&self, query: Query) -> Result<Vec<Item>, Fault> {
        let item = Item {
            id: 1,
            kind: Some(Kind::Book),
            title: query.text,
            price: Price {
                amount: Decimal::new(1250, 2),
                currency: "EUR".into(),
                source: None,
            },
            note: None,
            label: None,
        };
        let limit = query.limit.unwrap_or(1) as usize;
        Ok(std::iter::repeat_n(item, limit.min(10)).collect())
    }
}

/// The shapes application builder (add the protocol and the interface).
pub fn builder() -> ApplicationBuilder {
    Application::builder("Shapes", TNS).service(ShapesService)
}
