//! The HTTP client: [`AsyncHttpClient`], an [`AsyncClientTransport`](rpclib_core::AsyncClientTransport)
//! on hyper-util's pooled client (HTTP/1.1 and HTTP/2, `https://` through rustls), and
//! [`HttpClient`], its blocking wrapper.
//!
//! - `config.rs`: [`HttpClientConfig`] (timeouts, reply size, headers, auth helpers, HTTP
//!   versions);
//! - `tls.rs`: [`TlsConfig`] (trusted roots);
//! - `error.rs`: [`HttpClientError`];
//! - `async_client.rs`: [`AsyncHttpClient`];
//! - `blocking.rs`: [`HttpClient`], which runs an [`AsyncHttpClient`] on a runtime owned by a
//!   background thread.

mod async_client;
mod blocking;
mod config;
mod error;
mod tls;

pub use async_client::{AsyncHttpClient, RequestHook};
pub use blocking::HttpClient;
pub use config::{HttpClientConfig, HttpVersions};
pub use error::HttpClientError;
pub use tls::TlsConfig;
