// An `async fn` of an `impl` block whose future is not `Send`: refused at the method.
use std::rc::Rc;
use std::sync::Mutex;

use rpclib_core::service;

async fn elsewhere() {}

pub struct Svc {
    counter: Mutex<u32>,
}

#[service]
impl Svc {
    #[rpc]
    async fn holds_an_rc(&self) -> u32 {
        let shared = Rc::new(1);
        elsewhere().await;
        *shared
    }

    #[rpc]
    async fn holds_a_guard(&self) -> u32 {
        let guard = self.counter.lock().unwrap();
        elsewhere().await;
        *guard
    }
}

fn main() {}
