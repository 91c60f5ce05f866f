//! [`RpcService`]: the HTTP server transport as a `tower::Service`.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::Full;
use rpclib_core::{
    Application, ContextCloseGuard, Fault, FaultCode, MethodContext, REQUEST_NOT_ALLOWED,
    RequestMeta, TransportInfo,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, timeout_at};

use crate::deadline::within;

use crate::LOG_TARGET;
use crate::body::{BodyError, read_body};
use crate::config::{Execution, HttpConfig};
use crate::reply::{Reply, ReplyBytes, into_public};
use crate::spare;
use crate::transport::{HttpTransport, PeerAddr, SOAP_HTTP_TRANSPORT};

/// The response type of [`RpcService`].
pub type HttpResponse = Response<Full<Bytes>>;

/// Serves an [`Application`] over HTTP, as a `tower::Service`: mount it in axum with
/// `Router::route_service`, wrap it in tower layers, or run it with [`serve`](crate::serve).
///
/// `GET` with a `wsdl` query key (any case) or a path ending in `.wsdl` returns the interface
/// document, its endpoint address taken from [`HttpConfig::public_url`] or from the request's
/// `Host` and path; `POST` runs the request pipeline (any content type is accepted), and so
/// does any other `GET` when the in-protocol reads calls from the URL
/// (`Protocol::accepts_get`: HttpRpc), a `Client.RequestNotAllowed` fault from it becoming
/// `405` with `Allow: POST`; other methods get 405. Status codes and content types of calls come from the application's
/// protocol, per message (`Application::response_status` and
/// `Application::response_content_type`: an endpoint serving SOAP 1.1 and 1.2 answers each
/// request in its own version); the request's method, path, query string and headers are
/// handed to the protocol in transport-neutral form (`MethodContext::request`, a
/// `RequestMeta`), its `Content-Type` also as a hint (`MethodContext::in_content_type`).
///
/// A body the in-protocol splits into several calls (`Protocol::split_batch`: a JSON-RPC
/// batch) runs each as a call of its own, in order, within the request's deadline, and is
/// answered with the replies the out-protocol joins (`Protocol::join_batch`). A reply with no
/// bytes (a JSON-RPC notification) is `204 No Content`. To serve several services at several
/// paths of one server, mount them in [`Endpoints`](crate::Endpoints).
#[derive(Clone)]
pub struct RpcService {
    inner: Arc<Inner>,
}

struct Inner {
    app: Arc<Application>,
    config: HttpConfig,
    slots: Arc<Semaphore>,
    /// The content type of the first response, as text and parsed: most responses carry the
    /// same one, and comparing text is cheaper than building a header value per response.
    content_type: OnceLock<(String, HeaderValue)>,
}

/// Where one call's method runs, as [`Inner::placement`] decided.
enum Run {
    /// Inside this task's poll: an async method, a request with no method to call, or a
    /// blocking method on a connection thread or under `Inline`.
    Here,
    /// Inside `block_in_place` on this worker.
    InPlace,
    /// On the blocking pool.
    Pool,
}

impl std::fmt::Debug for RpcService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcService")
            .field("app", &self.inner.app.name())
            .field("config", &self.inner.config)
            .finish()
    }
}

impl RpcService {
    /// Serves `app` with the default [`HttpConfig`].
    pub fn new(app: Arc<Application>) -> Self {
        RpcService::with_config(app, HttpConfig::default())
    }

    /// Serves `app` with `config`.
    pub fn with_config(app: Arc<Application>, config: HttpConfig) -> Self {
        let slots = Arc::new(Semaphore::new(config.max_concurrent_requests.max(1)));
        RpcService {
            inner: Arc::new(Inner {
                app,
                config,
                slots,
                content_type: OnceLock::new(),
            }),
        }
    }

    /// The application served.
    pub fn app(&self) -> &Arc<Application> {
        &self.inner.app
    }

