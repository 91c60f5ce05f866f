//! The schema the WSDL gives choices (`xs:choice`), wildcards (`xs:any`) and lists
//! (`xs:list`), pinned byte for byte in `tests/data/choice_any_list.wsdl` (set
//! `RPCLIB_UPDATE_SNAPSHOTS=1` to rewrite it, never under CI), and read back by our WSDL reader.
#![allow(missing_docs, missing_debug_implementations)]

use rpclib_core::model::{AnyXml, Token, XmlList};
use rpclib_core::{Application, Choice, ComplexModel, Fault, SimpleEnum, service};
mod common;

#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:choices")]
pub enum Level {
    Low,
    High,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:choices")]
pub struct Address {
    pub street: String,
}

/// How to reach someone.
#[derive(Debug, Clone, PartialEq, Choice)]
#[model(namespace = "urn:choices")]
pub enum Contact {
    #[model(name = "email", max_len = 64)]
    Email(String),
    #[model(name = "phone")]
    Phone(u64),
    #[model(name = "address")]
    Address(Address),
    #[model(name = "fax", unwrapped, max_occurs = "unbounded")]
    Fax(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Choice)]
#[model(namespace = "urn:choices")]
pub enum Event {
    #[model(name = "opened")]
    Opened(String),
    #[model(name = "closed", namespace = "urn:choices:meta")]
    Closed(i32),
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:choices")]
pub struct Person {
    #[model(attribute)]
    pub scopes: Option<XmlList<Token>>,
    pub name: String,
    pub contact: Contact,
    pub backup: Option<Contact>,
    pub history: Vec<Event>,
    pub ranks: XmlList<i32>,
    pub levels: Option<XmlList<Level>>,
    #[model(any = "##other")]
    pub extra: Vec<AnyXml>,
    #[model(any = "urn:a ##local", process_contents = "strict")]
    pub one: Option<AnyXml>,
}

pub struct Choices;

#[service(namespace = "urn:choices")]
impl Choices {
    #[rpc]
    fn echo_person(&self, person: Person) -> Result<Person, Fault> {
        Ok(person)
    }

    #[rpc]
    fn pick(&self, contact: Contact) -> Result<XmlList<Level>, Fault> {
        let _ = contact;
        Ok(XmlList(vec![]))
    }
}

fn wsdl() -> String {
    common::wsdl_of(Application::builder("Choices", "urn:choices").service(Choices))
}

#[test]
fn the_schema_has_choices_wildcards_and_lists() {
    let text = wsdl();
    common::assert_snapshot("choice_any_list.wsdl", &text);
    common::assert_contains_and_resolves(
        &text,
        &[
            r#"<xs:choice>"#,
            r#"<xs:choice minOccurs="0">"#,
            r#"<xs:choice minOccurs="0" maxOccurs="unbounded">"#,
            r#"<xs:element name="fax" type="xs:string" maxOccurs="unbounded"/>"#,
            r###"<xs:any namespace="##other" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>"###,
            r###"<xs:any namespace="urn:a ##local" processContents="strict" minOccurs="0"/>"###,
            r#"<xs:list itemType="xs:int"/>"#,
            r#"<xs:attribute name="scopes" type="tns:tokenList" use="optional"/>"#,
        ],
    );
}
