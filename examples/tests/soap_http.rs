//! SOAP 1.1 over real HTTP sockets: the typed client against the hello service, faults with
//! HTTP 500, the WSDL with the address of the Host header, and the bench request files.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rpclib_core::{Application, ClientError, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::{bench, server::soap_app};
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{HttpClient, RpcService, Server};

/// Serves `app` on a free port in a background runtime for the rest of the test process.
fn start(app: Arc<Application>) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let server = Server::bind("127.0.0.1:0", RpcService::new(app))
                .await
                .unwrap();
            tx.send(server.local_addr().unwrap()).unwrap();
            server.run_until(std::future::pending()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    // Fail rather than hang.
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_owned(), body.to_owned())
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
