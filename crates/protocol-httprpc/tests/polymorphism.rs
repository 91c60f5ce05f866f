//! A polymorphic parameter (`#[derive(Polymorphic)]`) cannot come from form keys, which have
//! no way to say which type a value has: refused, naming the type and the key.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use common::{fault_of, get, serve};
use rpclib_core::{Application, ComplexModel, Polymorphic, service};
use rpclib_protocol_httprpc::HttpRpc;
use rpclib_protocol_json::JsonDocument;

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
    #[rpc(safe)]
    fn name_of(&self, pet: AnyAnimal) -> String {
        match pet {
            AnyAnimal::Animal(a) => a.name,
            AnyAnimal::Dog(d) => d.animal.name,
        }
    }
}

#[test]
fn a_polymorphic_parameter_is_refused_naming_it() {
    let app = Application::builder("Zoos", "urn:zoo")
        .service(Zoos)
        .in_protocol(HttpRpc::new())
        .out_protocol(JsonDocument::new())
        .build()
        .unwrap();
    let (status, reply) = serve(&app, &get("/name_of", "pet.name=Rex"));
    assert_eq!(status, 400, "{reply}");
    let (code, string) = fault_of(&reply);
    assert_eq!(code, "Client.ValidationError", "{string}");
    assert!(
        string.contains(
            "HttpRpc cannot read the polymorphic value `AnyAnimal` (`Animal` or a subtype)"
        ),
        "{string}"
    );
    assert!(string.contains("pet"), "{string}");
}
