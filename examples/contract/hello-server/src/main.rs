//! Serves the hello contract over HTTP.
//!
//! Run: `cargo run -p hello-server -- 8000`, then fetch `http://127.0.0.1:8000/?wsdl` or call
//! it with `cargo run -p hello-client -- http://127.0.0.1:8000/ Dave 3`.

use anyhow::Context;
use rpclib_transport_http::{RpcService, Server};

fn main() -> anyhow::Result<()> {
    env_logger::init();
    let port: u16 = match std::env::args().nth(1) {
        Some(p) => p.parse().with_context(|| format!("invalid port {p:?}"))?,
        None => 8000,
    };
    let app = hello_server::app()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let server = Server::bind(("127.0.0.1", port), RpcService::new(app))
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{port}"))?;
        #[allow(clippy::print_stdout)] // the readiness line
        {
            println!("listening on http://{}/", server.local_addr()?);
        }
        server.run().await?;
        Ok(())
    })
}
