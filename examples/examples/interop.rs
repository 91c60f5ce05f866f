//! The interop service of `docs/contracts/interop-service.md` over HTTP with SOAP 1.1.
//!
//! Run: `cargo run --release -p rpclib-examples --example interop -- --port 8000`, then fetch
//! `http://127.0.0.1:8000/?wsdl`.

use rpclib_examples::interop;
use rpclib_examples::server::{ServerArgs, serve, soap_app};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args = ServerArgs::from_env()?;
    serve(soap_app(interop::builder())?, &args)
}
