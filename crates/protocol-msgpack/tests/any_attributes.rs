//! Attribute wildcards (`#[model(any_attribute)]`) in MessagePack: a map of Clark-notation
//! names (`{namespace}local`) to strings under the field's name.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::model::AnyAttributes;
use rpclib_core::{Application, ComplexModel, Fault, service};
use rpclib_protocol_msgpack::MsgPack;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:attrs")]
pub struct Tagged {
    pub name: String,
    #[model(any_attribute)]
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

#[test]
fn attributes_are_a_map_of_clark_names() {
    let app = Application::builder("Attrs", "urn:attrs")
        .service(Attrs)
        .protocol(MsgPack::new())
        .build()
        .unwrap();
    let t = json!({"name": "n", "more": {"{urn:ext}color": "red", "plain": "1"}});
    let (status, reply) = common::serve(&app, &common::encode(&json!({"echo": {"t": t}})));
    assert_eq!(status, 200);
    assert_eq!(
        common::describe(&reply),
        json!({"echoResponse": {"echoResult": t}})
    );
    let bad = json!({"echo": {"t": {"name": "n", "more": {"{urn:ext}color": 5}}}});
    let (status, reply) = common::serve(&app, &common::encode(&bad));
    assert_eq!(status, 400);
    let text = common::describe(&reply).to_string();
    assert!(text.contains("must be a string"), "{text}");
}
