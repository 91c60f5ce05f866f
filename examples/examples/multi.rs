//! One server, several endpoints: the hello service at `/soap` (SOAP 1.1 and 1.2, WSDL at
//! `/soap?wsdl`), `/json` (JsonDocument), `/jsonrpc` (JSON-RPC 2.0), `/msgpack`
//! (MessagePack), `/xml` (the plain XML document protocol) and `/rpc/<method>` (HttpRpc in, JSON out: arguments from the query string
//! or a form); any other path is 404.
//!
//! Run: `cargo run -p rpclib-examples --example multi -- --port 8000`, then
//! `curl -d '{"jsonrpc": "2.0", "method": "say_hello", "params": ["Dave", 2], "id": 1}' http://127.0.0.1:8000/jsonrpc`
//! or `curl 'http://127.0.0.1:8000/rpc/say_hello?name=Dave&times=2'`
//! It takes the flags of the other example servers (`--port N`, `--execution ...`, limits,
//! `--tls-cert`/`--tls-key`).

use rpclib_examples::multi;
use rpclib_examples::server::{ServerArgs, serve_endpoints};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    run(std::env::args().skip(1))
}

/// Parses the flags (without the program name) and serves until SIGINT or SIGTERM.
pub fn run(args: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    let args = ServerArgs::parse(args)?;
    serve_endpoints(multi::endpoints(&args.http_config())?, &args)
}
