//! The HTTP client through a real proxy: a small forwarding/`CONNECT` proxy written here on a
//! socket, which records each connection's request line and `Proxy-Authorization`. An
//! `http://` endpoint is reached with absolute-form requests, an `https://` one through a
//! tunnel with TLS inside; the proxy URL's credentials reach the proxy; `NO_PROXY` hosts are
//! reached directly; a proxy that wants credentials refuses a tunnel without them; and the
//! `HTTP_PROXY`/`NO_PROXY` environment variables (in a child process, so that this process's
//! environment stays untouched) pick the proxy.

mod common;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use rpclib_core::{Application, ClientError, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::soap_app;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{
    AsyncHttpClient, HttpClientConfig, HttpClientError, HttpConfig, ProxyConfig, RpcService,
    TlsConfig,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls;

/// What the proxy saw: one `request line | proxy-authorization` entry per connection.
type Log = Arc<Mutex<Vec<String>>>;

/// Starts the proxy on a free port. With `required`, a connection without that
/// `Proxy-Authorization` value gets 407.
async fn start_proxy(required: Option<&'static str>) -> (SocketAddr, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let l = Arc::clone(&log);
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(proxy_connection(client, Arc::clone(&l), required));
        }
    });
    (addr, log)
}

/// One proxied connection: reads the request head, then either opens the tunnel (`CONNECT`)
/// or forwards the bytes to the host named by the absolute-form URI; then relays both ways.
async fn proxy_connection(mut client: TcpStream, log: Log, required: Option<&'static str>) {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = client.read(&mut chunk).await.unwrap();
        assert!(n > 0 && head.len() < 65536, "bad request head");
        head.extend_from_slice(&chunk[..n]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let line = text.lines().next().unwrap().to_owned();
    let auth = text
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("proxy-authorization")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_default();
    log.lock().unwrap().push(format!("{line} | {auth}"));
    if required.is_some_and(|r| r != auth) {
        let _ = client
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\nContent-Length: 0\r\n\r\n")
            .await;
        return;
    }
    let mut parts = line.split(' ');
    let method = parts.next().unwrap();
    let target = parts.next().unwrap();
    let mut upstream = if method == "CONNECT" {
        let upstream = TcpStream::connect(target).await.unwrap();
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await
            .unwrap();
        upstream
    } else {
        let rest = target.strip_prefix("http://").expect("absolute-form URI");
        let host = rest.split('/').next().unwrap();
        let mut upstream = TcpStream::connect(host).await.unwrap();
        upstream.write_all(&head).await.unwrap();
        upstream
    };
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

fn client_app() -> Arc<Application> {
    Application::builder("Application", hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()
        .unwrap()
}

fn server() -> SocketAddr {
    common::serve(soap_app(hello::builder()).unwrap(), HttpConfig::default())
}

async fn say_hello(url: &str, config: HttpClientConfig) -> Result<Vec<String>, ClientError> {
    let caller = AsyncHttpClient::with_config(url, config)
        .unwrap()
        .caller(client_app());
    HelloWorldServiceClient::new(caller)
        .say_hello("Dave".into(), 2)
        .await
}

#[tokio::test]
async fn an_http_endpoint_is_reached_through_the_proxy_in_absolute_form_with_credentials() {
    let addr = server();
    let (proxy, log) = start_proxy(Some("Basic dTpwdw==")).await;
    let config =
        HttpClientConfig::default().with_proxy(ProxyConfig::url(&format!("http://u:pw@{proxy}")));
    let url = format!("http://{addr}/");
    assert_eq!(say_hello(&url, config).await.unwrap(), ["Hello, Dave"; 2]);
    let log = log.lock().unwrap();
    // "u:pw" in base64.
    assert_eq!(*log, [format!("POST {url} HTTP/1.1 | Basic dTpwdw==")]);
}

/// A self-signed certificate for `localhost`, and a TLS acceptor serving it.
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

/// Serves the hello application over TLS on a free port.
async fn serve_tls(acceptor: TlsAcceptor) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let service = RpcService::new(soap_app(hello::builder()).unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (acceptor, service) = (acceptor.clone(), service.clone());
            tokio::spawn(async move {
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let svc = service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let service = service.clone();
                    async move { Ok::<_, Infallible>(service.handle(req).await) }
                });
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });
    port
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_endpoint_is_reached_through_a_connect_tunnel() {
    let (key, acceptor) = self_signed();
    let port = serve_tls(acceptor).await;
    let (proxy, log) = start_proxy(Some("Basic dTpwdw==")).await;
    let tls = TlsConfig::default()
        .without_web_pki_roots()
        .with_root_pem(key.cert.pem().as_bytes())
        .unwrap();
    let url = format!("https://localhost:{port}/");
    let config = HttpClientConfig::default()
        .with_tls(tls.clone())
        .with_proxy(ProxyConfig::url(&format!("http://u:pw@{proxy}")));
    assert_eq!(say_hello(&url, config).await.unwrap(), ["Hello, Dave"; 2]);
    assert_eq!(
        *log.lock().unwrap(),
        [format!(
            "CONNECT localhost:{port} HTTP/1.1 | Basic dTpwdw=="
        )]
    );

    // Without the credentials the proxy answers 407: a connect error that says so.
    let config = HttpClientConfig::default()
        .with_tls(tls)
        .with_proxy(ProxyConfig::url(&proxy.to_string()));
    let err = say_hello(&url, config).await.unwrap_err();
    match &err {
        ClientError::Transport(source) => match source.downcast_ref::<HttpClientError>() {
            Some(HttpClientError::Connect(message)) => {
                assert!(
                    message.contains("proxy authorization required"),
                    "{message}"
                )
            }
            other => panic!("expected a connect error, got {other:?}"),
        },
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let addr = server();
    let (proxy, log) = start_proxy(None).await;
    let config = HttpClientConfig::default()
        .with_proxy(ProxyConfig::url(&format!("http://{proxy}")).with_no_proxy("localhost"));
    let url = format!("http://localhost:{}/", addr.port());
    assert_eq!(say_hello(&url, config).await.unwrap(), ["Hello, Dave"; 2]);
    assert!(log.lock().unwrap().is_empty(), "{:?}", log.lock().unwrap());
}

/// Set in the child process: the endpoint it calls with the default configuration.
const CHILD_URL: &str = "RPCLIB_TEST_PROXY_CHILD_URL";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn environment_variables_choose_the_proxy() {
    let addr = server();
    let (proxy, log) = start_proxy(None).await;
    let run_child = move |url: String, no_proxy: &str| {
        let output = Command::new(std::env::current_exe().unwrap())
            .args(["env_child_call", "--exact", "--ignored", "--nocapture"])
            .env(CHILD_URL, url)
            .env("HTTP_PROXY", format!("http://{proxy}"))
            .env("NO_PROXY", no_proxy)
            .env_remove("http_proxy")
            .env_remove("no_proxy")
            .env_remove("REQUEST_METHOD")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "child failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let url = format!("http://{addr}/");
    tokio::task::spawn_blocking(move || {
        run_child(url.clone(), "");
        run_child(url, "127.0.0.1");
    })
    .await
    .unwrap();
    // The first child went through the proxy; the second (NO_PROXY) did not.
    let log = log.lock().unwrap();
    assert_eq!(*log, [format!("POST http://{addr}/ HTTP/1.1 | ")]);
}

/// The child side of `environment_variables_choose_the_proxy`, run by it in a process of its
/// own (hence ignored when the suite runs).
#[tokio::test]
#[ignore = "run by environment_variables_choose_the_proxy in a child process"]
async fn env_child_call() {
    let url = std::env::var(CHILD_URL).expect("run by environment_variables_choose_the_proxy");
    let greetings = say_hello(&url, HttpClientConfig::default()).await.unwrap();
    assert_eq!(greetings, ["Hello, Dave"; 2]);
}
