//! The standalone server: an accept loop over [`Endpoints`] (one or several `RpcService`s) with graceful shutdown.

use std::cell::Cell;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};

use crate::LOG_TARGET;
use crate::config::Execution;
use crate::endpoints::Endpoints;
use crate::in_flight::InFlight;
use crate::reply::HyperBody;

/// A bound HTTP server for one [`RpcService`](crate::RpcService) at every path, or several
/// at their paths ([`Endpoints`]): HTTP/1.1 with keep-alive, and HTTP/2 (prior
/// knowledge) on the same port; with the `tls` feature and [`with_tls`](Server::with_tls),
/// HTTPS instead (HTTP/2 through ALPN, and HTTP/1.1).
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    service: Endpoints,
    #[cfg(feature = "tls")]
    tls: Option<crate::ServerTls>,
}

impl Server {
    /// Binds `addr`, to serve `service`: an `RpcService` (at every path) or [`Endpoints`].
    pub async fn bind(
        addr: impl ToSocketAddrs,
        service: impl Into<Endpoints>,
    ) -> io::Result<Server> {
        Ok(Server::from_listener(
            TcpListener::bind(addr).await?,
            service,
        ))
    }

    /// Serves on an already bound listener.
    pub fn from_listener(listener: TcpListener, service: impl Into<Endpoints>) -> Server {
        Server {
            listener,
            service: service.into(),
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// Serves HTTPS only (feature `tls`): every accepted connection first completes a TLS
    /// handshake within [`HttpConfig::header_read_timeout`](crate::HttpConfig::header_read_timeout);
    /// one that fails or times out is logged and dropped without affecting the others. Works
    /// with every [`Execution`] mode. Interface documents then name `https://` addresses.
    #[cfg(feature = "tls")]
    pub fn with_tls(mut self, tls: crate::ServerTls) -> Server {
        self.tls = Some(tls);
        self
    }

    /// Whether the server serves HTTPS.
    pub fn is_tls(&self) -> bool {
        #[cfg(feature = "tls")]
        {
            self.tls.is_some()
        }
        #[cfg(not(feature = "tls"))]
        {
            false
        }
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    pub async fn run(self) -> io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` completes; then stops accepting, lets in-flight requests finish
    /// (within [`HttpConfig::shutdown_grace`](crate::HttpConfig::shutdown_grace)) and returns.
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> io::Result<()> {
        let tls = self.tls_acceptor();
        let Server {
            listener, service, ..
        } = self;
        let config = service.config().clone();
        let graceful = GracefulShutdown::new();
        let connections = Arc::new(AtomicUsize::new(0));
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(pair) => pair,
                    Err(e) => {
                        // Running out of descriptors must not end the server: wait and retry.
                        log::warn!(target: LOG_TARGET, "accept failed: {e}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            if connections.load(Ordering::Acquire) >= config.max_connections {
                log::warn!(target: LOG_TARGET, "refusing {peer}: {} connections already open", config.max_connections);
                continue;
            }
            let _ = stream.set_nodelay(true);
            let connection = Connection {
                service: service.clone(),
                peer,
                header_read_timeout: config.header_read_timeout,
                tls: tls.clone(),
            };
            let open = OpenConnection::count(&connections);
            if config.execution == Execution::ConnectionThread {
                let stream = match stream.into_std() {
                    Ok(s) => s,
                    Err(e) => {
                        log::warn!(target: LOG_TARGET, "cannot detach the connection from {peer}: {e}");
                        continue;
                    }
                };
                let watcher = graceful.watcher();
                let spawned = std::thread::Builder::new()
                    .name("rpclib-http-conn".to_owned())
                    .spawn(move || {
                        let _open = open;
                        connection.serve_on_own_thread(stream, watcher);
                    });
                if let Err(e) = spawned {
                    log::warn!(target: LOG_TARGET, "cannot start a thread for {peer}: {e}");
                }
            } else {
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    let _open = open;
                    connection.serve(stream, watcher).await;
                });
            }
        }
        drop(listener);
        log::info!(target: LOG_TARGET, "shutting down: waiting for in-flight requests");
        tokio::select! {
            () = graceful.shutdown() => {}
            () = tokio::time::sleep(config.shutdown_grace) => {
                log::warn!(target: LOG_TARGET, "requests still running after {:?}; stopping anyway", config.shutdown_grace);
            }
        }
        Ok(())
    }
}

/// One open connection, counted against [`HttpConfig::max_connections`](crate::HttpConfig::max_connections)
/// until it is dropped (the connection ended, its thread or task unwound, or it never started).
struct OpenConnection(Arc<AtomicUsize>);

impl OpenConnection {
    fn count(connections: &Arc<AtomicUsize>) -> OpenConnection {
        connections.fetch_add(1, Ordering::AcqRel);
        OpenConnection(Arc::clone(connections))
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

thread_local! {
    static CONNECTION_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is a connection thread of [`Server`] (where requests may run
/// inline: nothing else shares the thread).
pub(crate) fn on_connection_thread() -> bool {
    CONNECTION_THREAD.with(Cell::get)
}

#[cfg(feature = "tls")]
type Tls = crate::ServerTls;
/// Stands in for the TLS configuration without the `tls` feature (never constructed).
#[cfg(not(feature = "tls"))]
#[derive(Clone)]
enum Tls {}

impl Server {
    /// The TLS configuration, if any.
    fn tls_acceptor(&self) -> Option<Tls> {
        #[cfg(feature = "tls")]
        {
            self.tls.clone()
        }
        #[cfg(not(feature = "tls"))]
        {
            None
        }
    }
}

/// One accepted connection.
struct Connection {
    service: Endpoints,
    peer: SocketAddr,
    header_read_timeout: Duration,
    tls: Option<Tls>,
}

type HyperConnection<I> = auto::UpgradeableConnection<'static, TokioIo<I>, Handler, TokioExecutor>;

/// The hyper service of one connection: hands requests on with the peer's address.
#[derive(Clone)]
struct Handler {
    service: Endpoints,
    peer: SocketAddr,
    https: bool,
}

/// Makes an HTTP/1.1 request's origin-form URI (`/path`) absolute with the `https` scheme and
/// the `Host` header, as HTTP/2 requests already are, so that the service knows the scheme.
fn absolute_https(request: &mut hyper::Request<Incoming>) {
    if request.uri().scheme().is_some() {
        return;
    }
    let Some(host) = request
        .headers()
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
    else {
        return;
    };
    let path = request.uri().path_and_query().map_or("/", |p| p.as_str());
    if let Ok(uri) = format!("https://{host}{path}").parse() {
        *request.uri_mut() = uri;
    }
}

impl hyper::service::Service<hyper::Request<Incoming>> for Handler {
    type Response = http::Response<HyperBody>;
    type Error = Infallible;
    type Future = InFlight;

    fn call(&self, mut request: hyper::Request<Incoming>) -> Self::Future {
        if self.https {
            absolute_https(&mut request);
        }
        InFlight::start(self.service.clone(), request, self.peer)
    }
}

impl Connection {
    /// The hyper connection serving `stream` (HTTP/1.1 with keep-alive, or HTTP/2).
    fn hyper<I>(self, stream: I) -> HyperConnection<I>
    where
        I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    {
        let Connection {
            service,
            peer,
            header_read_timeout,
            tls,
        } = self;
        let handler = Handler {
            service,
            peer,
            https: tls.is_some(),
        };
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout)
            .keep_alive(true);
        builder
            .serve_connection_with_upgrades(TokioIo::new(stream), handler)
            .into_owned()
    }

    /// Serves the connection on the current (dedicated) thread with a runtime of its own.
    fn serve_on_own_thread(self, stream: std::net::TcpStream, watcher: Watcher) {
        CONNECTION_THREAD.with(|c| c.set(true));
        let peer = self.peer;
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                log::warn!(target: LOG_TARGET, "cannot start a runtime for {peer}: {e}");
                return;
            }
        };
        runtime.block_on(async move {
            let stream = match TcpStream::from_std(stream) {
                Ok(s) => s,
                Err(e) => {
                    log::warn!(target: LOG_TARGET, "cannot adopt the connection from {peer}: {e}");
                    return;
                }
            };
            self.serve(stream, watcher).await;
        });
    }

    /// Serves the connection on the current runtime (after the TLS handshake, if any).
    async fn serve(self, stream: TcpStream, watcher: Watcher) {
        let peer = self.peer;
        let ended = match &self.tls {
            None => watcher.watch(self.hyper(stream)).await,
            #[cfg(not(feature = "tls"))]
            Some(never) => match *never {},
            #[cfg(feature = "tls")]
            Some(tls) => {
                let handshake = tokio::time::timeout(self.header_read_timeout, tls.accept(stream));
                let stream = match handshake.await {
                    Ok(Ok(s)) => s,
                    Ok(Err(e)) => {
                        log::debug!(target: LOG_TARGET, "TLS handshake with {peer} failed: {e}");
                        return;
                    }
                    Err(_) => {
                        log::debug!(target: LOG_TARGET, "TLS handshake with {peer} timed out after {:?}", self.header_read_timeout);
                        return;
                    }
                };
                watcher.watch(self.hyper(stream)).await
            }
        };
        if let Err(e) = ended {
            log::debug!(target: LOG_TARGET, "connection from {peer} ended: {e}");
        }
    }
}

/// Completes on SIGINT (Ctrl-C) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

/// Serves `service` on `listener` until `shutdown` completes (see [`Server::run_until`]).
pub async fn serve(
    listener: TcpListener,
    service: impl Into<Endpoints>,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    Server::from_listener(listener, service)
        .run_until(shutdown)
        .await
}
