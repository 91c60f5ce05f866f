//! The classic hello service over HTTP with SOAP 1.1: `say_hello(name, times) -> [String]`.
//!
//! Run: `cargo run --release -p rpclib-examples --example hello -- --port 8000`, then fetch
//! `http://127.0.0.1:8000/?wsdl`.

use rpclib_examples::hello;
use rpclib_examples::server::{ServerArgs, serve, soap_app};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args = ServerArgs::from_env()?;
    serve(soap_app(hello::builder())?, &args)
}
