//! [`TlsConfig`]: which servers an `https://` client trusts.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;

use super::error::HttpClientError;

/// The roots an `https://` client trusts: the web PKI roots (Mozilla's, from `webpki-roots`)
/// by default, plus any certificate added from PEM (a private CA, a self-signed server).
/// TLS is rustls with the ring provider; no OpenSSL.
///
/// ```
/// use rpclib_transport_http::{HttpClientConfig, TlsConfig};
///
/// # fn demo(ca_pem: &[u8]) -> Result<(), rpclib_transport_http::HttpClientError> {
/// let tls = TlsConfig::default().without_web_pki_roots().with_root_pem(ca_pem)?;
/// let config = HttpClientConfig::default().with_tls(tls);
/// # let _ = config; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct TlsConfig {
    web_pki_roots: bool,
    extra_roots: Vec<CertificateDer<'static>>,
}

impl Default for TlsConfig {
    fn default() -> Self {
        TlsConfig {
            web_pki_roots: true,
            extra_roots: Vec::new(),
        }
    }
}

impl TlsConfig {
    /// Stops trusting the web PKI roots: only the roots added with
    /// [`with_root_pem`](Self::with_root_pem) are trusted.
    pub fn without_web_pki_roots(mut self) -> Self {
        self.web_pki_roots = false;
        self
    }

    /// Trusts every certificate in `pem` (one or more `BEGIN CERTIFICATE` blocks) as a root.
    pub fn with_root_pem(mut self, pem: &[u8]) -> Result<Self, HttpClientError> {
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert = cert.map_err(|e| HttpClientError::TlsConfig(format!("root PEM: {e}")))?;
            self.extra_roots.push(cert);
            found += 1;
        }
        if found == 0 {
            return Err(HttpClientError::TlsConfig(
                "root PEM: no certificate found".to_owned(),
            ));
        }
        Ok(self)
    }

    /// Whether the web PKI roots are trusted.
    pub fn trusts_web_pki_roots(&self) -> bool {
        self.web_pki_roots
    }

    /// The rustls configuration (without ALPN, which the connector sets).
    pub(crate) fn rustls_config(&self) -> Result<rustls::ClientConfig, HttpClientError> {
        let mut roots = RootCertStore::empty();
        if self.web_pki_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for cert in &self.extra_roots {
            roots
                .add(cert.clone())
                .map_err(|e| HttpClientError::TlsConfig(format!("root certificate: {e}")))?;
        }
        if roots.is_empty() {
            return Err(HttpClientError::TlsConfig(
                "no trusted root certificate".to_owned(),
            ));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| HttpClientError::TlsConfig(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        Ok(config)
    }
}
