//! Calls the hello example over HTTP with the typed client generated from the same service
//! definition.
//!
//! Run the server (`cargo run -p rpclib-examples --example hello -- --port 8000`), then:
//! `cargo run -p rpclib-examples --example hello_client -- http://127.0.0.1:8000/ Dave 3`

#![allow(clippy::print_stdout)] // an example program: its output is the point

use anyhow::Context;
use rpclib_core::{Application, Service};
use rpclib_examples::hello::{HelloWorldService, HelloWorldServiceClient, TNS};
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::HttpClient;

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "http://127.0.0.1:8000/".to_owned());
    let name = args.next().unwrap_or_else(|| "Dave".to_owned());
    let times: u32 = args
        .next()
        .unwrap_or_else(|| "3".to_owned())
        .parse()
        .context("times")?;

    // The client's application declares the service and the protocol; no instance needed.
    let app = Application::builder("Application", TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    let client = HelloWorldServiceClient::new(HttpClient::new(&url)?.caller(app));
    for line in client.say_hello(name, times)? {
        println!("{line}");
    }
    Ok(())
}
