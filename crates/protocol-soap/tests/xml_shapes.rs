//! XML attributes (`#[model(attribute)]`), simple content (`#[model(text)]`) and per-field
//! qualification (`form`, `namespace`, `element_form`): what goes on the wire, that it reads
//! back (both SOAP versions, through a typed client and a server), and the errors bad input
//! gets.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use common::loopback::{Loopback, caller, soap_app};

use std::sync::Arc;

use rpclib_core::model::{
    AnyUri, Decimal, FieldKind, FieldNamespace, GDay, GMonth, GMonthDay, GYear, GYearMonth,
    HexBinary, Id, IdRef, Language, Lexical, Name, NcName, NegativeInteger, Nillable, NmToken,
    NonPositiveInteger, NormalizedString, PositiveInteger, Token,
};
use rpclib_core::{Application, ComplexModel, Fault, RemoteClient, Service, SimpleEnum, service};

const NS: &str = "urn:shapes";
const META: &str = "urn:shapes:meta";

/// A kind of item, written as an attribute.
#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:shapes")]
pub enum Kind {
    Book,
    Disc,
}

/// A value with attributes: `<price currency="EUR">12.50</price>` (simpleContent).
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Price {
    #[model(text)]
    pub value: Decimal,
    #[model(attribute)]
    pub currency: String,
    /// A qualified attribute of another namespace.
    #[model(attribute, namespace = "urn:shapes:meta")]
    pub source: Option<String>,
}

/// Attributes beside elements, and elements of every qualification.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Item {
    pub name: String,
    #[model(attribute)]
    pub id: u32,
    #[model(attribute)]
    pub kind: Option<Kind>,
    pub price: Price,
    #[model(form = "unqualified")]
    pub note: Option<String>,
    #[model(namespace = "urn:shapes:meta")]
    pub tag: Option<String>,
}

/// Unqualified elements by default (`elementFormDefault="unqualified"` in a generated type).
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes", element_form = "unqualified")]
pub struct Local {
    pub a: i32,
    #[model(form = "qualified")]
    pub b: i32,
    #[model(attribute, form = "qualified")]
    pub c: Option<i32>,
}

/// A derived type adding an attribute: all attributes of the chain precede all elements.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Revised {
    #[model(base)]
    pub base: Item,
    #[model(attribute)]
    pub revision: i64,
    pub reason: String,
}

/// Only attributes (an empty element).
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Flags {
    #[model(attribute)]
    pub on: bool,
    #[model(attribute)]
    pub label: Option<String>,
}

/// Nil told apart from absent.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Nils {
    pub required: Nillable<i32>,
    pub optional: Option<Nillable<String>>,
    pub plain: Option<String>,
}

/// The derived built-in types, as elements and as attributes.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Builtins {
    #[model(attribute)]
    pub lang: Language,
    #[model(attribute)]
    pub id: Id,
    pub hex: HexBinary,
    pub uri: AnyUri,
    pub token: Token,
    pub normalized: NormalizedString,
    pub name: Name,
    pub nc_name: NcName,
    pub nm_token: NmToken,
    pub id_ref: IdRef,
    pub positive: PositiveInteger,
    pub negative: NegativeInteger,
    pub non_positive: NonPositiveInteger,
    pub year: GYear,
    pub year_month: GYearMonth,
    pub month: GMonth,
    pub month_day: GMonthDay,
    pub day: GDay,
}

pub struct Shapes;

#[service(namespace = "urn:shapes")]
impl Shapes {
    #[rpc]
    fn echo_item(&self, item: Item) -> Result<Item, Fault> {
        Ok(item)
    }

    #[rpc]
    fn echo_price(&self, price: Price) -> Result<Price, Fault> {
        Ok(price)
    }

    #[rpc]
    fn echo_local(&self, local: Local) -> Result<Local, Fault> {
        Ok(local)
    }

