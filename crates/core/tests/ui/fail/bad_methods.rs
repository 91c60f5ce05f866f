use rpclib_core::{MethodContext, service};

struct Svc;

#[service]
impl Svc {
    #[rpc]
    async fn asynchronous_mut(&mut self) -> u8 {
        1
    }

    #[rpc]
    fn two_contexts(&self, a: &mut MethodContext, b: &MethodContext) {}

    #[rpc(body = "bare")]
    fn bare_two(&self, a: u8, b: u8) {}

    #[rpc(results("only_one"))]
    fn mismatch(&self) -> (u8, u8) {
        (1, 2)
    }

    #[rpc(colour = "red")]
    fn unknown(&self) {}

    #[rpc]
    fn mutable(&mut self) {}

    #[rpc]
    fn pattern_param(&self, (a, b): (u8, u8)) {}
}

fn main() {}
