use rpclib_core::ComplexModel;

#[derive(ComplexModel)]
struct Both {
    #[model(attribute, default = "1", fixed = "1")]
    both: i32,
}

#[derive(ComplexModel)]
struct OnText {
    #[model(text, default = "x")]
    value: String,
}

#[derive(ComplexModel)]
struct OnRepetition {
    #[model(unwrapped, fixed = "x")]
    items: Vec<String>,
}

fn main() {}
