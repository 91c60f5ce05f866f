//! [`Endpoints`]: several applications (or one with several protocols) under several paths
//! of one server.

use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::Full;

use crate::LOG_TARGET;
use crate::config::HttpConfig;
use crate::service::{HttpResponse, RpcService};

/// What a [`Server`](crate::Server) serves: [`RpcService`]s mounted at paths, each with its
/// own application, protocols, interface document and configuration; a request for any
/// other path gets `404 Not Found`.
///
/// A request goes to the service mounted at exactly its path (`/soap` serves `/soap` and
/// `/soap?wsdl`, not `/soap/x`); the interface document of each names its own address
/// (`http://host/soap`). A single `RpcService` converts into `Endpoints` that serve it at
/// every path (what [`Server::bind`](crate::Server::bind) did before endpoints existed).
/// The server's own settings (connections, header timeout, execution mode, shutdown grace)
/// come from [`with_config`](Self::with_config); each call's limits and timeout from its
/// service's configuration.
///
/// ```
/// use rpclib_transport_http::{Endpoints, HttpConfig, RpcService};
/// # use rpclib_core::{Application, service};
/// # struct Ping;
/// # #[service(namespace = "urn:ping")]
/// # impl Ping { #[rpc] fn ping(&self) -> String { "pong".into() } }
/// # let app = Application::builder("Ping", "urn:ping").service(Ping).build().unwrap();
///
/// let endpoints = Endpoints::with_config(HttpConfig::default())
///     .mount("/a", RpcService::new(app.clone()))?
///     .mount("/b", RpcService::new(app))?;
/// assert_eq!(endpoints.paths().collect::<Vec<_>>(), ["/a", "/b"]);
/// assert!(Endpoints::new().mount("no-slash", endpoints.service("/a").unwrap().clone()).is_err());
/// # Ok::<(), rpclib_transport_http::MountError>(())
/// ```
#[derive(Clone)]
pub struct Endpoints {
    routes: Arc<Vec<(String, RpcService)>>,
    /// Fixed documents (an OpenAPI document, say) served at exact paths.
    documents: Arc<Vec<(String, StaticDocument)>>,
    /// Serves every path (a single service converted into endpoints).
    fallback: Option<RpcService>,
    config: HttpConfig,
}

/// A path that cannot be mounted: not starting with `/`, with a query or fragment, or
/// mounted twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountError {
    path: String,
    why: &'static str,
}

impl fmt::Display for MountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot mount a service at `{}`: {}", self.path, self.why)
    }
}

impl std::error::Error for MountError {}

/// A fixed document served by [`Endpoints::document`].
#[derive(Clone)]
struct StaticDocument {
    content_type: HeaderValue,
    body: Bytes,
}

impl fmt::Debug for StaticDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticDocument")
            .field("content_type", &self.content_type)
            .field("bytes", &self.body.len())
            .finish()
    }
}

impl fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoints")
            .field("routes", &self.routes)
            .field("documents", &self.documents)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints::new()
    }
}

impl Endpoints {
    /// No endpoints yet, with the default server settings.
    pub fn new() -> Self {
        Endpoints::with_config(HttpConfig::default())
    }

    /// No endpoints yet; the server's own settings from `config`.
    pub fn with_config(config: HttpConfig) -> Self {
        Endpoints {
            routes: Arc::new(Vec::new()),
            documents: Arc::new(Vec::new()),
            fallback: None,
            config,
        }
    }

