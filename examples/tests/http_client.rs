//! The HTTP client over real sockets: the async client (and a typed client awaited over it)
//! against the hello server over plain HTTP and over HTTPS (a self-signed root made here,
//! HTTP/2 through ALPN and HTTP/1.1), an untrusted certificate refused with a TLS error, the
//! Basic auth and SOAPAction headers as the server sees them, SOAP 1.2's `action` parameter,
//! the per-call timeout against a server that never answers, the reply size limit, a refused
//! connection, an HTTP error without a protocol body, HTTP/2 with prior knowledge over plain
//! HTTP, and the blocking wrapper created, used and dropped inside a tokio runtime.

mod common;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::Version;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rpclib_core::{Application, ClientError, Event, MethodContext, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::{soap_app, soap_app_both_versions};
use rpclib_protocol_soap::{Soap11, Soap12};
use rpclib_transport_http::{
    AsyncHttpClient, HttpClient, HttpClientConfig, HttpClientError, HttpConfig, HttpTransport,
    HttpVersions, RpcService, TlsConfig,
};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

/// Headers of each request the server saw: (authorization, soapaction, content-type, custom).
type Seen = Arc<Mutex<Vec<[String; 4]>>>;

/// The hello application, recording the headers of each call.
fn recording_app(both_versions: bool) -> (Arc<Application>, Seen) {
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    let builder =
        hello::builder().add_listener(Event::MethodCall, move |ctx: &mut MethodContext| {
            if let Some(t) = ctx.transport::<HttpTransport>() {
                let h = |name: &str| {
                    t.headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned()
                };
                let row = [
                    h("authorization"),
                    h("soapaction"),
                    h("content-type"),
                    h("x-call"),
                ];
                s.lock().unwrap().push(row);
            }
        });
    let app = if both_versions {
        soap_app_both_versions(builder)
    } else {
        soap_app(builder)
    };
    (app.unwrap(), seen)
}

/// The client's side: the hello service declared, in SOAP 1.1 (or 1.2).
fn client_app(soap12: bool) -> Arc<Application> {
    let builder =
        Application::builder("Application", hello::TNS).declare(HelloWorldService::descriptor());
    let builder = if soap12 {
        builder.protocol(Soap12::new())
    } else {
        builder.protocol(Soap11::new())
    };
    builder.build().unwrap()
}

/// The `HttpClientError` inside a transport error.
fn http_error(e: &ClientError) -> &HttpClientError {
    match e {
        ClientError::Transport(source) => source
            .downcast_ref::<HttpClientError>()
            .unwrap_or_else(|| panic!("not an HttpClientError: {source}")),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// A self-signed certificate for `localhost`, and a TLS acceptor serving it with ALPN h2 and
/// http/1.1.
fn self_signed() -> (rcgen::CertifiedKey<rcgen::KeyPair>, TlsAcceptor) {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![key.cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.signing_key.serialize_der().into()),
        )
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    (key, TlsAcceptor::from(Arc::new(config)))
}

/// Serves `app` over TLS on a free port (on the current runtime); records each request's
/// HTTP version.
async fn serve_tls(
    app: Arc<Application>,
    acceptor: TlsAcceptor,
) -> (u16, Arc<Mutex<Vec<Version>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let versions: Arc<Mutex<Vec<Version>>> = Arc::default();
    let v = Arc::clone(&versions);
    let service = RpcService::with_config(app, HttpConfig::default());
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, service, v) = (acceptor.clone(), service.clone(), Arc::clone(&v));
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: not a test failure.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    v.lock().unwrap().push(req.version());
                    let service = service.clone();
                    async move { Ok::<_, Infallible>(service.handle(req).await) }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });
    (port, versions)
}

#[tokio::test]
async fn typed_client_awaits_over_plain_http_with_basic_auth_and_a_header_hook() {
    let (app, seen) = recording_app(false);
    let addr = common::serve(app, HttpConfig::default());
    let config = HttpClientConfig::default()
        .with_basic_auth("alice", "s3cret")
        .unwrap();
    let caller = AsyncHttpClient::with_config(&format!("http://{addr}/"), config)
        .unwrap()
        .with_request_hook(|request, headers| {
            let value = format!("call:{}", request.operation);
            headers.insert("x-call", value.parse().unwrap());
        })
        .caller(client_app(false));
    let client = HelloWorldServiceClient::new(caller);
    assert_eq!(
        client.say_hello("Dave".into(), 2).await.unwrap(),
        ["Hello, Dave"; 2]
    );
    // A fault reply is a protocol message: it arrives as the server's fault.
    match client.say_hello("Dave".into(), 1001).await {
        Err(ClientError::Fault(f)) => assert_eq!(f.code.as_str(), "Client.ValidationError"),
        other => panic!("expected a fault, got {other:?}"),
    }
    let seen = seen.lock().unwrap();
    // "alice:s3cret" in base64.
    assert_eq!(seen[0][0], "Basic YWxpY2U6czNjcmV0");
    assert_eq!(seen[0][1], "\"say_hello\"");
    assert!(seen[0][2].starts_with("text/xml"), "{:?}", seen[0]);
    assert_eq!(seen[0][3], "call:say_hello");
}

