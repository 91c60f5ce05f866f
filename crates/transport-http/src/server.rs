//! The standalone server: an accept loop over [`RpcService`] with graceful shutdown.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::{TcpListener, ToSocketAddrs};

use crate::LOG_TARGET;
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
            let _ = stream.set_nodelay(true);
            let service = service.clone();
            let handler =
                hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
                    request.extensions_mut().insert(PeerAddr(peer));
                    let service = service.clone();
                    async move { Ok::<_, Infallible>(service.handle(request).await) }
                });
            let mut builder = auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(config.header_read_timeout)
                .keep_alive(true);
            let connection = builder
                .serve_connection(TokioIo::new(stream), handler)
                .into_owned();
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    log::debug!(target: LOG_TARGET, "connection from {peer} ended: {e}");
                }
            });
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