    /// Mounts `service` at `path` (`/soap`): exactly that path, percent-encoded as it
    /// appears in request URIs.
    pub fn mount(
        mut self,
        path: impl Into<String>,
        service: RpcService,
    ) -> Result<Self, MountError> {
        let path = path.into();
        let refuse = |why| {
            Err(MountError {
                path: path.clone(),
                why,
            })
        };
        if !path.starts_with('/') {
            return refuse("the path must start with `/`");
        }
        if path.contains(['?', '#']) || path.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return refuse("the path must have no query, fragment, space or control character");
        }
        if self.routes.iter().any(|(p, _)| *p == path) {
            return refuse("a service is already mounted there");
        }
        if self.documents.iter().any(|(p, _)| *p == path) {
            return refuse("a document is served there");
        }
        Arc::make_mut(&mut self.routes).push((path, service));
        Ok(self)
    }

    /// Serves `body` as a fixed document of media type `content_type` at exactly `path`
    /// (`GET` and `HEAD`; any other method is `405 Method Not Allowed`): an OpenAPI
    /// document describing the mounted services, for instance. A document wins over a
    /// single service serving every path; the path must be free and valid as for
    /// [`mount`](Self::mount), and the media type a valid header value.
    ///
    /// ```
    /// use rpclib_transport_http::Endpoints;
    ///
    /// let endpoints = Endpoints::new().document("/openapi.json", "application/json", "{}")?;
    /// assert_eq!(endpoints.document_paths().collect::<Vec<_>>(), ["/openapi.json"]);
    /// assert!(Endpoints::new().document("/d", "bad\ntype", "x").is_err());
    /// # Ok::<(), rpclib_transport_http::MountError>(())
    /// ```
    pub fn document(
        mut self,
        path: impl Into<String>,
        content_type: &str,
        body: impl Into<Bytes>,
    ) -> Result<Self, MountError> {
        let path = path.into();
        let refuse = |why| {
            Err(MountError {
                path: path.clone(),
                why,
            })
        };
        if !path.starts_with('/') {
            return refuse("the path must start with `/`");
        }
        if path.contains(['?', '#']) || path.bytes().any(|b| b.is_ascii_control() || b == b' ') {
            return refuse("the path must have no query, fragment, space or control character");
        }
        if self.routes.iter().any(|(p, _)| *p == path)
            || self.documents.iter().any(|(p, _)| *p == path)
        {
            return refuse("a service or document is already mounted there");
        }
        let Ok(content_type) = HeaderValue::from_str(content_type) else {
            return refuse("the media type is not a valid header value");
        };
        Arc::make_mut(&mut self.documents).push((
            path,
            StaticDocument {
                content_type,
                body: body.into(),
            },
        ));
        Ok(self)
    }

    /// The paths of the fixed documents, in the order they were added.
    pub fn document_paths(&self) -> impl Iterator<Item = &str> {
        self.documents.iter().map(|(p, _)| p.as_str())
    }

    /// The mounted paths, in mounting order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.routes.iter().map(|(p, _)| p.as_str())
    }

    /// The service mounted at `path`.
    pub fn service(&self, path: &str) -> Option<&RpcService> {
        self.routes
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, s)| s)
            .or(self.fallback.as_ref())
    }

    /// The server's own settings.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Answers one request with the service mounted at its path, or `404 Not Found`.
    pub async fn handle<B>(&self, request: Request<B>) -> HttpResponse
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        if let Some((_, document)) = self
            .documents
            .iter()
            .find(|(p, _)| p == request.uri().path())
        {
            return serve_document(document, request.method());
        }
        match self.service(request.uri().path()) {
            Some(service) => service.handle(request).await,
            None => self.not_found(request.uri().path()),
        }
    }

    fn not_found(&self, path: &str) -> HttpResponse {
        log::info!(target: LOG_TARGET, "404: no endpoint at {path}");
        let mut text = format!("no endpoint at `{path}`; this server serves:");
        for (p, _) in self.routes.iter() {
            text.push(' ');
            text.push_str(p);
        }
        text.push('\n');
        let mut response = Response::new(Full::new(Bytes::from(text)));
        *response.status_mut() = StatusCode::NOT_FOUND;
        response.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    }
}

/// A fixed document's response: the document for `GET` and `HEAD` (whose body the
/// connection leaves out), `405` with `Allow` otherwise.
fn serve_document(document: &StaticDocument, method: &Method) -> HttpResponse {
    if *method == Method::GET || *method == Method::HEAD {
        let mut response = Response::new(Full::new(document.body.clone()));
        response
            .headers_mut()
            .insert(CONTENT_TYPE, document.content_type.clone());
        return response;
    }
    let mut response = Response::new(Full::new(Bytes::from_static(
        b"this path serves a fixed document: GET it\n",
    )));
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

impl From<RpcService> for Endpoints {
    fn from(service: RpcService) -> Self {
        Endpoints {
            routes: Arc::new(Vec::new()),
            documents: Arc::new(Vec::new()),
            config: service.config().clone(),
            fallback: Some(service),
        }
    }
}

impl<B> tower::Service<Request<B>> for Endpoints
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = HttpResponse;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let endpoints = self.clone();
        Box::pin(async move { Ok(endpoints.handle(request).await) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> Arc<rpclib_core::Application> {
        rpclib_core::Application::builder("Empty", "urn:empty")
            .build()
            .unwrap()
    }

    #[test]
    fn mount_refuses_bad_paths() {
        let s = RpcService::new(app());
        let e = Endpoints::new().mount("/a", s.clone()).unwrap();
        for bad in ["a", "", "/a?x", "/a#f", "/a b", "/a"] {
            let err = e.clone().mount(bad, s.clone()).unwrap_err();
            assert!(err.to_string().contains(&format!("`{bad}`")), "{err}");
        }
        assert!(e.service("/a").is_some());
        assert!(e.service("/b").is_none());
        assert!(e.service("/a/").is_none());
        let single = Endpoints::from(s.clone());
        assert!(single.service("/anything").is_some());
    }

    #[test]
    fn document_refuses_taken_or_bad_paths() {
        let s = RpcService::new(app());
        let e = Endpoints::new()
            .mount("/a", s)
            .unwrap()
            .document("/d", "application/json", "{}")
            .unwrap();
        for bad in ["/a", "/d", "d", "/d?x", "/d e"] {
            let err = e.clone().document(bad, "text/plain", "x").unwrap_err();
            assert!(err.to_string().contains(&format!("`{bad}`")), "{err}");
        }
        assert_eq!(e.document_paths().collect::<Vec<_>>(), ["/d"]);
        assert_eq!(e.paths().collect::<Vec<_>>(), ["/a"]);
    }
}