    /// The configuration.
    pub fn config(&self) -> &HttpConfig {
        &self.inner.config
    }

    /// Answers one request (the peer's address taken from its [`PeerAddr`] extension, if
    /// any).
    pub async fn handle<B>(&self, request: Request<B>) -> HttpResponse
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let peer = request.extensions().get::<PeerAddr>().map(|p| p.0);
        into_public(self.handle_from(request, peer).await)
    }

    /// Answers one request from `peer`. [`Server`](crate::Server) passes the address here
    /// rather than in a request extension, which would cost three allocations per request
    /// (the extension map, its table, the boxed value).
    pub(crate) async fn handle_from<B>(
        &self,
        request: Request<B>,
        peer: Option<SocketAddr>,
    ) -> Reply
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let inner = &self.inner;
        let deadline = Instant::now() + inner.config.request_timeout;
        let (parts, body) = request.into_parts();
        let transport = HttpTransport {
            peer_addr: peer,
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
        };
        log::debug!(target: LOG_TARGET, "{} {} from {:?}", transport.method, transport.uri, transport.peer_addr);
        match transport.method {
            Method::GET | Method::HEAD if wants_interface_document(&transport.uri) => {
                inner.interface_document(&transport)
            }
            Method::POST => inner.call(transport, body, deadline).await,
            // A protocol that reads calls from the URL (HttpRpc) takes GETs itself, and
            // refuses those for methods not marked safe (405 below).
            Method::GET if inner.app.in_protocol().is_some_and(|p| p.accepts_get()) => {
                inner.call(transport, body, deadline).await
            }
            _ => {
                let fault = Fault::client(
                    "RequestNotAllowed",
                    format!(
                        "HTTP method {} is not allowed here: POST a request, or GET ?wsdl for the interface document",
                        transport.method
                    ),
                );
                let mut response =
                    inner.fault_response(StatusCode::METHOD_NOT_ALLOWED, fault, transport);
                response
                    .headers_mut()
                    .insert(ALLOW, HeaderValue::from_static("GET, POST"));
                response
            }
        }
    }
}

impl<B> tower::Service<Request<B>> for RpcService
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = HttpResponse;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        // Back-pressure is applied per request (the concurrency slots), so that waiting for a
        // slot counts against the request's own deadline.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let service = self.clone();
        Box::pin(async move { Ok(service.handle(request).await) })
    }
}

/// Whether the URI asks for the interface document: a `wsdl` query key in any case (`?wsdl`,
/// `?WSDL`, `?wsdl=1`), or a path ending in `.wsdl`.
fn wants_interface_document(uri: &http::Uri) -> bool {
    let by_query = uri.query().is_some_and(|q| {
        q.split('&').any(|pair| {
            pair.split('=')
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case("wsdl"))
        })
    });
    by_query || uri.path().ends_with(".wsdl")
}

/// Characters allowed in a Host header we echo into the interface document.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']' | b'_')
        })
}

