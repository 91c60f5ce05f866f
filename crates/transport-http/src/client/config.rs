//! [`HttpClientConfig`]: the options of the HTTP client.

use std::time::Duration;

use base64::Engine as _;
use http::HeaderMap;
use http::header::{AUTHORIZATION, HeaderName, HeaderValue};

use super::error::HttpClientError;
use super::proxy::ProxyConfig;
use super::tls::TlsConfig;

/// Which HTTP versions the client speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum HttpVersions {
    /// HTTP/1.1 over `http://`; over `https://`, HTTP/2 when the server offers it in ALPN,
    /// else HTTP/1.1. The default.
    #[default]
    Auto,
    /// HTTP/1.1 only.
    Http1Only,
    /// HTTP/2 only: with prior knowledge over `http://` (h2c), through ALPN over `https://`.
    Http2Only,
}

/// Options of [`AsyncHttpClient`](crate::AsyncHttpClient) and [`HttpClient`](crate::HttpClient).
///
/// ```
/// use std::time::Duration;
/// use rpclib_transport_http::HttpClientConfig;
///
/// let config = HttpClientConfig {
///     timeout: Duration::from_secs(5),
///     ..HttpClientConfig::default()
/// }
/// .with_basic_auth("alice", "secret")?
/// .with_header("x-tenant", "blue")?;
/// # Ok::<(), rpclib_transport_http::HttpClientError>(())
/// ```
#[derive(Debug, Clone)]
pub struct HttpClientConfig {
    /// Time allowed for a whole call (connect, TLS, send, receive). Default: 30 s.
    pub timeout: Duration,
    /// Time allowed to open the TCP connection. Default: 10 s.
    pub connect_timeout: Duration,
    /// Largest reply accepted, in bytes. Default: 64 MiB.
    pub max_reply_bytes: usize,
    /// Idle connections kept per host. Default: 32.
    pub pool_max_idle_per_host: usize,
    /// How long an idle connection is kept. Default: 90 s.
    pub pool_idle_timeout: Duration,
    /// The HTTP versions spoken. Default: [`HttpVersions::Auto`].
    pub versions: HttpVersions,
    /// Headers sent with every call (authorization, tenant, user agent...). The client sets
    /// `Content-Type` and `SOAPAction` itself.
    pub headers: HeaderMap,
    /// Trusted roots for `https://`. Default: the web PKI roots.
    pub tls: TlsConfig,
    /// The HTTP proxy, if any. Default: from the environment variables
    /// ([`ProxyConfig::from_env`]).
    pub proxy: ProxyConfig,
    /// Whether to ask for compressed replies (`Accept-Encoding: gzip, deflate`) and decode
    /// them; [`max_reply_bytes`](Self::max_reply_bytes) bounds the decoded size. An
    /// `Accept-Encoding` in [`headers`](Self::headers) replaces the one sent. Default: on.
    pub accept_compressed: bool,
}

impl Default for HttpClientConfig {
    fn default() -> Self {
        HttpClientConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_reply_bytes: 64 * 1024 * 1024,
            pool_max_idle_per_host: 32,
            pool_idle_timeout: Duration::from_secs(90),
            versions: HttpVersions::Auto,
            headers: HeaderMap::new(),
            tls: TlsConfig::default(),
            proxy: ProxyConfig::default(),
            accept_compressed: true,
        }
    }
}

impl HttpClientConfig {
    /// Adds a header sent with every call (replacing one of the same name).
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, HttpClientError> {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| HttpClientError::InvalidHeader(format!("{name:?}: {e}")))?;
        let value = HeaderValue::from_str(value)
            .map_err(|e| HttpClientError::InvalidHeader(format!("{name}: {e}")))?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// Sends `Authorization: Basic base64(user:password)` with every call.
    pub fn with_basic_auth(mut self, user: &str, password: &str) -> Result<Self, HttpClientError> {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let mut value = HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|e| HttpClientError::InvalidHeader(format!("authorization: {e}")))?;
        value.set_sensitive(true);
        self.headers.insert(AUTHORIZATION, value);
        Ok(self)
    }

    /// Sends `Authorization: Bearer <token>` with every call.
    pub fn with_bearer_token(mut self, token: &str) -> Result<Self, HttpClientError> {
        let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
            .map_err(|e| HttpClientError::InvalidHeader(format!("authorization: {e}")))?;
        value.set_sensitive(true);
        self.headers.insert(AUTHORIZATION, value);
        Ok(self)
    }

    /// Goes through the proxy `proxy` says (see [`ProxyConfig`]).
    pub fn with_proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// Trusts `tls` for `https://` (see [`TlsConfig`]).
    pub fn with_tls(mut self, tls: TlsConfig) -> Self {
        self.tls = tls;
        self
    }
}
