//! The classic hello service: `say_hello(name, times) -> [String]`, an `async fn` (the
//! transports await it; none of them needs a thread per call for it).

use std::collections::HashMap;

use rpclib_core::{Application, ApplicationBuilder, Fault, service};
use rpclib_ws_security::UsernameTokenValidator;

/// The target namespace of the hello service.
pub const TNS: &str = "spyne.examples.hello";

/// Says hello.
#[derive(Debug)]
pub struct HelloWorldService;

#[service(name = "HelloWorldService", namespace = "spyne.examples.hello")]
impl HelloWorldService {
    /// Says hello to `name`, `times` times (at most 1000).
    // An `async fn`: it could await a database or another service without holding a thread;
    // the WSDL is the same as for a plain `fn`. (A `//` comment: doc comments are published
    // in the WSDL.) `safe`: it changes nothing, so HttpRpc may call it with GET.
    #[rpc(safe)]
    async fn say_hello(
        &self,
        #[model(min_len = 1, max_len = 256)] name: String,
        #[model(max_inclusive = 1000)] times: u32,
    ) -> Result<Vec<String>, Fault> {
        Ok((0..times).map(|_| format!("Hello, {name}")).collect())
    }
}

/// The hello application builder (add the protocol and the interface).
pub fn builder() -> ApplicationBuilder {
    Application::builder("Application", TNS).service(HelloWorldService)
}

/// The hello application builder requiring a WS-Security UsernameToken of `user` with
/// `password` (text or digest) on every call: what `hello --wsse-user U --wsse-password P`
/// serves.
pub fn builder_with_username_token(user: &str, password: &str) -> ApplicationBuilder {
    let users = HashMap::from([(user.to_owned(), password.to_owned())]);
    builder().call_wrapper(UsernameTokenValidator::new(users))
}
