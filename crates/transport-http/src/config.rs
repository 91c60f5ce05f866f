//! Server limits and behaviour, with documented defaults.

use std::time::Duration;

/// Where the server runs a **blocking** method (a plain `fn`, which may block); every mode but
/// [`Inline`](Execution::Inline) keeps a blocking method from stalling other connections.
/// `cargo xtask bench http --execution ..` measures them (`docs/performance.md` has the
/// figures).
///
/// An `async fn` method is not affected by this setting: in every mode it is awaited on the
/// runtime task serving the request, holds no thread while it waits, and is cancelled (503)
/// if it is still running at the request timeout. Reading the request and writing the
/// response run on that task too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Execution {
    /// The default. Under [`Server`](crate::Server) every connection has a thread of its own
    /// (with a single-threaded runtime), and its requests run inline on it: a blocking method holds up
    /// only its own connection, whose next request could not start before the reply anyway
    /// (HTTP/1.1). No hand-off between threads per request, but a wake-up of the connection's
    /// thread for each one. Mounted elsewhere (axum, another tower stack) the service falls
    /// back to [`BlockingPool`](Execution::BlockingPool). A blocking method still running at
    /// the request timeout is answered when it ends, not cut off.
    ConnectionThread,
    /// On tokio's blocking thread pool (`spawn_blocking`): a method past the request timeout
    /// is answered with 503 at the deadline (it keeps running in the background).
    BlockingPool,
    /// On the runtime thread that received the request, inside `block_in_place`, which moves
    /// that thread's other work elsewhere first: cheaper per request than the pool; needs the
    /// multi-threaded runtime.
    InPlace,
    /// Directly on the runtime thread: the cheapest, but a method that blocks stalls every
    /// other request that thread serves. Only for methods known never to block.
    Inline,
}

/// Limits and options of the HTTP server. Every limit answers with a fault body and an HTTP
/// error, and the server keeps serving other clients.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest request body accepted; larger ones get 413. Default: 10 MiB.
    pub max_body_bytes: usize,
    /// Time allowed to receive a request's headers (slow senders are cut off). Default: 10 s.
    pub header_read_timeout: Duration,
    /// Time allowed for a whole request: reading the body, waiting for a slot and running the
    /// method. A body still arriving after it gets 408; a request still waiting or running
    /// gets 503. Default: 60 s.
    pub request_timeout: Duration,
    /// Requests run at the same time; more wait for a slot (within `request_timeout`).
    /// Default: 512.
    pub max_concurrent_requests: usize,
    /// The endpoint address written into interface documents. Default: `None`, meaning
    /// `http://<Host header><path>` of each WSDL request.
    pub public_url: Option<String>,
    /// Where blocking methods run. Default: [`Execution::ConnectionThread`].
    pub execution: Execution,
    /// Connections served at once by [`Server`](crate::Server); more are closed as they
    /// arrive (and logged). Default: 1024.
    pub max_connections: usize,
    /// Time given to in-flight requests when shutting down gracefully. Default: 30 s.
    pub shutdown_grace: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            max_body_bytes: 10 * 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_concurrent_requests: 512,
            public_url: None,
            execution: Execution::ConnectionThread,
            max_connections: 1024,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}
