//! What the example servers share: flags, SOAP + WSDL set-up, the listening line.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use rpclib_core::{Application, ApplicationBuilder};
use rpclib_interface_wsdl::Wsdl11;
use rpclib_protocol_soap::{Soap11, SoapAny};
use rpclib_transport_http::{Endpoints, Execution, HttpConfig, RpcService, Server, ServerTls};

/// Flags of the example servers.
#[derive(Debug, Clone)]
pub struct ServerArgs {
    /// `--port N` (default 8000; 0 picks a free port).
    pub port: u16,
    /// `--execution connection-thread|pool|in-place|inline` (default: the transport's
    /// default).
    pub execution: Option<Execution>,
    /// `--max-body-bytes N`: the largest request body (default: the transport's).
    pub max_body_bytes: Option<usize>,
    /// `--header-timeout-ms N`: time to receive a request's headers (default: the transport's).
    pub header_timeout_ms: Option<u64>,
    /// `--request-timeout-ms N`: time for a whole request (default: the transport's).
    pub request_timeout_ms: Option<u64>,
    /// `--max-connections N`: connections served at once (default: the transport's).
    pub max_connections: Option<usize>,
    /// `--tls-cert FILE`: serve HTTPS with this PEM certificate chain (needs `--tls-key`).
    pub tls_cert: Option<PathBuf>,
    /// `--tls-key FILE`: the PEM private key of `--tls-cert`.
    pub tls_key: Option<PathBuf>,
}

/// The value after a flag, parsed.
fn value<T: std::str::FromStr>(args: &mut impl Iterator<Item = String>, flag: &str) -> Result<T> {
    let v = args
        .next()
        .with_context(|| format!("{flag} needs a value"))?;
    v.parse()
        .map_err(|_| anyhow::anyhow!("{flag}: invalid value {v:?}"))
}

impl ServerArgs {
    /// Parses the process's arguments.
    pub fn from_env() -> Result<ServerArgs> {
        ServerArgs::parse(std::env::args().skip(1))
    }

    /// Parses `args` (without the program name).
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<ServerArgs> {
        let mut args = args.into_iter();
        let mut out = ServerArgs {
            port: 8000,
            execution: None,
            max_body_bytes: None,
            header_timeout_ms: None,
            request_timeout_ms: None,
            max_connections: None,
            tls_cert: None,
            tls_key: None,
        };
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--port" => {
                    let v = args.next().context("--port needs a value")?;
                    out.port = v.parse().with_context(|| format!("invalid port {v:?}"))?;
                }
                "--execution" => {
                    out.execution = Some(match args.next().as_deref() {
                        Some("connection-thread") => Execution::ConnectionThread,
                        Some("pool") => Execution::BlockingPool,
                        Some("in-place") => Execution::InPlace,
                        Some("inline") => Execution::Inline,
                        other => bail!(
                            "--execution takes connection-thread, pool, in-place or inline, not {other:?}"
                        ),
                    });
                }
                "--max-body-bytes" => out.max_body_bytes = Some(value(&mut args, &arg)?),
                "--header-timeout-ms" => out.header_timeout_ms = Some(value(&mut args, &arg)?),
                "--request-timeout-ms" => out.request_timeout_ms = Some(value(&mut args, &arg)?),
                "--max-connections" => out.max_connections = Some(value(&mut args, &arg)?),
                "--tls-cert" => out.tls_cert = Some(value(&mut args, &arg)?),
                "--tls-key" => out.tls_key = Some(value(&mut args, &arg)?),
                "--help" | "-h" => {
                    bail!(
                        "usage: [--port N] [--execution connection-thread|pool|in-place|inline] [--max-body-bytes N] \
                         [--header-timeout-ms N] [--request-timeout-ms N] [--max-connections N] \
                         [--tls-cert FILE --tls-key FILE]"
                    );
                }
                other => bail!("unknown argument {other:?}"),
            }
        }
        if out.tls_cert.is_some() != out.tls_key.is_some() {
            bail!("--tls-cert and --tls-key go together");
        }
        Ok(out)
    }

    /// The TLS configuration of `--tls-cert` and `--tls-key`, if given.
    pub fn tls(&self) -> Result<Option<ServerTls>> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Ok(Some(
                ServerTls::from_pem_files(cert, key).context("--tls-cert/--tls-key")?,
            )),
            _ => Ok(None),
        }
    }
}

/// Adds SOAP 1.1 and WSDL 1.1 to an application.
pub fn soap_app(builder: ApplicationBuilder) -> Result<Arc<Application>> {
    Ok(builder
        .protocol(Soap11::new())
        .interface(Wsdl11::new())
        .build()?)
}

/// Adds SOAP 1.1 and SOAP 1.2 on one endpoint ([`SoapAny`]: each request answered in its
/// own version) and a WSDL 1.1 that publishes a port for each version at that address.
pub fn soap_app_both_versions(builder: ApplicationBuilder) -> Result<Arc<Application>> {
    Ok(builder
        .protocol(SoapAny::new())
        .interface(Wsdl11::new().soap12(true))
        .build()?)
}

/// Serves `app` on 127.0.0.1 until SIGINT or SIGTERM, printing `listening on
/// http://127.0.0.1:N/` (`https://` with `--tls-cert`) once connections are accepted.
pub fn serve(app: Arc<Application>, args: &ServerArgs) -> Result<()> {
    let config = args.http_config();
    serve_endpoints(RpcService::with_config(app, config).into(), args)
}

/// Serves `endpoints` (several services at their paths) on 127.0.0.1 like [`serve`].
pub fn serve_endpoints(endpoints: Endpoints, args: &ServerArgs) -> Result<()> {
    let tls = args.tls()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let mut server = Server::bind(("127.0.0.1", args.port), endpoints)
            .await
            .with_context(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
        if let Some(tls) = tls {
            server = server.with_tls(tls);
        }
        let addr = server.local_addr()?;
        let scheme = if server.is_tls() { "https" } else { "http" };
        #[allow(clippy::print_stdout)] // the documented readiness line
        {
            println!("listening on {scheme}://{addr}/");
        }
        server.run().await?;
        Ok(())
    })
}

impl ServerArgs {
    /// The HTTP configuration the flags describe.
    pub fn http_config(&self) -> HttpConfig {
        let args = self;
        let mut config = HttpConfig::default();
        if let Some(execution) = args.execution {
            config.execution = execution;
        }
        if let Some(n) = args.max_body_bytes {
            config.max_body_bytes = n;
        }
        if let Some(ms) = args.header_timeout_ms {
            config.header_read_timeout = std::time::Duration::from_millis(ms);
        }
        if let Some(ms) = args.request_timeout_ms {
            config.request_timeout = std::time::Duration::from_millis(ms);
        }
        if let Some(n) = args.max_connections {
            config.max_connections = n;
        }
        config
    }
}
