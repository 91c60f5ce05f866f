//! The bench service of `docs/contracts/bench-service.md` over HTTP, SOAP 1.1 and SOAP 1.2
//! on one URL (each request answered in its own version); the WSDL publishes both ports.
//! `--async-methods` serves the same contract with `async fn` methods (awaited on the
//! runtime task that read the request) instead of blocking ones (run per `--execution`).
//!
//! Run: `cargo run --release -p rpclib-examples --example bench -- --port 8000
//! [--async-methods] [--execution connection-thread|pool|in-place|inline]`, then fetch
//! `http://127.0.0.1:8000/?wsdl`.

use rpclib_examples::bench;
use rpclib_examples::server::{ServerArgs, serve};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let (flags, rest): (Vec<String>, Vec<String>) = std::env::args()
        .skip(1)
        .partition(|a| a == "--async-methods");
    let args = ServerArgs::parse(rest)?;
    let app = if flags.is_empty() {
        bench::app()?
    } else {
        bench::async_app()?
    };
    serve(app, &args)
}
