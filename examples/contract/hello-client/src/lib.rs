//! The client side of the hello contract: [`connect`] gives a [`HelloClient`] over HTTP
//! (SOAP 1.1). It depends on the API crate and the transport only: the client's application
//! declares the contract's descriptor, and no implementation is needed.

use hello_api::{HelloClient, HelloService, TNS};
use rpclib_core::{Application, RemoteClient, Service};
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::HttpClient;

/// A typed client of the hello service at `url` (such as `http://127.0.0.1:8000/`).
pub fn connect(url: &str) -> anyhow::Result<HelloClient<RemoteClient<HttpClient>>> {
    let app = Application::builder("Hello", TNS)
        .declare(HelloService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    Ok(HelloClient::new(HttpClient::new(url)?.caller(app)))
}
