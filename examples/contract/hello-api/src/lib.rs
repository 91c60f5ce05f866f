//! The hello contract, declared once: the `Hello` trait and the types it exchanges.
//!
//! `#[service]` on the trait generates, here in the API crate:
//!
//! - the trait itself, for the server crate to implement (`async fn` or not);
//! - [`HelloClient`], the typed client, for a client crate that depends on this crate only;
//! - [`HelloService`], the concrete service a server registers
//!   (`Application::builder(..).service(MyHello.into_service())`), which also gives a client
//!   the descriptor to declare (`.declare(HelloService::descriptor())`).

use rpclib_core::{ComplexModel, Fault, MethodContext, service};

/// The target namespace of the contract.
pub const TNS: &str = "urn:example:hello-contract";

/// Whom to greet, and how many times.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:example:hello-contract")]
pub struct Greeting {
    /// Who (1 to 64 characters).
    #[model(min_len = 1, max_len = 64)]
    pub name: String,
    /// How many times (at most 100).
    #[model(max_inclusive = 100)]
    pub times: u32,
}

/// Says hello.
#[service(namespace = "urn:example:hello-contract")]
pub trait Hello {
    /// Says hello to `greeting.name`, `greeting.times` times.
    #[rpc]
    async fn say_hello(&self, greeting: Greeting) -> Result<Vec<String>, Fault>;

    /// The number of greetings said so far, and the operation that answered.
    #[rpc(results("count", "operation"))]
    async fn stats(&self, ctx: &mut MethodContext) -> (u64, String);

    /// Answers at once (a blocking method next to the async ones).
    #[rpc]
    fn ping(&self) -> u32;
}
