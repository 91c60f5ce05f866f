//! The HTTP client: [`AsyncHttpClient`], an [`AsyncClientTransport`](rpclib_core::AsyncClientTransport)
//! on hyper-util's pooled client (HTTP/1.1 and HTTP/2, `https://` through rustls), and
//! [`HttpClient`], its blocking wrapper.
//!
//! - `config.rs`: [`HttpClientConfig`] (timeouts, reply size, headers, auth helpers, HTTP
//!   versions);
//! - `tls.rs`: [`TlsConfig`] (trusted roots);
//! - `proxy.rs`: [`ProxyConfig`] (HTTP proxy from options or the environment) and the route
//!   it gives the endpoint;
//! - `connector.rs`: the TCP connector that follows that route (direct, forwarding proxy,
//!   `CONNECT` tunnel);
//! - `decode.rs`: gzip/deflate replies, decoded within the reply size limit;
//! - `error.rs`: [`HttpClientError`];
//! - `async_client.rs`: [`AsyncHttpClient`];
//! - `blocking.rs`: [`HttpClient`], which runs an [`AsyncHttpClient`] on a runtime owned by a
//!   background thread.

mod async_client;
mod blocking;
mod config;
mod connector;
mod decode;
mod error;
mod proxy;
mod tls;

pub use async_client::{AsyncHttpClient, RequestHook};
pub use blocking::HttpClient;
pub use config::{HttpClientConfig, HttpVersions};
pub use error::HttpClientError;
pub use proxy::ProxyConfig;
pub use tls::TlsConfig;
