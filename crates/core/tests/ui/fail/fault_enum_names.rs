use rpclib_core::{ComplexModel, Fault, service};

mod a {
    #[derive(Debug, Clone, rpclib_core::ComplexModel)]
    #[model(namespace = "urn:a")]
    pub struct Problem {
        pub why: String,
    }
}

mod b {
    #[derive(Debug, Clone, rpclib_core::ComplexModel)]
    #[model(namespace = "urn:b")]
    pub struct Problem {
        pub why: String,
    }
}

#[derive(Debug, Clone, ComplexModel)]
#[model(namespace = "urn:c")]
pub struct Client {
    pub who: String,
}

struct Svc;

#[service]
impl Svc {
    // Two fault types named alike: one variant name for both.
    #[rpc(faults(a::Problem, b::Problem))]
    fn twice(&self) -> Result<(), Fault> {
        Ok(())
    }

    // A fault type named like a fixed variant.
    #[rpc(faults(Client))]
    fn fixed(&self) -> Result<(), Fault> {
        Ok(())
    }
}

fn main() {}
