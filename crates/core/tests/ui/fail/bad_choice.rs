use rpclib_core::{Choice, ComplexModel};

#[derive(Choice)]
enum Shapes {
    Unit,
    Pair(u8, u16),
    Many(Vec<u8>),
    #[model(attribute)]
    Attr(String),
    Twice(u8),
    #[model(name = "Twice")]
    Again(u16),
}

#[derive(Choice)]
struct NotAnEnum {
    a: u8,
}

#[derive(ComplexModel)]
struct Wild {
    #[model(any, name = "x")]
    named: Vec<rpclib_core::model::AnyXml>,
    #[model(process_contents = "lax")]
    alone: String,
    #[model(any, process_contents = "eager")]
    eager: Vec<rpclib_core::model::AnyXml>,
}

fn main() {}
