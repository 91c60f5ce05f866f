//! An attribute wildcard (`#[model(any_attribute)]`) in OpenAPI: an optional object of
//! strings, as the JSON protocol writes it (Clark-notation names to values).

#![allow(missing_docs, missing_debug_implementations, unreachable_pub)] // test types

use rpclib_core::model::AnyAttributes;
use rpclib_core::{Application, ComplexModel, Fault};
use rpclib_interface_openapi::OpenApi;
use serde_json::json;

#[derive(Debug, Clone, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Tagged {
    pub name: String,
    #[model(any_attribute = "##other")]
    pub more: AnyAttributes,
}

pub struct Attrs;

#[rpclib_core::service(namespace = "urn:attrs")]
impl Attrs {
    #[rpc]
    fn echo(&self, t: Tagged) -> Result<Tagged, Fault> {
        Ok(t)
    }
}

#[test]
fn wildcard_attributes_are_an_object_of_strings() {
    let app = Application::builder("Attrs", "urn:attrs")
        .service(Attrs)
        .build()
        .unwrap();
    let doc = OpenApi::new("Attrs", "1")
        .json_document("/json", app.catalogue())
        .to_value()
        .unwrap();
    let tagged = &doc["components"]["schemas"]["Tagged"];
    assert_eq!(
        tagged["properties"]["more"],
        json!({
            "type": ["object", "null"],
            "additionalProperties": {"type": "string"},
            "x-xsd-any-attribute": "##other"
        }),
        "{tagged}"
    );
    assert_eq!(tagged["required"], json!(["name"]), "{tagged}");
}

/// HttpRpc has no form key for wildcard attributes: the field is no parameter.
#[test]
fn http_rpc_leaves_wildcard_attributes_out() {
    let app = Application::builder("Attrs", "urn:attrs")
        .service(Attrs)
        .build()
        .unwrap();
    let doc = OpenApi::new("Attrs", "1")
        .http_rpc("/rpc/", app.catalogue())
        .to_value()
        .unwrap();
    let form = &doc["paths"]["/rpc/echo"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
        ["schema"];
    let names: Vec<&String> = form["properties"].as_object().unwrap().keys().collect();
    assert_eq!(names, ["t.name"], "{form}");
}
