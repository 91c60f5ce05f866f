//! `QName` in JSON: a string in Clark notation, `{namespace}local` (JSON has no prefixes to
//! bind), alone and in an `XmlList`.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::model::{QName, XmlList};
use rpclib_core::{Application, ComplexModel, Fault, service};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:q")]
pub struct Names {
    #[model(attribute)]
    pub kind: QName,
    pub first: QName,
    pub list: XmlList<QName>,
}

pub struct NameService;

#[service(namespace = "urn:q")]
impl NameService {
    #[rpc]
    fn echo(&self, names: Names) -> Result<Names, Fault> {
        Ok(names)
    }
}

fn call(request: Value) -> (u16, Value) {
    common::call_document(
        Application::builder("Names", "urn:q").service(NameService),
        &request,
    )
}

#[test]
fn names_travel_in_clark_notation() {
    let names = json!({
        "kind": "{urn:k}kind",
        "first": "{http://www.onvif.org/ver10/schema}Profile",
        "list": "{urn:a}x local {urn:b}y"
    });
    let (status, reply) = call(json!({"echo": {"names": names}}));
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply, json!({"echoResponse": {"echoResult": names}}));
}

#[test]
fn a_prefixed_or_malformed_name_is_refused() {
    for (first, expected) in [
        ("tt:Profile", "the local name `tt:Profile`"),
        ("{urn:a", "`{` opens a namespace that `}` never closes"),
        ("", "a QName cannot be empty"),
    ] {
        let (status, reply) = call(json!({"echo": {"names": {
            "kind": "k", "first": first, "list": ""
        }}}));
        assert_eq!(status, 400, "{reply}");
        let fault = reply["Fault"]["faultstring"].as_str().unwrap();
        assert!(fault.contains(expected), "{fault}");
        assert!(fault.contains("names.first"), "{fault}");
    }
}
