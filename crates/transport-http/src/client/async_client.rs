//! [`AsyncHttpClient`]: the async client transport, on hyper-util's pooled client.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{
    ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue,
    PROXY_AUTHORIZATION,
};
use http::{HeaderMap, Request, Uri};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rpclib_core::{
    Application, Async, AsyncClientTransport, BoxError, OutgoingRequest, RemoteClient,
};

use super::config::{HttpClientConfig, HttpVersions};
use super::connector::RouteConnector;
use super::decode::{self, ACCEPT_ENCODING as ACCEPTED};
use super::error::HttpClientError;
use super::proxy::Route;

/// Called before each request is sent, with the outgoing call (its operation, body and content
/// type) and the request's headers, to add or change headers per call (a fresh token, a
/// request id). The client's default headers are already in the map.
pub type RequestHook = Arc<dyn Fn(&OutgoingRequest<'_>, &mut HeaderMap) + Send + Sync>;

/// Sends serialized calls to one endpoint over HTTP/1.1 or HTTP/2, `http://` or `https://`
/// (rustls; the roots of [`TlsConfig`](crate::TlsConfig)), with pooled connections: an
/// [`AsyncClientTransport`]. Its futures need a tokio runtime (with I/O and time enabled).
///
/// Each call is a `POST` to the URL with the protocol's content type. For SOAP 1.1
/// (`text/xml`) the operation goes in a quoted `SOAPAction` header; for SOAP 1.2
/// (`application/soap+xml`) in the content type's `action` parameter; other media types
/// (JSON, JSON-RPC, MessagePack) carry neither. A fault reply (HTTP 500
/// with a protocol body) reaches the typed client as
/// [`ClientError::Fault`](rpclib_core::ClientError::Fault); any other failure as an
/// [`HttpClientError`] inside [`ClientError::Transport`](rpclib_core::ClientError::Transport).
///
/// Cloning is cheap and shares the connection pool.
///
/// ```no_run
/// # use std::sync::Arc;
/// # async fn demo(app: Arc<rpclib_core::Application>) -> Result<(), Box<dyn std::error::Error>> {
/// use rpclib_transport_http::{AsyncHttpClient, HttpClientConfig};
///
/// let config = HttpClientConfig::default().with_bearer_token("t0ken")?;
/// let caller = AsyncHttpClient::with_config("https://example.com/soap", config)?.caller(app);
/// // let client = HelloServiceClient::new(caller);
/// // let greetings = client.say_hello("Dave".into(), 3).await?;
/// # let _ = caller; Ok(()) }
/// ```
#[derive(Clone)]
pub struct AsyncHttpClient {
    inner: Arc<Inner>,
    hook: Option<RequestHook>,
}

struct Inner {
    uri: Uri,
    config: HttpClientConfig,
    client: Client<HttpsConnector<RouteConnector>, Full<Bytes>>,
    /// `Proxy-Authorization` for each request to a forwarding proxy (a tunnel sends it once,
    /// with `CONNECT`).
    proxy_auth: Option<HeaderValue>,
    /// The route, for `Debug`.
    route: Route,
}

impl fmt::Debug for AsyncHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncHttpClient")
            .field("uri", &self.inner.uri)
            .field("config", &self.inner.config)
            .field("route", &self.inner.route)
            .field("hook", &self.hook.is_some())
            .finish()
    }
}

impl AsyncHttpClient {
    /// A client for the endpoint at `url` (`http://` or `https://`), with default options.
    pub fn new(url: &str) -> Result<AsyncHttpClient, HttpClientError> {
        AsyncHttpClient::with_config(url, HttpClientConfig::default())
    }

