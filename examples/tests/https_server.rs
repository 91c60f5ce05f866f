//! Our `Server` over HTTPS (feature `tls` of the transport), over real sockets: our async
//! client with a self-signed root as its CA over HTTP/2 (ALPN) and HTTP/1.1 in both connection
//! modes (a thread per connection, and the runtime); garbage, plain HTTP and a silent client
//! against the TLS port dropped without disturbing a concurrent good client; `curl --cacert`
//! (POST over HTTP/1.1 and HTTP/2, and the WSDL naming an `https://` address); and the `hello`
//! and `hello_client` examples end to end with `--tls-cert/--tls-key` and `--ca-cert`, run as
//! child processes (the test binary itself, as the queue example's tests do).

#[allow(dead_code, unreachable_pub)]
#[path = "../examples/hello_client.rs"]
mod hello_client_example;
#[allow(dead_code, unreachable_pub)] // the example's own `main` is not used here
#[path = "../examples/hello.rs"]
mod hello_example;

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rpclib_core::{Application, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::soap_app;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{
    AsyncHttpClient, Execution, HttpClientConfig, HttpConfig, HttpVersions, RpcService, Server,
    ServerTls, TlsConfig,
};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;

/// A self-signed certificate for `localhost` written as PEM files in a fresh directory:
/// (directory, certificate file, key file, certificate PEM).
fn certificate(name: &str) -> (PathBuf, PathBuf, PathBuf, String) {
    let key = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = std::env::temp_dir().join(format!("rpclib-https-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (cert, key_file) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, key.cert.pem()).unwrap();
    std::fs::write(&key_file, key.signing_key.serialize_pem()).unwrap();
    (dir, cert, key_file, key.cert.pem())
}

/// Starts the hello server over TLS on a free port of the current runtime; it stops when the
/// returned sender is dropped.
async fn serve_tls(
    execution: Execution,
    tls: ServerTls,
    header_read_timeout: Duration,
) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let app = soap_app(hello::builder()).unwrap();
    let config = HttpConfig {
        execution,
        header_read_timeout,
        ..HttpConfig::default()
    };
    let server = Server::bind("127.0.0.1:0", RpcService::with_config(app, config))
        .await
        .unwrap()
        .with_tls(tls);
    assert!(server.is_tls());
    let addr = server.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run_until(async move {
        let _ = rx.await;
    }));
    (addr, tx)
}

/// The client's side: the hello service declared in SOAP 1.1.
fn client_app() -> Arc<Application> {
    Application::builder("Application", hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()
        .unwrap()
}

/// Calls `say_hello(name, 1)` over HTTPS at `localhost:port`, trusting only `ca_pem`.
async fn call(port: u16, ca_pem: &str, versions: HttpVersions, name: &str) -> Vec<String> {
    let tls = TlsConfig::default()
        .without_web_pki_roots()
        .with_root_pem(ca_pem.as_bytes())
        .unwrap();
    let config = HttpClientConfig {
        versions,
        ..HttpClientConfig::default()
    }
    .with_tls(tls);
    let url = format!("https://localhost:{port}/");
    let client = HelloWorldServiceClient::new(
        AsyncHttpClient::with_config(&url, config)
            .unwrap()
            .caller(client_app()),
    );
    client.say_hello(name.to_owned(), 1).await.unwrap()
}

/// The ALPN protocol the server picks when a rustls client offers `offer`.
async fn negotiated_alpn(port: u16, ca_pem: &str, offer: &[&[u8]]) -> Option<Vec<u8>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = offer.iter().map(|p| p.to_vec()).collect();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = connector.connect(name, tcp).await.unwrap();
    tls.get_ref().1.alpn_protocol().map(<[u8]>::to_vec)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_client_over_http2_and_http1_in_both_connection_modes() {
    let (dir, cert, key, ca_pem) = certificate("modes");
    for execution in [Execution::ConnectionThread, Execution::BlockingPool] {
        let tls = ServerTls::from_pem_files(&cert, &key).unwrap();
        let (addr, _stop) = serve_tls(execution, tls, Duration::from_secs(10)).await;
        let port = addr.port();
        assert_eq!(
            negotiated_alpn(port, &ca_pem, &[b"h2", b"http/1.1"]).await,
            Some(b"h2".to_vec())
        );
        assert_eq!(
            negotiated_alpn(port, &ca_pem, &[b"http/1.1"]).await,
            Some(b"http/1.1".to_vec())
        );
        for versions in [HttpVersions::Auto, HttpVersions::Http1Only] {
            assert_eq!(
                call(port, &ca_pem, versions, "Tls").await,
                ["Hello, Tls"],
                "{execution:?} {versions:?}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_pem_is_an_error() {
    let (dir, cert, key, _) = certificate("bad-pem");
    assert!(ServerTls::from_pem_files(&cert, dir.join("missing.pem")).is_err());
    assert!(ServerTls::from_pem(b"not a certificate", &std::fs::read(&key).unwrap()).is_err());
    assert!(ServerTls::from_pem(&std::fs::read(&cert).unwrap(), b"no key").is_err());
    // The key of another certificate does not match.
    let (dir2, _, other_key, _) = certificate("bad-pem-other");
    assert!(ServerTls::from_pem_files(&cert, &other_key).is_err());
    let tls = ServerTls::from_pem_files(&cert, &key).unwrap();
    assert_eq!(
        tls.config().alpn_protocols,
        [b"h2".to_vec(), b"http/1.1".to_vec()]
    );
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(dir2);
}

/// Whether the server closes `s` within `within` (end of stream or a reset).
fn closed_within(mut s: TcpStream, within: Duration) -> bool {
    s.set_read_timeout(Some(within)).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {} // a TLS alert, or an HTTP answer: read on until the close
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
        if started.elapsed() > within {
            return false;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_handshakes_do_not_disturb_a_good_client() {
    let (dir, cert, key, ca_pem) = certificate("bad");
    for execution in [Execution::ConnectionThread, Execution::BlockingPool] {
        let tls = ServerTls::from_pem_files(&cert, &key).unwrap();
        let (addr, _stop) = serve_tls(execution, tls, Duration::from_millis(800)).await;
        // Garbage, a plain HTTP request, and a client that says nothing, all left open.
        let mut garbage = TcpStream::connect(addr).unwrap();
        garbage
            .write_all(b"\x16\x03\x01\xff\xffgarbage\r\n\r\n")
            .unwrap();
        let mut plain = TcpStream::connect(addr).unwrap();
        plain
            .write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
            .unwrap();
        let silent = TcpStream::connect(addr).unwrap();
        // Meanwhile a good client is served, over both versions.
        for versions in [HttpVersions::Auto, HttpVersions::Http1Only] {
            assert_eq!(
                call(addr.port(), &ca_pem, versions, "Good").await,
                ["Hello, Good"]
            );
        }
        let closed = tokio::task::spawn_blocking(move || {
            [
                closed_within(garbage, Duration::from_secs(5)),
                closed_within(plain, Duration::from_secs(5)),
                // Dropped at the handshake timeout (800 ms).
                closed_within(silent, Duration::from_secs(5)),
            ]
        })
        .await
        .unwrap();
        assert_eq!(closed, [true; 3], "{execution:?}");
        // And the server still serves.
        assert_eq!(
            call(addr.port(), &ca_pem, HttpVersions::Auto, "Again").await,
            ["Hello, Again"]
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Whether `curl` can be run; a missing one fails under `CI=true` on Linux, where it is
/// normally installed.
fn curl_available() -> bool {
    let ok = Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !(std::env::var("CI").as_deref() == Ok("true") && cfg!(target_os = "linux")),
            "curl is missing on a CI Linux machine"
        );
        eprintln!("skipped: curl is not installed");
    }
    ok
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_with_cacert_posts_and_fetches_the_wsdl() {
    if !curl_available() {
        return;
    }
    let version = Command::new("curl").arg("--version").output().unwrap();
    let has_http2 = String::from_utf8_lossy(&version.stdout).contains("HTTP2");
    let (dir, cert, key, _) = certificate("curl");
    let tls = ServerTls::from_pem_files(&cert, &key).unwrap();
    let (addr, _stop) = serve_tls(Execution::ConnectionThread, tls, Duration::from_secs(10)).await;
    let port = addr.port();
    let url = format!("https://localhost:{port}/");
    let curl = move |extra: Vec<String>| {
        let mut args = vec![
            "--silent".to_owned(),
            "--show-error".to_owned(),
            "--fail".to_owned(),
            "--cacert".to_owned(),
            cert.display().to_string(),
            "--resolve".to_owned(),
            format!("localhost:{port}:127.0.0.1"),
            "--write-out".to_owned(),
            "\n%{http_version}".to_owned(),
        ];
        args.extend(extra);
        let out = Command::new("curl").args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "curl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let envelope = format!(
        "<e:Envelope xmlns:e=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:b=\"{}\">\
         <e:Body><b:say_hello><b:name>Curl</b:name><b:times>2</b:times></b:say_hello></e:Body></e:Envelope>",
        hello::TNS
    );
    let mut versions = vec![("--http1.1", "1.1")];
    if has_http2 {
        versions.push(("--http2", "2"));
    } else {
        eprintln!("curl without HTTP/2: the HTTP/2 request is skipped");
    }
    for (flag, expected) in versions {
        let post = vec![
            flag.to_owned(),
            "-H".to_owned(),
            "Content-Type: text/xml; charset=utf-8".to_owned(),
            "-H".to_owned(),
            "SOAPAction: \"say_hello\"".to_owned(),
            "--data-binary".to_owned(),
            envelope.clone(),
            url.clone(),
        ];
        let reply = tokio::task::spawn_blocking({
            let curl = curl.clone();
            move || curl(post)
        })
        .await
        .unwrap();
        assert_eq!(reply.matches("Hello, Curl").count(), 2, "{reply}");
        assert!(reply.ends_with(&format!("\n{expected}")), "{reply}");
    }
    let wsdl_url = format!("{url}?wsdl");
    let wsdl = tokio::task::spawn_blocking(move || curl(vec![wsdl_url]))
        .await
        .unwrap();
    assert!(
        wsdl.contains(&format!("location=\"https://localhost:{port}/\"")),
        "{wsdl}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs an example in a child process (the test binary itself): `example` and its arguments.
fn spawn_example(example: &str, args: &[&str]) -> std::process::Child {
    spawn_example_with_env(example, args, &[])
}

/// [`spawn_example`] with extra environment variables for the child.
fn spawn_example_with_env(
    example: &str,
    args: &[&str],
    env: &[(&str, &std::path::Path)],
) -> std::process::Child {
    common::child::command(&[&[example], args].concat())
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn example_child() {
    let Some(a) = common::child::args() else {
        return;
    };
    let mut a = a.into_iter();
    match a.next().as_deref() {
        Some("hello") => hello_example::run(a).unwrap(),
        Some("hello_client") => {
            hello_client_example::run(a, &mut std::io::stdout()).unwrap();
        }
        other => panic!("no example {other:?}"),
    }
}

#[test]
fn hello_and_hello_client_over_https() {
    let (dir, cert, key, _) = certificate("examples");
    let (cert_s, key_s) = (cert.display().to_string(), key.display().to_string());
    // A free port, handed to the server; then wait until it accepts connections (the
    // child's stdout is not read line by line: the test harness may hold it back).
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let port = addr.to_string();
    let mut server = spawn_example(
        "hello",
        &["--port", &port, "--tls-cert", &cert_s, "--tls-key", &key_s],
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", addr)).is_err() {
        if let Some(status) = server.try_wait().unwrap() {
            panic!("the server exited before listening: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server does not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("https://localhost:{addr}/");
    let client = spawn_example(
        "hello_client",
        &[
            "--url",
            &url,
            "--ca-cert",
            &cert_s,
            "--user",
            "u",
            "--password",
            "p",
            "Example",
            "2",
        ],
    )
    .wait_with_output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&client.stdout);
    assert!(
        client.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&client.stderr)
    );
    assert_eq!(stdout.matches("Hello, Example").count(), 2, "{stdout}");
    // Without the root the certificate is not trusted: a non-zero exit.
    let untrusted = spawn_example("hello_client", &["--url", &url, "Example", "1"])
        .wait_with_output()
        .unwrap();
    assert!(!untrusted.status.success());
    assert!(!String::from_utf8_lossy(&untrusted.stdout).contains("Hello, Example"));
    // (No certificate directory: only the file counts.)
    let no_dir = dir.join("no-such-dir");
    // The platform's store: on Linux `SSL_CERT_FILE` names the system bundle, here the
    // self-signed root, which the client trusts with `--platform-roots` alone.
    let platform = spawn_example_with_env(
        "hello_client",
        &["--url", &url, "--platform-roots", "Example", "1"],
        &[
            ("SSL_CERT_FILE", cert.as_path()),
            ("SSL_CERT_DIR", no_dir.as_path()),
        ],
    )
    .wait_with_output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&platform.stdout);
    assert!(
        platform.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&platform.stderr)
    );
    assert_eq!(stdout.matches("Hello, Example").count(), 1, "{stdout}");
    // A platform store holding another root only: not trusted.
    let (other_dir, other_cert, _, _) = certificate("other-root");
    let untrusted = spawn_example_with_env(
        "hello_client",
        &["--url", &url, "--platform-roots", "Example", "1"],
        &[
            ("SSL_CERT_FILE", other_cert.as_path()),
            ("SSL_CERT_DIR", no_dir.as_path()),
        ],
    )
    .wait_with_output()
    .unwrap();
    assert!(!untrusted.status.success());
    let stderr = String::from_utf8_lossy(&untrusted.stderr);
    assert!(
        stderr.contains("certificate") || stderr.contains("TLS"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(other_dir);
    server.kill().unwrap();
    server.wait().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
