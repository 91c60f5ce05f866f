//! The JSON-RPC 2.0 client side: a typed client (`RemoteClient` with `JsonRpc`) calls a
//! JSON-RPC server application in memory (every method, faults included, named and
//! positional params), and reads canned replies: each bad one is the exact expected
//! `InvalidReply`, and error objects without our fault in `data` map to the expected faults.

mod common;

use std::sync::{Arc, Mutex};

use common::{
    Base, Containers, Day, Derived, JsonService, JsonServiceClient, JsonServiceFailError,
    Primitives, Problem,
};
use rpclib_core::model::{AnyXml, BigInt, ByteArray, Decimal, Lexical};
use rpclib_core::{
    Application, BoxError, ClientError, ClientTransport, OutgoingRequest, RemoteClient, Service,
};
use rpclib_protocol_json::{JsonRpc, JsonRpcError, jsonrpc};
use serde_json::{Value, json};

/// Feeds each request to a JSON-RPC server application in memory, recording the requests
/// and their content types.
struct Loopback {
    server: Arc<Application>,
    sent: Arc<Mutex<Vec<(Value, String)>>>,
}

impl ClientTransport for Loopback {
    fn send(&self, request: &OutgoingRequest<'_>) -> Result<Option<Vec<u8>>, BoxError> {
        let parsed: Value = serde_json::from_slice(request.body)?;
        self.sent
            .lock()
            .map_err(|e| e.to_string())?
            .push((parsed, request.content_type.to_owned()));
        let (status, reply) = common::serve_rpc(&self.server, request.body);
        assert_eq!(status, 200, "{reply}");
        Ok(Some(reply.into_bytes()))
    }
}

/// Answers every request with the same bytes.
struct Canned(Vec<u8>);

impl ClientTransport for Canned {
    fn send(&self, _: &OutgoingRequest<'_>) -> Result<Option<Vec<u8>>, BoxError> {
        Ok(Some(self.0.clone()))
    }
}

fn client_app(protocol: JsonRpc) -> Arc<Application> {
    Application::builder("Json", "urn:json")
        .declare(<JsonService as Service>::descriptor())
        .protocol(protocol)
        .build()
        .expect("valid client")
}

fn client_with(protocol: JsonRpc) -> JsonServiceClient<RemoteClient<Loopback>> {
    JsonServiceClient::new(RemoteClient::new(
        client_app(protocol),
        Loopback {
            server: common::rpc_server(),
            sent: Arc::default(),
        },
    ))
}

fn client() -> JsonServiceClient<RemoteClient<Loopback>> {
    client_with(JsonRpc::new())
}

fn sent(client: &JsonServiceClient<RemoteClient<Loopback>>) -> Vec<(Value, String)> {
    client.caller().transport().sent.lock().unwrap().clone()
}

fn canned(reply: &str) -> JsonServiceClient<RemoteClient<Canned>> {
    JsonServiceClient::new(RemoteClient::new(
        client_app(JsonRpc::new()),
        Canned(reply.as_bytes().to_vec()),
    ))
}

fn primitives() -> Primitives {
    Primitives {
        flag: true,
        tiny: -8,
        int: 123_456,
        long: -9_007_199_254_740_993,
        ulong: u64::MAX,
        big: BigInt::parse_lexical("123456789012345678901234567890").unwrap(),
        single: 1.5,
        double: -0.1,
        dec: Decimal::parse_lexical("12.50").unwrap(),
        text: "line\n\"quoted\" \u{2028} é".into(),
        bytes: ByteArray(vec![0, 1, 254, 255]),
        date: Lexical::parse_lexical("2024-02-29").unwrap(),
        time: Lexical::parse_lexical("12:30:00.5Z").unwrap(),
        stamp: Lexical::parse_lexical("2024-02-29T12:30:00+01:00").unwrap(),
        span: Lexical::parse_lexical("P1DT2H").unwrap(),
    }
}

fn derived() -> Derived {
    Derived {
        base: Base { id: 7, label: None },
        extra: "x".into(),
        day: Day::Weekend,
    }
}

fn containers() -> Containers {
    Containers {
        absent: None,
        nil: None,
        ints: vec![1, -2, 3],
        tags: vec!["a".into(), "b".into()],
        matrix: vec![vec![true], vec![], vec![false, true]],
        maybe: vec![Some(1), None],
        people: vec![derived()],
        xml: AnyXml::new("<a xmlns=\"urn:x\">1</a>"),
    }
}