    /// A client for the endpoint at `url` (`http://` or `https://`). No runtime is needed to
    /// make one; its calls run on the runtime that awaits them. The proxy is chosen here (see
    /// [`ProxyConfig`](crate::ProxyConfig)): environment variables are read once, now.
    pub fn with_config(
        url: &str,
        config: HttpClientConfig,
    ) -> Result<AsyncHttpClient, HttpClientError> {
        let invalid = |reason: &str| HttpClientError::InvalidUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let uri: Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.authority().is_none() {
            return Err(invalid("expected http://host[:port]/path or https://..."));
        }
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        http.enforce_http(false);
        http.set_connect_timeout(Some(config.connect_timeout));
        let route = config.proxy.route(&uri)?;
        let proxy_auth = match &route {
            Route::Forward(via) => via.auth.clone(),
            Route::Direct | Route::Tunnel(_) => None,
        };
        let tcp = RouteConnector::new(http, &route);
        let builder = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config.tls.rustls_config()?)
            .https_or_http();
        let connector = match config.versions {
            HttpVersions::Auto => builder.enable_http1().enable_http2().wrap_connector(tcp),
            HttpVersions::Http1Only => builder.enable_http1().wrap_connector(tcp),
            HttpVersions::Http2Only => builder.enable_http2().wrap_connector(tcp),
        };
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(config.pool_max_idle_per_host)
            .pool_idle_timeout(config.pool_idle_timeout)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .http2_only(config.versions == HttpVersions::Http2Only)
            .build(connector);
        Ok(AsyncHttpClient {
            inner: Arc::new(Inner {
                uri,
                config,
                client,
                proxy_auth,
                route,
            }),
            hook: None,
        })
    }

    /// Calls `hook` before each request is sent, to set headers per call (see
    /// [`RequestHook`]).
    pub fn with_request_hook(
        mut self,
        hook: impl Fn(&OutgoingRequest<'_>, &mut HeaderMap) + Send + Sync + 'static,
    ) -> Self {
        self.hook = Some(Arc::new(hook));
        self
    }

    /// A caller for typed clients: this transport with `app`'s protocols. Its calls are
    /// futures.
    pub fn caller(self, app: Arc<Application>) -> RemoteClient<AsyncHttpClient, Async> {
        RemoteClient::new_async(app, self)
    }

    /// The endpoint URL.
    pub fn uri(&self) -> &Uri {
        &self.inner.uri
    }

    /// The options.
    pub fn config(&self) -> &HttpClientConfig {
        &self.inner.config
    }

    /// Posts one serialized call and returns the reply's body, within the per-call timeout.
    pub async fn post(&self, request: OutgoingRequest<'_>) -> Result<Vec<u8>, HttpClientError> {
        let timeout = self.inner.config.timeout;
        match tokio::time::timeout(timeout, self.post_unbounded(request)).await {
            Ok(result) => result,
            Err(_) => Err(HttpClientError::Timeout(timeout)),
        }
    }

    async fn post_unbounded(
        &self,
        outgoing: OutgoingRequest<'_>,
    ) -> Result<Vec<u8>, HttpClientError> {
        let inner = &*self.inner;
        let mut request = Request::post(inner.uri.clone())
            .body(Full::new(Bytes::copy_from_slice(outgoing.body)))
            .map_err(|e| HttpClientError::Request(e.to_string()))?;
        let headers = request.headers_mut();
        headers.extend(inner.config.headers.clone());
        let (content_type, soap_action) = action_headers(&outgoing);
        let content_type = HeaderValue::from_str(&content_type)
            .map_err(|e| HttpClientError::InvalidHeader(format!("content-type: {e}")))?;
        headers.insert(CONTENT_TYPE, content_type);
        if let Some(action) = soap_action {
            let action = HeaderValue::from_str(&action)
                .map_err(|e| HttpClientError::InvalidHeader(format!("SOAPAction: {e}")))?;
            headers.insert("soapaction", action);
        }
        if let Some(auth) = &inner.proxy_auth {
            headers.insert(PROXY_AUTHORIZATION, auth.clone());
        }
        if inner.config.accept_compressed {
            // An `Accept-Encoding` among the configured headers is kept.
            headers
                .entry(ACCEPT_ENCODING)
                .or_insert(HeaderValue::from_static(ACCEPTED));
        }
        if let Some(hook) = &self.hook {
            hook(&outgoing, headers);
        }
        let response = inner
            .client
            .request(request)
            .await
            .map_err(|e| HttpClientError::from_hyper(e, inner.config.connect_timeout))?;
        let limit = inner.config.max_reply_bytes;
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(HttpClientError::TooLarge { limit });
        }
        let status = response.status();
        let is_message = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("xml") || v.contains("json"));
        let encoding = response
            .headers()
            .get(CONTENT_ENCODING)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let body = Limited::new(response.into_body(), limit)
            .collect()
            .await
            .map_err(|e| {
                if e.downcast_ref::<LengthLimitError>().is_some() {
                    HttpClientError::TooLarge { limit }
                } else {
                    HttpClientError::Request(e.to_string())
                }
            })?
            .to_bytes();
        // Decoding runs inline: the limit bounds its cost (inflating 64 MiB takes a fraction
        // of a second), and a reply is read by the caller right after anyway.
        let body = decode::decode(encoding.as_deref(), body.to_vec(), limit)?;
        if status.is_success() || is_message {
            // A fault reply is a protocol message: let the protocol read it.
            Ok(body)
        } else {
            Err(HttpClientError::Status {
                status,
                excerpt: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            })
        }
    }
}

