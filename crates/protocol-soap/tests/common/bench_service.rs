//! The bench service of `docs/contracts/bench-service.md` (shared by tests and benches).

use rpclib_core::{ComplexModel, Fault, service};

/// A person, as the W3 workload sends them.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:rpclib:bench")]
pub struct Person {
    pub name: String,
    pub age: i32,
    pub email: String,
    pub tags: Vec<String>,
}

/// Echoes its arguments.
pub struct BenchService;

#[service(name = "BenchService", namespace = "urn:rpclib:bench")]
impl BenchService {
    /// W1.
    #[rpc]
    fn echo_string(&self, s: String) -> Result<String, Fault> {
        Ok(s)
    }

    /// W2.
    #[rpc]
    fn echo_integer_array(&self, values: Vec<i32>) -> Result<Vec<i32>, Fault> {
        Ok(values)
    }

    /// W3.
    #[rpc]
    fn echo_people(&self, people: Vec<Person>) -> Result<Vec<Person>, Fault> {
        Ok(people)
    }
}
