//! [`RouteConnector`]: the TCP connector under the TLS layer, which follows the endpoint's
//! [`Route`]: straight to the endpoint, to the forwarding proxy, or through a `CONNECT` tunnel
//! (hyper-util's [`Tunnel`]).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::Uri;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::rt::TokioIo;
use rpclib_core::BoxError;
use tokio::net::TcpStream;
use tower::Service;

use super::proxy::Route;

/// Connects as the route says. Cloning is cheap (the connectors inside are).
#[derive(Clone)]
pub(crate) struct RouteConnector {
    kind: Kind,
}

#[derive(Clone)]
enum Kind {
    Direct(HttpConnector),
    /// Every connection goes to the proxy at this URI.
    Forward(HttpConnector, Uri),
    Tunnel(Tunnel<HttpConnector>),
}

impl RouteConnector {
    /// The connector for `route`, opening TCP connections with `http`.
    pub(crate) fn new(http: HttpConnector, route: &Route) -> RouteConnector {
        let kind = match route {
            Route::Direct => Kind::Direct(http),
            Route::Forward(via) => Kind::Forward(http, via.proxy.clone()),
            Route::Tunnel(via) => {
                let tunnel = Tunnel::new(via.proxy.clone(), http);
                Kind::Tunnel(match &via.auth {
                    Some(auth) => tunnel.with_auth(auth.clone()),
                    None => tunnel,
                })
            }
        };
        RouteConnector { kind }
    }
}

type Connecting = Pin<Box<dyn Future<Output = Result<RouteStream, BoxError>> + Send>>;

impl Service<Uri> for RouteConnector {
    type Response = RouteStream;
    type Error = BoxError;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        match &mut self.kind {
            Kind::Direct(http) | Kind::Forward(http, _) => http.poll_ready(cx).map_err(Into::into),
            Kind::Tunnel(tunnel) => tunnel.poll_ready(cx).map_err(Into::into),
        }
    }

    fn call(&mut self, dst: Uri) -> Connecting {
        match &mut self.kind {
            Kind::Direct(http) => {
                let connecting = http.call(dst);
                Box::pin(async move { Ok(RouteStream::new(connecting.await?, false)) })
            }
            Kind::Forward(http, proxy) => {
                let connecting = http.call(proxy.clone());
                Box::pin(async move { Ok(RouteStream::new(connecting.await?, true)) })
            }
            Kind::Tunnel(tunnel) => {
                let connecting = tunnel.call(dst);
                Box::pin(async move { Ok(RouteStream::new(connecting.await?, false)) })
            }
        }
    }
}

/// A TCP connection that tells hyper whether it leads to a forwarding proxy (hyper then sends
/// requests in absolute form, `POST http://host/path`).
pub(crate) struct RouteStream {
    io: TokioIo<TcpStream>,
    forwarded: bool,
}

impl RouteStream {
    fn new(io: TokioIo<TcpStream>, forwarded: bool) -> RouteStream {
        RouteStream { io, forwarded }
    }
}

impl Connection for RouteStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.forwarded)
    }
}

impl Read for RouteStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl Write for RouteStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}
