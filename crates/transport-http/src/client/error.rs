//! [`HttpClientError`]: why an HTTP call failed.

use std::error::Error as StdError;
use std::time::Duration;

use http::StatusCode;

/// A failure of the HTTP client transport. A typed client receives it inside
/// [`ClientError::Transport`](rpclib_core::ClientError::Transport); downcast the source to
/// tell the cases apart.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpClientError {
    /// The URL is not a valid `http://` or `https://` URL.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl {
        /// The URL given.
        url: String,
        /// Why it is invalid.
        reason: String,
    },
    /// The blocking client's background thread or runtime could not start.
    #[error("cannot start the client runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// The blocking client's background runtime is gone (it panicked).
    #[error("the client's background runtime stopped")]
    Closed,
    /// The TLS setup is invalid (a root certificate that does not parse, no usable root).
    #[error("invalid TLS configuration: {0}")]
    TlsConfig(String),
    /// A header name or value is invalid.
    #[error("invalid header: {0}")]
    InvalidHeader(String),
    /// The TCP connection could not be made (refused, unreachable, name not resolved).
    #[error("cannot connect: {0}")]
    Connect(String),
    /// No TCP connection within the connect timeout.
    #[error("no connection within {0:?}")]
    ConnectTimeout(Duration),
    /// The TLS handshake failed (an untrusted or invalid certificate, no common protocol).
    #[error("TLS handshake failed: {0}")]
    Tls(String),
    /// The request failed on the network after connecting.
    #[error("request failed: {0}")]
    Request(String),
    /// No complete reply within the per-call timeout.
    #[error("no reply within {0:?}")]
    Timeout(Duration),
    /// The reply is larger than [`HttpClientConfig::max_reply_bytes`](crate::HttpClientConfig::max_reply_bytes).
    #[error("the reply is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// A proxy URL (from the options or an environment variable) cannot be used.
    #[error("invalid proxy URL {url:?} from {origin}: {reason}")]
    InvalidProxy {
        /// Where it came from: `the proxy option` or the environment variable's name.
        origin: &'static str,
        /// The URL, its password hidden.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A compressed reply could not be decoded (corrupt data, an unsupported encoding).
    #[error("cannot decode the {encoding} reply: {reason}")]
    Decode {
        /// The `Content-Encoding`.
        encoding: String,
        /// What went wrong.
        reason: String,
    },
    /// A compressed reply inflates past
    /// [`HttpClientConfig::max_reply_bytes`](crate::HttpClientConfig::max_reply_bytes).
    #[error("the {encoding} reply inflates to more than {limit} bytes (max_reply_bytes)")]
    InflatedTooLarge {
        /// The `Content-Encoding`.
        encoding: String,
        /// The limit.
        limit: usize,
    },
    /// The server answered with an HTTP error that carries no protocol message.
    #[error("HTTP {status}: {excerpt}")]
    Status {
        /// The status code.
        status: StatusCode,
        /// The beginning of the body.
        excerpt: String,
    },
}

impl HttpClientError {
    /// Sorts a failure of hyper-util's client into connect, connect timeout, TLS or request
    /// errors by walking its sources.
    pub(crate) fn from_hyper(
        error: hyper_util::client::legacy::Error,
        connect_timeout: Duration,
    ) -> HttpClientError {
        let message = chain(&error);
        let mut source: Option<&(dyn StdError + 'static)> = Some(&error);
        while let Some(e) = source {
            if e.downcast_ref::<rustls::Error>().is_some() {
                return HttpClientError::Tls(message);
            }
            source = e.source();
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if error.is_connect() && io.kind() == std::io::ErrorKind::TimedOut {
                    return HttpClientError::ConnectTimeout(connect_timeout);
                }
                // An `io::Error`'s `source` skips the error it wraps (rustls's, in tokio-rustls
                // and hyper-rustls): look inside.
                if let Some(inner) = io.get_ref() {
                    source = Some(inner as &(dyn StdError + 'static));
                }
            }
        }
        if error.is_connect() {
            HttpClientError::Connect(message)
        } else {
            HttpClientError::Request(message)
        }
    }
}

/// The error and its sources, joined by `: `.
fn chain(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let more = e.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = e.source();
    }
    text
}
