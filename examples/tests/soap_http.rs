//! SOAP 1.1 over real HTTP sockets: the typed client against the hello service, faults with
//! HTTP 500, the WSDL with the address of the Host header, and the bench request files.

mod common;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use rpclib_core::{Application, ClientError, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::{bench, server::soap_app};
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{HttpClient, HttpConfig};

fn start(app: Arc<Application>) -> SocketAddr {
    common::serve(app, HttpConfig::default())
}

fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String, String) {
    let reply = common::exchange(addr, request);
    (reply.status, reply.head, reply.body)
}

fn post(addr: SocketAddr, body: &[u8]) -> (u16, String, String) {
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    raw(addr, &request)
}

fn hello_client(
    addr: SocketAddr,
) -> HelloWorldServiceClient<rpclib_core::RemoteClient<HttpClient>> {
    let app = Application::builder("Application", hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()
        .unwrap();
    HelloWorldServiceClient::new(
        HttpClient::new(&format!("http://{addr}/"))
            .unwrap()
            .caller(app),
    )
}

#[test]
fn typed_client_calls_the_hello_service() {
    let addr = start(soap_app(hello::builder()).unwrap());
    let client = hello_client(addr);
    assert_eq!(
        client.say_hello("Dave".into(), 3).unwrap(),
        ["Hello, Dave"; 3]
    );
    assert_eq!(client.say_hello("<&>".into(), 1).unwrap(), ["Hello, <&>"]);
    // A constraint violation comes back as a Client fault through HTTP 500.
    match client.say_hello("Dave".into(), 1001) {
        Err(ClientError::Fault(f)) => {
            assert_eq!(f.code.as_str(), "Client.ValidationError");
            assert!(f.string.contains("times"), "{}", f.string);
        }
        other => panic!("expected a fault, got {other:?}"),
    }
    // Connections are reused: many calls in a row stay fast and correct.
    for i in 0..50 {
        assert_eq!(
            client.say_hello(format!("n{i}"), 1).unwrap(),
            [format!("Hello, n{i}")]
        );
    }
}

#[test]
fn faults_are_http_500_and_wsdl_follows_the_host() {
    let addr = start(soap_app(hello::builder()).unwrap());
    let (status, head, body) = post(addr, b"<not-xml");
    assert_eq!(status, 500);
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: text/xml; charset=utf-8"),
        "{head}"
    );
    assert!(body.contains("Client"), "{body}");
    let (status, _, wsdl) = raw(
        addr,
        b"GET /?wsdl HTTP/1.1\r\nHost: soap.example:9000\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
    assert!(
        wsdl.contains(r#"location="http://soap.example:9000/""#),
        "address not from Host"
    );
    let (status, _, body) = raw(
        addr,
        b"DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 405);
    assert!(body.contains("Client.RequestNotAllowed"), "{body}");
}

#[test]
fn bench_request_files_work_unchanged() {
    let addr = start(soap_app(bench::builder()).unwrap());
    let specs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/bench");
    for (workload, expect) in [
        ("w1", "echo_stringResult"),
        ("w2", "echo_integer_arrayResult"),
        ("w3", "echo_peopleResult"),
    ] {
        let body = std::fs::read(specs.join(format!("{workload}-request.xml"))).unwrap();
        let (status, _, reply) = post(addr, &body);
        assert_eq!(status, 200, "{workload}: {reply}");
        assert!(reply.contains(expect), "{workload}: {reply}");
    }
}
