//! Bare methods over JSON-RPC: a scalar parameter, which `params` cannot be, goes in
//! `{"<part name>": value}` or `[value]`; an array parameter is `params` itself. Server
//! replies for each form and each mistake, and the typed client in both param styles.
#![allow(missing_docs)]

mod common;

use std::sync::Arc;

use rpclib_core::{
    Application, BoxError, ClientTransport, OutgoingRequest, RemoteClient, Service, service,
};
use rpclib_protocol_json::JsonRpc;
use serde_json::{Value, json};

#[derive(Debug)]
pub struct Bare;

#[service(namespace = "urn:bare")]
impl Bare {
    #[rpc(body = "bare")]
    fn shout(&self, s: String) -> String {
        s.to_uppercase()
    }

    #[rpc(body = "bare")]
    fn count(&self, items: Vec<String>) -> u32 {
        u32::try_from(items.len()).unwrap_or(u32::MAX)
    }
}

fn server() -> Arc<Application> {
    Application::builder("Bare", "urn:bare")
        .service(Bare)
        .protocol(JsonRpc::new())
        .build()
        .unwrap()
}

fn call(params: Value) -> Value {
    let request = json!({"jsonrpc": "2.0", "method": "shout", "params": params, "id": 1});
    let (_, reply) = common::serve_rpc(&server(), request.to_string().as_bytes());
    serde_json::from_str(&reply).unwrap()
}

#[test]
fn a_scalar_part_by_name_or_position() {
    assert_eq!(call(json!({"shout": "hey"}))["result"], "HEY");
    assert_eq!(call(json!(["hey"]))["result"], "HEY");
    let cases = [
        (
            json!({"s": "hey"}),
            "unexpected member `s` in the params (expected `shout`)",
        ),
        (
            json!(["a", "b"]),
            "2 positional params given, but the method takes 1 (shout)",
        ),
        (
            json!({"shout": 1}),
            "expected a string (`string`), found a number at `$.params.shout`",
        ),
        (
            json!([true]),
            "expected a string (`string`), found a boolean at `$.params[0]`",
        ),
        (
            json!({}),
            "expected a string (`string`), found null at `$.params.shout`",
        ),
    ];
    for (params, message) in cases {
        let reply = call(params.clone());
        assert_eq!(reply["error"]["code"], -32602, "{params}: {reply}");
        assert_eq!(
            reply["error"]["data"]["faultstring"], message,
            "{params}: {reply}"
        );
    }
}

/// Feeds requests to the server in memory, recording their params.
struct Loopback(std::sync::Mutex<Vec<Value>>);

impl ClientTransport for Loopback {
    fn send(&self, request: &OutgoingRequest<'_>) -> Result<Option<Vec<u8>>, BoxError> {
        let body: Value = serde_json::from_slice(request.body)?;
        self.0
            .lock()
            .map_err(|e| e.to_string())?
            .push(body["params"].clone());
        Ok(Some(
            common::serve_rpc(&server(), request.body).1.into_bytes(),
        ))
    }
}

#[test]
fn the_typed_client_in_both_styles() {
    for (protocol, shout, count) in [
        (JsonRpc::new(), json!({"shout": "hey"}), json!(["a", "b"])),
        (
            JsonRpc::new().positional_params(),
            json!(["hey"]),
            json!(["a", "b"]),
        ),
    ] {
        let app = Application::builder("Bare", "urn:bare")
            .declare(<Bare as Service>::descriptor())
            .protocol(protocol)
            .build()
            .unwrap();
        let client = BareClient::new(RemoteClient::new(app, Loopback(Default::default())));
        assert_eq!(client.shout("hey".into()).unwrap(), "HEY");
        assert_eq!(client.count(vec!["a".into(), "b".into()]).unwrap(), 2);
        let sent = client.caller().transport().0.lock().unwrap().clone();
        assert_eq!(sent, [shout, count]);
    }
}
