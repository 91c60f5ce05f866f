//! [`TlsConfig`]: which servers an `https://` client trusts.

use std::sync::Arc;

use rustls::RootCertStore;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;

use super::error::HttpClientError;

/// The roots an `https://` client trusts: the web PKI roots (Mozilla's, from `webpki-roots`)
/// by default, plus any certificate added from PEM (a private CA, a self-signed server), plus,
/// by option, the platform's store ([`with_platform_roots`](Self::with_platform_roots): the
/// system's CA bundle on Linux, the keychain on macOS, the certificate store on Windows, read
/// by `rustls-native-certs`). TLS is rustls with the ring provider; no OpenSSL.
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
    platform_roots: bool,
    extra_roots: Vec<CertificateDer<'static>>,
}

impl Default for TlsConfig {
    fn default() -> Self {
        TlsConfig {
            web_pki_roots: true,
            platform_roots: false,
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

    /// Also trusts the platform's root store, read when the client is made: on Linux the
    /// system's CA bundle (`SSL_CERT_FILE` / `SSL_CERT_DIR` when set, else the distribution's
    /// usual paths), the keychain on macOS, the certificate store on Windows. Where a private
    /// CA is installed system-wide, this is how the client comes to trust it. Making the
    /// client fails with [`HttpClientError::TlsConfig`] if the store yields no certificate.
    ///
    /// ```
    /// use rpclib_transport_http::TlsConfig;
    ///
    /// let tls = TlsConfig::default().without_web_pki_roots().with_platform_roots();
    /// assert!(tls.trusts_platform_roots() && !tls.trusts_web_pki_roots());
    /// ```
    pub fn with_platform_roots(mut self) -> Self {
        self.platform_roots = true;
        self
    }

    /// Whether the platform's root store is trusted.
    pub fn trusts_platform_roots(&self) -> bool {
        self.platform_roots
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
        if self.platform_roots {
            add_platform_roots(&mut roots)?;
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

/// Adds the platform's roots to `roots`. A store that is partly unreadable (one bad file in a
/// directory of certificates) still counts, as it does for curl; one that yields nothing is
/// an error naming why.
fn add_platform_roots(roots: &mut RootCertStore) -> Result<(), HttpClientError> {
    let found = rustls_native_certs::load_native_certs();
    let (added, _ignored) = roots.add_parsable_certificates(found.certs);
    if added == 0 {
        let why = found
            .errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        return Err(HttpClientError::TlsConfig(format!(
            "the platform's root store holds no usable certificate{}",
            if why.is_empty() {
                String::new()
            } else {
                format!(" ({why})")
            }
        )));
    }
    Ok(())
}