/// Every method of the service, through both param styles.
fn every_method(client: &JsonServiceClient<RemoteClient<Loopback>>) {
    assert_eq!(client.echo_primitives(primitives()).unwrap(), primitives());
    assert_eq!(client.echo_containers(containers()).unwrap(), containers());
    assert_eq!(client.echo_derived(derived()).unwrap(), derived());
    assert_eq!(client.echo_string("é \"x\"".into()).unwrap(), "é \"x\"");
    assert_eq!(
        client.say_hello("Dave".into(), 2).unwrap(),
        ["Hello, Dave", "Hello, Dave"]
    );
    assert_eq!(
        client.say_hello("Dave".into(), 0).unwrap(),
        Vec::<String>::new()
    );
    client.nothing().unwrap();
    // The declared fault comes back whole: code, string, typed detail, and the error object.
    let Err(ClientError::Fault(fault)) = client.fail(7) else {
        panic!("expected a fault")
    };
    assert_eq!(fault.code.as_str(), "Client.Refused");
    assert_eq!(fault.string, "always fails");
    assert_eq!(
        fault.detail::<Problem>(),
        Some(&Problem {
            reason: "because".into(),
            code: 7
        })
    );
    let error = JsonRpcError::of(&fault).expect("the error object");
    assert_eq!(error.code, jsonrpc::SERVER_ERROR);
    assert_eq!(error.message, "always fails");
    assert_eq!(
        error.data,
        Some(
            json!({"faultcode": "Client.Refused", "faultstring": "always fails",
                    "detail": {"reason": "because", "code": 7}})
        )
    );
    // The generated fault enum sorts it by the declared type.
    match client.fail(8).map_err(JsonServiceFailError::from) {
        Err(JsonServiceFailError::Problem { detail, .. }) => assert_eq!(detail.code, 8),
        other => panic!("expected the Problem variant, got {other:?}"),
    }
    // A validation fault of the server's reading.
    let Err(ClientError::Fault(fault)) = client.say_hello(String::new(), 1) else {
        panic!("expected a fault")
    };
    assert_eq!(fault.code.as_str(), "Client.ValidationError");
    assert_eq!(
        JsonRpcError::of(&fault).map(|e| e.code),
        Some(jsonrpc::INVALID_PARAMS)
    );
}

