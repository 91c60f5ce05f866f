//! [`HttpClient`]: the client transport, a blocking [`ClientTransport`] over hyper's pooled
//! client.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use rpclib_core::{Application, ClientTransport, OutgoingRequest, RemoteClient};

/// A failure of the HTTP client transport.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpClientError {
    /// The URL is not a valid `http://` URL.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The client's runtime could not start.
    #[error("cannot start the client runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The request failed on the network.
    #[error("request failed: {0}")]
    Request(String),
    /// No complete reply within the timeout.
    #[error("no reply within {0:?}")]
    Timeout(Duration),
    /// The server answered with an HTTP error that carries no protocol message.
    #[error("HTTP {status}: {excerpt}")]
    Status {
        /// The status code.
        status: StatusCode,
        /// The beginning of the body.
        excerpt: String,
    },
}

/// Options of [`HttpClient`].
#[derive(Debug, Clone)]
pub struct HttpClientConfig {
    /// Time allowed for a whole call (connect, send, receive). Default: 30 s.
    pub timeout: Duration,
    /// Largest reply accepted. Default: 64 MiB.
    pub max_reply_bytes: usize,
    /// Idle connections kept per host. Default: 32.
    pub pool_max_idle_per_host: usize,
}

impl Default for HttpClientConfig {
    fn default() -> Self {
        HttpClientConfig {
            timeout: Duration::from_secs(30),
            max_reply_bytes: 64 * 1024 * 1024,
            pool_max_idle_per_host: 32,
        }
    }
}

/// Sends serialized calls to one endpoint over HTTP/1.1 with connection reuse.
///
/// Blocking: it runs its own small tokio runtime, so it works from plain threads and from
/// inside another runtime alike. Faults come back as the protocol's fault replies (HTTP 500)
/// and reach the typed client as [`ClientError::Fault`](rpclib_core::ClientError::Fault).
///
/// ```no_run
/// # use std::sync::Arc;
/// # fn demo(app: Arc<rpclib_core::Application>) -> Result<(), Box<dyn std::error::Error>> {
/// use rpclib_transport_http::HttpClient;
///
/// // `app` declares the services (`Application::builder(..).declare(..)`) and the protocol.
/// let caller = HttpClient::new("http://127.0.0.1:8000/")?.caller(app);
/// // let client = HelloServiceClient::new(caller);
/// # let _ = caller; Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    uri: Uri,
    config: HttpClientConfig,
    client: Client<HttpConnector, Full<Bytes>>,
    runtime: tokio::runtime::Runtime,
}

impl HttpClient {
    /// A client for the endpoint at `url`, with default options.
    pub fn new(url: &str) -> Result<HttpClient, HttpClientError> {
        HttpClient::with_config(url, HttpClientConfig::default())
    }

    /// A client for the endpoint at `url`.
    pub fn with_config(url: &str, config: HttpClientConfig) -> Result<HttpClient, HttpClientError> {
        let invalid = |reason: &str| HttpClientError::InvalidUrl {
            url: url.to_owned(),
            reason: reason.to_owned(),
        };
        let uri: Uri = url
            .parse()
            .map_err(|e: http::uri::InvalidUri| invalid(&e.to_string()))?;
        if uri.scheme_str() != Some("http") || uri.authority().is_none() {
            return Err(invalid("expected http://host[:port]/path"));
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rpclib-http-client")
            .enable_all()
            .build()
            .map_err(HttpClientError::Runtime)?;
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(config.pool_max_idle_per_host)
            .build(connector);
        Ok(HttpClient {
            inner: Arc::new(Inner {
                uri,
                config,
                client,
                runtime,
            }),
        })
    }

    /// A caller for typed clients: this transport with `app`'s protocols.
    pub fn caller(self, app: Arc<Application>) -> RemoteClient<HttpClient> {
        RemoteClient::new(app, self)
    }

    /// The endpoint URL.
    pub fn uri(&self) -> &Uri {
        &self.inner.uri
    }

    async fn post(
        inner: Arc<Inner>,
        body: Vec<u8>,
        content_type: String,
        action: String,
    ) -> Result<Vec<u8>, HttpClientError> {
        let mut request = Request::post(inner.uri.clone())
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| HttpClientError::Request(e.to_string()))?;
        let headers = request.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&content_type) {
            headers.insert(CONTENT_TYPE, v);
        }
        if let Ok(v) = HeaderValue::from_str(&format!("\"{action}\"")) {
            headers.insert("SOAPAction", v);
        }
        let response = inner
            .client
            .request(request)
            .await
            .map_err(|e| HttpClientError::Request(e.to_string()))?;
        let status = response.status();
        let is_xml = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("xml") || v.contains("json"));
        let body = Limited::new(response.into_body(), inner.config.max_reply_bytes)
            .collect()
            .await
            .map_err(|e| HttpClientError::Request(e.to_string()))?
            .to_bytes();
        if status.is_success() || is_xml {
            // A fault reply is a protocol message: let the protocol read it.
            Ok(body.to_vec())
        } else {
            Err(HttpClientError::Status {
                status,
                excerpt: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            })
        }
    }
}

impl ClientTransport for HttpClient {
    fn send(
        &self,
        request: &OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
        let inner = Arc::clone(&self.inner);
        let timeout = inner.config.timeout;
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let call = HttpClient::post(
            Arc::clone(&inner),
            request.body.to_vec(),
            request.content_type.to_owned(),
            request.operation.to_owned(),
        );
        // The call runs on the client's own runtime; this thread only waits, which keeps the
        // client usable from synchronous code and from inside other runtimes alike.
        inner.runtime.spawn(async move {
            let result = match tokio::time::timeout(timeout, call).await {
                Ok(result) => result,
                Err(_) => Err(HttpClientError::Timeout(timeout)),
            };
            let _ = tx.send(result);
        });
        match rx.recv() {
            Ok(Ok(body)) => Ok(Some(body)),
            Ok(Err(e)) => Err(Box::new(e)),
            Err(_) => Err(Box::new(HttpClientError::Request(
                "the client runtime stopped".to_owned(),
            ))),
        }
    }
}
