//! Compressed replies over a real socket: a server written here runs the hello service and
//! gzips (or deflates) each reply when the request's `Accept-Encoding` allows it; the client
//! sends `Accept-Encoding` by default and decodes; with compression off it sends none and gets
//! plain replies; a decompression bomb (a small gzip body inflating far past the limit) is an
//! error naming the limit.

use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use flate2::Compression;
use flate2::write::{GzEncoder, ZlibEncoder};
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rpclib_core::{Application, ClientError, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::soap_app;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{AsyncHttpClient, HttpClientConfig, HttpClientError, RpcService};
use tokio::net::TcpListener;

/// How the server answers.
#[derive(Clone, Copy)]
enum Mode {
    /// The service's reply, compressed with the first accepted of gzip/deflate.
    Compress,
    /// A gzip body of this many zero bytes, whatever was asked.
    Bomb(usize),
}

/// The `Accept-Encoding` of each request (empty when absent).
type Seen = Arc<Mutex<Vec<String>>>;

async fn serve(mode: Mode) -> (SocketAddr, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    let service = RpcService::new(soap_app(hello::builder()).unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (service, s) = (service.clone(), Arc::clone(&s));
            tokio::spawn(async move {
                let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let (service, s) = (service.clone(), Arc::clone(&s));
                    async move {
                        let accepted = req
                            .headers()
                            .get("accept-encoding")
                            .map(|v| v.to_str().unwrap().to_owned())
                            .unwrap_or_default();
                        s.lock().unwrap().push(accepted.clone());
                        let reply = service.handle(req).await;
                        let (mut parts, body) = reply.into_parts();
                        let body = body.collect().await.unwrap().to_bytes();
                        let (encoding, body) = match mode {
                            Mode::Bomb(size) => ("gzip", gzip(&vec![0; size])),
                            Mode::Compress if accepted.contains("gzip") => ("gzip", gzip(&body)),
                            Mode::Compress if accepted.contains("deflate") => {
                                ("deflate", zlib(&body))
                            }
                            Mode::Compress => ("", body.to_vec()),
                        };
                        parts.headers.remove("content-length");
                        if !encoding.is_empty() {
                            parts
                                .headers
                                .insert("content-encoding", encoding.parse().unwrap());
                        }
                        Ok::<_, Infallible>(hyper::Response::from_parts(
                            parts,
                            Full::new(Bytes::from(body)),
                        ))
                    }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tcp), svc)
                    .await;
            });
        }
    });
    (addr, seen)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// Calls `say_hello("Dave", times)` at `addr`.
async fn say_hello(
    addr: SocketAddr,
    config: HttpClientConfig,
    times: u32,
) -> Result<Vec<String>, ClientError> {
    let app: Arc<Application> = Application::builder("Application", hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()
        .unwrap();
    let caller = AsyncHttpClient::with_config(&format!("http://{addr}/"), config)
        .unwrap()
        .caller(app);
    HelloWorldServiceClient::new(caller)
        .say_hello("Dave".into(), times)
        .await
}

#[tokio::test]
async fn compressed_replies_are_asked_for_and_decoded_by_default() {
    let (addr, seen) = serve(Mode::Compress).await;
    let greetings = say_hello(addr, HttpClientConfig::default(), 50)
        .await
        .unwrap();
    assert_eq!(greetings, vec!["Hello, Dave".to_owned(); 50]);
    assert_eq!(*seen.lock().unwrap(), ["gzip, deflate"]);
    // A fault reply is decoded too, and read as the server's fault.
    match say_hello(addr, HttpClientConfig::default(), 1001).await {
        Err(ClientError::Fault(f)) => assert_eq!(f.code.as_str(), "Client.ValidationError"),
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn with_compression_off_no_accept_encoding_is_sent() {
    let (addr, seen) = serve(Mode::Compress).await;
    let config = HttpClientConfig {
        accept_compressed: false,
        ..HttpClientConfig::default()
    };
    assert_eq!(
        say_hello(addr, config, 3).await.unwrap(),
        ["Hello, Dave"; 3]
    );
    assert_eq!(*seen.lock().unwrap(), [""]);
}

#[tokio::test]
async fn a_deflate_reply_is_decoded_and_a_configured_accept_encoding_is_kept() {
    let (addr, seen) = serve(Mode::Compress).await;
    let config = HttpClientConfig::default()
        .with_header("accept-encoding", "deflate")
        .unwrap();
    assert_eq!(
        say_hello(addr, config, 2).await.unwrap(),
        ["Hello, Dave"; 2]
    );
    assert_eq!(*seen.lock().unwrap(), ["deflate"]);
}

#[tokio::test]
async fn a_decompression_bomb_is_an_error_naming_the_limit() {
    // 16 MiB of zeros gzip to about 16 KiB, far below the limit before decoding.
    let (addr, _) = serve(Mode::Bomb(16 * 1024 * 1024)).await;
    let config = HttpClientConfig {
        max_reply_bytes: 1024 * 1024,
        ..HttpClientConfig::default()
    };
    let err = say_hello(addr, config, 1).await.unwrap_err();
    let ClientError::Transport(source) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    match source.downcast_ref::<HttpClientError>() {
        Some(e @ HttpClientError::InflatedTooLarge { limit, encoding }) => {
            assert_eq!(*limit, 1024 * 1024);
            assert_eq!(encoding, "gzip");
            assert!(e.to_string().contains("1048576"), "{e}");
        }
        other => panic!("expected InflatedTooLarge, got {other:?}"),
    }
}
