//! The HTTP transport over real sockets: calls, faults, 405, the interface document, every
//! limit tripping while other clients are served, graceful shutdown, the axum mount.
//! The protocol is `rpclib-protocol-json`'s `JsonDocument`; SOAP over HTTP is covered in `soap_http.rs`.

mod common;

use std::borrow::Cow;
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use rpclib_core::{
    Application, ClientError, Fault, Interface, InterfaceDocument, TransportInfo, service,
};
use rpclib_protocol_json::JsonDocument;
use rpclib_transport_http::{Execution, HttpClient, HttpConfig, HttpTransport, RpcService, Server};
use tokio::sync::oneshot;

/// What `sleep_ms` reports when it starts and when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sleep {
    Started(u64),
    Ended(u64),
}

#[derive(Debug)]
struct Slow {
    /// Where `sleep_ms` says that it started and ended: the tests wait on this, not on a
    /// guess of how long the call takes to reach the method.
    events: Option<Sender<Sleep>>,
}

impl Slow {
    fn tell(&self, event: Sleep) {
        if let Some(events) = &self.events {
            let _ = events.send(event);
        }
    }
}

#[service(namespace = "urn:test:http")]
impl Slow {
    #[rpc]
    fn echo(&self, s: String) -> String {
        s
    }

    #[rpc]
    fn sleep_ms(&self, ms: u64) -> u64 {
        self.tell(Sleep::Started(ms));
        std::thread::sleep(Duration::from_millis(ms));
        self.tell(Sleep::Ended(ms));
        ms
    }

    #[rpc]
    fn fail(&self) -> Result<(), Fault> {
        Err(Fault::client("Nope", "always fails"))
    }

    #[rpc]
    fn peer(&self, ctx: &mut rpclib_core::MethodContext) -> String {
        ctx.transport::<HttpTransport>()
            .and_then(|t| t.peer_addr)
            .map(|a| a.ip().to_string())
            .unwrap_or_default()
    }
}

/// An interface document that is just the endpoint address.
#[derive(Debug)]
struct AddressOnly;

impl Interface for AddressOnly {
    fn build_interface_document(
        &self,
        _: &rpclib_core::Catalogue,
        t: &TransportInfo,
    ) -> Result<InterfaceDocument, Fault> {
        let text = format!("<address transport=\"{}\" location=\"@@\"/>", t.uri);
        Ok(InterfaceDocument::from_template(
            "text/xml; charset=utf-8",
            &text,
            "@@",
            |a| Cow::Owned(a.replace('&', "&amp;").replace('"', "&quot;")),
        ))
    }
}

fn app(events: Option<Sender<Sleep>>) -> Arc<Application> {
    Application::builder("Slow", "urn:test:http")
        .service(Slow { events })
        .protocol(JsonDocument::new())
        .interface(AddressOnly)
        .build()
        .unwrap()
}

/// A running server; dropping it shuts it down.
struct Running {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: Option<std::thread::JoinHandle<()>>,
    /// What `sleep_ms` reports.
    sleeps: Receiver<Sleep>,
}

