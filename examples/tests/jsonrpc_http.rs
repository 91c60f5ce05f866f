//! JSON-RPC 2.0 (`JsonRpc`) over real sockets: single calls with named and positional
//! params, ids of every kind echoed, every error code, notifications (204), batches mixing
//! calls, notifications and invalid elements, and a table of bad input.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use common::{RawReply, exchange};
use rpclib_core::{Application, Fault, service};
use rpclib_protocol_json::{JsonRpc, Limits};
use rpclib_transport_http::HttpConfig;
use serde_json::{Value, json};

/// Counts the calls of `record`, so that a notification's effect can be seen.
static RECORDED: AtomicUsize = AtomicUsize::new(0);

/// A fault detail.
#[derive(Debug, Clone, PartialEq, rpclib_core::ComplexModel)]
#[model(namespace = "urn:test:rpc")]
pub struct Missing {
    /// What was looked for.
    pub key: String,
}

/// The service under test.
#[derive(Debug)]
pub struct Calc;

#[service(namespace = "urn:test:rpc")]
impl Calc {
    /// Adds.
    #[rpc]
    fn add(&self, a: i32, b: i32) -> i32 {
        a + b
    }

    /// Says hello, with constraints.
    #[rpc]
    async fn greet(
        &self,
        #[model(min_len = 1)] name: String,
        #[model(max_inclusive = 3)] times: u32,
    ) -> Vec<String> {
        (0..times).map(|_| format!("Hi {name}")).collect()
    }

    /// Returns nothing; counts.
    #[rpc]
    fn record(&self, _text: String) {
        RECORDED.fetch_add(1, Ordering::SeqCst);
    }

    /// A big integer (written as a string beyond 2^53).
    #[rpc]
    fn big(&self) -> u64 {
        9_007_199_254_740_993
    }

    /// Fails as asked.
    #[rpc(faults(Missing))]
    fn fail(&self, how: String) -> Result<String, Fault> {
        match how.as_str() {
            "server" => Err(Fault::server("the database is down")),
            "client" => {
                Err(Fault::client("NotFound", "no such key")
                    .with_detail(Missing { key: "k".into() }))
            }
            "panic" => panic!("a bug"),
            _ => Ok(how),
        }
    }
}

fn serve_with(limits: Limits, config: HttpConfig) -> std::net::SocketAddr {
    let app = Application::builder("Calc", "urn:test:rpc")
        .service(Calc)
        .protocol(JsonRpc::with_limits(limits))
        .build()
        .unwrap();
    common::serve(app, config)
}

fn server() -> std::net::SocketAddr {
    static ADDR: std::sync::OnceLock<std::net::SocketAddr> = std::sync::OnceLock::new();
    *ADDR.get_or_init(|| serve_with(Limits::default(), HttpConfig::default()))
}

fn post(addr: std::net::SocketAddr, body: &[u8]) -> RawReply {
    let mut request = format!(
        "POST /rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    exchange(addr, &request)
}

/// Posts `body` and parses the JSON reply (status 200, `application/json`).
fn call(body: &str) -> Value {
    let reply = post(server(), body.as_bytes());
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(
        reply.header("content-type"),
        "application/json",
        "{reply:?}"
    );
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body))
}

