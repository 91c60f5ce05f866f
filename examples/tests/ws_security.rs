//! WS-Security UsernameToken over real sockets: the hello server requiring a token
//! (`UsernameTokenValidator`) called by our HTTP client with `WithUsernameToken`, in SOAP 1.1
//! and 1.2. Text and digest passwords (with and without a timestamp) pass; a wrong password,
//! an unknown user, a replayed nonce, a stale timestamp and a missing header each give their
//! `wsse` fault; `mustUnderstand` on `wsse:Security` is accepted only where the validator is
//! installed; and `hello --wsse-user` with `hello_client --wsse-user [--wsse-digest]
//! [--wsse-timestamp]` as processes.

mod common;

#[allow(dead_code, unreachable_pub)] // the examples' own `main`s are not used here
#[path = "../examples/hello_client.rs"]
mod hello_client_example;
#[allow(dead_code, unreachable_pub)]
#[path = "../examples/hello.rs"]
mod hello_example;

use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rpclib_core::{Application, Call, Caller, ClientError, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::{soap_app, soap_app_both_versions};
use rpclib_protocol_soap::{Soap11, Soap12};
use rpclib_transport_http::{AsyncHttpClient, HttpConfig};
use rpclib_ws_security::{UsernameToken, WSSE_NS, WithUsernameToken};

const USER: &str = "ann";
const PASSWORD: &str = "s3cret & <more>";

/// The hello server requiring a token of `USER`, speaking both SOAP versions.
fn secured_server() -> SocketAddr {
    let app = soap_app_both_versions(hello::builder_with_username_token(USER, PASSWORD)).unwrap();
    common::serve(app, HttpConfig::default())
}

/// The client's side: the hello service declared, in SOAP 1.1 or 1.2.
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

fn caller(
    addr: SocketAddr,
    soap12: bool,
) -> rpclib_core::RemoteClient<AsyncHttpClient, rpclib_core::Async> {
    AsyncHttpClient::new(&format!("http://{addr}/"))
        .unwrap()
        .caller(client_app(soap12))
}

/// The `wsse` fault a call ended with: its local code (the last segment).
fn wsse_fault<T: std::fmt::Debug>(result: Result<T, ClientError>) -> String {
    let fault = match result {
        Err(ClientError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    };
    let local = fault
        .code
        .as_str()
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_owned();
    // SOAP 1.1 carries the code as one QName in the wsse namespace, which the client reads
    // back with it; SOAP 1.2 carries it as a subcode under env:Sender.
    if !fault.code.as_str().starts_with("Client.") {
        assert_eq!(fault.code.namespace(), Some(WSSE_NS), "{fault:?}");
    }
    local
}

/// Sends one fixed header block (a chosen nonce and time) with each call: for replays and
/// stale tokens, which `WithUsernameToken` never makes.
struct FixedToken<C> {
    inner: C,
    header: rpclib_core::RawHeader,
}

impl<C: Caller> Caller for FixedToken<C> {
    type Output<'a, T: Send + 'static>
        = C::Output<'a, T>
    where
        Self: 'a;

    fn call<'a, T: Send + 'static>(&'a self, mut call: Call<T>) -> Self::Output<'a, T> {
        call.headers.push(Box::new(self.header.clone()));
        self.inner.call(call)
    }
}

#[tokio::test]
async fn text_and_digest_tokens_are_accepted_in_both_versions() {
    let addr = secured_server();
    for soap12 in [false, true] {
        let tokens = [
            UsernameToken::text(USER, PASSWORD).unwrap(),
            UsernameToken::digest(USER, PASSWORD).unwrap(),
            UsernameToken::digest(USER, PASSWORD)
                .unwrap()
                .with_timestamp(Duration::from_secs(300)),
        ];
        for token in tokens {
            let client =
                HelloWorldServiceClient::new(WithUsernameToken::new(caller(addr, soap12), token));
            // Two calls: each carries a fresh nonce, so the second is no replay.
            for _ in 0..2 {
                let lines = client.say_hello("Ann".to_owned(), 2).await.unwrap();
                assert_eq!(lines, vec!["Hello, Ann", "Hello, Ann"]);
            }
        }
    }
}

#[tokio::test]
async fn bad_tokens_get_their_wsse_faults() {
    let addr = secured_server();
    for soap12 in [false, true] {
        let call = |token: UsernameToken| {
            let client =
                HelloWorldServiceClient::new(WithUsernameToken::new(caller(addr, soap12), token));
            async move { client.say_hello("Ann".to_owned(), 1).await }
        };
        let wrong = UsernameToken::digest(USER, "guess").unwrap();
        assert_eq!(wsse_fault(call(wrong).await), "FailedAuthentication");
        let wrong_text = UsernameToken::text(USER, "guess").unwrap();
        assert_eq!(wsse_fault(call(wrong_text).await), "FailedAuthentication");
        let unknown = UsernameToken::digest("bob", PASSWORD).unwrap();
        assert_eq!(wsse_fault(call(unknown).await), "FailedAuthentication");

        // No header at all.
        let bare = HelloWorldServiceClient::new(caller(addr, soap12));
        assert_eq!(
            wsse_fault(bare.say_hello("Ann".to_owned(), 1).await),
            "InvalidSecurity"
        );

        // The same nonce twice: the first passes, the replay does not.
        let token = UsernameToken::digest(USER, PASSWORD).unwrap();
        let nonce: [u8; 16] = if soap12 { [2; 16] } else { [1; 16] };
        let header = token.header_with(&nonce, time_now());
        let fixed = HelloWorldServiceClient::new(FixedToken {
            inner: caller(addr, soap12),
            header,
        });
        fixed.say_hello("Ann".to_owned(), 1).await.unwrap();
        assert_eq!(
            wsse_fault(fixed.say_hello("Ann".to_owned(), 1).await),
            "FailedAuthentication"
        );

        // A timestamp that expired an hour ago.
        let stale = UsernameToken::digest(USER, PASSWORD)
            .unwrap()
            .with_timestamp(Duration::from_secs(60))
            .header_with(&[3; 16], time_now() - Duration::from_secs(3600));
        let old = HelloWorldServiceClient::new(FixedToken {
            inner: caller(addr, soap12),
            header: stale,
        });
        assert_eq!(
            wsse_fault(old.say_hello("Ann".to_owned(), 1).await),
            "MessageExpired"
        );
    }
}

fn time_now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

#[tokio::test]
async fn must_understand_is_accepted_only_with_the_validator() {
    // The plain hello server does not process wsse:Security: the block, marked
    // mustUnderstand, is refused.
    let plain = common::serve(soap_app(hello::builder()).unwrap(), HttpConfig::default());
    let token = UsernameToken::text(USER, PASSWORD).unwrap();
    let client = HelloWorldServiceClient::new(WithUsernameToken::new(caller(plain, false), token));
    match client.say_hello("Ann".to_owned(), 1).await {
        Err(ClientError::Fault(f)) => {
            assert_eq!(f.code.as_str(), "MustUnderstand", "{f:?}");
            assert!(f.string.contains("Security"), "{}", f.string);
        }
        other => panic!("expected MustUnderstand, got {other:?}"),
    }
    // The secured one accepts it (the other tests call it with the same block).
    let secured = secured_server();
    let token = UsernameToken::text(USER, PASSWORD).unwrap();
    let client =
        HelloWorldServiceClient::new(WithUsernameToken::new(caller(secured, false), token));
    assert_eq!(
        client.say_hello("Ann".to_owned(), 1).await.unwrap().len(),
        1
    );
}

/// Runs an example in a child process (the test binary itself).
fn spawn_example(example: &str, args: &[&str]) -> std::process::Child {
    common::child::spawn(&[&[example], args].concat())
}

/// The entry point of example child processes (does nothing in a normal run).
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
fn hello_and_hello_client_with_wsse_flags() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let port_s = port.to_string();
    let mut server = spawn_example(
        "hello",
        &[
            "--port",
            &port_s,
            "--wsse-user",
            "u",
            "--wsse-password",
            "p",
        ],
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = server.try_wait().unwrap() {
            panic!("the server exited before listening: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server does not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let url = format!("http://127.0.0.1:{port}/");
    let run = |extra: &[&str]| {
        let mut args = vec!["--url", url.as_str()];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["Example", "2"]);
        spawn_example("hello_client", &args)
            .wait_with_output()
            .unwrap()
    };
    for extra in [
        &["--wsse-user", "u", "--wsse-password", "p"][..],
        &["--wsse-user", "u", "--wsse-password", "p", "--wsse-digest"][..],
        &[
            "--wsse-user",
            "u",
            "--wsse-password",
            "p",
            "--wsse-digest",
            "--wsse-timestamp",
        ][..],
    ] {
        let out = run(extra);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{extra:?}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout.matches("Hello, Example").count(), 2, "{stdout}");
    }
    // A wrong password and no token: non-zero exits naming the fault.
    for (extra, says) in [
        (
            &["--wsse-user", "u", "--wsse-password", "x", "--wsse-digest"][..],
            "FailedAuthentication",
        ),
        (&[][..], "InvalidSecurity"),
        (&["--wsse-timestamp"][..], "need --wsse-user"),
    ] {
        let out = run(extra);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{extra:?} succeeded");
        assert!(stderr.contains(says), "{extra:?}: {stderr}");
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
