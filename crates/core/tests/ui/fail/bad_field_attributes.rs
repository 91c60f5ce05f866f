use rpclib_core::ComplexModel;

#[derive(ComplexModel)]
struct Bad {
    #[model(unwrapped)]
    not_a_vec: String,
    #[model(max_occurs = 5)]
    repeated_without_unwrapped: Vec<u8>,
    #[model(colour = "red")]
    unknown: u8,
    #[model(min_len = 5, max_len = 2)]
    inverted: String,
}

#[derive(ComplexModel)]
struct Tuple(u8, u16);

fn main() {}
