use rpclib_core::service;

struct Svc;

#[service]
impl Svc {
    #[rpc]
    fn first(&self) {}

    #[rpc(operation = "first")]
    fn second(&self) {}
}

struct Empty;

#[service]
impl Empty {
    fn not_remote(&self) {}
}

fn main() {}
