//! `default` and `fixed` values through the format-neutral value tree: what every protocol
//! gets from core (an absent attribute takes the declared value; `fixed` compares values, not
//! text), and the errors a bad declaration or a wrong value gets.
#![allow(missing_docs, missing_debug_implementations)]

use rpclib_core::model::value::{Value, from_value};
use rpclib_core::model::{Constraints, FieldPath, ValidationErrorKind};
use rpclib_core::{ComplexModel, Model};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:values")]
pub struct Flags {
    #[model(attribute, default = "0")]
    pub relay: bool,
    #[model(attribute, fixed = "2.50")]
    pub ratio: rpclib_core::model::Decimal,
    #[model(attribute, fixed = "on")]
    pub mode: Option<String>,
    #[model(fixed = "true")]
    pub flag: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:values")]
pub struct Broken {
    /// A declaration error: `x` is no integer.
    #[model(attribute, default = "x")]
    pub n: i32,
}

fn simple(s: &str) -> Value {
    Value::Simple(s.into())
}

fn validate<T: Model>(v: &T) -> Result<(), rpclib_core::model::ValidationError> {
    v.validate(&Constraints::NONE, &mut FieldPath::new())
}

#[test]
fn absent_attributes_take_the_declared_value() {
    let f: Flags = from_value(&Value::Complex(vec![])).unwrap();
    assert_eq!(
        f,
        Flags {
            relay: false,
            ratio: "2.5".parse().unwrap(),
            // An `Option` says absent itself.
            mode: None,
            flag: None,
        }
    );
    validate(&f).unwrap();
    // A value given wins.
    let f: Flags = from_value(&Value::Complex(vec![("relay".into(), simple("1"))])).unwrap();
    assert!(f.relay);
}

#[test]
fn fixed_values_compare_as_values() {
    let mut f: Flags = from_value(&Value::Complex(vec![
        ("ratio".into(), simple("2.5")),
        ("flag".into(), simple("1")),
    ]))
    .unwrap();
    // `2.5` is `2.50`, `1` is `true`.
    validate(&f).unwrap();
    f.flag = Some(false);
    let e = validate(&f).unwrap_err();
    assert_eq!(e.kind(), ValidationErrorKind::Fixed);
    assert_eq!(e.path(), "flag");
    assert_eq!(
        e.message(),
        "the value must be the fixed value `true`, not `false`"
    );
    f.flag = None;
    f.mode = Some("off".into());
    let e = validate(&f).unwrap_err();
    assert_eq!(e.path(), "mode");
    assert_eq!(
        e.message(),
        "the value must be the fixed value `on`, not `off`"
    );
}

#[test]
fn a_declared_value_the_type_cannot_hold_is_an_error_naming_it() {
    let e = from_value::<Broken>(&Value::Complex(vec![])).unwrap_err();
    assert_eq!(e.field(), Some("n"));
    assert!(
        e.message()
            .contains("the declared default value `x` is not a valid int"),
        "{}",
        e.message()
    );
}
