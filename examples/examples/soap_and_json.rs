//! One service, two protocols, one server: the hello service in SOAP 1.1 at `/soap` (with its
//! WSDL at `/soap?wsdl`) and in JSON (`rpclib-protocol-json`, Spyne's JsonDocument shape) at `/json`, mounted side by side in
//! axum.
//!
//! Run: `cargo run -p rpclib-examples --example soap_and_json -- --port 8000`, then
//! `curl -d '{"say_hello": {"name": "Dave", "times": 2}}' http://127.0.0.1:8000/json`

use anyhow::Context;
use rpclib_examples::hello;
use rpclib_examples::server::soap_app;
use rpclib_protocol_json::JsonDocument;
use rpclib_transport_http::RpcService;

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let port: u16 = match std::env::args().nth(1).as_deref() {
        Some("--port") => std::env::args().nth(2).context("--port N")?.parse()?,
        _ => 8000,
    };
    let soap = soap_app(hello::builder())?;
    let json = hello::builder().protocol(JsonDocument::new()).build()?;
    let router = axum::Router::new()
        .route_service("/soap", RpcService::new(soap))
        .route_service("/json", RpcService::new(json));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        #[allow(clippy::print_stdout)] // the documented readiness line
        {
            println!("listening on http://{}/", listener.local_addr()?);
        }
        axum::serve(listener, router)
            .with_graceful_shutdown(rpclib_transport_http::shutdown_signal())
            .await?;
        Ok(())
    })
}
