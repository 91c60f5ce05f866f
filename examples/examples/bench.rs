//! The bench service of `docs/contracts/bench-service.md` over HTTP, SOAP 1.1 and SOAP 1.2
//! on one URL (each request answered in its own version); the WSDL publishes both ports.
//!
//! Run: `cargo run --release -p rpclib-examples --example bench -- --port 8000`, then fetch
//! `http://127.0.0.1:8000/?wsdl`.

use rpclib_examples::bench;
use rpclib_examples::server::{ServerArgs, serve};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args = ServerArgs::from_env()?;
    serve(bench::app()?, &args)
}