#[tokio::test]
async fn soap12_action_travels_in_the_content_type_with_a_bearer_token() {
    let (app, seen) = recording_app(true);
    let addr = common::serve(app, HttpConfig::default());
    let config = HttpClientConfig::default()
        .with_bearer_token("t0k")
        .unwrap();
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::with_config(&format!("http://{addr}/"), config)
            .unwrap()
            .caller(client_app(true)),
    );
    assert_eq!(
        client.say_hello("Ann".into(), 1).await.unwrap(),
        ["Hello, Ann"]
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0][0], "Bearer t0k");
    assert_eq!(seen[0][1], "", "no SOAPAction header in SOAP 1.2");
    assert!(
        seen[0][2].starts_with("application/soap+xml")
            && seen[0][2].contains("action=\"say_hello\""),
        "{:?}",
        seen[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_a_custom_root_over_http2_and_http1() {
    let (key, acceptor) = self_signed();
    let (app, _) = recording_app(false);
    let (port, versions) = serve_tls(app, acceptor).await;
    let url = format!("https://localhost:{port}/");
    for (mode, expected) in [
        (HttpVersions::Auto, Version::HTTP_2),
        (HttpVersions::Http1Only, Version::HTTP_11),
    ] {
        let tls = TlsConfig::default()
            .without_web_pki_roots()
            .with_root_pem(key.cert.pem().as_bytes())
            .unwrap();
        let config = HttpClientConfig {
            versions: mode,
            ..HttpClientConfig::default()
        }
        .with_tls(tls);
        let client = HelloWorldServiceClient::new(
            AsyncHttpClient::with_config(&url, config)
                .unwrap()
                .caller(client_app(false)),
        );
        assert_eq!(
            client.say_hello("Tls".into(), 1).await.unwrap(),
            ["Hello, Tls"]
        );
        assert_eq!(versions.lock().unwrap().pop(), Some(expected), "{mode:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrusted_certificate_is_a_tls_error() {
    let (_key, acceptor) = self_signed();
    let (app, _) = recording_app(false);
    let (port, versions) = serve_tls(app, acceptor).await;
    // The default roots (the web PKI) do not include the test's self-signed certificate.
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::new(&format!("https://localhost:{port}/"))
            .unwrap()
            .caller(client_app(false)),
    );
    let err = client.say_hello("Eve".into(), 1).await.unwrap_err();
    assert!(
        matches!(http_error(&err), HttpClientError::Tls(_)),
        "{err:?}"
    );
    assert!(
        versions.lock().unwrap().is_empty(),
        "no request got through"
    );
}

#[tokio::test]
async fn the_call_timeout_fires_against_a_server_that_never_answers() {
    // Accepts connections and reads nothing, answers nothing.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let config = HttpClientConfig {
        timeout: Duration::from_millis(300),
        ..HttpClientConfig::default()
    };
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::with_config(&format!("http://{addr}/"), config)
            .unwrap()
            .caller(client_app(false)),
    );
    let started = std::time::Instant::now();
    let err = client.say_hello("Zed".into(), 1).await.unwrap_err();
    assert!(
        matches!(http_error(&err), HttpClientError::Timeout(d) if *d == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_reply_over_the_limit_is_too_large_and_a_refused_connection_is_a_connect_error() {
    let (app, _) = recording_app(false);
    let addr = common::serve(app, HttpConfig::default());
    let config = HttpClientConfig {
        max_reply_bytes: 64,
        ..HttpClientConfig::default()
    };
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::with_config(&format!("http://{addr}/"), config)
            .unwrap()
            .caller(client_app(false)),
    );
    let err = client.say_hello("Big".into(), 100).await.unwrap_err();
    assert!(
        matches!(http_error(&err), HttpClientError::TooLarge { limit: 64 }),
        "{err:?}"
    );

    let dead: SocketAddr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::new(&format!("http://{dead}/"))
            .unwrap()
            .caller(client_app(false)),
    );
    let err = client.say_hello("Nobody".into(), 1).await.unwrap_err();
    assert!(
        matches!(http_error(&err), HttpClientError::Connect(_)),
        "{err:?}"
    );
}

#[test]
fn invalid_urls_and_roots_are_refused() {
    for url in ["ftp://host/", "/relative", "http://"] {
        assert!(
            matches!(
                AsyncHttpClient::new(url),
                Err(HttpClientError::InvalidUrl { .. })
            ),
            "{url}"
        );
    }
    assert!(matches!(
        TlsConfig::default().with_root_pem(b"not a certificate"),
        Err(HttpClientError::TlsConfig(_))
    ));
    assert!(matches!(
        AsyncHttpClient::with_config(
            "https://localhost/",
            HttpClientConfig::default().with_tls(TlsConfig::default().without_web_pki_roots()),
        ),
        Err(HttpClientError::TlsConfig(_))
    ));
}

#[tokio::test]
async fn the_blocking_wrapper_is_created_used_and_dropped_inside_a_runtime() {
    let (app, seen) = recording_app(false);
    let addr = common::serve(app, HttpConfig::default());
    let config = HttpClientConfig::default()
        .with_header("x-call", "blocking")
        .unwrap();
    let http = HttpClient::with_config(&format!("http://{addr}/"), config).unwrap();
    let client = HelloWorldServiceClient::new(http.clone().caller(client_app(false)));
    // A blocking call from inside the runtime: the work runs on the wrapper's own thread.
    assert_eq!(client.say_hello("Sync".into(), 1).unwrap(), ["Hello, Sync"]);
    drop(client);
    drop(http);
    assert_eq!(seen.lock().unwrap()[0][3], "blocking");
    // Created and dropped without a call, too.
    drop(HttpClient::new(&format!("http://{addr}/")).unwrap());
    // The runtime still works afterwards.
    tokio::time::sleep(Duration::from_millis(10)).await;
}

#[tokio::test]
async fn http2_with_prior_knowledge_over_plain_http() {
    let (app, _) = recording_app(false);
    let addr = common::serve(app, HttpConfig::default());
    let config = HttpClientConfig {
        versions: HttpVersions::Http2Only,
        ..HttpClientConfig::default()
    };
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::with_config(&format!("http://{addr}/"), config)
            .unwrap()
            .caller(client_app(false)),
    );
    assert_eq!(
        client.say_hello("H2c".into(), 1).await.unwrap(),
        ["Hello, H2c"]
    );
}

#[tokio::test]
async fn an_http_error_without_a_protocol_body_is_a_status_error() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\
                      Content-Length: 9\r\nConnection: close\r\n\r\nnot here\n",
                )
                .await;
        }
    });
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::new(&format!("http://{addr}/"))
            .unwrap()
            .caller(client_app(false)),
    );
    let err = client.say_hello("Lost".into(), 1).await.unwrap_err();
    match http_error(&err) {
        HttpClientError::Status { status, excerpt } => {
            assert_eq!(status.as_u16(), 404);
            assert_eq!(excerpt, "not here\n");
        }
        other => panic!("expected a status error, got {other:?}"),
    }
}

