//! The custom TCP transport example, end to end: typed calls, faults, a bad frame.

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use rpclib_core::{Application, ClientError, RemoteClient, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::soap_app;
use rpclib_examples::tcp::{TcpClient, TcpTransport, serve};
use rpclib_protocol_soap::Soap11;

#[test]
fn hello_over_length_prefixed_tcp() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let peers = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&peers);
    let app = soap_app(hello::builder().add_listener(
        rpclib_core::Event::MethodCall,
        move |ctx: &mut rpclib_core::MethodContext| {
            if let Some(t) = ctx.transport::<TcpTransport>() {
                seen.lock().unwrap().push(t.peer);
            }
        },
    ))
    .unwrap();
    std::thread::spawn(move || serve(app, listener));

    let client_app = Application::builder("Application", hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()
        .unwrap();
    let client = HelloWorldServiceClient::new(RemoteClient::new(
        client_app,
        TcpClient::connect(addr).unwrap(),
    ));
    assert_eq!(
        client.say_hello("tcp".into(), 2).unwrap(),
        ["Hello, tcp", "Hello, tcp"]
    );
    match client.say_hello(String::new(), 1) {
        Err(ClientError::Fault(f)) => assert!(f.string.contains("name"), "{}", f.string),
        other => panic!("expected a fault, got {other:?}"),
    }
    assert_eq!(
        peers.lock().unwrap().len(),
        1,
        "the transport part reaches listeners"
    );

    // Garbage in a frame is answered with a SOAP fault; an oversized length closes the connection.
    let mut raw = TcpStream::connect(addr).unwrap();
    // Fail rather than hang.
    raw.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    raw.set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    raw.write_all(&5u32.to_be_bytes()).unwrap();
    raw.write_all(b"<oops").unwrap();
    let mut len = [0u8; 4];
    raw.read_exact(&mut len).unwrap();
    let mut reply = vec![0; u32::from_be_bytes(len) as usize];
    raw.read_exact(&mut reply).unwrap();
    assert!(String::from_utf8_lossy(&reply).contains("Fault"));
    raw.write_all(&u32::MAX.to_be_bytes()).unwrap();
    match raw.read(&mut len) {
        // Closed, or reset.
        Ok(0) => {}
        Err(e) if !matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
        other => panic!("connection stays open after an oversized frame: {other:?}"),
    }
}
