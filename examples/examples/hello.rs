//! The classic hello service over HTTP with SOAP 1.1: `say_hello(name, times) -> [String]`.
//!
//! Run: `cargo run --release -p rpclib-examples --example hello -- --port 8000`, then fetch
//! `http://127.0.0.1:8000/?wsdl`. With `--tls-cert cert.pem --tls-key key.pem` it serves HTTPS
//! (`hello_client --url https://localhost:8000/ --ca-cert cert.pem` calls it).

use rpclib_examples::hello;
use rpclib_examples::server::{ServerArgs, serve, soap_app};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    run(std::env::args().skip(1))
}

/// Parses the flags (without the program name) and serves until SIGINT or SIGTERM.
pub fn run(args: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    let args = ServerArgs::parse(args)?;
    serve(soap_app(hello::builder())?, &args)
}
