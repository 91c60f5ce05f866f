//! JSON-RPC 2.0 golden files: each `tests/data/jsonrpc/NAME.request.json` run through a
//! server (batches split and joined as the HTTP transport does), its reply and status
//! compared byte for byte with `NAME.response.json` (first line: the status; 204 and an
//! empty reply for notifications). Regenerate with
//! `BLESS=1 cargo test -p rpclib-protocol-json --test jsonrpc_golden`, then review the diff.
//! Every request is also cut and mutated byte by byte: each variant must still get a
//! JSON-RPC reply (or nothing), never a panic.

mod common;

use std::path::Path;

use serde_json::Value;

const CASES: &[&str] = &[
    "say_hello",
    "positional",
    "primitives",
    "containers",
    "fault_detail",
    "nothing",
    "validation",
    "invalid_params",
    "method_not_found",
    "invalid_request",
    "parse_error",
    "notification",
    "empty_batch",
    "batch",
    "notifications_batch",
];

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jsonrpc")
}

#[test]
fn golden_replies() {
    let app = common::rpc_server();
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for name in CASES {
        let request = std::fs::read(dir().join(format!("{name}.request.json"))).unwrap();
        let (status, reply) = common::serve_rpc(&app, &request);
        let got = format!("{status}\n{reply}\n");
        let path = dir().join(format!("{name}.response.json"));
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            failures.push(format!("{name}:\n got  {got}\n want {want}"));
        }
        check_reply(name, status, &reply);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A reply is nothing (204), one response object, or a non-empty array of them.
fn check_reply(what: &str, status: u16, reply: &str) {
    if reply.is_empty() {
        assert_eq!(status, 204, "{what}");
        return;
    }
    assert_eq!(status, 200, "{what}: {reply}");
    let value: Value =
        serde_json::from_str(reply).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {reply}"));
    let objects = match &value {
        Value::Array(items) => {
            assert!(!items.is_empty(), "{what}: empty batch reply");
            items.clone()
        }
        other => vec![other.clone()],
    };
    for object in objects {
        let Value::Object(members) = &object else {
            panic!("{what}: not an object: {reply}");
        };
        assert_eq!(object["jsonrpc"], "2.0", "{what}: {reply}");
        assert!(members.contains_key("id"), "{what}: {reply}");
        let has_result = members.contains_key("result");
        let has_error = members.contains_key("error");
        assert!(has_result != has_error, "{what}: {reply}");
        if has_error {
            let code = object["error"]["code"].as_i64().unwrap();
            assert!(
                [-32700, -32600, -32601, -32602, -32603, -32000].contains(&code),
                "{what}: {reply}"
            );
            assert!(object["error"]["message"].is_string(), "{what}: {reply}");
            assert!(
                object["error"]["data"]["faultcode"].is_string(),
                "{what}: {reply}"
            );
        }
    }
}

#[test]
fn cut_and_mutated_requests_always_get_a_reply() {
    let app = common::rpc_server();
    for name in CASES {
        let request = std::fs::read(dir().join(format!("{name}.request.json"))).unwrap();
        for cut in 0..request.len() {
            let (status, reply) = common::serve_rpc(&app, &request[..cut]);
            check_reply(&format!("{name} cut at {cut}"), status, &reply);
        }
        for i in 0..request.len() {
            for byte in [b'[', b'{', b'"', b'0', b'}', b'\\', 0xff] {
                let mut mutated = request.clone();
                mutated[i] = byte;
                let (status, reply) = common::serve_rpc(&app, &mutated);
                check_reply(&format!("{name} with {byte:#x} at {i}"), status, &reply);
            }
        }
    }
}