    #[rpc]
    fn echo_revised(&self, revised: Revised) -> Result<Revised, Fault> {
        Ok(revised)
    }

    #[rpc]
    fn echo_nils(&self, nils: Nils) -> Result<Nils, Fault> {
        Ok(nils)
    }

    #[rpc]
    fn echo_builtins(&self, b: Builtins) -> Result<Builtins, Fault> {
        Ok(b)
    }

    #[rpc]
    fn echo_flags(&self, flags: Vec<Flags>) -> Result<Vec<Flags>, Fault> {
        Ok(flags)
    }
}

fn server(soap12: bool) -> Arc<Application> {
    soap_app(Application::builder("Shapes", NS).service(Shapes), soap12)
}

fn client(soap12: bool) -> ShapesClient<RemoteClient<Loopback>> {
    ShapesClient::new(caller(
        "Shapes",
        NS,
        <Shapes as Service>::descriptor(),
        server(soap12),
        soap12,
    ))
}

fn item() -> Item {
    Item {
        name: "Dune & co".into(),
        id: 7,
        kind: Some(Kind::Book),
        price: Price {
            value: Decimal::new(1250, 2),
            currency: "EUR \"<&>\"".into(),
            source: Some("list".into()),
        },
        note: Some("signed".into()),
        tag: Some("sf".into()),
    }
}

/// The element named `local` (any namespace) in `xml`.
fn find<'a, 'i>(doc: &'a roxmltree::Document<'i>, local: &str) -> roxmltree::Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.is_element() && n.tag_name().name() == local)
        .unwrap_or_else(|| panic!("no `{local}` in {}", doc.input_text()))
}

#[test]
fn descriptors_say_what_each_field_is() {
    let item = Item::complex_type();
    let kinds: Vec<_> = item
        .fields
        .iter()
        .map(|f| (f.name, f.kind, f.namespace, f.min_occurs, f.nillable))
        .collect();
    assert_eq!(
        kinds,
        [
            (
                "name",
                FieldKind::Element,
                FieldNamespace::Uri(NS),
                1,
                false
            ),
            (
                "id",
                FieldKind::Attribute,
                FieldNamespace::Unqualified,
                1,
                false
            ),
            (
                "kind",
                FieldKind::Attribute,
                FieldNamespace::Unqualified,
                0,
                false
            ),
            (
                "price",
                FieldKind::Element,
                FieldNamespace::Uri(NS),
                1,
                false
            ),
            (
                "note",
                FieldKind::Element,
                FieldNamespace::Unqualified,
                0,
                true
            ),
            (
                "tag",
                FieldKind::Element,
                FieldNamespace::Uri(META),
                0,
                true
            ),
        ]
    );
    let local: Vec<_> = Local::complex_type()
        .fields
        .iter()
        .map(|f| f.namespace)
        .collect();
    assert_eq!(
        local,
        [
            FieldNamespace::Unqualified,
            FieldNamespace::Uri(NS),
            FieldNamespace::Uri(NS)
        ]
    );
    assert_eq!(Price::complex_type().fields[0].kind, FieldKind::Text);
}

#[test]
fn round_trips_in_both_versions() {
    for soap12 in [false, true] {
        let c = client(soap12);
        assert_eq!(c.echo_item(item()).unwrap(), item());
        let bare = Item {
            kind: None,
            note: None,
            tag: None,
            price: Price {
                source: None,
                ..item().price
            },
            ..item()
        };
        assert_eq!(c.echo_item(bare.clone()).unwrap(), bare);
        let empty_text = Price {
            value: Decimal::ZERO,
            currency: String::new(),
            source: Some(String::new()),
        };
        assert_eq!(c.echo_price(empty_text.clone()).unwrap(), empty_text);
        let local = Local {
            a: -1,
            b: 2,
            c: Some(3),
        };
        assert_eq!(c.echo_local(local.clone()).unwrap(), local);
        let revised = Revised {
            base: item(),
            revision: -9,
            reason: "typo".into(),
        };
        assert_eq!(c.echo_revised(revised.clone()).unwrap(), revised);
        let flags = vec![
            Flags {
                on: true,
                label: None,
            },
            Flags {
                on: false,
                label: Some("x y".into()),
            },
        ];
        assert_eq!(c.echo_flags(flags.clone()).unwrap(), flags);
    }
}