/// Where the operation goes: the content type (with SOAP 1.2's `action` parameter) and the
/// SOAP 1.1 `SOAPAction` header, quoted, for `text/xml` only (SOAP 1.1 and the plain XML
/// document protocol): a JSON or MessagePack request carries no SOAP header.
fn action_headers(request: &OutgoingRequest<'_>) -> (String, Option<String>) {
    let content_type = request.content_type;
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media_type == "application/soap+xml" {
        if content_type.to_ascii_lowercase().contains("action=") || request.operation.is_empty() {
            (content_type.to_owned(), None)
        } else {
            (
                format!("{content_type}; action=\"{}\"", request.operation),
                None,
            )
        }
    } else if media_type == "text/xml" {
        (
            content_type.to_owned(),
            Some(format!("\"{}\"", request.operation)),
        )
    } else {
        (content_type.to_owned(), None)
    }
}

impl AsyncClientTransport for AsyncHttpClient {
    async fn send(&self, request: OutgoingRequest<'_>) -> Result<Option<Vec<u8>>, BoxError> {
        self.post(request)
            .await
            .map(Some)
            .map_err(|e| Box::new(e) as BoxError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request<'a>(content_type: &'a str, operation: &'a str) -> OutgoingRequest<'a> {
        OutgoingRequest {
            body: b"",
            content_type,
            operation,
        }
    }

    #[test]
    fn soap11_action_is_a_quoted_header() {
        let (ct, action) = action_headers(&request("text/xml; charset=utf-8", "say_hello"));
        assert_eq!(ct, "text/xml; charset=utf-8");
        assert_eq!(action.as_deref(), Some("\"say_hello\""));
    }

    #[test]
    fn json_and_msgpack_carry_no_action() {
        for media_type in ["application/json", "application/msgpack"] {
            let (ct, action) = action_headers(&request(media_type, "say_hello"));
            assert_eq!((ct.as_str(), action), (media_type, None));
        }
    }

    #[test]
    fn soap12_action_is_a_content_type_parameter() {
        let (ct, action) = action_headers(&request("application/soap+xml; charset=utf-8", "echo"));
        assert_eq!(ct, "application/soap+xml; charset=utf-8; action=\"echo\"");
        assert_eq!(action, None);
        let (ct, _) = action_headers(&request("application/soap+xml; action=\"x\"", "echo"));
        assert_eq!(ct, "application/soap+xml; action=\"x\"");
    }
}
