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

use crate::LOG_TARGET;
use crate::config::HttpConfig;
use crate::reply::{Reply, ReplyBytes, into_public};
use crate::service::{HttpResponse, RpcService};

/// What a [`Server`](crate::Server) serves: [`RpcService`]s mounted at paths, each with its
/// own application, protocols, interface document and configuration; a request for any
/// other path gets `404 Not Found`.
///
/// A request goes to the service mounted at exactly its path (`/soap` serves `/soap` and
/// `/soap?wsdl`, not `/soap/x`) with [`mount`](Self::mount), or else to the service mounted
/// at the longest prefix of it with [`mount_prefix`](Self::mount_prefix) (`/rpc` serves
/// `/rpc` and every `/rpc/<method>`: HttpRpc reads the method from the path); the interface document of each names its own address
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
    /// Prefix mounts: each serves its path and every path below it.
    prefixes: Arc<Vec<(String, RpcService)>>,
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
            .field("prefixes", &self.prefixes)
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
            prefixes: Arc::new(Vec::new()),
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
        let path = checked(path.into(), &self.routes)?;
        if self.documents.iter().any(|(p, _)| *p == path) {
            return Err(MountError {
                path,
                why: "a document is served there",
            });
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

    /// Mounts `service` at `prefix` (`/rpc`) and every path below it (`/rpc/say_hello`,
    /// `/rpc/a/b`; not `/rpcx`): what a protocol that reads the method from the path
    /// (HttpRpc) needs. An exact [`mount`](Self::mount) of the same path wins over it, and a
    /// longer prefix over a shorter one. The prefix has no trailing `/`, and is not `/`
    /// alone (a single service converted into `Endpoints` serves every path).
    ///
    /// ```
    /// use rpclib_transport_http::{Endpoints, RpcService};
    /// # use rpclib_core::{Application, service};
    /// # struct Ping;
    /// # #[service(namespace = "urn:ping")]
    /// # impl Ping { #[rpc] fn ping(&self) -> String { "pong".into() } }
    /// # let app = Application::builder("Ping", "urn:ping").service(Ping).build().unwrap();
    ///
    /// let endpoints = Endpoints::new().mount_prefix("/rpc", RpcService::new(app))?;
    /// assert!(endpoints.service("/rpc/ping").is_some());
    /// assert!(endpoints.service("/rpc").is_some());
    /// assert!(endpoints.service("/rpcx").is_none());
    /// # Ok::<(), rpclib_transport_http::MountError>(())
    /// ```
    pub fn mount_prefix(
        mut self,
        prefix: impl Into<String>,
        service: RpcService,
    ) -> Result<Self, MountError> {
        let prefix = checked(prefix.into(), &self.prefixes)?;
        if prefix.ends_with('/') {
            return Err(MountError {
                path: prefix,
                why: "a prefix must not end with `/` (nor be `/` alone)",
            });
        }
        Arc::make_mut(&mut self.prefixes).push((prefix, service));
        Ok(self)
    }

    /// The exactly mounted paths ([`mount`](Self::mount)), in mounting order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.routes.iter().map(|(p, _)| p.as_str())
    }

    /// The prefixes mounted with [`mount_prefix`](Self::mount_prefix), in mounting order.
    pub fn prefixes(&self) -> impl Iterator<Item = &str> {
        self.prefixes.iter().map(|(p, _)| p.as_str())
    }

    /// The service serving `path`: mounted at exactly it, or else at its longest mounted
    /// prefix, or else the single service of endpoints converted from one.
    pub fn service(&self, path: &str) -> Option<&RpcService> {
        let below = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        self.routes
            .iter()
            .find(|(p, _)| p == path)
            .or_else(|| {
                self.prefixes
                    .iter()
                    .filter(|(p, _)| below(p))
                    .max_by_key(|(p, _)| p.len())
            })
            .map(|(_, s)| s)
            .or(self.fallback.as_ref())
    }

    /// The server's own settings.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Answers one request with the service mounted at its path, or `404 Not Found` (the
    /// peer's address taken from its [`PeerAddr`](crate::PeerAddr) extension, if any).
    pub async fn handle<B>(&self, request: Request<B>) -> HttpResponse
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let peer = request.extensions().get::<crate::PeerAddr>().map(|p| p.0);
        into_public(self.handle_from(request, peer).await)
    }

    /// [`handle`](Self::handle) for a request from `peer` (see `RpcService::handle_from`).
    pub(crate) async fn handle_from<B>(
        &self,
        request: Request<B>,
        peer: Option<std::net::SocketAddr>,
    ) -> Reply
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
            Some(service) => service.handle_from(request, peer).await,
            None => self.not_found(request.uri().path()),
        }
    }

    fn not_found(&self, path: &str) -> Reply {
        log::info!(target: LOG_TARGET, "404: no endpoint at {path}");
        let mut text = format!("no endpoint at `{path}`; this server serves:");
        for (p, _) in self.routes.iter() {
            text.push(' ');
            text.push_str(p);
        }
        for (p, _) in self.prefixes.iter() {
            text.push(' ');
            text.push_str(p);
            text.push_str("/*");
        }
        text.push('\n');
        let mut response = Response::new(ReplyBytes::written(text.into_bytes()));
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
fn serve_document(document: &StaticDocument, method: &Method) -> Reply {
    if *method == Method::GET || *method == Method::HEAD {
        let mut response = Response::new(ReplyBytes::from(document.body.clone()));
        response
            .headers_mut()
            .insert(CONTENT_TYPE, document.content_type.clone());
        return response;
    }
    let mut response = Response::new(ReplyBytes::from(Bytes::from_static(
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

/// `path` if it can be mounted beside `taken` (the mounts of the same kind).
fn checked(path: String, taken: &[(String, RpcService)]) -> Result<String, MountError> {
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
    if taken.iter().any(|(p, _)| *p == path) {
        return refuse("a service is already mounted there");
    }
    Ok(path)
}

impl From<RpcService> for Endpoints {
    fn from(service: RpcService) -> Self {
        Endpoints {
            routes: Arc::new(Vec::new()),
            documents: Arc::new(Vec::new()),
            prefixes: Arc::new(Vec::new()),
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

    #[test]
    fn prefix_mounts() {
        let named = |name: &str| {
            RpcService::new(
                rpclib_core::Application::builder(name, "urn:empty")
                    .build()
                    .unwrap(),
            )
        };
        let e = Endpoints::new()
            .mount_prefix("/rpc", named("A"))
            .unwrap()
            .mount_prefix("/rpc/v2", named("B"))
            .unwrap()
            .mount("/rpc/exact", named("C"))
            .unwrap();
        // The service's Debug output names its application.
        let served = |path: &str| e.service(path).map(|s| format!("{s:?}"));
        let app_of = |name: &str| Some(format!("{:?}", named(name)));
        assert_eq!(served("/rpc"), app_of("A"));
        assert_eq!(served("/rpc/say_hello"), app_of("A"));
        assert_eq!(served("/rpc/a/b"), app_of("A"));
        assert_eq!(served("/rpc/v2"), app_of("B"));
        assert_eq!(served("/rpc/v2/x"), app_of("B"));
        assert_eq!(served("/rpc/v2x"), app_of("A"));
        assert_eq!(served("/rpc/exact"), app_of("C"));
        assert_eq!(served("/rpc/exact/x"), app_of("A"));
        assert_eq!(served("/rpcx"), None);
        assert_eq!(served("/"), None);
        for bad in ["/rpc", "/x/", "/", "x", "/a?b"] {
            assert!(e.clone().mount_prefix(bad, named("D")).is_err(), "{bad}");
        }
        assert_eq!(e.prefixes().collect::<Vec<_>>(), ["/rpc", "/rpc/v2"]);
        assert_eq!(e.paths().collect::<Vec<_>>(), ["/rpc/exact"]);
    }
}
