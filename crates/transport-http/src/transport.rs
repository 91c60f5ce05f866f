//! The HTTP part of a [`MethodContext`](rpclib_core::MethodContext).

use std::net::SocketAddr;

/// What user code and event listeners can read about the HTTP request, through
/// `ctx.transport::<HttpTransport>()`.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    /// The peer's address, when known (set by [`serve`](crate::serve); under another server,
    /// insert a [`PeerAddr`] request extension to provide it).
    pub peer_addr: Option<SocketAddr>,
    /// The request method.
    pub method: http::Method,
    /// The request URI.
    pub uri: http::Uri,
    /// The request headers.
    pub headers: http::HeaderMap,
}

/// A request extension carrying the peer's address, for [`RpcService`](crate::RpcService) or
/// [`Endpoints`](crate::Endpoints) mounted under another server ([`serve`](crate::serve)
/// hands the address over directly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// The transport URI of SOAP over HTTP, as written in WSDL bindings.
pub const SOAP_HTTP_TRANSPORT: &str = "http://schemas.xmlsoap.org/soap/http";
