//! The schema the WSDL gives attribute wildcards (`#[model(any_attribute)]`): an
//! `xs:anyAttribute` after the type's attributes, in plain, simpleContent and extended types,
//! and a document our WSDL reader reads back.
#![allow(missing_docs, missing_debug_implementations)]

use rpclib_core::model::AnyAttributes;
use rpclib_core::{Application, ComplexModel, Fault, service};
mod common;

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Tagged {
    #[model(attribute)]
    pub id: Option<String>,
    pub name: String,
    #[model(any_attribute = "##other")]
    pub more: AnyAttributes,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Label {
    #[model(text)]
    pub value: String,
    #[model(attribute)]
    pub lang: Option<String>,
    #[model(any_attribute = "urn:a ##local", process_contents = "skip")]
    pub attrs: AnyAttributes,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Special {
    #[model(base)]
    pub base: Tagged,
    pub extra: i32,
    #[model(attribute)]
    pub mark: Option<i32>,
}

pub struct Attrs;

#[service(namespace = "urn:attrs")]
impl Attrs {
    #[rpc]
    fn echo(&self, t: Tagged, l: Label, s: Special) -> Result<Tagged, Fault> {
        let _ = (l, s);
        Ok(t)
    }
}

fn wsdl() -> String {
    common::wsdl_of(Application::builder("Attrs", "urn:attrs").service(Attrs))
}

/// `text` with whitespace between tags removed.
fn squeezed(text: &str) -> String {
    text.lines().map(str::trim).collect()
}

#[test]
fn the_schema_has_any_attribute_after_the_attributes() {
    let text = wsdl();
    let flat = squeezed(&text);
    for fragment in [
        // After the declared attribute, closing the type.
        r###"<xs:attribute name="id" type="xs:string" use="optional"/><xs:anyAttribute namespace="##other" processContents="lax"/></xs:complexType>"###,
        // Beside simple content, inside the extension.
        r###"<xs:attribute name="lang" type="xs:string" use="optional"/><xs:anyAttribute namespace="urn:a ##local" processContents="skip"/></xs:extension></xs:simpleContent>"###,
    ] {
        assert!(flat.contains(fragment), "{fragment} not in {text}");
    }
    // The extension declares no wildcard of its own: it inherits the base's.
    let special = flat
        .split(r#"<xs:complexType name="Special">"#)
        .nth(1)
        .and_then(|rest| rest.split("</xs:complexType>").next())
        .unwrap_or_else(|| panic!("no Special in {text}"));
    assert!(!special.contains("anyAttribute"), "{special}");
    assert!(
        special.contains(r#"<xs:attribute name="mark""#),
        "{special}"
    );
    // Not an element, nor a type of its own.
    assert!(!flat.contains(r#"name="more""#), "{text}");
    assert!(!flat.contains(r#"name="attrs""#), "{text}");
    common::assert_resolves(&text);
}
