//! Attribute wildcards (`#[model(any_attribute)]`, `xs:anyAttribute`): what the reader takes
//! (and leaves), the exact XML written, round trips through a typed client and a server in
//! both SOAP versions, inherited wildcards, what the writer refuses, and an element with
//! thousands of attributes.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use common::loopback::{Loopback, caller, soap_app};

use std::sync::Arc;

use proptest::prelude::*;
use rpclib_core::model::{AnyAttributes, FieldKind, QName, XML_NS};
use rpclib_core::{Application, ComplexModel, Fault, RemoteClient, Service, service};
use rpclib_protocol_soap::{Limits, from_element_xml, from_element_xml_with, to_element_xml};

const NS: &str = "urn:attrs";

/// Attributes of other namespaces beside a declared one.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Tagged {
    #[model(attribute)]
    pub id: Option<String>,
    pub name: String,
    #[model(any_attribute = "##other")]
    pub more: AnyAttributes,
}

/// Extends [`Tagged`]: its wildcard is the base's field.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Special {
    #[model(base)]
    pub base: Tagged,
    pub extra: i32,
}

/// Simple content with any attribute, unqualified ones included.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Label {
    #[model(text)]
    pub value: String,
    #[model(any_attribute, process_contents = "skip")]
    pub attrs: AnyAttributes,
}

/// A list of namespaces: `urn:a` and unqualified names only.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Listed {
    pub n: i32,
    #[model(any_attribute = "urn:a ##local")]
    pub attrs: AnyAttributes,
}

pub struct Attrs;

#[service(namespace = "urn:attrs")]
impl Attrs {
    #[rpc]
    fn echo_tagged(&self, t: Tagged) -> Result<Tagged, Fault> {
        Ok(t)
    }

    #[rpc]
    fn echo_special(&self, s: Special) -> Result<Special, Fault> {
        Ok(s)
    }

    #[rpc]
    fn echo_label(&self, l: Label) -> Result<Label, Fault> {
        Ok(l)
    }
}

fn server(soap12: bool) -> Arc<Application> {
    soap_app(Application::builder("Attrs", NS).service(Attrs), soap12)
}

fn client(soap12: bool) -> AttrsClient<RemoteClient<Loopback>> {
    AttrsClient::new(caller(
        "Attrs",
        NS,
        <Attrs as Service>::descriptor(),
        server(soap12),
        soap12,
    ))
}

fn attrs(items: &[(&str, &str, &str)]) -> AnyAttributes {
    let mut out = AnyAttributes::new();
    for &(ns, local, value) in items {
        out.push(QName::new(ns, local).unwrap(), value).unwrap();
    }
    out
}

fn tagged() -> Tagged {
    Tagged {
        id: Some("1".into()),
        name: "n".into(),
        more: attrs(&[
            ("urn:ext", "color", "red \"&<\n"),
            (XML_NS, "lang", "en"),
            ("urn:ext", "size", "9"),
        ]),
    }
}

#[test]
fn the_descriptor_says_attribute_wildcard() {
    let f = &Tagged::complex_type().fields[2];
    match f.kind {
        FieldKind::AnyAttribute(w) => assert_eq!(w.namespace, "##other"),
        other => panic!("{other:?}"),
    }
    assert_eq!((f.name, f.min_occurs, f.nillable), ("more", 0, false));
}

#[test]
fn writes_the_exact_xml() {
    let c = client(false);
    c.echo_tagged(tagged()).unwrap();
    let (sent, _) = c.caller().transport().last();
    let expected = concat!(
        r#"<tns:t id="1" xmlns:s0="urn:ext" s0:color="red &quot;&amp;&lt;&#10;" "#,
        r#"xml:lang="en" s0:size="9"><tns:name>n</tns:name></tns:t>"#
    );
    assert!(sent.contains(expected), "{sent}");
}

#[test]
fn round_trips_in_both_versions() {
    for soap12 in [false, true] {
        let c = client(soap12);
        assert_eq!(c.echo_tagged(tagged()).unwrap(), tagged());
        let none = Tagged {
            more: AnyAttributes::new(),
            ..tagged()
        };
        assert_eq!(c.echo_tagged(none.clone()).unwrap(), none);
        let special = Special {
            base: tagged(),
            extra: 3,
        };
        assert_eq!(c.echo_special(special.clone()).unwrap(), special);
        let label = Label {
            value: "text".into(),
            attrs: attrs(&[("", "plain", "1"), (NS, "own", "2"), ("urn:z", "z", "")]),
        };
        assert_eq!(c.echo_label(label.clone()).unwrap(), label);
    }
}

/// The wildcard takes what no declared attribute claims and its namespaces allow; the rest
/// is ignored as before (an attribute outside the wildcard is no error).
#[test]
fn reads_only_the_attributes_the_wildcard_allows() {
    let xml = r#"<a:t xmlns:a="urn:attrs" xmlns:e="urn:ext" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="5" e:id="6" plain="no" a:own="no" xsi:type="a:Tagged" e:k="v"><a:name>n</a:name></a:t>"#;
    let t: Tagged = from_element_xml(xml).unwrap();
    assert_eq!(t.id.as_deref(), Some("5"));
    assert_eq!(
        t.more,
        attrs(&[("urn:ext", "id", "6"), ("urn:ext", "k", "v")])
    );

    let xml = r#"<x:l xmlns:x="urn:attrs" xmlns:a="urn:a" xmlns:b="urn:b" a:one="1" b:two="2" three="3" x:four="4"><x:n>1</x:n></x:l>"#;
    let l: Listed = from_element_xml(xml).unwrap();
    assert_eq!(l.attrs, attrs(&[("urn:a", "one", "1"), ("", "three", "3")]));

    // Only namespace declarations and xsi: nothing to take.
    let xml = r#"<a:t xmlns:a="urn:attrs" xmlns:e="urn:ext"><a:name>n</a:name></a:t>"#;
    assert!(from_element_xml::<Tagged>(xml).unwrap().more.is_empty());
}