/// A connection that cannot be opened within `connect_timeout` fails as `ConnectTimeout`
/// (not as the whole call's `Timeout`): a listener whose accept queue is full drops further
/// SYNs (Linux), so the TCP handshake hangs.
#[tokio::test]
async fn a_connection_that_cannot_open_in_time_is_a_connect_timeout() {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    // Backlog 0: the queue holds one or two handshaken connections, never accepted.
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut held = Vec::new();
    for _ in 0..8 {
        // Connections past the queue's room hang: give each a moment, keep what opened.
        if let Ok(Ok(s)) = tokio::time::timeout(
            Duration::from_millis(100),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            held.push(s);
        }
    }
    assert!(held.len() < 8, "the accept queue never filled up");
    let config = HttpClientConfig {
        connect_timeout: Duration::from_millis(300),
        timeout: Duration::from_secs(20),
        ..HttpClientConfig::default()
    };
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::with_config(&format!("http://{addr}/"), config)
            .unwrap()
            .caller(client_app(false)),
    );
    let started = std::time::Instant::now();
    let err = client.say_hello("Late".into(), 1).await.unwrap_err();
    assert!(
        matches!(
            http_error(&err),
            HttpClientError::ConnectTimeout(t) if *t == Duration::from_millis(300)
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    drop(listener);
}
