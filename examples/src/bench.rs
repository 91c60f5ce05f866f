//! The bench service of `docs/contracts/bench-service.md`, exactly that contract.

use rpclib_core::{Application, ApplicationBuilder, ComplexModel, service};

/// The target namespace of the bench service.
pub const TNS: &str = "urn:rpclib:bench";

/// A person (W3's payload).
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:rpclib:bench")]
pub struct Person {
    /// Name.
    pub name: String,
    /// Age.
    pub age: i32,
    /// E-mail address.
    pub email: String,
    /// Tags (a `stringArray`).
    pub tags: Vec<String>,
}

/// Echoes its input: the workloads W1 (a string), W2 (1000 ints), W3 (100 people).
#[derive(Debug)]
pub struct BenchService;

#[service(name = "BenchService", namespace = "urn:rpclib:bench")]
impl BenchService {
    /// W1.
    #[rpc]
    fn echo_string(&self, s: String) -> String {
        s
    }

    /// W2.
    #[rpc]
    fn echo_integer_array(&self, values: Vec<i32>) -> Vec<i32> {
        values
    }

    /// W3.
    #[rpc]
    fn echo_people(&self, people: Vec<Person>) -> Vec<Person> {
        people
    }
}

/// The same service (same operations, same wire contract and WSDL) with `async fn` methods:
/// the HTTP server awaits them on the runtime task that read the request instead of running
/// them per `Execution` (the bench's `--async-methods` variant).
#[derive(Debug)]
pub struct AsyncBenchService;

#[service(name = "BenchService", namespace = "urn:rpclib:bench")]
impl AsyncBenchService {
    /// W1.
    #[rpc]
    async fn echo_string(&self, s: String) -> String {
        s
    }

    /// W2.
    #[rpc]
    async fn echo_integer_array(&self, values: Vec<i32>) -> Vec<i32> {
        values
    }

    /// W3.
    #[rpc]
    async fn echo_people(&self, people: Vec<Person>) -> Vec<Person> {
        people
    }
}

/// The bench application builder (add the protocol and the interface).
pub fn builder() -> ApplicationBuilder {
    Application::builder("BenchService", TNS).service(BenchService)
}

/// The bench application builder with the `async fn` methods of [`AsyncBenchService`].
pub fn async_builder() -> ApplicationBuilder {
    Application::builder("BenchService", TNS).service(AsyncBenchService)
}

/// The bench application as the `bench` example server serves it: SOAP 1.1 and SOAP 1.2 on
/// one endpoint, and a WSDL publishing a port for each.
pub fn app() -> anyhow::Result<std::sync::Arc<Application>> {
    crate::server::soap_app_both_versions(builder())
}

/// [`app`] with the `async fn` methods of [`AsyncBenchService`].
pub fn async_app() -> anyhow::Result<std::sync::Arc<Application>> {
    crate::server::soap_app_both_versions(async_builder())
}
