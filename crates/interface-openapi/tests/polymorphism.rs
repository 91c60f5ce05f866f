//! Polymorphic values (`#[derive(Polymorphic)]`) in OpenAPI: `oneOf` the single-member
//! objects the JSON protocol writes (`{"Dog": {..}}`); HttpRpc refuses to describe them.

#![allow(missing_docs, missing_debug_implementations, unreachable_pub)] // test types

use rpclib_core::{Application, ComplexModel, Polymorphic, service};
use rpclib_interface_openapi::OpenApi;
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

/// An animal of any kind.
#[derive(Debug, Clone, PartialEq, Polymorphic)]
pub enum AnyAnimal {
    Animal(Animal),
    Dog(Dog),
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:zoo")]
pub struct Zoo {
    pub star: AnyAnimal,
    pub animals: Vec<AnyAnimal>,
}

pub struct Zoos;

#[service(namespace = "urn:zoo")]
impl Zoos {
    #[rpc]
    fn keep(&self, zoo: Zoo) {
        let _ = zoo;
    }
}

#[test]
fn variants_are_one_of_single_member_objects() {
    let app = Application::builder("Zoos", "urn:zoo")
        .service(Zoos)
        .build()
        .unwrap();
    let doc = OpenApi::new("Zoos", "1")
        .json_document("/json", app.catalogue())
        .to_value()
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Zoo"]["properties"]["star"],
        json!({"$ref": "#/components/schemas/AnyAnimal"})
    );
    let variants = schemas["AnyAnimal"]["oneOf"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0]["required"], json!(["Animal"]));
    assert_eq!(
        variants[0]["properties"]["Animal"],
        json!({"$ref": "#/components/schemas/Animal"})
    );
    assert_eq!(variants[1]["required"], json!(["Dog"]));
    assert_eq!(variants[1]["additionalProperties"], json!(false));
    assert_eq!(
        schemas["AnyAnimal"]["description"],
        json!("An animal of any kind.")
    );

    let err = OpenApi::new("Zoos", "1")
        .http_rpc("/rpc", app.catalogue())
        .to_value()
        .unwrap_err();
    assert!(err.location().contains("zoo.star"), "{err}");
    assert!(
        err.problem().contains("the polymorphic value `AnyAnimal`"),
        "{err}"
    );
}