impl Running {
    fn start(config: HttpConfig) -> Running {
        let (events, sleeps) = std::sync::mpsc::channel();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let service = RpcService::with_config(app(Some(events)), config);
                let server = Server::bind("127.0.0.1:0", service).await.unwrap();
                addr_tx.send(server.local_addr().unwrap()).unwrap();
                server
                    .run_until(async {
                        let _ = stop_rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        Running {
            addr,
            stop: Some(stop),
            done: Some(done),
            sleeps,
        }
    }

    /// Waits (at most 30 s) until `sleep_ms` reports `event`.
    fn wait_for(&self, event: Sleep) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.sleeps.recv_timeout(left) {
                Ok(e) if e == event => return,
                Ok(_) => {}
                Err(e) => panic!("no {event:?} from the server: {e}"),
            }
        }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn client(&self) -> SlowClient<rpclib_core::RemoteClient<HttpClient>> {
        let client_app = Application::builder("Slow", "urn:test:http")
            .declare(SlowClient::<rpclib_core::InProcess>::descriptor())
            .protocol(JsonDocument::new())
            .build()
            .unwrap();
        SlowClient::new(HttpClient::new(&self.url()).unwrap().caller(client_app))
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            done.join().unwrap();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// A client socket that fails rather than hangs: reads and writes time out.
fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s
}

/// Sends raw bytes and returns the status code and body of the reply.
fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut s = connect(addr);
    // A refused connection may already be closed: the empty reply tells.
    let _ = s.write_all(request);
    let mut out = Vec::new();
    if let Err(e) = s.read_to_end(&mut out) {
        // A reset is a refusal; silence is not.
        assert!(
            !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut),
            "no complete reply within 10 s: {:?}",
            String::from_utf8_lossy(&out)
        );
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn post(addr: SocketAddr, body: &str) -> (u16, String) {
    raw(
        addr,
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
}

#[test]
fn calls_faults_and_methods() {
    let server = Running::start(HttpConfig::default());
    let client = server.client();
    assert_eq!(client.echo("héllo <&>".into()).unwrap(), "héllo <&>");
    assert_eq!(client.peer().unwrap(), "127.0.0.1");
    match client.fail() {
        Err(ClientError::Fault(f)) => {
            assert_eq!(f.code.as_str(), "Client.Nope");
            assert_eq!(f.string, "always fails");
        }
        other => panic!("expected a fault, got {other:?}"),
    }
    // The JSON protocol answers `Client` faults with 400, like Spyne's.
    let (status, body) = post(server.addr, r#"{"fail": {}}"#);
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        r#"{"Fault":{"faultcode":"Client.Nope","faultstring":"always fails"}}"#
    );
    let (status, body) = raw(
        server.addr,
        b"PUT / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!(status, 405);
    assert!(body.contains("Client.RequestNotAllowed"), "{body}");
    let (status, _) = raw(
        server.addr,
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 405);
    let (status, body) = post(server.addr, "{not json");
    assert_eq!(status, 400);
    assert!(body.contains("Client.JSONSyntaxError"), "{body}");
    assert!(body.contains("invalid JSON"), "{body}");
}

#[test]
fn interface_document_address_follows_host() {
    let server = Running::start(HttpConfig::default());
    let (status, body) = raw(
        server.addr,
        b"GET /soap/?WSDL HTTP/1.1\r\nHost: example.com:8080\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
    assert!(
        body.contains(r#"location="http://example.com:8080/soap/""#),
        "{body}"
    );
    assert!(
        body.contains(r#"transport="http://schemas.xmlsoap.org/soap/http""#),
        "{body}"
    );
    let (_, body) = raw(
        server.addr,
        b"GET /?wsdl HTTP/1.1\r\nHost: other.host\r\nConnection: close\r\n\r\n",
    );
    assert!(body.contains(r#"location="http://other.host/""#), "{body}");
    let (status, _) = raw(
        server.addr,
        b"GET /?wsdl HTTP/1.1\r\nHost: bad\"host\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 400);

    let configured = Running::start(HttpConfig {
        public_url: Some("https://api.example.com/svc".into()),
        ..HttpConfig::default()
    });
    let (_, body) = raw(
        configured.addr,
        b"GET /?wsdl HTTP/1.1\r\nHost: internal:1\r\nConnection: close\r\n\r\n",
    );
    assert!(
        body.contains(r#"location="https://api.example.com/svc""#),
        "{body}"
    );
}

#[test]
fn body_limit_trips_while_others_are_served() {
    let server = Running::start(HttpConfig {
        max_body_bytes: 1024,
        ..HttpConfig::default()
    });
    let big = format!(r#"{{"echo": {{"s": "{}"}}}}"#, "x".repeat(4096));
    let (status, body) = post(server.addr, &big);
    assert_eq!(status, 413);
    assert!(body.contains("exceeds the limit of 1024 bytes"), "{body}");
    // Without a Content-Length (chunked), the limit trips while reading.
    let chunk = "x".repeat(2000);
    let chunked = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    assert_eq!(raw(server.addr, chunked.as_bytes()).0, 413);
    assert_eq!(server.client().echo("small".into()).unwrap(), "small");
}

#[test]
fn slow_senders_are_cut_off_while_others_are_served() {
    let server = Running::start(HttpConfig {
        header_read_timeout: Duration::from_millis(300),
        request_timeout: Duration::from_millis(600),
        ..HttpConfig::default()
    });
    // Headers that never finish: the connection is closed after the header timeout.
    let mut slow_headers = connect(server.addr);
    slow_headers
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // A body that never finishes: 408.
    let mut slow_body = connect(server.addr);
    slow_body
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100\r\n\r\n{\"echo\"")
        .unwrap();
    let client = server.client();
    assert_eq!(client.echo("meanwhile".into()).unwrap(), "meanwhile");

    let started = Instant::now();
    slow_headers
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = Vec::new();
    let _ = slow_headers.read_to_end(&mut buf);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "header timeout did not close the connection"
    );

    slow_body
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reply = Vec::new();
    let _ = slow_body.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(reply.contains("did not arrive within"), "{reply}");
    assert_eq!(client.echo("after".into()).unwrap(), "after");
}

#[test]
fn request_timeout_and_concurrency_limit() {
    let server = Running::start(HttpConfig {
        request_timeout: Duration::from_millis(400),
        max_concurrent_requests: 1,
        execution: Execution::BlockingPool,
        ..HttpConfig::default()
    });
    let addr = server.addr;
    // A method running past the request timeout: 503.
    let (status, body) = post(addr, r#"{"sleep_ms": {"ms": 1000}}"#);
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("did not complete in time"), "{body}");
    // That call still holds the only slot for a while: the next waits, then gets 503.
    let (status, body) = post(addr, r#"{"echo": {"s": "x"}}"#);
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("no request slot"), "{body}");
    // The interface document needs no slot, and once the slot frees calls succeed again.
    let (status, _) = raw(
        addr,
        b"GET /?wsdl HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
    // The slot frees when the slow method returns: wait for it to say so.
    server.wait_for(Sleep::Ended(1000));
    assert_eq!(server.client().echo("free".into()).unwrap(), "free");
}

#[test]
fn graceful_shutdown_finishes_in_flight_calls() {
    let mut server = Running::start(HttpConfig::default());
    let addr = server.addr;
    let in_flight = std::thread::spawn(move || post(addr, r#"{"sleep_ms": {"ms": 500}}"#));
    server.wait_for(Sleep::Started(500));
    let started = Instant::now();
    server.shutdown();
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "shutdown did not wait for the call"
    );
    assert_eq!(
        server.sleeps.try_recv(),
        Ok(Sleep::Ended(500)),
        "shutdown returned before the call ended"
    );
    let (status, body) = in_flight.join().unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("500"), "{body}");
    assert!(
        TcpStream::connect(addr).is_err(),
        "still accepting after shutdown"
    );
}

#[test]
fn mounts_in_axum() {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let router = axum::Router::new()
                .route("/health", axum::routing::get(|| async { "ok" }))
                .route_service("/rpc", RpcService::new(app(None)));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, router).await.unwrap();
        });
    });
    let addr: SocketAddr = addr_rx.recv().unwrap();
    let body = r#"{"echo": {"s": "via axum"}}"#;
    let (status, reply) = raw(
        addr,
        format!("POST /rpc HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes(),
    );
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains("via axum"), "{reply}");
    let (_, reply) = raw(
        addr,
        b"GET /rpc?wsdl HTTP/1.1\r\nHost: mounted\r\nConnection: close\r\n\r\n",
    );
    assert!(
        reply.contains(r#"location="http://mounted/rpc""#),
        "{reply}"
    );
    assert_eq!(
        raw(
            addr,
            b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .1,
        "ok"
    );
}

#[test]
fn a_blocking_method_holds_up_only_its_own_connection() {
    let server = Running::start(HttpConfig::default());
    let addr = server.addr;
    let slow = std::thread::spawn(move || post(addr, r#"{"sleep_ms": {"ms": 800}}"#));
    server.wait_for(Sleep::Started(800));
    let started = Instant::now();
    let client = server.client();
    for _ in 0..20 {
        assert_eq!(client.echo("quick".into()).unwrap(), "quick");
    }
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "calls waited for the slow one"
    );
    assert_eq!(slow.join().unwrap().0, 200);
}

#[test]
fn connection_limit_refuses_extra_connections() {
    let server = Running::start(HttpConfig {
        max_connections: 1,
        ..HttpConfig::default()
    });
    // The holder is served once on a kept-alive connection: the server has accepted it and
    // counts it, no guess of how long accepting takes.
    let mut holder = connect(server.addr);
    let body = r#"{"echo": {"s": "held"}}"#;
    write!(
        holder,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let reply = common::read_one_response(&mut holder);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    let (status, _) = post(server.addr, r#"{"echo": {"s": "x"}}"#);
    assert_eq!(status, 0, "a connection over the limit was served");
    drop(holder);
    // The server sees the close in its own time: retry until served, within a deadline.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = post(server.addr, r#"{"echo": {"s": "x"}}"#);
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still refused 10 s after the holder left: {status} {body}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
