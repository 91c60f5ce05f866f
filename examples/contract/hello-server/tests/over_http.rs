//! The hello contract end to end over a real socket: the server of this crate on a free port,
//! called by the client crate (which knows the API crate only) and by `HelloClient` directly.

use std::net::SocketAddr;

use hello_api::{Greeting, HelloClient};
use rpclib_transport_http::{RpcService, Server};

/// Serves the hello application on 127.0.0.1 on a free port, in a background runtime that
/// lives as long as the test process.
fn serve() -> SocketAddr {
    let app = hello_server::app().expect("the application builds");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async move {
            let server = Server::bind("127.0.0.1:0", RpcService::new(app))
                .await
                .expect("bind 127.0.0.1:0");
            tx.send(server.local_addr().expect("local address"))
                .expect("the test waits for the address");
            server
                .run_until(std::future::pending())
                .await
                .expect("the server runs");
        });
    });
    rx.recv().expect("the server's address")
}

fn greeting(name: &str, times: u32) -> Greeting {
    Greeting {
        name: name.into(),
        times,
    }
}

#[test]
fn the_client_crate_calls_the_server_over_http() {
    let addr = serve();
    let client: HelloClient<_> =
        hello_client::connect(&format!("http://{addr}/")).expect("a client");

    // An async method.
    assert_eq!(
        client.say_hello(greeting("Dave", 2)).unwrap(),
        ["Hello, Dave", "Hello, Dave"]
    );
    // A blocking one.
    assert_eq!(client.ping().unwrap(), 1);
    // An async method taking the context, with two named results.
    assert_eq!(client.stats().unwrap(), (2, "stats".to_owned()));

    // A fault returned by the implementation.
    let err = client.say_hello(greeting("nobody", 1)).unwrap_err();
    let fault = err.fault().expect("a fault");
    assert_eq!(fault.code.as_str(), "Client.UnknownName");

    // A constraint declared in the API crate, checked by the server.
    let err = client.say_hello(greeting("Dave", 101)).unwrap_err();
    let fault = err.fault().expect("a validation fault");
    assert_eq!(fault.code.as_str(), "Client.ValidationError");
    assert!(fault.string.contains("greeting.times"), "{}", fault.string);
}

#[test]
fn the_server_publishes_the_contract_as_wsdl() {
    let addr = serve();
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    use std::io::{Read, Write};
    write!(
        s,
        "GET /?wsdl HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    s.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    for op in ["say_hello", "stats", "ping"] {
        assert!(
            reply.contains(&format!("<wsdl:operation name=\"{op}\"")),
            "{op} missing from {reply}"
        );
    }
}
