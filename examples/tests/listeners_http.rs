//! Listeners over a real HTTP socket: `method_context_closed` fires exactly once per request
//! (one success, one fault) on the server and on the client's side of the call (a transport
//! error included), and a panicking listener neither skips the response nor stops the
//! listeners after it.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rpclib_core::{Application, ClientError, Event, MethodContext, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::soap_app;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{HttpClient, HttpConfig};

fn start(app: Arc<Application>) -> SocketAddr {
    common::serve(app, HttpConfig::default())
}

/// Waits until `counter` reaches `n` (the context is closed once the response is built, so
/// the client may see the reply a moment before), then checks it stays there.
fn settles_at(counter: &AtomicUsize, n: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(5);
    while counter.load(Ordering::SeqCst) < n && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    counter.load(Ordering::SeqCst)
}

#[test]
fn context_closed_once_per_http_request_despite_panicking_listeners() {
    let closed = Arc::new(AtomicUsize::new(0));
    let returned = Arc::new(AtomicUsize::new(0));
    let (c, r) = (Arc::clone(&closed), Arc::clone(&returned));
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
        .add_listener(Event::MethodContextClosed, move |_: &mut MethodContext| {
            c.fetch_add(1, Ordering::SeqCst);
        });
    let addr = start(soap_app(builder).unwrap());
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
    assert_eq!(settles_at(&closed, 1), 1, "success");
    assert_eq!(client_closed.load(Ordering::SeqCst), 1, "client, success");

    // Fault (a constraint violation): still one close.
    match client.say_hello("Dave".into(), 1001) {
        Err(ClientError::Fault(f)) => assert_eq!(f.code.as_str(), "Client.ValidationError"),
        other => panic!("expected a fault, got {other:?}"),
    }
    assert_eq!(settles_at(&closed, 2), 2, "fault");
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
    assert_eq!(closed.load(Ordering::SeqCst), 2, "the server saw nothing");
}
