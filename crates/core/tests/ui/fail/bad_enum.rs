use rpclib_core::{ComplexModel, SimpleEnum};

#[derive(SimpleEnum)]
enum WithData {
    A(u8),
    B,
}

#[derive(SimpleEnum)]
enum Duplicate {
    A,
    #[model(name = "A")]
    B,
}

#[derive(ComplexModel)]
enum NotAStruct {
    A,
}

fn main() {}
