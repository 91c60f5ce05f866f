//! A typed client wired to a server application in memory, in SOAP 1.1 or 1.2, that keeps the
//! last exchange so a test can look at the XML on the wire.

use std::sync::{Arc, Mutex};

use rpclib_core::{
    Application, ApplicationBuilder, ClientTransport, OutgoingRequest, RemoteClient,
    ServiceDescriptor,
};
use rpclib_protocol_soap::{Soap11, Soap12};

/// Feeds each request to a server application, checks the reply is well formed and keeps the
/// last request and reply.
pub struct Loopback {
    server: Arc<Application>,
    last: Mutex<(String, String)>,
}

impl Loopback {
    /// The last request sent and the reply it got.
    pub fn last(&self) -> (String, String) {
        self.last.lock().expect("not poisoned").clone()
    }
}

impl ClientTransport for Loopback {
    fn send(
        &self,
        request: &OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, Box<dyn std::error::Error + Send + Sync>> {
        let (_, reply) = super::serve(&self.server, request.body);
        super::assert_well_formed(&reply);
        let sent = String::from_utf8_lossy(request.body).into_owned();
        *self.last.lock().expect("not poisoned") = (sent, reply.clone());
        Ok(Some(reply.into_bytes()))
    }
}

/// `builder`'s application speaking SOAP 1.2 (`soap12`) or 1.1.
pub fn soap_app(builder: ApplicationBuilder, soap12: bool) -> Arc<Application> {
    let builder = if soap12 {
        builder.protocol(Soap12::new())
    } else {
        builder.protocol(Soap11::new())
    };
    builder.build().expect("a valid application")
}

/// The caller of a generated client: an application named `name` in `ns` declaring
/// `service`, over a [`Loopback`] to `server`, in the same SOAP version.
pub fn caller(
    name: &str,
    ns: &str,
    service: &'static ServiceDescriptor,
    server: Arc<Application>,
    soap12: bool,
) -> RemoteClient<Loopback> {
    let local = soap_app(Application::builder(name, ns).declare(service), soap12);
    RemoteClient::new(
        local,
        Loopback {
            server,
            last: Mutex::default(),
        },
    )
}