#[test]
fn every_method_named() {
    let client = client();
    every_method(&client);
    let sent = sent(&client);
    // Exactly the spec's request object, ids counting from 1, one per call.
    assert_eq!(
        sent[4],
        (
            json!({"jsonrpc": "2.0", "method": "say_hello",
                   "params": {"name": "Dave", "times": 2}, "id": 5}),
            "application/json".to_owned()
        )
    );
    let ids: Vec<u64> = sent
        .iter()
        .map(|(r, _)| r["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (1..=sent.len() as u64).collect::<Vec<_>>());
    assert_eq!(
        sent[6].0["params"],
        json!({}),
        "a method without parameters"
    );
}

#[test]
fn every_method_positional() {
    let client = client_with(JsonRpc::new().positional_params());
    every_method(&client);
    let sent = sent(&client);
    assert_eq!(
        sent[4].0,
        json!({"jsonrpc": "2.0", "method": "say_hello", "params": ["Dave", 2], "id": 5})
    );
    assert_eq!(sent[6].0["params"], json!([]));
    // An absent optional part keeps its place, as null.
    assert_eq!(sent[2].0["params"][0]["label"], Value::Null);
}

#[test]
fn ids_are_unique_across_threads_and_clones() {
    // Clones of one protocol value share its counter: each thread's client application has
    // its own clone.
    let protocol = JsonRpc::new();
    let sent: Arc<Mutex<Vec<(Value, String)>>> = Arc::default();
    std::thread::scope(|s| {
        for _ in 0..4 {
            let transport = Loopback {
                server: common::rpc_server(),
                sent: Arc::clone(&sent),
            };
            let client =
                JsonServiceClient::new(RemoteClient::new(client_app(protocol.clone()), transport));
            s.spawn(move || {
                for _ in 0..25 {
                    client.echo_string("x".into()).unwrap();
                }
            });
        }
    });
    let mut ids: Vec<u64> = sent
        .lock()
        .unwrap()
        .iter()
        .map(|(r, _)| r["id"].as_u64().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=100).collect::<Vec<_>>());
}

/// What a canned reply to `say_hello` (the client's first call: id 1) gives.
fn reply_to_say_hello(reply: &str) -> Result<Vec<String>, ClientError> {
    canned(reply).say_hello("Dave".into(), 1)
}

#[test]
fn bad_replies_are_invalid_replies() {
    let invalid = "Client.InvalidResponse";
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "wrong id",
            r#"{"jsonrpc":"2.0","result":["Hello, Dave"],"id":2}"#,
            invalid,
            "the reply's `id` is 2, but the request's was 1",
        ),
        (
            "an id of another type",
            r#"{"jsonrpc":"2.0","result":["Hello, Dave"],"id":"1"}"#,
            invalid,
            "the reply's `id` is \"1\", but the request's was 1",
        ),
        (
            "a result with a null id",
            r#"{"jsonrpc":"2.0","result":["Hello, Dave"],"id":null}"#,
            invalid,
            "the reply's `id` is null, but the request's was 1",
        ),
        (
            "no id",
            r#"{"jsonrpc":"2.0","result":["Hello, Dave"]}"#,
            invalid,
            "the reply has no `id` member",
        ),
        (
            "missing jsonrpc",
            r#"{"result":["Hello, Dave"],"id":1}"#,
            invalid,
            "the reply has no `jsonrpc` member (must be \"2.0\")",
        ),
        (
            "wrong jsonrpc",
            r#"{"jsonrpc":"1.0","result":["Hello, Dave"],"id":1}"#,
            invalid,
            "the reply's `jsonrpc` must be \"2.0\", found \"1.0\"",
        ),
        (
            "both result and error",
            r#"{"jsonrpc":"2.0","result":[],"error":{"code":1,"message":"x"},"id":1}"#,
            invalid,
            "the reply has both `result` and `error` (a response has exactly one)",
        ),
        (
            "neither result nor error",
            r#"{"jsonrpc":"2.0","id":1}"#,
            invalid,
            "the reply has neither `result` nor `error` (a response has exactly one)",
        ),
        (
            "an error object missing code",
            r#"{"jsonrpc":"2.0","error":{"message":"x"},"id":1}"#,
            invalid,
            "the reply's `error` has no `code` member",
        ),
        (
            "a code that is not an integer",
            r#"{"jsonrpc":"2.0","error":{"code":"-32000","message":"x"},"id":1}"#,
            invalid,
            "the reply's `error.code` must be an integer, found a string",
        ),
        (
            "a fractional code",
            r#"{"jsonrpc":"2.0","error":{"code":-32000.5,"message":"x"},"id":1}"#,
            invalid,
            "the reply's `error.code` must be an integer, found a number",
        ),
        (
            "an error object missing message",
            r#"{"jsonrpc":"2.0","error":{"code":-32000},"id":1}"#,
            invalid,
            "the reply's `error` has no `message` member",
        ),
        (
            "an error that is not an object",
            r#"{"jsonrpc":"2.0","error":"boom","id":1}"#,
            invalid,
            "the reply's `error` must be an object, found a string",
        ),
        (
            "a batch reply",
            r#"[{"jsonrpc":"2.0","result":["Hello, Dave"],"id":1}]"#,
            invalid,
            "expected a response object, found an array (a batch reply to a single call)",
        ),
        (
            "not an object",
            "42",
            invalid,
            "expected a response object, found a number",
        ),
        (
            "malformed JSON",
            r#"{"jsonrpc":"2.0","result":["Hello, Dave"],"id":1"#,
            "Client.JSONSyntaxError",
            "incomplete JSON: EOF while parsing an object at line 1 column 48",
        ),
        (
            "not JSON at all",
            "<html>oops</html>",
            "Client.JSONSyntaxError",
            "invalid JSON: expected value at line 1 column 1",
        ),
        (
            "a member twice",
            r#"{"jsonrpc":"2.0","result":[],"result":["x"],"id":1}"#,
            invalid,
            "member `result` appears more than once at line 1 column 37",
        ),
        (
            "a result of the wrong type",
            r#"{"jsonrpc":"2.0","result":"Hello, Dave","id":1}"#,
            "Client.ValidationError",
            "expected an array (`stringArray`), found a string at `$.result`",
        ),
        (
            "a result item of the wrong type",
            r#"{"jsonrpc":"2.0","result":["a",2],"id":1}"#,
            "Client.ValidationError",
            "expected a string (`string`), found a number at `$.result[1]`",
        ),
    ];
    let mut failures = Vec::new();
    for (what, reply, code, message) in cases {
        match reply_to_say_hello(reply) {
            Err(ClientError::InvalidReply(f))
                if f.code.as_str() == *code && f.string == *message => {}
            other => failures.push(format!(
                "{what}: expected {code}: {message}\n  got {other:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lenient_where_the_spec_allows() {
    // Unknown members are ignored; members in any order.
    assert_eq!(
        reply_to_say_hello(r#"{"id":1,"result":["Hello, Dave"],"meta":{"t":1},"jsonrpc":"2.0"}"#)
            .unwrap(),
        ["Hello, Dave"]
    );
    // An error whose id is null: the server could not read the request's.
    let Err(ClientError::Fault(f)) = reply_to_say_hello(
        r#"{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}"#,
    ) else {
        panic!("expected a fault")
    };
    assert_eq!(f.code.as_str(), "Client.JSONSyntaxError");
    // A method returning nothing accepts any result.
    let client = canned(r#"{"jsonrpc":"2.0","result":true,"id":1}"#);
    client.nothing().unwrap();
}

#[test]
fn foreign_errors_map_to_faults() {
    let cases: &[(i64, &str)] = &[
        (jsonrpc::PARSE_ERROR, "Client.JSONSyntaxError"),
        (jsonrpc::INVALID_REQUEST, "Client.InvalidRequest"),
        (jsonrpc::METHOD_NOT_FOUND_CODE, "Client.MethodNotFound"),
        (jsonrpc::INVALID_PARAMS, "Client.ValidationError"),
        (jsonrpc::INTERNAL_ERROR, "Server.InternalError"),
        (jsonrpc::SERVER_ERROR, "Server"),
        (-32099, "Server"),
        (42, "Server"),
        (-1, "Server"),
    ];
    for (code, fault_code) in cases {
        let reply = json!({"jsonrpc": "2.0", "id": 1,
            "error": {"code": code, "message": "went wrong", "data": [1, {"why": "x"}, 2.5]}});
        let Err(ClientError::Fault(f)) = reply_to_say_hello(&reply.to_string()) else {
            panic!("{code}: expected a fault")
        };
        assert_eq!(f.code.as_str(), *fault_code, "{code}");
        assert_eq!(f.string, "went wrong");
        assert!(f.detail.is_none());
        let error = JsonRpcError::of(&f).expect("the error object");
        assert_eq!(
            (error.code, error.message.as_str(), error.data.clone()),
            (*code, "went wrong", Some(json!([1, {"why": "x"}, 2.5])))
        );
    }
    // Without data.
    let Err(ClientError::Fault(f)) =
        reply_to_say_hello(r#"{"jsonrpc":"2.0","error":{"code":7,"message":"m"},"id":1}"#)
    else {
        panic!("expected a fault")
    };
    assert_eq!(JsonRpcError::of(&f).and_then(|e| e.data.clone()), None);
    // Our fault in data, with an actor; a detail no declared type reads stays untyped.
    let Err(ClientError::Fault(f)) = canned(
        r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"m","data":
            {"faultcode":"Client.Refused","faultstring":"no","faultactor":"urn:a","detail":{"other":1}}}}"#,
    )
    .fail(1) else {
        panic!("expected a fault")
    };
    assert_eq!(
        (f.code.as_str(), f.string.as_str(), f.actor.as_deref()),
        ("Client.Refused", "no", Some("urn:a"))
    );
    assert!(f.detail.is_none());
}

/// Each cut and each one-byte change of real replies (a result, an error with a typed detail)
/// reads as a result or an error, never a panic.
#[test]
fn mutated_replies_never_panic() {
    let server = common::rpc_server();
    let request = |method: &str, params: Value| {
        json!({"jsonrpc": "2.0", "method": method, "params": params, "id": 1}).to_string()
    };
    let hello = common::serve_rpc(
        &server,
        request("say_hello", json!({"name": "Dave", "times": 2})).as_bytes(),
    )
    .1;
    let fault = common::serve_rpc(&server, request("fail", json!({"code": 7})).as_bytes()).1;
    assert!(reply_to_say_hello(&hello).is_ok(), "{hello}");
    assert!(
        matches!(canned(&fault).fail(7), Err(ClientError::Fault(f)) if f.detail.is_some()),
        "{fault}"
    );
    for reply in [hello, fault] {
        let bytes = reply.as_bytes();
        for i in 0..bytes.len() {
            let cut = String::from_utf8_lossy(&bytes[..i]).into_owned();
            let _ = reply_to_say_hello(&cut);
            let _ = canned(&cut).fail(7);
            for b in [b'"', b'{', b']', b'0', b'-', b'n', b' '] {
                let mut changed = bytes.to_vec();
                changed[i] = b;
                let changed = String::from_utf8_lossy(&changed).into_owned();
                let _ = reply_to_say_hello(&changed);
                let _ = canned(&changed).fail(7);
            }
        }
    }
}
