//! # rpclib-transport-http
//!
//! The HTTP transport of rpclib: a server that serves an [`Application`](rpclib_core::Application)
//! over HTTP/1.1 (keep-alive) and HTTP/2, and a client that calls one.
//!
//! - [`RpcService`] is a `tower::Service`: mount it in axum (`Router::route_service`) or any
//!   tower stack. `GET ?wsdl` returns the interface document with the endpoint address taken
//!   from the request's `Host` (or [`HttpConfig::public_url`]); `POST` runs the pipeline; other
//!   methods get 405 with a fault body.
//! - [`Endpoints`] mount several services (several applications, or one application with
//!   several protocols) at several paths of one server; other paths get 404.
//! - [`Server`] / [`serve`] run it standalone with graceful shutdown (on SIGINT/SIGTERM or any
//!   future): stop accepting, finish in-flight requests. With the `tls` feature,
//!   [`Server::with_tls`] serves HTTPS (`ServerTls`: PEM files or a rustls configuration;
//!   rustls with the ring provider, no OpenSSL).
//! - [`HttpConfig`] holds the limits, each answered with a fault body and an HTTP status while
//!   other clients keep being served: body size (413), header read timeout, request timeout
//!   (408 while the body is still arriving, 503 after), concurrent requests.
//! - User methods are `async fn`s, awaited on the runtime, or plain blocking functions, which
//!   the server runs off the shared runtime: on the connection's own thread, or on the
//!   blocking pool ([`Execution`]).
//! - [`AsyncHttpClient`] is an [`AsyncClientTransport`](rpclib_core::AsyncClientTransport)
//!   on hyper-util's pooled client: HTTP/1.1 and HTTP/2, `https://` through rustls
//!   ([`TlsConfig`]), an HTTP proxy from options or the environment ([`ProxyConfig`]),
//!   gzip/deflate replies, timeouts, a reply size limit, default headers and auth helpers
//!   ([`HttpClientConfig`]), a per-call header hook. [`HttpClient`] is its blocking
//!   [`ClientTransport`](rpclib_core::ClientTransport) wrapper, safe to create, use and drop
//!   anywhere.
//! - The transport part of every request's context is an [`HttpTransport`]: peer address,
//!   method, URI and headers.
//!
//! This crate depends on `rpclib-core` only; the protocol (SOAP) and the interface (WSDL) come
//! through the application.

#![forbid(unsafe_code)]

mod body;
mod client;
mod config;
mod deadline;
mod endpoints;
mod in_flight;
mod reply;
mod server;
mod service;
mod spare;
#[cfg(feature = "tls")]
mod tls;
mod transport;

pub use client::{
    AsyncHttpClient, HttpClient, HttpClientConfig, HttpClientError, HttpVersions, ProxyConfig,
    RequestHook, TlsConfig,
};
pub use config::{Execution, HttpConfig};
pub use endpoints::{Endpoints, MountError};
pub use server::{Server, serve, shutdown_signal};
pub use service::{HttpResponse, RpcService};
#[cfg(feature = "tls")]
pub use tls::ServerTls;
pub use transport::{HttpTransport, PeerAddr, SOAP_HTTP_TRANSPORT};

pub(crate) const LOG_TARGET: &str = "rpclib_transport_http";