#[test]
fn the_wire_carries_attributes_text_and_qualification() {
    let c = client(false);
    c.echo_item(item()).unwrap();
    let (sent, _) = c.caller().transport().last();
    let doc = roxmltree::Document::parse(&sent).unwrap();
    let item = find(&doc, "item");
    assert_eq!(item.attribute("id"), Some("7"));
    assert_eq!(item.attribute("kind"), Some("Book"));
    let price = find(&doc, "price");
    assert_eq!(price.tag_name().namespace(), Some(NS));
    assert_eq!(price.text(), Some("12.50"));
    assert_eq!(price.attribute("currency"), Some("EUR \"<&>\""));
    assert_eq!(price.attribute((META, "source")), Some("list"));
    assert_eq!(price.children().filter(|n| n.is_element()).count(), 0);
    assert_eq!(find(&doc, "note").tag_name().namespace(), None);
    assert_eq!(find(&doc, "tag").tag_name().namespace(), Some(META));
    assert_eq!(find(&doc, "name").tag_name().namespace(), Some(NS));

    c.echo_local(Local {
        a: 1,
        b: 2,
        c: Some(3),
    })
    .unwrap();
    let (sent, _) = c.caller().transport().last();
    let doc = roxmltree::Document::parse(&sent).unwrap();
    assert_eq!(find(&doc, "a").tag_name().namespace(), None);
    assert_eq!(find(&doc, "b").tag_name().namespace(), Some(NS));
    assert_eq!(find(&doc, "local").attribute((NS, "c")), Some("3"));
}

fn request(body: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:h=\"{NS}\" xmlns:m=\"{META}\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><s:Body>{body}</s:Body></s:Envelope>",
        common::SOAP11
    )
}

/// An `echo_item` request whose `item` element has `attrs` and `content`.
fn item_request(attrs: &str, content: &str) -> String {
    request(&format!(
        "<h:echo_item><h:item {attrs}>{content}</h:item></h:echo_item>"
    ))
}

const CONTENT: &str = "<h:name>n</h:name><h:price currency=\"EUR\">1.5</h:price>";

#[test]
fn reads_attributes_in_any_order_and_ignores_unknown_ones() {
    let app = server(false);
    let body = item_request(
        "xmlns:o=\"urn:other\" o:extra=\"1\" kind=\"Disc\" unknown=\"x\" xsi:type=\"h:Item\" id=\" 42 \"",
        "<h:name>n</h:name><h:price m:source=\"s\" currency=\"EUR\">\n 1.5 </h:price>\
         <note>q</note>",
    );
    let (status, reply) = common::serve(&app, body.as_bytes());
    assert_eq!(status, 200, "{reply}");
    let doc = roxmltree::Document::parse(&reply).unwrap();
    let item = find(&doc, "echo_itemResult");
    assert_eq!(item.attribute("id"), Some("42"));
    assert_eq!(item.attribute("kind"), Some("Disc"));
    assert_eq!(item.attribute("unknown"), None);
    let price = find(&doc, "price");
    assert_eq!(price.text(), Some("1.5"));
    assert_eq!(price.attribute((META, "source")), Some("s"));
    assert_eq!(find(&doc, "note").text(), Some("q"));
}

