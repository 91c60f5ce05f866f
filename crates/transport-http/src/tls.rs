//! [`ServerTls`]: HTTPS for [`Server`](crate::Server) (feature `tls`): rustls with the ring
//! provider, no OpenSSL.

use std::io;
use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::server::TlsStream;

/// The ALPN protocols offered when the configuration names none: HTTP/2, then HTTP/1.1.
const ALPN: [&[u8]; 2] = [b"h2", b"http/1.1"];

/// The server side of TLS for [`Server::with_tls`](crate::Server::with_tls): a certificate
/// chain and its private key (from PEM), or a whole [`rustls::ServerConfig`].
///
/// ALPN offers `h2` and `http/1.1` (unless the given configuration names its own protocols);
/// both are served. The handshake must complete within
/// [`HttpConfig::header_read_timeout`](crate::HttpConfig::header_read_timeout); a handshake
/// that fails or times out is logged (at `debug`) and only that connection is dropped.
///
/// ```no_run
/// use rpclib_transport_http::{RpcService, Server, ServerTls};
///
/// # async fn demo(service: RpcService) -> std::io::Result<()> {
/// let tls = ServerTls::from_pem_files("cert.pem", "key.pem")?;
/// Server::bind("0.0.0.0:8443", service).await?.with_tls(tls).run().await
/// # }
/// ```
#[derive(Clone)]
pub struct ServerTls {
    acceptor: TlsAcceptor,
}

impl std::fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTls")
            .field("alpn", &self.acceptor.config().alpn_protocols)
            .finish_non_exhaustive()
    }
}

/// An `InvalidData` error.
fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

impl ServerTls {
    /// Reads a PEM certificate chain (the server's certificate first, then intermediates) and
    /// a PEM private key (PKCS#8, PKCS#1 or SEC1) from files.
    pub fn from_pem_files(
        cert_chain: impl AsRef<Path>,
        key: impl AsRef<Path>,
    ) -> io::Result<ServerTls> {
        let read = |path: &Path| {
            std::fs::read(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
        };
        ServerTls::from_pem(&read(cert_chain.as_ref())?, &read(key.as_ref())?)
    }

    /// Parses a PEM certificate chain (the server's certificate first) and a PEM private key.
    pub fn from_pem(cert_chain: &[u8], key: &[u8]) -> io::Result<ServerTls> {
        let chain = CertificateDer::pem_slice_iter(cert_chain)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(format!("certificate PEM: {e}")))?;
        if chain.is_empty() {
            return Err(invalid("certificate PEM: no certificate found".to_owned()));
        }
        let key = PrivateKeyDer::from_pem_slice(key)
            .map_err(|e| invalid(format!("private key PEM: {e}")))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(format!("TLS versions: {e}")))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| invalid(format!("certificate and key: {e}")))?;
        Ok(ServerTls::from_config(config))
    }

    /// Uses a rustls configuration as it is (client certificates, resumption, several
    /// certificates by SNI...); when it names no ALPN protocol, `h2` and `http/1.1` are set.
    pub fn from_config(mut config: rustls::ServerConfig) -> ServerTls {
        if config.alpn_protocols.is_empty() {
            config.alpn_protocols = ALPN.iter().map(|p| p.to_vec()).collect();
        }
        ServerTls::from_arc(Arc::new(config))
    }

    /// Uses a shared rustls configuration exactly as it is (its ALPN protocols included).
    pub fn from_arc(config: Arc<rustls::ServerConfig>) -> ServerTls {
        ServerTls {
            acceptor: TlsAcceptor::from(config),
        }
    }

    /// The rustls configuration in use.
    pub fn config(&self) -> &Arc<rustls::ServerConfig> {
        self.acceptor.config()
    }

    /// Runs the server side of the handshake on `stream`.
    pub(crate) async fn accept<S>(&self, stream: S) -> io::Result<TlsStream<S>>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        self.acceptor.accept(stream).await
    }
}
