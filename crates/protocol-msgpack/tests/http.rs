//! MessagePack over real HTTP: the test service served with `.protocol(MsgPack::new())` by
//! `rpclib_transport_http` on a free port, requests posted as raw bytes over a socket.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use rpclib_transport_http::{RpcService, Server};

/// Serves the test application on a free port, in a background runtime that lives as long
/// as the test process.
fn start() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let server = Server::bind("127.0.0.1:0", RpcService::new(common::server()))
                .await
                .unwrap();
            tx.send(server.local_addr().unwrap()).unwrap();
            server.run_until(std::future::pending()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// Posts `body`; returns the status, the `Content-Type` and the body of the reply.
fn post(addr: SocketAddr, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/msgpack\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut reply = Vec::new();
    s.read_to_end(&mut reply).unwrap();
    let split = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&reply[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let content_type = head
        .lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case("content-type")
                .then(|| v.trim().to_owned())
        })
        .unwrap_or_default();
    (status, content_type, reply[split + 4..].to_vec())
}

#[test]
fn msgpack_over_http() {
    let addr = start();

    let hello = common::encode_str(r#"{"say_hello": {"name": "Dave", "times": 2}}"#);
    let (status, content_type, body) = post(addr, &hello);
    assert_eq!(
        (status, content_type.as_str()),
        (200, "application/msgpack")
    );
    assert_eq!(
        common::describe(&body),
        serde_json::json!({"say_helloResponse": {"say_helloResult": ["Hello, Dave", "Hello, Dave"]}})
    );

    let invalid = common::encode_str(r#"{"say_hello": {"name": "Dave", "times": 101}}"#);
    let (status, _, body) = post(addr, &invalid);
    assert_eq!(status, 400);
    assert_eq!(common::fault_of(&body).0, "Client.ValidationError");

    let (status, _, body) = post(addr, &[0xdd, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!(status, 400);
    assert_eq!(common::fault_of(&body).0, "Client.LimitExceeded");

    let (status, _, body) = post(addr, &[0xc1]);
    assert_eq!(status, 400);
    assert_eq!(common::fault_of(&body).0, "Client.MsgPackSyntaxError");
}
