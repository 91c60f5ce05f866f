//! Attribute wildcards (`#[model(any_attribute)]`) in JSON: one object of Clark-notation names
//! (`{namespace}local`) to strings under the field's name; bad names and values refused with
//! their path.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::model::AnyAttributes;
use rpclib_core::{Application, ComplexModel, Fault, service};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Tagged {
    #[model(attribute)]
    pub id: Option<String>,
    pub name: String,
    #[model(any_attribute = "##other")]
    pub more: AnyAttributes,
}

pub struct Attrs;

#[service(namespace = "urn:attrs")]
impl Attrs {
    #[rpc]
    fn echo(&self, t: Tagged) -> Result<Tagged, Fault> {
        Ok(t)
    }
}

fn call(request: Value) -> (u16, Value) {
    common::call_document(
        Application::builder("Attrs", "urn:attrs").service(Attrs),
        &request,
    )
}

#[test]
fn attributes_are_an_object_of_clark_names() {
    let t = json!({
        "id": "1",
        "name": "n",
        "more": {"{urn:ext}color": "red", "plain": "1", "{http://www.w3.org/XML/1998/namespace}lang": "en"}
    });
    let (status, reply) = call(json!({"echo": {"t": t}}));
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply, json!({"echoResponse": {"echoResult": t}}));
    // Absent: empty, written as an empty object.
    let (status, reply) = call(json!({"echo": {"t": {"name": "n"}}}));
    assert_eq!(status, 200, "{reply}");
    assert_eq!(
        reply,
        json!({"echoResponse": {"echoResult": {"id": null, "name": "n", "more": {}}}})
    );
}

#[test]
fn bad_names_and_values_are_refused() {
    for (more, expected) in [
        (json!({"{urn:a}b:c": "1"}), "b:c"),
        (json!({"xmlns": "urn:x"}), "namespace declaration"),
        (json!({"{urn:a}b": 1}), "must be a string"),
        (json!(["x"]), "expected an object"),
    ] {
        let (status, reply) = call(json!({"echo": {"t": {"name": "n", "more": more}}}));
        assert_eq!(status, 400, "{reply}");
        let fault = reply["Fault"]["faultstring"].as_str().unwrap();
        assert!(fault.contains(expected), "{expected}: {fault}");
        assert!(fault.contains("t.more"), "{fault}");
    }
}
