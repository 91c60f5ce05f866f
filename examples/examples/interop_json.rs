//! The interop service of `docs/contracts/interop-service.md` as JSON: JsonDocument at
//! `/json`, HttpRpc in and JSON out under `/rpc` (`POST /rpc/echo_string` with a form body),
//! and the OpenAPI 3.1 document of both at `/openapi.json` (what `cargo xtask interop` checks
//! with `openapi-spec-validator` and `openapi-core`). The HttpRpc methods whose arguments have
//! no flat form (arrays of structures, a recursive type) are left out of the document's
//! `/rpc` paths, listed in its `x-left-out` member and logged at start.
//!
//! Run: `cargo run --release -p rpclib-examples --example interop_json -- --port 8000`, then
//! fetch `http://127.0.0.1:8000/openapi.json`.

use rpclib_examples::interop;
use rpclib_examples::server::{ServerArgs, serve_endpoints};
use rpclib_interface_openapi::OpenApi;
use rpclib_protocol_httprpc::HttpRpc;
use rpclib_protocol_json::JsonDocument;
use rpclib_transport_http::{Endpoints, RpcService};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let args = ServerArgs::from_env()?;
    let app = interop::builder().protocol(JsonDocument::new()).build()?;
    let rpc = interop::builder()
        .in_protocol(HttpRpc::new())
        .out_protocol(JsonDocument::new())
        .build()?;
    let openapi = OpenApi::new("Application", env!("CARGO_PKG_VERSION"))
        .description(
            "Spyne's interop service, served by rpclib as JSON documents (`/json`) and as \
             HttpRpc with JSON replies (`/rpc`).",
        )
        .json_document("/json", app.catalogue())
        .http_rpc("/rpc", rpc.catalogue())
        .skip_unrepresentable();
    for left in openapi.left_out()? {
        log::warn!("{} is not described: {}", left.path, left.reason);
    }
    let document = openapi.to_json()?;
    let config = args.http_config();
    let endpoints = Endpoints::with_config(config.clone())
        .mount("/json", RpcService::with_config(app, config.clone()))?
        .mount_prefix("/rpc", RpcService::with_config(rpc, config))?
        .document("/openapi.json", "application/json", document)?;
    serve_endpoints(endpoints, &args)
}
