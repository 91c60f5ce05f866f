//! Listeners over a real HTTP socket: `method_context_closed` fires exactly once per request
//! (one success, one fault) on the server and on the client's side of the call (a transport
//! error included), and a panicking listener neither skips the response nor stops the
//! listeners after it.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rpclib_core::{Application, ClientError, Event, MethodContext, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::soap_app;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{HttpClient, HttpConfig, HttpTransport};

fn start(app: Arc<Application>) -> SocketAddr {
    common::serve(app, HttpConfig::default())
}

/// The server's `method_context_closed` events, as the path of each closed request's URI.
struct Closes {
    addr: SocketAddr,
    events: Receiver<String>,
}

impl Closes {
    /// How many contexts of requests to `path` closed since the last call.
    ///
    /// The HTTP transport closes a context when it is done with it: after the response was
    /// built, before its bytes are written. So this sends one more request, to `/marker`, and
    /// waits for that one's close: the calls of this test are sequential, so each earlier
    /// request's close came before it. A close arriving later than the marker's (one that would
    /// come after the response was written) fails the test if it comes within a bounded wait.
    fn of(&self, path: &str) -> usize {
        let marker = common::exchange(
            self.addr,
            b"POST /marker HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\
              Content-Type: text/xml\r\nContent-Length: 1\r\n\r\nx",
        );
        assert_eq!(marker.status, 500, "{marker:?}");
        let mut n = 0;
        loop {
            match self.events.recv_timeout(Duration::from_secs(10)) {
                Ok(p) if p == "/marker" => break,
                Ok(p) => {
                    assert_eq!(p, path, "a close of an unexpected request");
                    n += 1;
                }
                Err(e) => panic!("the marker request's context did not close: {e}"),
            }
        }
        assert_eq!(
            self.events.recv_timeout(Duration::from_millis(200)),
            Err(RecvTimeoutError::Timeout),
            "a close after the marker's"
        );
        n
    }
}

#[test]
fn context_closed_once_per_http_request_despite_panicking_listeners() {
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    let closed_tx = Mutex::new(closed_tx);
    let returned = Arc::new(AtomicUsize::new(0));
    let r = Arc::clone(&returned);
    let builder = hello::builder()
        // Registered first, so that the counting listeners run after a panicking one.
        .add_listener(Event::MethodReturnObject, |_: &mut MethodContext| {
            panic!("a return_object listener panics over HTTP")
        })
        .add_listener(Event::MethodContextClosed, |_: &mut MethodContext| {
            panic!("a closed listener panics over HTTP")
        })
        .add_listener(Event::MethodReturnObject, move |_: &mut MethodContext| {
            r.fetch_add(1, Ordering::SeqCst);
        })
        .add_listener(
            Event::MethodContextClosed,
            move |ctx: &mut MethodContext| {
                let path = ctx
                    .transport::<HttpTransport>()
                    .map(|t| t.uri.path().to_owned())
                    .unwrap_or_default();
                let _ = closed_tx.lock().unwrap().send(path);
            },
        );
    let addr = start(soap_app(builder).unwrap());
    let closed = Closes {
        addr,
        events: closed_rx,
    };
    // The client's calls have contexts too (`OutgoingCall`): each is closed once.
    let client_closed = Arc::new(AtomicUsize::new(0));
    let cc = Arc::clone(&client_closed);
    let client_app = Application::builder("Application", hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .add_listener(Event::MethodContextClosed, |_: &mut MethodContext| {
            panic!("a client-side closed listener panics")
        })
        .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
            cc.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let client = HelloWorldServiceClient::new(
        HttpClient::new(&format!("http://{addr}/"))
            .unwrap()
            .caller(Arc::clone(&client_app)),
    );

    // Success: the response arrives despite the panicking listeners; each context closes once.
    assert_eq!(
        client.say_hello("Dave".into(), 2).unwrap(),
        ["Hello, Dave"; 2]
    );
    assert_eq!(returned.load(Ordering::SeqCst), 1);
    assert_eq!(closed.of("/"), 1, "success");
    assert_eq!(client_closed.load(Ordering::SeqCst), 1, "client, success");

    // Fault (a constraint violation): still one close.
    match client.say_hello("Dave".into(), 1001) {
        Err(ClientError::Fault(f)) => assert_eq!(f.code.as_str(), "Client.ValidationError"),
        other => panic!("expected a fault, got {other:?}"),
    }
    assert_eq!(closed.of("/"), 1, "fault");
    assert_eq!(returned.load(Ordering::SeqCst), 1);
    assert_eq!(client_closed.load(Ordering::SeqCst), 2, "client, fault");

    // A transport error on the client (nothing listens there): the call's context still
    // closes once, when the call is abandoned.
    let unreachable = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = unreachable.local_addr().unwrap();
    drop(unreachable);
    let client = HelloWorldServiceClient::new(
        HttpClient::new(&format!("http://{dead}/"))
            .unwrap()
            .caller(client_app),
    );
    assert!(matches!(
        client.say_hello("Dave".into(), 1),
        Err(ClientError::Transport(_))
    ));
    assert_eq!(
        client_closed.load(Ordering::SeqCst),
        3,
        "client, transport error"
    );
    assert_eq!(closed.of("/"), 0, "the server saw nothing");
}