#[test]
fn bad_input_is_refused_with_its_place() {
    // An undeclared prefix on a wildcard attribute: the document is not namespace-well-formed.
    let xml = r#"<a:t xmlns:a="urn:attrs" q:k="v"><a:name>n</a:name></a:t>"#;
    let e = from_element_xml::<Tagged>(xml).unwrap_err().to_string();
    assert!(e.contains("q"), "{e}");
    // A bad character reference in a wildcard attribute's value.
    let xml = r#"<a:t xmlns:a="urn:attrs" xmlns:e="urn:ext" e:k="&#0;"><a:name>n</a:name></a:t>"#;
    assert!(from_element_xml::<Tagged>(xml).is_err());
    // A server answers a bad request with a Client fault.
    let body = format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:a=\"{NS}\"><s:Body><a:echo_tagged><a:t e:k=\"v\"><a:name>n</a:name></a:t></a:echo_tagged></s:Body></s:Envelope>",
        common::SOAP11
    );
    let (status, reply, fault) = common::serve_fault(&server(false), body.as_bytes());
    assert_eq!(status, 500, "{reply}");
    let (code, _) = fault.expect("a fault");
    assert!(code.contains("Client"), "{code}");
}

#[test]
fn the_writer_refuses_what_would_not_read_back() {
    let cases = [
        (
            attrs(&[("urn:ext", "k", "1"), ("urn:ext", "k", "2")]),
            "appears twice",
        ),
        (attrs(&[("", "id", "1")]), "declared attribute"),
        (
            attrs(&[("http://www.w3.org/2001/XMLSchema-instance", "type", "x")]),
            "xsi",
        ),
        (attrs(&[("urn:ext", "k", "\u{1}")]), "U+0001"),
    ];
    for (more, expected) in cases {
        let t = Tagged { more, ..tagged() };
        let e = to_element_xml(&t, "t", NS).unwrap_err().to_string();
        assert!(e.contains(expected), "{expected}: {e}");
        assert!(e.contains("more"), "{e}");
    }
    // A long list finds its repeated name too (the hashed check).
    let mut many: Vec<(String, String)> = (0..20)
        .map(|i| ("urn:ext".into(), format!("a{i}")))
        .collect();
    many.push(("urn:ext".into(), "a3".into()));
    let mut more = AnyAttributes::new();
    for (ns, local) in &many {
        more.push(QName::new(ns.as_str(), local.as_str()).unwrap(), "v")
            .unwrap();
    }
    let e = to_element_xml(&Tagged { more, ..tagged() }, "t", NS)
        .unwrap_err()
        .to_string();
    assert!(e.contains("a3") && e.contains("twice"), "{e}");
}

/// An element with 10,000 wildcard attributes, each in a namespace of its own, within a limit
/// raised to allow it: read in one pass (the reader's cost per attribute does not grow with
/// their number; `cargo bench --bench hostile` style checks measure it with callgrind).
#[test]
fn ten_thousand_attributes_read_and_write() {
    let n = 10_000;
    let mut xml = String::from(r#"<a:t xmlns:a="urn:attrs""#);
    for i in 0..n {
        xml.push_str(&format!(r#" xmlns:p{i}="urn:n{i}" p{i}:k="{i}""#));
    }
    xml.push_str("><a:name>n</a:name></a:t>");
    let limits = Limits::default()
        .max_attributes(2 * n + 1)
        .max_input_bytes(xml.len() + 1);
    let t: Tagged = from_element_xml_with(&xml, limits).unwrap();
    assert_eq!(t.more.len(), n);
    assert_eq!(t.more.get("urn:n9999", "k"), Some("9999"));
    // Written back, it reads back the same.
    let written = to_element_xml(&t, "t", NS).unwrap();
    let again: Tagged =
        from_element_xml_with(&written, limits.max_input_bytes(written.len() + 1)).unwrap();
    assert_eq!(again, t);
    // Within the default limit, the element is refused, naming the limit.
    let e = from_element_xml::<Tagged>(&xml).unwrap_err().to_string();
    assert!(e.contains("limit"), "{e}");
}

fn attribute_set() -> impl Strategy<Value = Vec<(String, String, String)>> {
    proptest::collection::vec(
        (
            prop_oneof![
                Just(String::new()),
                Just("urn:ext".to_owned()),
                Just("urn:other".to_owned()),
                Just(XML_NS.to_owned()),
            ],
            "[a-z][a-z0-9_.-]{0,5}",
            "[ -~\t\n\r\u{e9}\u{1F600}]{0,8}",
        ),
        0..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any set of distinct names and any text round trips on a `##any` wildcard (CR and tab
    /// included: the writer escapes what attribute normalization would change).
    #[test]
    fn any_attribute_sets_round_trip(set in attribute_set()) {
        let mut seen = std::collections::HashSet::new();
        let mut label_attrs = AnyAttributes::new();
        for (ns, local, value) in &set {
            if seen.insert((ns.clone(), local.clone())) {
                label_attrs.push(QName::new(ns.as_str(), local.as_str()).unwrap(), value.as_str()).unwrap();
            }
        }
        let label = Label { value: "v".into(), attrs: label_attrs };
        let xml = to_element_xml(&label, "l", NS).unwrap();
        prop_assert_eq!(from_element_xml::<Label>(&xml).unwrap(), label);
    }
}
