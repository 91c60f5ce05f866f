//! Polymorphic values (`#[derive(Polymorphic)]`) in JSON: an object with one member named
//! after the variant present, `{"Dog": {..}}`, the shape of a choice.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::{Application, ComplexModel, Fault, Polymorphic, service};
use serde_json::{Value, json};

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

#[derive(Debug, Clone, PartialEq, Polymorphic)]
#[polymorphic(abstract_base = Animal)]
pub enum OnlyDogs {
    Dog(Dog),
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Zoo {
    pub star: AnyAnimal,
    pub guest: Option<AnyAnimal>,
    pub animals: Vec<AnyAnimal>,
    pub dogs: Vec<OnlyDogs>,
}

pub struct Zoos;

#[service(namespace = "urn:zoo")]
impl Zoos {
    #[rpc]
    fn echo(&self, zoo: Zoo) -> Result<Zoo, Fault> {
        Ok(zoo)
    }
}

fn call(request: Value) -> (u16, Value) {
    common::call_document(
        Application::builder("Zoos", "urn:zoo").service(Zoos),
        &request,
    )
}

#[test]
fn variants_are_one_member_objects() {
    let zoo = json!({
        "star": {"Dog": {"name": "Rex", "barks": true}},
        "guest": {"Animal": {"name": "Gnu"}},
        "animals": [{"Animal": {"name": "a"}}, {"Dog": {"name": "d", "barks": false}}],
        "dogs": [{"Dog": {"name": "e", "barks": true}}]
    });
    let (status, reply) = call(json!({"echo": {"zoo": zoo}}));
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply, json!({"echoResponse": {"echoResult": zoo}}));
}

#[test]
fn an_unknown_variant_is_a_client_error() {
    for (star, expected) in [
        (
            json!({"Cat": {"name": "Tom"}}),
            "unexpected member `Cat`: expected one of `Animal` or `Dog` (the choice `AnyAnimal`)",
        ),
        (
            json!({"name": "Rex"}),
            "unexpected member `name`: expected one of `Animal` or `Dog`",
        ),
    ] {
        let (status, reply) = call(json!({"echo": {"zoo": {
            "star": star, "animals": [], "dogs": []
        }}}));
        assert_eq!(status, 400, "{reply}");
        let fault = reply["Fault"]["faultstring"].as_str().unwrap();
        assert!(fault.contains(expected), "{fault}");
        assert!(fault.contains("zoo.star"), "{fault}");
    }
}
