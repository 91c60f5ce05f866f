// What a trait contract refuses, each with what to do instead (`WithBody` is accepted: a provided method).
use rpclib_core::service;

#[service]
pub trait WithBody {
    #[rpc]
    fn has_a_body(&self) -> u32 {
        1
    }
}

#[service]
pub trait Generic {
    #[rpc]
    fn generic<T: Clone>(&self, value: u32) -> u32;
}

#[service]
pub trait Receivers {
    #[rpc]
    fn no_self(value: u32) -> u32;

    #[rpc]
    async fn by_value(self) -> u32;

    #[rpc]
    async fn by_mut(&mut self) -> u32;
}

#[service]
pub trait OtherItems {
    #[rpc]
    fn fine(&self) -> u32;

    fn helper(&self) -> u32;

    const LIMIT: u32;

    type Output;
}

#[service]
pub trait GenericTrait<T> {
    #[rpc]
    fn get(&self) -> u32;
}

#[service]
pub trait Empty {}

#[service]
pub struct NotAnImplOrATrait;

fn main() {}
