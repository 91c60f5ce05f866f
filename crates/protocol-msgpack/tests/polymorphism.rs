//! Polymorphic values (`#[derive(Polymorphic)]`) in MessagePack: a map with one entry named
//! after the variant present, as in JSON.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::{Application, ComplexModel, Fault, Polymorphic, service};
use rpclib_protocol_msgpack::MsgPack;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Animal {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Dog {
    #[model(base)]
    pub animal: Animal,
    pub barks: bool,
}

#[derive(Debug, Clone, PartialEq, Polymorphic)]
pub enum AnyAnimal {
    Animal(Animal),
    Dog(Dog),
}

pub struct Zoos;

#[service(namespace = "urn:zoo")]
impl Zoos {
    #[rpc]
    fn echo(&self, animals: Vec<AnyAnimal>) -> Result<Vec<AnyAnimal>, Fault> {
        Ok(animals)
    }
}

#[test]
fn variants_are_one_entry_maps() {
    let app = Application::builder("Zoos", "urn:zoo")
        .service(Zoos)
        .protocol(MsgPack::new())
        .build()
        .unwrap();
    let animals = json!([
        {"Dog": {"name": "Rex", "barks": true}},
        {"Animal": {"name": "Gnu"}}
    ]);
    let (status, reply) = common::serve(
        &app,
        &common::encode(&json!({"echo": {"animals": animals}})),
    );
    assert_eq!(status, 200);
    assert_eq!(
        common::describe(&reply),
        json!({"echoResponse": {"echoResult": animals}})
    );
    let bad = json!({"echo": {"animals": [{"Cat": {"name": "Tom"}}]}});
    let (status, reply) = common::serve(&app, &common::encode(&bad));
    assert_eq!(status, 400);
    let text = common::describe(&reply).to_string();
    assert!(
        text.contains("unexpected member `Cat`: expected one of `Animal` or `Dog`"),
        "{text}"
    );
}