/// Bad input: a Client fault whose string says what is wrong and where.
#[test]
fn bad_input_names_the_attribute_or_element() {
    let app = server(false);
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "missing required attribute",
            item_request("", CONTENT),
            &["missing required attribute `id`"],
        ),
        (
            "attribute not a number",
            item_request("id=\"seven\"", CONTENT),
            &["id", "seven"],
        ),
        (
            "enumeration attribute out of range",
            item_request("id=\"1\" kind=\"Vinyl\"", CONTENT),
            &["kind", "Vinyl"],
        ),
        (
            "duplicate attribute",
            item_request("id=\"1\" id=\"2\"", CONTENT),
            &["id"],
        ),
        (
            "attribute qualified when it is not",
            item_request("h:id=\"1\"", CONTENT),
            &["missing required attribute `id`"],
        ),
        (
            "element inside simple content",
            item_request(
                "id=\"1\"",
                "<h:name>n</h:name><h:price currency=\"EUR\"><h:value>1</h:value></h:price>",
            ),
            &["unexpected element `h:value`", "price"],
        ),
        (
            "simple content not a decimal",
            item_request(
                "id=\"1\"",
                "<h:name>n</h:name><h:price currency=\"EUR\">cheap</h:price>",
            ),
            &["value", "cheap"],
        ),
        (
            "missing required attribute of simple content",
            item_request("id=\"1\"", "<h:name>n</h:name><h:price>1</h:price>"),
            &["missing required attribute `currency`"],
        ),
        (
            "unqualified element written qualified",
            item_request("id=\"1\"", &format!("{CONTENT}<h:note>q</h:note>")),
            &["{urn:shapes}note", "must be in no namespace"],
        ),
        (
            "element of another namespace written in the type's",
            item_request("id=\"1\"", &format!("{CONTENT}<h:tag>q</h:tag>")),
            &["{urn:shapes}tag", "urn:shapes:meta"],
        ),
        (
            "attribute nil",
            item_request("id=\"1\" xsi:nil=\"true\"", ""),
            &["nil"],
        ),
    ];
    for (name, body, says) in cases {
        let (status, reply, fault) = common::serve_fault(&app, body.as_bytes());
        let Some((code, string)) = fault else {
            panic!("{name}: no fault; reply: {reply}");
        };
        assert!(code.starts_with("Client"), "{name}: {code} {string}");
        assert!(status >= 400, "{name}");
        for needle in says {
            assert!(
                string.contains(needle),
                "{name}: {string:?} does not say {needle:?}"
            );
        }
        common::assert_well_formed(&reply);
    }
}

#[test]
fn attribute_only_elements_and_empty_values() {
    let c = client(true);
    // An empty attribute value is a value, not an absent attribute.
    let mut flags = vec![Flags {
        on: true,
        label: Some(String::new()),
    }];
    assert_eq!(c.echo_flags(flags.clone()).unwrap(), flags);
    flags.clear();
    assert_eq!(c.echo_flags(flags.clone()).unwrap(), flags);
}

#[test]
fn nillable_tells_nil_from_absent() {
    let f = Nils::complex_type().fields;
    let shape: Vec<_> = f.iter().map(|f| (f.min_occurs, f.nillable)).collect();
    assert_eq!(shape, [(1, true), (0, true), (0, true)]);
    for soap12 in [false, true] {
        let c = client(soap12);
        for nils in [
            Nils {
                required: Nillable::Nil,
                optional: Some(Nillable::Nil),
                plain: None,
            },
            Nils {
                required: Nillable::Value(-4),
                optional: None,
                plain: Some("p".into()),
            },
            Nils {
                required: Nillable::Value(0),
                optional: Some(Nillable::Value(String::new())),
                plain: None,
            },
        ] {
            assert_eq!(c.echo_nils(nils.clone()).unwrap(), nils);
        }
    }
    let c = client(false);
    c.echo_nils(Nils {
        required: Nillable::Nil,
        optional: Some(Nillable::Nil),
        plain: None,
    })
    .unwrap();
    let (sent, _) = c.caller().transport().last();
    let doc = roxmltree::Document::parse(&sent).unwrap();
    let xsi = "http://www.w3.org/2001/XMLSchema-instance";
    assert_eq!(find(&doc, "required").attribute((xsi, "nil")), Some("true"));
    assert_eq!(find(&doc, "optional").attribute((xsi, "nil")), Some("true"));
    assert!(!sent.contains("plain"), "{sent}");

    let app = server(false);
    let body =
        request("<h:echo_nils><h:nils><h:optional xsi:nil=\"true\"/></h:nils></h:echo_nils>");
    let (_, reply, fault) = common::serve_fault(&app, body.as_bytes());
    let (_, string) = fault.unwrap_or_else(|| panic!("no fault: {reply}"));
    assert!(
        string.contains("missing required element `required`"),
        "{string}"
    );
}

