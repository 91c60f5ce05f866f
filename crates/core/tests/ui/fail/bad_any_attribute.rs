use rpclib_core::ComplexModel;
use rpclib_core::model::AnyAttributes;

#[derive(ComplexModel)]
struct TwoWildcards {
    #[model(any_attribute)]
    first: AnyAttributes,
    #[model(any_attribute = "##other")]
    second: AnyAttributes,
}

#[derive(ComplexModel)]
struct NamedWildcard {
    #[model(any_attribute, name = "x")]
    named: AnyAttributes,
}

#[derive(ComplexModel)]
struct ProcessWithoutWildcard {
    #[model(process_contents = "lax")]
    plain: String,
}

fn main() {}
