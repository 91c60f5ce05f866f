//! A contract that starts as a third-party WSDL: AFIP's `logincms` (Argentina's tax agency's
//! authentication service). `build.rs` runs `rpclib-codegen` on it, and this crate includes the
//! result: the [`generated::LoginCms`] server trait (with `LoginCmsClient`, the typed client,
//! and `LoginCmsService`, both from `#[service]`). [`MyLogin`] implements the trait; [`app`]
//! serves it with SOAP 1.1 and WSDL 1.1; [`connect`] gives a client.

use std::sync::Arc;

use rpclib_core::{Application, Fault, RemoteClient, Service};
use rpclib_interface_wsdl::Wsdl11;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::HttpClient;

/// The code generated from `logincms.wsdl`.
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/logincms.rs"));
}

use generated::{LoginCms, LoginCmsClient, LoginCmsService};

/// The namespace of the service's body elements (the WSDL's `tns1`).
pub const TNS: &str = "http://wsaa.view.sua.dvadac.desein.afip.gov";

/// A stand-in implementation: answers a login ticket for any CMS that is not empty, and the
/// WSDL's typed fault (`LoginFault`, detail element `fault`) otherwise.
#[derive(Debug, Default)]
pub struct MyLogin;

impl LoginCms for MyLogin {
    async fn login_cms(&self, in_0: String) -> Result<String, Fault> {
        if in_0.trim().is_empty() {
            return Err(Fault::client("EmptyCms", "the CMS must not be empty")
                .with_detail(generated::login_cms::Fault {}));
        }
        Ok(format!(
            "<loginTicketResponse>{} bytes signed</loginTicketResponse>",
            in_0.len()
        ))
    }
}

/// The server application: the generated service, SOAP 1.1, WSDL 1.1.
pub fn app() -> Result<Arc<Application>, rpclib_core::ConfigError> {
    Application::builder("LoginCMSService", TNS)
        .service(MyLogin.into_service())
        .protocol(Soap11::new())
        .interface(Wsdl11::new())
        .build()
}

/// A typed client of the service at `url`.
pub fn connect(url: &str) -> anyhow::Result<LoginCmsClient<RemoteClient<HttpClient>>> {
    let app = Application::builder("LoginCMSService", TNS)
        .declare(LoginCmsService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    Ok(LoginCmsClient::new(HttpClient::new(url)?.caller(app)))
}
