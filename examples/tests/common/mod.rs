//! Helpers the HTTP end-to-end tests share: a server on a free port, and raw exchanges over
//! a socket that fail rather than hang.
#![allow(dead_code)] // each test binary uses its own subset

pub(crate) mod child;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rpclib_core::Application;
use rpclib_transport_http::{Endpoints, HttpConfig, RpcService, Server};

/// Serves `app` with `config` on a free port, in a background runtime that lives as long as
/// the test process.
pub(crate) fn serve(app: Arc<Application>, config: HttpConfig) -> SocketAddr {
    serve_endpoints(RpcService::with_config(app, config))
}

/// Serves `endpoints` (one service, or several mounted on paths) on a free port, in a
/// background runtime that lives as long as the test process.
pub(crate) fn serve_endpoints(endpoints: impl Into<Endpoints> + Send + 'static) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let server = Server::bind("127.0.0.1:0", endpoints).await.unwrap();
            tx.send(server.local_addr().unwrap()).unwrap();
            server.run_until(std::future::pending()).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// A response read off the socket: status, head (status line and headers), body.
#[derive(Debug)]
pub(crate) struct RawReply {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: String,
}

impl RawReply {
    /// The value of header `name` (case-insensitive), or empty.
    pub(crate) fn header(&self, name: &str) -> String {
        self.head
            .lines()
            .find_map(|l| {
                let (n, value) = l.split_once(':')?;
                n.eq_ignore_ascii_case(name)
                    .then(|| value.trim().to_owned())
            })
            .unwrap_or_default()
    }
}

/// Sends `request` as is on a new connection and reads the whole response; a read or write
/// that takes more than 10 s fails the test instead of hanging it.
pub(crate) fn exchange(addr: SocketAddr, request: &[u8]) -> RawReply {
    let mut s = TcpStream::connect(addr).unwrap();
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
    RawReply {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

/// Reads one HTTP/1.1 response with a Content-Length from a kept-alive connection.
pub(crate) fn read_one_response(s: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut byte = [0u8; 1];
    while !data.ends_with(b"\r\n\r\n") {
        let n = s.read(&mut byte).expect("a response head");
        assert_eq!(n, 1, "connection closed in the head: {data:?}");
        data.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&data).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .expect("a Content-Length");
    let mut body = vec![0; length];
    s.read_exact(&mut body).expect("the response body");
    head + &String::from_utf8_lossy(&body)
}
