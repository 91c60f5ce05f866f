//! The interop service of `docs/contracts/interop-service.md` over HTTP, SOAP 1.1 and SOAP
//! 1.2 on one URL (each request answered in its own version); the WSDL publishes both ports
//! of every service.
//!
//! Run: `cargo run --release -p rpclib-examples --example interop -- --port 8000`, then fetch
//! `http://127.0.0.1:8000/?wsdl`.

use rpclib_examples::interop;
use rpclib_examples::server::{ServerArgs, serve};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args = ServerArgs::from_env()?;
    serve(interop::app()?, &args)
}