/// The error object of a reply, checked to be a well-formed error response with `id`.
fn error_of(reply: &Value, id: &Value) -> (i64, String) {
    assert_eq!(reply["jsonrpc"], "2.0", "{reply}");
    assert_eq!(&reply["id"], id, "{reply}");
    assert!(reply.get("result").is_none(), "{reply}");
    let error = &reply["error"];
    let code = error["code"].as_i64().unwrap_or_else(|| panic!("{reply}"));
    assert!(error["message"].is_string(), "{reply}");
    let text = error["data"]["faultstring"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (code, text)
}

#[test]
fn named_and_positional_params() {
    let named =
        call(r#"{"jsonrpc":"2.0","method":"greet","params":{"times":2,"name":"Ann"},"id":1}"#);
    assert_eq!(
        named,
        json!({"jsonrpc":"2.0","result":["Hi Ann","Hi Ann"],"id":1})
    );
    let positional = call(r#"{"jsonrpc":"2.0","method":"add","params":[40,2],"id":2}"#);
    assert_eq!(positional, json!({"jsonrpc":"2.0","result":42,"id":2}));
    // No params for a method without parameters; a unit result is null; a big integer is
    // a string.
    assert_eq!(
        call(r#"{"jsonrpc":"2.0","method":"big","id":3}"#)["result"],
        "9007199254740993"
    );
    assert_eq!(
        call(r#"{"jsonrpc":"2.0","method":"record","params":["x"],"id":4}"#),
        json!({"jsonrpc":"2.0","result":null,"id":4})
    );
}

#[test]
fn ids_are_echoed_exactly() {
    for id in [
        r#""abc""#,
        r#""""#,
        r#""\u00e9\n""#,
        "0",
        "-7",
        "18446744073709551615",
        "-9223372036854775808",
        "1.5",
        "null",
    ] {
        let body = format!(r#"{{"jsonrpc":"2.0","method":"add","params":[1,1],"id":{id}}}"#);
        let reply = post(server(), body.as_bytes());
        assert_eq!(reply.status, 200);
        let expected_tail = format!(
            r#","id":{}}}"#,
            serde_json::to_string(&serde_json::from_str::<Value>(id).unwrap()).unwrap()
        );
        assert!(reply.body.ends_with(&expected_tail), "{id}: {}", reply.body);
        // The exact text for integers (no float round trip).
        if !id.contains('.') && !id.starts_with('"') {
            assert!(
                reply.body.ends_with(&format!(r#","id":{id}}}"#)),
                "{}",
                reply.body
            );
        }
    }
}

#[test]
fn every_error_code() {
    let null = Value::Null;
    // -32700: not JSON.
    let (code, text) = error_of(&call(r#"{"jsonrpc":"2.0","method""#), &null);
    assert_eq!(code, -32700);
    assert!(text.contains("line 1"), "{text}");
    // -32600: not a request object; the id echoed when it is readable.
    let (code, text) = error_of(
        &call(r#"{"jsonrpc":"1.0","method":"add","id":5}"#),
        &json!(5),
    );
    assert_eq!(
        (code, text.as_str()),
        (-32600, "`jsonrpc` must be \"2.0\", found \"1.0\"")
    );
    // -32601.
    let (code, text) = error_of(
        &call(r#"{"jsonrpc":"2.0","method":"nope","id":"q"}"#),
        &json!("q"),
    );
    assert_eq!(
        (code, text.as_str()),
        (-32601, "no method is called `nope`")
    );
    // -32602: deserialization and validation.
    for (params, needle) in [
        (r#"{"a":1,"b":"x"}"#, "$.params.b"),
        (r#"{"a":1}"#, "b"),
        (
            r#"[1,2,3]"#,
            "3 positional params given, but the method takes 2 (a, b)",
        ),
        (r#"[1,"2x"]"#, "$.params[1]"),
        (r#"{"a":1,"b":2,"c":3}"#, "unexpected member `c`"),
        (r#"[null,1]"#, "param 0 (`a`) is null"),
    ] {
        let body = format!(r#"{{"jsonrpc":"2.0","method":"add","params":{params},"id":1}}"#);
        let (code, text) = error_of(&call(&body), &json!(1));
        assert_eq!(code, -32602, "{params}: {text}");
        assert!(text.contains(needle), "{params}: {text}");
    }
    let (code, text) = error_of(
        &call(r#"{"jsonrpc":"2.0","method":"greet","params":["Ann",4],"id":1}"#),
        &json!(1),
    );
    assert_eq!(code, -32602);
    assert!(text.contains("times"), "{text}");
    // -32603: a panicking method.
    let reply = call(r#"{"jsonrpc":"2.0","method":"fail","params":["panic"],"id":9}"#);
    assert_eq!(error_of(&reply, &json!(9)).0, -32603);
    assert_eq!(reply["error"]["message"], "Internal error");
    // -32000: application faults, with their code and detail in `data`.
    let reply = call(r#"{"jsonrpc":"2.0","method":"fail","params":["server"],"id":10}"#);
    assert_eq!(
        reply["error"],
        json!({"code":-32000,"message":"the database is down","data":{"faultcode":"Server","faultstring":"the database is down"}})
    );
    let reply = call(r#"{"jsonrpc":"2.0","method":"fail","params":{"how":"client"},"id":11}"#);
    assert_eq!(reply["error"]["code"], -32000);
    assert_eq!(reply["error"]["data"]["faultcode"], "Client.NotFound");
    assert_eq!(reply["error"]["data"]["detail"], json!({"key":"k"}));
}

#[test]
fn invalid_request_objects() {
    let null = Value::Null;
    for (body, id, needle) in [
        ("1", &null, "found a number"),
        (r#""x""#, &null, "found a string"),
        ("null", &null, "found null"),
        ("[]", &null, "an empty batch"),
        (
            r#"{"method":"add","id":1}"#,
            &json!(1),
            "no `jsonrpc` member",
        ),
        (
            r#"{"jsonrpc":2.0,"method":"add","id":1}"#,
            &json!(1),
            "found a number",
        ),
        (
            r#"{"jsonrpc":"2.0","id":1}"#,
            &json!(1),
            "no `method` member",
        ),
        (
            r#"{"jsonrpc":"2.0","method":7,"id":1}"#,
            &json!(1),
            "`method` must be a string",
        ),
        (
            r#"{"jsonrpc":"2.0","method":"add","params":3,"id":1}"#,
            &json!(1),
            "`params` must be",
        ),
        (
            r#"{"jsonrpc":"2.0","method":"add","id":{}}"#,
            &null,
            "`id` must be",
        ),
        (
            r#"{"jsonrpc":"2.0","method":"add","id":[1]}"#,
            &null,
            "`id` must be",
        ),
        (
            r#"{"jsonrpc":"2.0","method":"add","id":true}"#,
            &null,
            "`id` must be",
        ),
        (
            r#"{"jsonrpc":"2.0","method":"add","extra":1,"id":1}"#,
            &json!(1),
            "unexpected member `extra`",
        ),
        (
            r#"{"jsonrpc":"2.0","method":"add","method":"add","id":1}"#,
            &null,
            "appears more than once",
        ),
        // Invalid, so answered although it has no id.
        (
            r#"{"jsonrpc":"2.0","method":1}"#,
            &null,
            "`method` must be a string",
        ),
    ] {
        let (code, text) = error_of(&call(body), id);
        assert_eq!(code, -32600, "{body}: {text}");
        assert!(text.contains(needle), "{body}: {text}");
    }
}

#[test]
fn notifications_run_and_answer_nothing() {
    let before = RECORDED.load(Ordering::SeqCst);
    let reply = post(
        server(),
        br#"{"jsonrpc":"2.0","method":"record","params":["n"]}"#,
    );
    assert_eq!((reply.status, reply.body.as_str()), (204, ""), "{reply:?}");
    assert!(reply.header("content-type").is_empty(), "{reply:?}");
    assert!(RECORDED.load(Ordering::SeqCst) > before);
    // Errors of notifications are not reported either.
    for body in [
        r#"{"jsonrpc":"2.0","method":"nope"}"#,
        r#"{"jsonrpc":"2.0","method":"add","params":["x"]}"#,
        r#"{"jsonrpc":"2.0","method":"fail","params":["panic"]}"#,
        r#"[{"jsonrpc":"2.0","method":"record","params":["a"]},{"jsonrpc":"2.0","method":"nope"}]"#,
    ] {
        let reply = post(server(), body.as_bytes());
        assert_eq!(
            (reply.status, reply.body.as_str()),
            (204, ""),
            "{body}: {reply:?}"
        );
    }
}

#[test]
fn batches_answer_each_element_in_order() {
    let before = RECORDED.load(Ordering::SeqCst);
    let reply = call(
        r#"[
        {"jsonrpc":"2.0","method":"add","params":[1,2],"id":"1"},
        {"jsonrpc":"2.0","method":"record","params":["batch"]},
        1,
        {"jsonrpc":"2.0","method":"nope","id":2},
        {"foo":"boo"},
        {"jsonrpc":"2.0","method":"greet","params":{"name":"B","times":1},"id":null},
        {"jsonrpc":"2.0","method":"fail","params":["server"],"id":3},
        {"jsonrpc":"2.0","method":"add","params":[1],"id":4}
    ]"#,
    );
    assert!(RECORDED.load(Ordering::SeqCst) > before);
    let items = reply.as_array().unwrap_or_else(|| panic!("{reply}"));
    assert_eq!(items.len(), 7, "{reply}");
    assert_eq!(items[0], json!({"jsonrpc":"2.0","result":3,"id":"1"}));
    assert_eq!(error_of(&items[1], &Value::Null).0, -32600);
    assert_eq!(error_of(&items[2], &json!(2)).0, -32601);
    assert_eq!(error_of(&items[3], &Value::Null).0, -32600);
    assert_eq!(
        items[4],
        json!({"jsonrpc":"2.0","result":["Hi B"],"id":null})
    );
    assert_eq!(error_of(&items[5], &json!(3)).0, -32000);
    assert_eq!(error_of(&items[6], &json!(4)).0, -32602);
    // A batch of one invalid element is an array of one error; `[]` is one error object.
    let one = call("[1]");
    assert_eq!(one.as_array().map(Vec::len), Some(1), "{one}");
    assert!(call("[]").is_object());
    // A batch whose text is broken is one parse error.
    assert_eq!(
        error_of(&call(r#"[{"jsonrpc":"2.0","method":"add"},"#), &Value::Null).0,
        -32700
    );
}

#[test]
fn bad_input_gets_clear_errors() {
    let null = Value::Null;
    let deep = format!(
        r#"{{"jsonrpc":"2.0","method":"add","params":{}1{},"id":1}}"#,
        "[".repeat(90),
        "]".repeat(90)
    );
    let deep_batch = format!("[{}{}]", "[".repeat(90), "]".repeat(90));
    let many = format!("[{}1]", "1,".repeat(200));
    let long_string = format!(
        r#"{{"jsonrpc":"2.0","method":"{}","id":1}}"#,
        "m".repeat(300)
    );
    let cases: Vec<(&[u8], i64, &str)> = vec![
        (b"", -32700, "incomplete JSON"),
        (b"   ", -32700, "incomplete JSON"),
        (b"{", -32700, "incomplete JSON"),
        (b"nul", -32700, "incomplete JSON"),
        (b"nulx", -32700, "invalid JSON"),
        (b"{}x", -32700, "trailing characters"),
        (b"[1,", -32700, "incomplete JSON"),
        (b"\xff\xfe{}", -32700, "invalid JSON"),
        (
            br#"{"jsonrpc":"2.0","method":"a\ud800"}"#,
            -32700,
            "invalid JSON",
        ),
        (
            deep.as_bytes(),
            -32600,
            "nesting deeper than the limit of 64",
        ),
        (
            deep_batch.as_bytes(),
            -32600,
            "nesting deeper than the limit of 64",
        ),
        (many.as_bytes(), -32600, "more than 100 items"),
        (
            long_string.as_bytes(),
            -32600,
            "longer than the limit of 256",
        ),
    ];
    let addr = limited_server();
    for (body, code, needle) in cases {
        let reply = post(addr, body);
        assert_eq!(reply.status, 200, "{reply:?}");
        let value: Value = serde_json::from_str(&reply.body).unwrap();
        let (got, text) = error_of(&value, &null);
        assert_eq!(got, code, "{}: {text}", String::from_utf8_lossy(body));
        assert!(
            text.contains(needle),
            "{}: {text}",
            String::from_utf8_lossy(body)
        );
    }
    // Beyond the protocol's size limit: Invalid Request naming the size.
    let big = format!(
        r#"{{"jsonrpc":"2.0","method":"add","params":["{}"],"id":1}}"#,
        "x".repeat(5000)
    );
    let reply = post(addr, big.as_bytes());
    let (code, text) = error_of(&serde_json::from_str(&reply.body).unwrap(), &null);
    assert_eq!(code, -32600);
    assert!(text.contains("more than the limit of 4096"), "{text}");
    // Beyond the server's body limit: 413 from the transport, still a JSON-RPC error.
    let huge = vec![b' '; 20_000];
    let reply = post(addr, &huge);
    assert_eq!(reply.status, 413, "{reply:?}");
    let (code, text) = error_of(&serde_json::from_str(&reply.body).unwrap(), &null);
    assert_eq!(code, -32600);
    assert!(text.contains("exceeds the limit of 10000 bytes"), "{text}");
}

/// A server with small limits.
fn limited_server() -> std::net::SocketAddr {
    static ADDR: std::sync::OnceLock<std::net::SocketAddr> = std::sync::OnceLock::new();
    *ADDR.get_or_init(|| {
        let limits = Limits::default()
            .max_items(100)
            .max_string_bytes(256)
            .max_input_bytes(4096);
        let config = HttpConfig {
            max_body_bytes: 10_000,
            ..HttpConfig::default()
        };
        serve_with(limits, config)
    })
}

#[test]
fn a_large_batch_costs_linear_time() {
    // 2,000 calls in one request, answered in order.
    let calls: Vec<String> = (0..2000)
        .map(|i| format!(r#"{{"jsonrpc":"2.0","method":"add","params":[{i},1],"id":{i}}}"#))
        .collect();
    let reply = call(&format!("[{}]", calls.join(",")));
    let items = reply.as_array().unwrap();
    assert_eq!(items.len(), 2000);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["id"], json!(i));
        assert_eq!(item["result"], json!(i + 1));
    }
}
