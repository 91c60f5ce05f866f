use rpclib_core::ComplexModel;

#[derive(ComplexModel)]
struct AttributeVec {
    #[model(attribute)]
    many: Vec<String>,
    #[model(attribute, nillable = true)]
    nil: Option<String>,
    #[model(form = "qualified", namespace = "urn:x")]
    twice: String,
    #[model(form = "sometimes")]
    unknown_form: String,
}

#[derive(ComplexModel)]
struct TextBesideElement {
    #[model(text)]
    value: String,
    element: String,
    #[model(text)]
    second: String,
}

#[derive(ComplexModel)]
struct Both {
    #[model(attribute, text)]
    both: String,
}

#[derive(ComplexModel)]
#[model(element_form = "maybe")]
struct BadElementForm {
    a: String,
}

fn main() {}
