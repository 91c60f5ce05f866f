//! The custom TCP transport of `rpclib_examples::tcp`: the hello service over length-prefixed
//! frames, with SOAP 1.1 inside, called by the typed client.
//!
//! Run: `cargo run -p rpclib-examples --example tcp`

#![allow(clippy::print_stdout)] // an example program: its output is the point

use std::net::TcpListener;

use rpclib_core::{Application, RemoteClient, Service};
use rpclib_examples::hello::{self, HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::server::soap_app;
use rpclib_examples::tcp::{TcpClient, serve};
use rpclib_protocol_soap::Soap11;

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let server_app = soap_app(hello::builder())?;
    std::thread::spawn(move || serve(server_app, listener));

    let client_app = Application::builder("Application", hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    let client =
        HelloWorldServiceClient::new(RemoteClient::new(client_app, TcpClient::connect(addr)?));
    for line in client.say_hello("TCP".into(), 2)? {
        println!("{line}");
    }
    Ok(())
}
