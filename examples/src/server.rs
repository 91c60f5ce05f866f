//! What the example servers share: flags, SOAP 1.1 + WSDL set-up, the listening line.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use rpclib_core::{Application, ApplicationBuilder};
use rpclib_interface_wsdl::Wsdl11;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{Execution, HttpConfig, RpcService, Server};

/// Flags of the example servers.
#[derive(Debug, Clone)]
pub struct ServerArgs {
    /// `--port N` (default 8000; 0 picks a free port).
    pub port: u16,
    /// `--execution pool|in-place|inline` (default: the transport's default).
    pub execution: Option<Execution>,
}

impl ServerArgs {
    /// Parses the process's arguments.
    pub fn from_env() -> Result<ServerArgs> {
        let mut args = std::env::args().skip(1);
        let mut out = ServerArgs {
            port: 8000,
            execution: None,
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--port" => {
                    let v = args.next().context("--port needs a value")?;
                    out.port = v.parse().with_context(|| format!("invalid port {v:?}"))?;
                }
                "--execution" => {
                    out.execution = Some(match args.next().as_deref() {
                        Some("pool") => Execution::BlockingPool,
                        Some("in-place") => Execution::InPlace,
                        Some("inline") => Execution::Inline,
                        other => bail!("--execution takes pool, in-place or inline, not {other:?}"),
                    });
                }
                "--help" | "-h" => {
                    bail!("usage: [--port N] [--execution pool|in-place|inline]");
                }
                other => bail!("unknown argument {other:?}"),
            }
        }
        Ok(out)
    }
}

/// Adds SOAP 1.1 and WSDL 1.1 to an application.
pub fn soap_app(builder: ApplicationBuilder) -> Result<Arc<Application>> {
    Ok(builder
        .protocol(Soap11::new())
        .interface(Wsdl11::new())
        .build()?)
}

/// Serves `app` on 127.0.0.1 until SIGINT or SIGTERM, printing `listening on
/// http://127.0.0.1:N/` once connections are accepted.
pub fn serve(app: Arc<Application>, args: &ServerArgs) -> Result<()> {
    let mut config = HttpConfig::default();
    if let Some(execution) = args.execution {
        config.execution = execution;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let server = Server::bind(
            ("127.0.0.1", args.port),
            RpcService::with_config(app, config),
        )
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
        let addr = server.local_addr()?;
        #[allow(clippy::print_stdout)] // the documented readiness line
        {
            println!("listening on http://{addr}/");
        }
        server.run().await?;
        Ok(())
    })
}
