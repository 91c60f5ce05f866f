//! The standalone server: an accept loop over [`RpcService`] with graceful shutdown.

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
use crate::service::RpcService;
use crate::transport::PeerAddr;

/// A bound HTTP server for one [`RpcService`]: HTTP/1.1 with keep-alive, and HTTP/2 (prior
/// knowledge) on the same port.
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    service: RpcService,
}

impl Server {
    /// Binds `addr`.
    pub async fn bind(addr: impl ToSocketAddrs, service: RpcService) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr).await?,
            service,
        })
    }

    /// Serves on an already bound listener.
    pub fn from_listener(listener: TcpListener, service: RpcService) -> Server {
        Server { listener, service }
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
        let Server { listener, service } = self;
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
            };
            if config.execution == Execution::ConnectionThread {
                let stream = match stream.into_std() {
                    Ok(s) => s,
                    Err(e) => {
                        log::warn!(target: LOG_TARGET, "cannot detach the connection from {peer}: {e}");
                        continue;
                    }
                };
                let watcher = graceful.watcher();
                let counter = Arc::clone(&connections);
                counter.fetch_add(1, Ordering::AcqRel);
                let spawned = std::thread::Builder::new()
                    .name("rpclib-http-conn".to_owned())
                    .spawn(move || {
                        connection.serve_on_own_thread(stream, watcher);
                        counter.fetch_sub(1, Ordering::AcqRel);
                    });
                if let Err(e) = spawned {
                    connections.fetch_sub(1, Ordering::AcqRel);
                    log::warn!(target: LOG_TARGET, "cannot start a thread for {peer}: {e}");
                }
            } else {
                let watched = graceful.watch(connection.hyper(stream));
                tokio::spawn(async move {
                    if let Err(e) = watched.await {
                        log::debug!(target: LOG_TARGET, "connection from {peer} ended: {e}");
                    }
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

thread_local! {
    static CONNECTION_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is a connection thread of [`Server`] (where requests may run
/// inline: nothing else shares the thread).
pub(crate) fn on_connection_thread() -> bool {
    CONNECTION_THREAD.with(Cell::get)
}

/// One accepted connection.
struct Connection {
    service: RpcService,
    peer: SocketAddr,
    header_read_timeout: Duration,
}

type HyperConnection =
    auto::UpgradeableConnection<'static, TokioIo<TcpStream>, Handler, TokioExecutor>;

/// The hyper service of one connection: tags requests with the peer and hands them on.
#[derive(Clone)]
struct Handler {
    service: RpcService,
    peer: SocketAddr,
}

impl hyper::service::Service<hyper::Request<Incoming>> for Handler {
    type Response = crate::HttpResponse;
    type Error = Infallible;
    type Future =
        std::pin::Pin<Box<dyn Future<Output = Result<crate::HttpResponse, Infallible>> + Send>>;

    fn call(&self, mut request: hyper::Request<Incoming>) -> Self::Future {
        request.extensions_mut().insert(PeerAddr(self.peer));
        let service = self.service.clone();
        Box::pin(async move { Ok(service.handle(request).await) })
    }
}

impl Connection {
    /// The hyper connection serving `stream` (HTTP/1.1 with keep-alive, or HTTP/2).
    fn hyper(self, stream: TcpStream) -> HyperConnection {
        let Connection {
            service,
            peer,
            header_read_timeout,
        } = self;
        let handler = Handler { service, peer };
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
            if let Err(e) = watcher.watch(self.hyper(stream)).await {
                log::debug!(target: LOG_TARGET, "connection from {peer} ended: {e}");
            }
        });
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
    service: RpcService,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    Server::from_listener(listener, service)
        .run_until(shutdown)
        .await
}
