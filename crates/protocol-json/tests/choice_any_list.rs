//! Choices, wildcards and lists in JSON: a choice is an object with one member (the
//! alternative present), a wildcard's elements are strings of XML, a list is its text.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::model::{AnyXml, XmlList};
use rpclib_core::{Application, Choice, ComplexModel, Fault, service};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, Choice)]
#[model(namespace = "urn:c")]
pub enum Contact {
    #[model(name = "email")]
    Email(String),
    #[model(name = "phone")]
    Phone(u64),
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:c")]
pub struct Person {
    pub contact: Contact,
    pub more: Vec<Contact>,
    pub ranks: XmlList<i32>,
    #[model(any = "##other")]
    pub extra: Vec<AnyXml>,
}

pub struct People;

#[service(namespace = "urn:c")]
impl People {
    #[rpc]
    fn echo(&self, person: Person) -> Result<Person, Fault> {
        Ok(person)
    }
}

fn call(request: Value) -> (u16, Value) {
    common::call_document(
        Application::builder("People", "urn:c").service(People),
        &request,
    )
}

#[test]
fn choices_are_one_member_objects_lists_are_text() {
    let person = json!({
        "contact": {"phone": 5},
        "more": [{"email": "a@b"}, {"phone": 6}],
        "ranks": "1 2 3",
        "extra": ["<v:x xmlns:v=\"urn:v\"/>"]
    });
    let (status, reply) = call(json!({"echo": {"person": person}}));
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply, json!({"echoResponse": {"echoResult": person}}));
}

#[test]
fn a_choice_needs_exactly_one_known_member() {
    for (contact, expected) in [
        (
            json!({"fax": 1}),
            "unexpected member `fax`: expected one of `email` or `phone` (the choice `Contact`)",
        ),
        (
            json!({"email": "a", "phone": 1}),
            "expected an object with one of `email` or `phone` (the choice `Contact`), found 2 members",
        ),
        (
            json!("a"),
            "expected an object with one of `email` or `phone` (the choice `Contact`), found a string",
        ),
    ] {
        let (status, reply) = call(json!({"echo": {"person": {
            "contact": contact, "more": [], "ranks": "", "extra": []
        }}}));
        assert_eq!(status, 400, "{reply}");
        let fault = reply["Fault"]["faultstring"].as_str().unwrap();
        assert!(fault.contains(expected), "{fault}");
        assert!(fault.contains("person.contact"), "{fault}");
    }
    let (status, reply) = call(json!({"echo": {"person": {
        "contact": {"phone": 1}, "more": [], "ranks": "1 two", "extra": []
    }}}));
    assert_eq!(status, 400, "{reply}");
    assert!(
        reply["Fault"]["faultstring"]
            .as_str()
            .unwrap()
            .contains("list item 1 (`two`)"),
        "{reply}"
    );
}
