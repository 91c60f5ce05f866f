use rpclib_core::ComplexModel;

#[derive(ComplexModel)]
struct Wrapper<T> {
    value: T,
}

fn main() {}
