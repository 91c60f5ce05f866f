//! The hello service on one server in four wire formats, each at its own path: SOAP 1.1
//! and 1.2 at `/soap` (WSDL at `/soap?wsdl`), JsonDocument at `/json`, JSON-RPC 2.0 at
//! `/jsonrpc`, MessagePack at `/msgpack`, and the OpenAPI document of the JSON endpoints at
//! `/openapi.json`. The `multi` example serves it.

use anyhow::Result;
use rpclib_interface_openapi::OpenApi;
use rpclib_protocol_json::{JsonDocument, JsonRpc};
use rpclib_protocol_msgpack::MsgPack;
use rpclib_transport_http::{Endpoints, HttpConfig, RpcService};

use crate::hello;
use crate::server::soap_app_both_versions;

/// The paths the `multi` example serves, in mounting order.
pub const PATHS: [&str; 4] = ["/soap", "/json", "/jsonrpc", "/msgpack"];

/// The hello service at [`PATHS`], each path an application of its own with its protocol
/// (one service definition, four applications), every one with `config`.
pub fn endpoints(config: &HttpConfig) -> Result<Endpoints> {
    let service = |app| RpcService::with_config(app, config.clone());
    Ok(Endpoints::with_config(config.clone())
        .mount("/soap", service(soap_app_both_versions(hello::builder())?))?
        .mount(
            "/json",
            service(hello::builder().protocol(JsonDocument::new()).build()?),
        )?
        .mount(
            "/jsonrpc",
            service(hello::builder().protocol(JsonRpc::new()).build()?),
        )?
        .mount(
            "/msgpack",
            service(hello::builder().protocol(MsgPack::new()).build()?),
        )?
        .document(OPENAPI_PATH, "application/json", openapi_document()?)?)
}

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// The OpenAPI 3.1 document of the JSON endpoints: `/json` (JsonDocument), and `/rpc`
/// (HttpRpc) when [`PATHS`] has it.
pub fn openapi_document() -> Result<String> {
    let app = hello::builder().build()?;
    let mut document = OpenApi::new("HelloWorldService", env!("CARGO_PKG_VERSION"))
        .description("The hello service of rpclib's `multi` example, as JSON.")
        .json_document("/json", app.catalogue());
    if PATHS.contains(&"/rpc") {
        document = document.http_rpc("/rpc", app.catalogue());
    }
    Ok(document.to_json()?)
}
