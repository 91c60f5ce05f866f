//! The sign-bounded built-in integer types (`xs:positiveInteger`, `xs:negativeInteger`,
//! `xs:nonPositiveInteger`), arbitrary precision like `xs:integer` ([`BigInt`]).
//! `xs:nonNegativeInteger` is [`BigUint`](num_bigint::BigUint).

use std::cmp::Ordering;
use std::fmt;

use num_bigint::{BigInt, Sign};

use super::primitive::lexical_model;
use super::validate::check_range;
use super::{
    Constraints, DeError, Deserializer, FieldPath, Lexical, LexicalError, Model, Number, SerError,
    Serializer, SimpleKind, SimpleType, TypeRef, ValidationError,
};

macro_rules! bounded_integers {
    ($(
        $(#[$doc:meta])*
        $ty:ident, $desc:ident, $xsd:literal, $ok:expr, $reason:literal;
    )*) => {$(
        pub(crate) static $desc: SimpleType = SimpleType {
            name: $xsd,
            kind: SimpleKind::Integer,
        };

        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(BigInt);

        impl $ty {
            #[doc = concat!("A `", $xsd, "`; an error naming the value and the type if it is out of range.")]
            pub fn new(value: impl Into<BigInt>) -> Result<Self, LexicalError> {
                let value = value.into();
                let sign: fn(Sign) -> bool = $ok;
                if sign(value.sign()) {
                    Ok(Self(value))
                } else {
                    Err(LexicalError::new($xsd, &value.to_string(), $reason))
                }
            }

            /// The value.
            pub fn get(&self) -> &BigInt {
                &self.0
            }

            /// The value, giving up the wrapper.
            pub fn into_inner(self) -> BigInt {
                self.0
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl From<$ty> for BigInt {
            fn from(v: $ty) -> BigInt {
                v.0
            }
        }

        impl Lexical for $ty {
            const TYPE: &'static SimpleType = &$desc;

            fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
                let value = BigInt::parse_lexical(text)
                    .map_err(|e| LexicalError::new($xsd, text, e.reason))?;
                Self::new(value)
            }

            fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                f(&self.0.to_string())
            }
        }

        lexical_model!($ty, |v, c, p| check_range(c, p, |bound| compare(&v.0, bound)));
    )*};
}

fn compare(v: &BigInt, bound: Number) -> Option<Ordering> {
    match bound {
        Number::Int(b) => Some(v.cmp(&BigInt::from(b))),
        Number::Float(b) => v.to_string().parse::<f64>().ok()?.partial_cmp(&b),
    }
}

bounded_integers! {
    /// `xs:positiveInteger`: 1, 2, ...
    PositiveInteger, POSITIVE_INTEGER, "positiveInteger", |s| s == Sign::Plus,
        "expected an integer above 0";
    /// `xs:negativeInteger`: -1, -2, ...
    NegativeInteger, NEGATIVE_INTEGER, "negativeInteger", |s| s == Sign::Minus,
        "expected an integer below 0";
    /// `xs:nonPositiveInteger`: 0, -1, ...
    NonPositiveInteger, NON_POSITIVE_INTEGER, "nonPositiveInteger", |s| s != Sign::Plus,
        "expected an integer of 0 or below";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(
            PositiveInteger::parse_lexical(" +7 ").unwrap().to_string(),
            "7"
        );
        assert_eq!(
            PositiveInteger::parse_lexical("0").unwrap_err().type_name,
            "positiveInteger"
        );
        assert!(NegativeInteger::parse_lexical("-123456789012345678901234567890").is_ok());
        assert!(NegativeInteger::parse_lexical("0").is_err());
        assert!(NonPositiveInteger::parse_lexical("-0").is_ok());
        assert!(NonPositiveInteger::parse_lexical("1").is_err());
        let e = PositiveInteger::parse_lexical("x1").unwrap_err();
        assert_eq!((e.type_name, e.text.as_str()), ("positiveInteger", "x1"));
    }
}
