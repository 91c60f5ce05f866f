// An implementation of a contract whose `async fn` future is not `Send`: refused at the
// implementation, with a note pointing at the contract's method.
use std::rc::Rc;

use rpclib_core::service;

async fn elsewhere() {}

#[service]
pub trait Counter {
    #[rpc]
    async fn next(&self) -> u32;
}

struct MyCounter;

impl Counter for MyCounter {
    async fn next(&self) -> u32 {
        let shared = Rc::new(1);
        elsewhere().await;
        *shared
    }
}

fn main() {}
