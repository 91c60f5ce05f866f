//! The OpenAPI document over a real socket: the `multi` endpoints serve it at
//! `/openapi.json`, describing exactly the JSON endpoints they mount; the interop service's
//! document builds and stays as committed (deterministic).

mod common;

use std::net::SocketAddr;

use common::exchange;
use rpclib_examples::multi::{self, OPENAPI_PATH, PATHS, RPC_PREFIX};
use rpclib_interface_openapi::OpenApi;
use rpclib_transport_http::HttpConfig;
use serde_json::{Value, json};

fn serve_multi() -> SocketAddr {
    common::serve_endpoints(multi::endpoints(&HttpConfig::default()).unwrap())
}

#[test]
fn multi_serves_its_openapi_document() {
    let addr = serve_multi();
    let reply = exchange(
        addr,
        format!("GET {OPENAPI_PATH} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("content-type"), "application/json");
    assert_eq!(reply.body, multi::openapi_document().unwrap());
    let doc: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    // Every described path is served: /json itself, /rpc/<method> under the /rpc prefix.
    for path in doc["paths"].as_object().unwrap().keys() {
        let mounted = PATHS.contains(&path.as_str()) || path.starts_with(&format!("{RPC_PREFIX}/"));
        assert!(mounted, "{path} is described but not mounted");
    }
    // say_hello is marked safe: its HttpRpc path has a GET with query parameters.
    let get = &doc["paths"][format!("{RPC_PREFIX}/say_hello")]["get"];
    assert!(
        get.is_object(),
        "no GET for the safe say_hello: {}",
        doc["paths"]
    );
    let request = &doc["paths"]["/json"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        ["oneOf"][0];
    assert_eq!(request["required"], json!(["say_hello"]));
    let args = &doc["components"]["schemas"]["say_hello"];
    assert_eq!(
        args["properties"]["name"],
        json!({"type": "string", "minLength": 1, "maxLength": 256})
    );

    // The call the document describes works, and its fault is the described object.
    let body = r#"{"say_hello": {"name": "", "times": 1}}"#;
    let fault = exchange(
        addr,
        format!(
            "POST /json HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert_eq!(fault.status, 400);
    let fault: Value = serde_json::from_str(&fault.body).unwrap();
    let allowed = doc["components"]["schemas"]["rpclib.Fault"]["properties"]
        .as_object()
        .unwrap();
    for member in fault["Fault"].as_object().unwrap().keys() {
        assert!(allowed.contains_key(member), "{member}");
    }

    let post = exchange(
        addr,
        format!("POST {OPENAPI_PATH} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), "GET, HEAD");
}

#[test]
fn the_interop_document_is_as_committed() {
    let app = rpclib_examples::interop::app().unwrap();
    let text = OpenApi::new("Application", "1.0.0")
        .json_document("/json", app.catalogue())
        .to_json()
        .unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/interop.openapi.json");
    if std::env::var_os("RPCLIB_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text,
        committed,
        "RPCLIB_BLESS=1 rewrites {}",
        path.display()
    );
}
