//! The server side of the hello contract: [`MyHello`] implements [`hello_api::Hello`], and
//! [`app`] puts it in an application with SOAP 1.1 and WSDL 1.1. The binary serves it over
//! HTTP.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use hello_api::{Greeting, Hello, TNS};
use rpclib_core::{Application, Fault, MethodContext};
use rpclib_interface_wsdl::Wsdl11;
use rpclib_protocol_soap::Soap11;

/// The implementation: counts the greetings it says.
#[derive(Debug, Default)]
pub struct MyHello {
    greetings: AtomicU64,
}

impl Hello for MyHello {
    async fn say_hello(&self, greeting: Greeting) -> Result<Vec<String>, Fault> {
        // Any `.await` may go here (a database, another service); the future must be `Send`.
        tokio::task::yield_now().await;
        if greeting.name.eq_ignore_ascii_case("nobody") {
            return Err(Fault::client("UnknownName", "nobody cannot be greeted"));
        }
        self.greetings
            .fetch_add(u64::from(greeting.times), Ordering::Relaxed);
        Ok((0..greeting.times)
            .map(|_| format!("Hello, {}", greeting.name))
            .collect())
    }

    async fn stats(&self, ctx: &mut MethodContext) -> (u64, String) {
        let operation = ctx.method_name().unwrap_or_default().to_owned();
        (self.greetings.load(Ordering::Relaxed), operation)
    }

    fn ping(&self) -> u32 {
        1
    }
}

/// The application: the contract's service, SOAP 1.1 in and out, WSDL 1.1.
pub fn app() -> Result<Arc<Application>, rpclib_core::ConfigError> {
    Application::builder("Hello", TNS)
        .service(MyHello::default().into_service())
        .protocol(Soap11::new())
        .interface(Wsdl11::new())
        .build()
}
