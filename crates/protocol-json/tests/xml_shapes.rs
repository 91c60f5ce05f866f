//! XML attributes, simple content and `Nillable` in JSON: attributes and the text are members
//! of the object like elements, nil is `null`.
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }` (reported upstream).
#![allow(clippy::unused_unit, missing_docs, missing_debug_implementations)]

mod common;

use rpclib_core::model::{Decimal, Nillable};
use rpclib_core::{Application, ComplexModel, Fault, service};
use serde_json::{Value, json};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Price {
    #[model(text)]
    pub amount: Decimal,
    #[model(attribute)]
    pub currency: String,
    #[model(attribute)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:shapes")]
pub struct Priced {
    pub price: Price,
    pub nil: Option<Nillable<i32>>,
}

pub struct Shapes;

#[service(namespace = "urn:shapes")]
impl Shapes {
    #[rpc]
    fn echo_price(&self, priced: Priced) -> Result<Priced, Fault> {
        Ok(priced)
    }
}

fn call(request: Value) -> (u16, Value) {
    common::call_document(
        Application::builder("Shapes", "urn:shapes").service(Shapes),
        &request,
    )
}

#[test]
fn attributes_and_text_are_members() {
    let (status, reply) = call(json!({"echo_price": {"priced": {
        "price": {"amount": "12.50", "currency": "EUR", "source": "list"}, "nil": null
    }}}));
    assert_eq!(status, 200, "{reply}");
    let priced = &reply["echo_priceResponse"]["echo_priceResult"];
    assert_eq!(priced["nil"], Value::Null, "{reply}");
    let price = &priced["price"];
    assert_eq!(price["amount"], json!("12.50"), "{reply}");
    assert_eq!(price["currency"], json!("EUR"));
    assert_eq!(price["source"], json!("list"));
}

#[test]
fn a_missing_attribute_is_named() {
    let (status, reply) = call(json!({"echo_price": {"priced": {"price": {"amount": "1"}}}}));
    assert!(status >= 400, "{reply}");
    assert!(reply.to_string().contains("currency"), "{reply}");
}
