//! Choices and lists in MessagePack: a choice is a map with one entry (the alternative
//! present), a list is its text.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::model::{AnyXml, XmlList};
use rpclib_core::{Application, Choice, ComplexModel, Fault, service};
use rpclib_protocol_msgpack::MsgPack;
use serde_json::json;

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
    #[model(any)]
    pub extra: Option<AnyXml>,
}

pub struct People;

#[service(namespace = "urn:c")]
impl People {
    #[rpc]
    fn echo(&self, person: Person) -> Result<Person, Fault> {
        Ok(person)
    }
}

#[test]
fn choices_are_one_entry_maps_lists_are_text() {
    let app = Application::builder("People", "urn:c")
        .service(People)
        .protocol(MsgPack::new())
        .build()
        .unwrap();
    let person = json!({
        "contact": {"email": "a@b"},
        "more": [{"phone": 6}],
        "ranks": "-1 2",
        "extra": "<x/>"
    });
    let (status, reply) =
        common::serve(&app, &common::encode(&json!({"echo": {"person": person}})));
    assert_eq!(status, 200);
    assert_eq!(
        common::describe(&reply),
        json!({"echoResponse": {"echoResult": person}})
    );
    let bad = json!({"echo": {"person": {"contact": {"fax": 1}, "more": [], "ranks": ""}}});
    let (status, reply) = common::serve(&app, &common::encode(&bad));
    assert_eq!(status, 400);
    let text = common::describe(&reply).to_string();
    assert!(
        text.contains("unexpected member `fax`: expected one of `email` or `phone`"),
        "{text}"
    );
}
