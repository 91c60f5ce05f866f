//! One server, several endpoints: the `multi` example as a process, answering the hello
//! service at `/soap` (SOAP 1.1 and 1.2, its WSDL naming `/soap`), `/json`, `/jsonrpc`,
//! `/msgpack`, `/xml` (XmlDocument) and under `/rpc` (HttpRpc: GET and forms), and 404
//! elsewhere; and `Endpoints` in process, two SOAP endpoints each naming
//! its own address.

#[path = "../examples/multi.rs"]
#[allow(dead_code, unreachable_pub)] // its `main` is not called here
mod multi_example;

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{RawReply, exchange};
use rpclib_examples::hello;
use rpclib_examples::server::soap_app;
use rpclib_transport_http::{Endpoints, RpcService, Server};
use serde_json::{Value, json};

/// The entry point of the example child process (does nothing in a normal run).
#[test]
fn example_child() {
    let Some(a) = common::child::args() else {
        return;
    };
    multi_example::run(a).unwrap();
}

/// Starts `multi --port 0` in a child process and reads its readiness line.
fn start_multi() -> (common::child::Running, SocketAddr) {
    let mut child = common::child::command(&["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let running = common::child::Running(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            // The harness prints the test's name on the same line first.
            if let Some((_, rest)) = line.split_once("listening on http://") {
                let _ = tx.send(rest.trim().trim_end_matches('/').to_owned());
            }
        }
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the multi example prints `listening on http://127.0.0.1:N/`");
    let addr: SocketAddr = addr.parse().unwrap();
    assert!(addr.ip().is_loopback(), "{addr}");
    (running, addr)
}

fn post(addr: SocketAddr, path: &str, content_type: &str, extra: &str, body: &[u8]) -> RawReply {
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    exchange(addr, &request)
}

fn get(addr: SocketAddr, path: &str) -> RawReply {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    exchange(addr, request.as_bytes())
}

fn soap_body(envelope_ns: &str) -> String {
    format!(
        "<e:Envelope xmlns:e=\"{envelope_ns}\" xmlns:b=\"{}\"><e:Body><b:say_hello>\
         <b:name>Dave</b:name><b:times>2</b:times></b:say_hello></e:Body></e:Envelope>",
        hello::TNS
    )
}

/// `{"say_hello": {"name": "Dave", "times": 2}}` in MessagePack.
fn msgpack_request() -> Vec<u8> {
    let mut out = vec![0x81, 0xa9];
    out.extend_from_slice(b"say_hello");
    out.extend_from_slice(&[0x82, 0xa4]);
    out.extend_from_slice(b"name");
    out.push(0xa4);
    out.extend_from_slice(b"Dave");
    out.push(0xa5);
    out.extend_from_slice(b"times");
    out.push(0x02);
    out
}

#[test]
fn the_multi_example_answers_on_every_path() {
    let started = Instant::now();
    let (_server, addr) = start_multi();

    // SOAP 1.1 and 1.2 on one path.
    let soap11 = post(
        addr,
        "/soap",
        "text/xml; charset=utf-8",
        "SOAPAction: \"say_hello\"\r\n",
        soap_body("http://schemas.xmlsoap.org/soap/envelope/").as_bytes(),
    );
    assert_eq!(soap11.status, 200, "{soap11:?}");
    assert!(
        soap11.header("content-type").starts_with("text/xml"),
        "{soap11:?}"
    );
    assert_eq!(soap11.body.matches("Hello, Dave").count(), 2, "{soap11:?}");
    let soap12 = post(
        addr,
        "/soap",
        "application/soap+xml; charset=utf-8; action=\"say_hello\"",
        "",
        soap_body("http://www.w3.org/2003/05/soap-envelope").as_bytes(),
    );
    assert_eq!(soap12.status, 200, "{soap12:?}");
    assert!(
        soap12
            .header("content-type")
            .starts_with("application/soap+xml"),
        "{soap12:?}"
    );
    assert_eq!(soap12.body.matches("Hello, Dave").count(), 2, "{soap12:?}");

    // The WSDL names /soap, for both versions.
    let wsdl = get(addr, "/soap?wsdl");
    assert_eq!(wsdl.status, 200, "{wsdl:?}");
    let location = format!("location=\"http://{addr}/soap\"");
    assert_eq!(wsdl.body.matches(&location).count(), 2, "{}", wsdl.body);
    assert!(wsdl.body.contains("soap12:address"), "{}", wsdl.body);

    // JsonDocument.
    let json = post(
        addr,
        "/json",
        "application/json",
        "",
        br#"{"say_hello": {"name": "Dave", "times": 2}}"#,
    );
    assert_eq!(json.status, 200, "{json:?}");
    let value: Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(
        value,
        json!({"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}})
    );

    // JSON-RPC 2.0: single, batch, notification, error.
    let rpc = post(
        addr,
        "/jsonrpc",
        "application/json",
        "",
        br#"{"jsonrpc": "2.0", "method": "say_hello", "params": ["Dave", 2], "id": 1}"#,
    );
    let value: Value = serde_json::from_str(&rpc.body).unwrap();
    assert_eq!(
        value,
        json!({"jsonrpc": "2.0", "result": ["Hello, Dave", "Hello, Dave"], "id": 1})
    );
    let batch = post(
        addr,
        "/jsonrpc",
        "application/json",
        "",
        br#"[{"jsonrpc": "2.0", "method": "say_hello", "params": {"name": "A", "times": 1}, "id": "a"},
             {"jsonrpc": "2.0", "method": "say_hello", "params": ["N", 1]},
             {"jsonrpc": "2.0", "method": "say_hello", "params": ["", 1], "id": "b"}]"#,
    );
    let value: Value = serde_json::from_str(&batch.body).unwrap();
    assert_eq!(
        value[0],
        json!({"jsonrpc": "2.0", "result": ["Hello, A"], "id": "a"})
    );
    assert_eq!(value[1]["error"]["code"], -32602, "{value}");
    assert_eq!(value.as_array().map(Vec::len), Some(2), "{value}");
    let notification = post(
        addr,
        "/jsonrpc",
        "application/json",
        "",
        br#"{"jsonrpc": "2.0", "method": "say_hello", "params": ["N", 1]}"#,
    );
    assert_eq!((notification.status, notification.body.as_str()), (204, ""));

    // MessagePack.
    let msgpack = post(
        addr,
        "/msgpack",
        "application/msgpack",
        "",
        &msgpack_request(),
    );
    assert_eq!(msgpack.status, 200, "{msgpack:?}");
    assert_eq!(msgpack.header("content-type"), "application/msgpack");
    assert_eq!(
        msgpack.body.matches("Hello, Dave").count(),
        2,
        "{msgpack:?}"
    );
    assert!(msgpack.body.contains("say_helloResponse"), "{msgpack:?}");

    // XmlDocument: the message element itself, no envelope; a fault as a plain <Fault>.
    let xml = post(
        addr,
        "/xml",
        "text/xml; charset=utf-8",
        "",
        format!(
            "<h:say_hello xmlns:h=\"{}\"><h:name>Dave</h:name><h:times>2</h:times></h:say_hello>",
            hello::TNS
        )
        .as_bytes(),
    );
    assert_eq!(xml.status, 200, "{xml:?}");
    assert!(
        xml.header("content-type").starts_with("text/xml"),
        "{xml:?}"
    );
    assert!(!xml.body.contains("Envelope"), "{xml:?}");
    assert!(xml.body.contains("say_helloResponse"), "{xml:?}");
    assert_eq!(xml.body.matches("Hello, Dave").count(), 2, "{xml:?}");
    let xml_fault = post(addr, "/xml", "text/xml", "", b"<nothing/>");
    assert_eq!(xml_fault.status, 400, "{xml_fault:?}");
    assert!(
        xml_fault
            .body
            .contains("<Fault><faultcode>Client.MethodNotFound</faultcode>"),
        "{xml_fault:?}"
    );

    // HttpRpc under /rpc: GET for the safe say_hello, a form POST, percent-encoding.
    let rpc_get = get(addr, "/rpc/say_hello?name=Dave&times=2");
    assert_eq!(rpc_get.status, 200, "{rpc_get:?}");
    assert_eq!(rpc_get.header("content-type"), "application/json");
    let value: Value = serde_json::from_str(&rpc_get.body).unwrap();
    assert_eq!(
        value,
        json!({"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}})
    );
    let rpc_post = post(
        addr,
        "/rpc/say_hello",
        "application/x-www-form-urlencoded",
        "",
        b"name=%C3%89lo%C3%AFse+D&times=1",
    );
    assert_eq!(rpc_post.status, 200, "{rpc_post:?}");
    let value: Value = serde_json::from_str(&rpc_post.body).unwrap();
    assert_eq!(
        value,
        json!({"say_helloResponse": {"say_helloResult": ["Hello, \u{c9}lo\u{ef}se D"]}})
    );
    let multipart = post(
        addr,
        "/rpc/say_hello",
        "multipart/form-data; boundary=zz",
        "",
        b"--zz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn\r\n\
          --zz\r\nContent-Disposition: form-data; name=\"times\"\r\n\r\n1\r\n--zz--\r\n",
    );
    assert_eq!(multipart.status, 200, "{multipart:?}");
    assert!(multipart.body.contains("Hello, Ann"), "{multipart:?}");
    // A wrong type: a Client fault naming the parameter, 400.
    let bad = get(addr, "/rpc/say_hello?name=Dave&times=two");
    assert_eq!(bad.status, 400, "{bad:?}");
    let value: Value = serde_json::from_str(&bad.body).unwrap();
    assert_eq!(
        value["Fault"]["faultcode"], "Client.ValidationError",
        "{value}"
    );
    assert!(
        value["Fault"]["faultstring"]
            .as_str()
            .is_some_and(|s| s.contains("(key `times`)")),
        "{value}"
    );
    let unknown = get(addr, "/rpc/say_goodbye");
    assert_eq!(unknown.status, 400, "{unknown:?}");
    assert!(
        unknown.body.contains("Client.MethodNotFound"),
        "{unknown:?}"
    );

    // Other paths: 404, naming the endpoints.
    // (`/openapi.json` serves the OpenAPI document: tests/openapi_document.rs.)
    for path in ["/", "/soap/", "/rpcx", "/json/x", "/SOAP"] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 404, "{path}: {reply:?}");
        assert!(
            reply
                .body
                .contains("/soap /json /jsonrpc /msgpack /xml /rpc/*"),
            "{reply:?}"
        );
        let reply = post(addr, path, "application/json", "", b"{}");
        assert_eq!(reply.status, 404, "{path}: {reply:?}");
    }
    assert!(started.elapsed() < Duration::from_secs(120));
}

/// GET of a method not marked safe: 405 with `Allow: POST`, the fault in the out-protocol's
/// format; POST calls it. (The hello service's one method is safe, so a service of its own.)
#[test]
fn httprpc_refuses_get_for_unsafe_methods() {
    use rpclib_core::{Application, service};
    use rpclib_protocol_httprpc::HttpRpc;
    use rpclib_protocol_json::JsonDocument;

    struct Counter(std::sync::atomic::AtomicU32);

    #[service(namespace = "urn:counter")]
    impl Counter {
        /// Changes state: POST only.
        #[rpc]
        fn add(&self, by: u32) -> u32 {
            self.0.fetch_add(by, std::sync::atomic::Ordering::SeqCst) + by
        }
    }

    let app = Application::builder("Counter", "urn:counter")
        .service(Counter(std::sync::atomic::AtomicU32::new(0)))
        .in_protocol(HttpRpc::new())
        .out_protocol(JsonDocument::new())
        .build()
        .unwrap();
    let endpoints = Endpoints::new()
        .mount_prefix("/api", RpcService::new(app))
        .unwrap();
    let addr = common::serve_endpoints(endpoints);
    let refused = get(addr, "/api/add?by=2");
    assert_eq!(refused.status, 405, "{refused:?}");
    assert_eq!(refused.header("allow"), "POST", "{refused:?}");
    let value: Value = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(
        value["Fault"]["faultcode"], "Client.RequestNotAllowed",
        "{value}"
    );
    let added = post(
        addr,
        "/api/add",
        "application/x-www-form-urlencoded",
        "",
        b"by=2",
    );
    assert_eq!(added.status, 200, "{added:?}");
    assert_eq!(
        serde_json::from_str::<Value>(&added.body).unwrap(),
        json!({"addResponse": {"addResult": 2}})
    );
}

#[test]
fn each_soap_endpoint_names_its_own_address() {
    let endpoints = Endpoints::new()
        .mount("/one", RpcService::new(soap_app(hello::builder()).unwrap()))
        .unwrap()
        .mount(
            "/two/deeper",
            RpcService::new(soap_app(hello::builder()).unwrap()),
        )
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let server = Server::bind("127.0.0.1:0", endpoints).await.unwrap();
            tx.send(server.local_addr().unwrap()).unwrap();
            server.run_until(std::future::pending()).await.unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    for path in ["/one", "/two/deeper"] {
        let wsdl = get(addr, &format!("{path}?wsdl"));
        assert_eq!(wsdl.status, 200, "{wsdl:?}");
        assert!(
            wsdl.body
                .contains(&format!("location=\"http://{addr}{path}\"")),
            "{path}: {}",
            wsdl.body
        );
    }
    assert_eq!(get(addr, "/two?wsdl").status, 404);
    assert_eq!(get(addr, "/one.wsdl").status, 404);
}