fn builtins() -> Builtins {
    fn p<T: Lexical>(text: &str) -> T {
        T::parse_lexical(text).unwrap_or_else(|e| panic!("{e}"))
    }
    Builtins {
        lang: p("pt-BR"),
        id: p("item-1"),
        hex: HexBinary(vec![0, 0x7f, 0xff]),
        uri: p("http://example.com/a%20b?x=<y>&z"),
        token: p("a b"),
        normalized: p(" a  b "),
        name: p("p:local"),
        nc_name: p("local"),
        nm_token: p("1.0"),
        id_ref: p("item-1"),
        positive: p("123456789012345678901234567890"),
        negative: p("-1"),
        non_positive: p("0"),
        year: p("-0045"),
        year_month: p("2024-02Z"),
        month: p("--12"),
        month_day: p("--02-29+05:30"),
        day: p("---31"),
    }
}

#[test]
fn derived_builtin_types_round_trip() {
    for soap12 in [false, true] {
        assert_eq!(
            client(soap12).echo_builtins(builtins()).unwrap(),
            builtins()
        );
    }
    let c = client(false);
    c.echo_builtins(builtins()).unwrap();
    let (sent, _) = c.caller().transport().last();
    assert!(sent.contains("<tns:hex>007FFF</tns:hex>"), "{sent}");
    assert!(sent.contains("lang=\"pt-BR\""), "{sent}");
    assert!(
        sent.contains("<tns:month_day>--02-29+05:30</tns:month_day>"),
        "{sent}"
    );
}

#[test]
fn derived_builtin_types_refuse_bad_values() {
    let good = {
        let c = client(false);
        c.echo_builtins(builtins()).unwrap();
        let (sent, _) = c.caller().transport().last();
        sent
    };
    let cases = [
        (
            "<tns:hex>007FFF</tns:hex>",
            "<tns:hex>7FF</tns:hex>",
            "hexBinary",
        ),
        (
            "<tns:nc_name>local</tns:nc_name>",
            "<tns:nc_name>a:b</tns:nc_name>",
            "NCName",
        ),
        ("lang=\"pt-BR\"", "lang=\"pt_BR\"", "language"),
        (
            "<tns:positive>123456789012345678901234567890</tns:positive>",
            "<tns:positive>0</tns:positive>",
            "positiveInteger",
        ),
        (
            "<tns:month_day>--02-29+05:30</tns:month_day>",
            "<tns:month_day>--02-30</tns:month_day>",
            "gMonthDay",
        ),
        (
            "<tns:year>-0045</tns:year>",
            "<tns:year>0000</tns:year>",
            "gYear",
        ),
    ];
    let app11 = server(false);
    for (from, to, type_name) in cases {
        assert!(good.contains(from), "{from} not in {good}");
        let body = good.replace(from, to);
        let (_, reply, fault) = common::serve_fault(&app11, body.as_bytes());
        let (code, string) = fault.unwrap_or_else(|| panic!("{to}: no fault: {reply}"));
        assert!(code.starts_with("Client"), "{code}");
        assert!(string.contains(type_name), "{to}: {string}");
    }
}
