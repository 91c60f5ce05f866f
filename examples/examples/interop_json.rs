//! The interop service of `docs/contracts/interop-service.md` as JSON: JsonDocument at
//! `/json`, its OpenAPI 3.1 document at `/openapi.json` (what `cargo xtask interop` checks
//! with `openapi-spec-validator` and `openapi-core`).
//!
//! Run: `cargo run --release -p rpclib-examples --example interop_json -- --port 8000`, then
//! fetch `http://127.0.0.1:8000/openapi.json`.

use rpclib_examples::interop;
use rpclib_examples::server::{ServerArgs, serve_endpoints};
use rpclib_interface_openapi::OpenApi;
use rpclib_protocol_json::JsonDocument;
use rpclib_transport_http::{Endpoints, RpcService};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args = ServerArgs::from_env()?;
    let app = interop::builder().protocol(JsonDocument::new()).build()?;
    let document = OpenApi::new("Application", env!("CARGO_PKG_VERSION"))
        .description("Spyne's interop service, served by rpclib as JSON documents.")
        .json_document("/json", app.catalogue())
        .to_json()?;
    let config = args.http_config();
    let endpoints = Endpoints::with_config(config.clone())
        .mount("/json", RpcService::with_config(app, config))?
        .document("/openapi.json", "application/json", document)?;
    serve_endpoints(endpoints, &args)
}