fn header_value(content_type: &str) -> HeaderValue {
    HeaderValue::from_str(content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

fn response(status: StatusCode, content_type: HeaderValue, body: Vec<u8>) -> Reply {
    response_with(http::HeaderMap::new(), status, content_type, body)
}

/// A response whose headers go into `headers` (empty): the request's own map, whose table a
/// call's response reuses instead of allocating one (hyper then keeps it for the next
/// request's headers on the connection, so that neither allocates).
fn response_with(
    mut headers: http::HeaderMap,
    status: StatusCode,
    content_type: HeaderValue,
    body: Vec<u8>,
) -> Reply {
    headers.insert(CONTENT_TYPE, content_type);
    let mut response = Response::new(ReplyBytes::written(body));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

/// `204 No Content`: the protocol answered nothing (a JSON-RPC notification).
fn no_content() -> Reply {
    let mut response = Response::new(ReplyBytes::from(Bytes::new()));
    *response.status_mut() = StatusCode::NO_CONTENT;
    response
}

/// Whether `code` is `Client.RequestNotAllowed` (a request method the in-protocol refuses),
/// compared in place: building that code to compare with costs two allocations per request.
fn is_request_not_allowed(code: &FaultCode) -> bool {
    code.namespace().is_none()
        && code
            .as_str()
            .strip_prefix("Client.")
            .is_some_and(|sub| sub == REQUEST_NOT_ALLOWED)
}

/// The outcome of running the pipeline on one request.
struct Outcome {
    status: StatusCode,
    content_type: HeaderValue,
    body: Vec<u8>,
    /// The request's header map, emptied, for the response's headers.
    headers: http::HeaderMap,
}

/// The request's method, path, query and headers, in the core's transport-neutral form
/// (`MethodContext::request`, whose `Content-Type` also fills the protocol's hint slot).
fn request_meta(transport: &HttpTransport) -> RequestMeta {
    let mut meta = RequestMeta::default();
    spare::fill(&mut meta, transport);
    meta
}

impl Inner {
    /// The content type of the response written in `ctx` (per message), reusing the parsed
    /// protocol default when it is that.
    fn content_type(&self, ctx: &MethodContext) -> HeaderValue {
        let text = self.app.response_content_type(ctx);
        let (usual, value) = self
            .content_type
            .get_or_init(|| (text.clone().into_owned(), header_value(&text)));
        if *text == **usual {
            value.clone()
        } else {
            header_value(&text)
        }
    }

    /// A fault written by the application's out-protocol, with a transport-chosen status.
    fn fault_response(&self, status: StatusCode, fault: Fault, transport: HttpTransport) -> Reply {
        log::info!(target: LOG_TARGET, "{status}: {fault}");
        let meta = request_meta(&transport);
        let mut ctx = self.app.new_context_with(transport);
        ctx.set_request(meta);
        ctx.in_error = Some(fault);
        self.app.get_out_string(&mut ctx);
        let body = ctx.out_bytes();
        let content_type = self.content_type(&ctx);
        ctx.close();
        response(status, content_type, body)
    }

    fn interface_document(&self, transport: &HttpTransport) -> Reply {
        let address = match &self.config.public_url {
            Some(url) => url.clone(),
            None => {
                let host = transport
                    .headers
                    .get(HOST)
                    .and_then(|h| h.to_str().ok())
                    .or_else(|| transport.uri.authority().map(|a| a.as_str()))
                    .unwrap_or("");
                if !valid_host(host) {
                    let fault = Fault::client(
                        "InvalidHost",
                        "the Host header is missing or malformed; it names the endpoint in the interface document",
                    );
                    return self.fault_response(StatusCode::BAD_REQUEST, fault, transport.clone());
                }
                let scheme = match transport.uri.scheme_str() {
                    Some("https") => "https",
                    _ => "http",
                };
                format!("{scheme}://{host}{}", transport.uri.path())
            }
        };
        let info = TransportInfo {
            uri: SOAP_HTTP_TRANSPORT.to_owned(),
        };
        match self.app.interface_document(&info) {
            Ok(doc) => {
                let content_type = doc.content_type().to_owned();
                response(
                    StatusCode::OK,
                    header_value(&content_type),
                    doc.render(&address).into_bytes(),
                )
            }
            Err(fault) => {
                log::error!(target: LOG_TARGET, "cannot build the interface document: {fault}");
                self.fault_response(StatusCode::INTERNAL_SERVER_ERROR, fault, transport.clone())
            }
        }
    }

    async fn call<B>(
        self: &Arc<Self>,
        transport: HttpTransport,
        body: B,
        deadline: Instant,
    ) -> Reply
    where
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let max = self.config.max_body_bytes;
        let declared = transport
            .headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > max as u64) {
            return self.too_long(transport);
        }
        let bytes = match within(deadline, read_body(body, max)).await {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(BodyError::TooLong)) => return self.too_long(transport),
            Ok(Err(BodyError::Failed(e))) => {
                let fault = Fault::client(
                    "InvalidRequest",
                    format!("cannot read the request body: {e}"),
                );
                return self.fault_response(StatusCode::BAD_REQUEST, fault, transport);
            }
            Err(_) => {
                let fault = Fault::client(
                    "RequestTimeout",
                    format!(
                        "the request body did not arrive within {:?}",
                        self.config.request_timeout
                    ),
                );
                return self.fault_response(StatusCode::REQUEST_TIMEOUT, fault, transport);
            }
        };
        if let Some(messages) = self.app.in_protocol().and_then(|p| p.split_batch(&bytes)) {
            return self.batch(transport, messages, deadline).await;
        }
        let Ok(Ok(permit)) = within(deadline, Arc::clone(&self.slots).acquire_owned()).await else {
            return self.unavailable(transport, "no request slot became free in time");
        };
        // Kept for a fault written after the transport went into the pipeline: the
        // out-protocol may pick the fault's version by it (`SoapAny`).
        let content_type = transport.headers.get(CONTENT_TYPE).cloned();
        match Arc::clone(self)
            .run_pipeline(transport, bytes, deadline, permit)
            .await
        {
            Ok(outcome) if outcome.body.is_empty() && outcome.status == StatusCode::OK => {
                no_content()
            }
            Ok(outcome) => {
                let status = outcome.status;
                let mut response =
                    response_with(outcome.headers, status, outcome.content_type, outcome.body);
                if status == StatusCode::METHOD_NOT_ALLOWED {
                    // The protocol refused a GET for a method that is not safe.
                    response
                        .headers_mut()
                        .insert(ALLOW, HeaderValue::from_static("POST"));
                }
                response
            }
            Err((status, fault)) => self.bare_fault(status, fault, content_type),
        }
    }

    /// A request the in-protocol split into several calls (a JSON-RPC batch): each message
    /// runs as a call of its own, one after the other in order, each with a request slot and
    /// a context of its own, all within the request's deadline; the out-protocol joins the
    /// replies. A batch that answers nothing (only notifications) is `204 No Content`. A
    /// call that fails outside its context (its blocking task failed or overran the
    /// deadline) ends the batch with that call's status and fault.
    async fn batch(
        self: &Arc<Self>,
        transport: HttpTransport,
        messages: Vec<Vec<u8>>,
        deadline: Instant,
    ) -> Reply {
        let request_type = transport.headers.get(CONTENT_TYPE).cloned();
        let mut replies = Vec::with_capacity(messages.len());
        let mut content_type = None;
        for message in messages {
            let Ok(Ok(permit)) = within(deadline, Arc::clone(&self.slots).acquire_owned()).await
            else {
                return self.unavailable(transport, "no request slot became free in time");
            };
            let outcome = Arc::clone(self)
                .run_pipeline(transport.clone(), Bytes::from(message), deadline, permit)
                .await;
            match outcome {
                Ok(outcome) => {
                    content_type.get_or_insert(outcome.content_type);
                    replies.push(outcome.body);
                }
                Err((status, fault)) => return self.bare_fault(status, fault, request_type),
            }
        }
        let body = match self.app.out_protocol() {
            Some(protocol) => protocol.join_batch(replies),
            None => replies.concat(),
        };
        match content_type {
            Some(content_type) if !body.is_empty() => response(StatusCode::OK, content_type, body),
            _ => no_content(),
        }
    }

    /// A fault response once the request's parts were handed to the pipeline: a context
    /// with the request's `Content-Type` (`content_type`) only, so that the out-protocol
    /// writes the fault in the version it hints at.
    fn bare_fault(
        &self,
        status: StatusCode,
        fault: Fault,
        content_type: Option<HeaderValue>,
    ) -> Reply {
        let mut headers = http::HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(CONTENT_TYPE, value);
        }
        let transport = HttpTransport {
            peer_addr: None,
            method: Method::POST,
            uri: http::Uri::default(),
            headers,
        };
        self.fault_response(status, fault, transport)
    }

    fn too_long(&self, transport: HttpTransport) -> Reply {
        let fault = Fault::client(
            "RequestTooLong",
            format!(
                "the request body exceeds the limit of {} bytes",
                self.config.max_body_bytes
            ),
        );
        self.fault_response(StatusCode::PAYLOAD_TOO_LARGE, fault, transport)
    }

    fn unavailable(&self, transport: HttpTransport, why: &str) -> Reply {
        let fault = Fault::server(format!("{why} (limit {:?})", self.config.request_timeout));
        self.fault_response(StatusCode::SERVICE_UNAVAILABLE, fault, transport)
    }

    /// Where a call runs: an `async fn` method (or a request that never reaches a method) is
    /// awaited right here on the runtime, within the request's deadline; a blocking one runs
    /// as the configured [`Execution`] says.
    fn placement(&self, ctx: &MethodContext) -> Run {
        let blocking =
            ctx.in_error.is_none() && ctx.descriptor().is_some_and(|m| !m.invoke.is_async());
        if !blocking {
            return Run::Here;
        }
        match self.config.execution {
            Execution::ConnectionThread if crate::server::on_connection_thread() => Run::Here,
            Execution::ConnectionThread | Execution::BlockingPool => Run::Pool,
            Execution::InPlace => Run::InPlace,
            Execution::Inline => Run::Here,
        }
    }

    /// Runs the whole server pipeline on one request body: reads the request on this task,
    /// calls the method where [`placement`](Self::placement) says, writes the
    /// response. An error is a response written outside the request's context (the task
    /// running a blocking method failed or overran the deadline on the blocking pool).
    async fn run_pipeline(
        self: Arc<Self>,
        transport: HttpTransport,
        body: Bytes,
        deadline: Instant,
        permit: OwnedSemaphorePermit,
    ) -> Result<Outcome, (StatusCode, Fault)> {
        // The request's slot is held until its method ends, also when it overruns the
        // deadline on the blocking pool (the slot then frees when the method returns).
        let mut permit = Some(permit);
        let app = &self.app;
        // `method_context_closed` fires once, from the guard: when `spare::close` takes the
        // context back after the response is built, or when the guard is dropped on any other
        // path (a cancelled call, an unwind).
        let mut ctx = spare::context(app, transport);
        // Copied into the buffer the reused context kept from the previous request (`Vec::from`
        // a shared `Bytes` copies too, into a new allocation).
        let mut in_buffer = ctx.reusable_in_buffer();
        in_buffer.extend_from_slice(&body);
        drop(body);
        ctx.in_string.push(in_buffer);
        app.get_in_object(&mut ctx);
        // The context stays where it is (in this future) unless it must go to another
        // thread: it is large, and each move of it is a copy.
        match self.placement(&ctx) {
            Run::Here => {
                // An async method awaits here without holding a thread; a blocking one runs
                // inside the poll (on a connection's own thread, or where the configuration
                // says blocking is fine). An async method still running at the deadline is
                // cancelled and answered with 503 in the request's own context.
                let finished = within(deadline, app.get_out_object(&mut ctx)).await;
                if finished.is_err() {
                    log::warn!(
                        target: LOG_TARGET,
                        "`{}` did not complete within {:?}: cancelled",
                        ctx.method_name().unwrap_or("?"),
                        self.config.request_timeout
                    );
                    ctx.out_object = None;
                    ctx.out_error = Some(self.overran());
                    return Ok(self.finish(ctx, Some(StatusCode::SERVICE_UNAVAILABLE)));
                }
            }
            Run::InPlace => {
                let handle = tokio::runtime::Handle::current();
                tokio::task::block_in_place(|| handle.block_on(app.get_out_object(&mut ctx)));
            }
            Run::Pool => {
                let handle = tokio::runtime::Handle::current();
                let inner = Arc::clone(&self);
                let permit = permit.take();
                let task = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    handle.block_on(inner.app.get_out_object(&mut ctx));
                    ctx
                });
                ctx = match timeout_at(deadline, task).await {
                    Ok(Ok(ctx)) => ctx,
                    Ok(Err(join_error)) => {
                        log::error!(target: LOG_TARGET, "the request pipeline failed: {join_error}");
                        return Err((
                            StatusCode::INTERNAL_SERVER_ERROR,
                            Fault::server("Internal Error"),
                        ));
                    }
                    // The method goes on in the background; its context closes when it ends.
                    Err(_) => return Err((StatusCode::SERVICE_UNAVAILABLE, self.overran())),
                };
            }
        }
        // The context closes (`method_context_closed` fires) before the slot is released,
        // which happens when this function returns.
        Ok(self.finish(ctx, None))
    }

    /// Writes the response of `ctx` ([`write_response`](Self::write_response)) and closes
    /// the context, keeping it for the thread's next request.
    fn finish(&self, mut ctx: ContextCloseGuard, status: Option<StatusCode>) -> Outcome {
        let mut outcome = self.write_response(&mut ctx, status);
        outcome.headers = spare::close(ctx);
        outcome
    }

    /// The fault of a call that overran the request timeout.
    fn overran(&self) -> Fault {
        Fault::server(format!(
            "the request did not complete in time (limit {:?})",
            self.config.request_timeout
        ))
    }

    /// Writes the response of `ctx` (step 3 of the pipeline), with the protocol's status
    /// unless the transport imposes one.
    fn write_response(&self, ctx: &mut MethodContext, status: Option<StatusCode>) -> Outcome {
        let app = &self.app;
        app.get_out_string(ctx);
        let status = status.unwrap_or_else(|| match ctx.error() {
            // A request method the in-protocol refuses (whatever the out-protocol's statuses).
            Some(fault) if is_request_not_allowed(&fault.code) => StatusCode::METHOD_NOT_ALLOWED,
            _ => StatusCode::from_u16(app.response_status(ctx))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        });
        let content_type = self.content_type(ctx);
        let body = if ctx.out_string.len() == 1 {
            ctx.out_string.pop().unwrap_or_default()
        } else {
            ctx.out_bytes()
        };
        Outcome {
            status,
            content_type,
            body,
            headers: http::HeaderMap::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_document_requests() {
        let yes = [
            "/?wsdl",
            "/?WSDL",
            "/svc?wsdl=1",
            "/?a=b&Wsdl",
            "/service.wsdl",
        ];
        let no = ["/", "/?wsdlx", "/?a=wsdl", "/wsdl"];
        for uri in yes {
            assert!(wants_interface_document(&uri.parse().unwrap()), "{uri}");
        }
        for uri in no {
            assert!(!wants_interface_document(&uri.parse().unwrap()), "{uri}");
        }
    }

    #[test]
    fn request_not_allowed_codes() {
        assert!(is_request_not_allowed(&FaultCode::client(
            REQUEST_NOT_ALLOWED
        )));
        assert!(!is_request_not_allowed(&FaultCode::server(
            REQUEST_NOT_ALLOWED
        )));
        assert!(!is_request_not_allowed(&FaultCode::client("Other")));
        assert!(!is_request_not_allowed(&FaultCode::CLIENT));
        assert!(!is_request_not_allowed(
            &FaultCode::client(REQUEST_NOT_ALLOWED).with_namespace("urn:other")
        ));
    }

    #[test]
    fn hosts() {
        assert!(valid_host("localhost:8080"));
        assert!(valid_host("[::1]:80"));
        assert!(!valid_host("evil\"><x"));
        assert!(!valid_host(""));
    }
}
