//! The hello service on one server in several wire formats, each at its own path: SOAP 1.1
//! and 1.2 at `/soap` (WSDL at `/soap?wsdl`), JsonDocument at `/json`, JSON-RPC 2.0 at
//! `/jsonrpc`, HttpRpc in and JSON out under `/rpc` (`GET /rpc/say_hello?name=Dave&times=2`),
//! MessagePack at `/msgpack`, the plain XML document protocol at `/xml`, and the OpenAPI
//! document of the JSON endpoints (`/json` and `/rpc`) at `/openapi.json`. The `multi` example
//! serves it.

use anyhow::Result;
use rpclib_interface_openapi::OpenApi;
use rpclib_protocol_httprpc::HttpRpc;
use rpclib_protocol_json::{JsonDocument, JsonRpc};
use rpclib_protocol_msgpack::MsgPack;
use rpclib_protocol_soap::XmlDocument;
use rpclib_transport_http::{Endpoints, HttpConfig, RpcService};

use crate::hello;
use crate::server::soap_app_both_versions;

/// The paths the `multi` example serves exactly, in mounting order.
pub const PATHS: [&str; 5] = ["/soap", "/json", "/jsonrpc", "/msgpack", "/xml"];

/// The prefix under which the `multi` example serves HttpRpc (`/rpc/<method>`).
pub const RPC_PREFIX: &str = "/rpc";

/// The hello service at [`PATHS`] and under [`RPC_PREFIX`], each an application of its own
/// with its protocols (one service definition, six applications), every one with `config`.
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
        .mount(
            "/xml",
            service(hello::builder().protocol(XmlDocument::new()).build()?),
        )?
        // HttpRpc reads the method from the path: a prefix mount serves `/rpc/say_hello`.
        .mount_prefix(
            RPC_PREFIX,
            service(
                hello::builder()
                    .in_protocol(HttpRpc::new())
                    .out_protocol(JsonDocument::new())
                    .build()?,
            ),
        )?
        .document(OPENAPI_PATH, "application/json", openapi_document()?)?)
}

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";

/// The OpenAPI 3.1 document of the JSON endpoints: `/json` (JsonDocument) and `/rpc`
/// (HttpRpc).
pub fn openapi_document() -> Result<String> {
    let app = hello::builder().build()?;
    let document = OpenApi::new("HelloWorldService", env!("CARGO_PKG_VERSION"))
        .description("The hello service of rpclib's `multi` example, as JSON.")
        .json_document("/json", app.catalogue())
        .http_rpc(RPC_PREFIX, app.catalogue());
    Ok(document.to_json()?)
}
