//! [`Model`] for the XSD primitives that map to Rust's own types and to the numeric crates.

use std::cmp::Ordering;
use std::str::FromStr;

use num_bigint::{BigInt, BigUint};
use rust_decimal::Decimal;

use super::validate::{check_length, check_pattern, check_range};
use super::{
    Constraints, DeError, Deserializer, FieldPath, IntegerItem, LexicalError, Model, SerError,
    Serializer, SimpleKind, SimpleType, TypeRef, ValidationError,
};

/// A simple type with an XSD lexical form: parsed from and printed to text.
///
/// Implementing it (with `simple_model!`-like glue, see the source of this module) is how a
/// new primitive joins the model system.
pub trait Lexical: Sized {
    /// The XSD descriptor of the type.
    const TYPE: &'static SimpleType;
    /// Parses the lexical form.
    fn parse_lexical(text: &str) -> Result<Self, LexicalError>;
    /// Hands the lexical form to `f` (without allocating where the type allows).
    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R;
}

/// Characters XSD's whitespace facet `collapse` strips from non-string values.
pub(crate) fn trim_xml(text: &str) -> &str {
    text.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
}

macro_rules! simple_type {
    ($ident:ident, $name:literal, $kind:ident) => {
        pub(crate) static $ident: SimpleType = SimpleType {
            name: $name,
            kind: SimpleKind::$kind,
        };
    };
}

simple_type!(BOOLEAN, "boolean", Boolean);
simple_type!(BYTE, "byte", Integer);
simple_type!(SHORT, "short", Integer);
simple_type!(INT, "int", Integer);
simple_type!(LONG, "long", Integer);
simple_type!(UNSIGNED_BYTE, "unsignedByte", Integer);
simple_type!(UNSIGNED_SHORT, "unsignedShort", Integer);
simple_type!(UNSIGNED_INT, "unsignedInt", Integer);
simple_type!(UNSIGNED_LONG, "unsignedLong", Integer);
simple_type!(INTEGER, "integer", Integer);
simple_type!(NON_NEGATIVE_INTEGER, "nonNegativeInteger", Integer);
simple_type!(FLOAT, "float", Float);
simple_type!(DOUBLE, "double", Float);
simple_type!(DECIMAL, "decimal", Decimal);
simple_type!(STRING, "string", String);
simple_type!(BASE64_BINARY, "base64Binary", Binary);
simple_type!(DATE, "date", Temporal);
simple_type!(TIME, "time", Temporal);
simple_type!(DATE_TIME, "dateTime", Temporal);
simple_type!(DURATION, "duration", Temporal);

/// Implements [`Model`] for a [`Lexical`] type; `$validate` checks field constraints.
macro_rules! lexical_model {
    ($ty:ty, |$v:ident, $c:ident, $p:ident| $validate:expr) => {
        impl Model for $ty {
            fn type_ref() -> TypeRef {
                TypeRef::Simple(<$ty as Lexical>::TYPE)
            }

            fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
                self.with_lexical(|text| s.write_simple(Self::type_ref(), text))
            }

            fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
                let text = d.read_simple(Self::type_ref())?;
                Ok(<$ty as Lexical>::parse_lexical(&text)?)
            }

            fn validate(
                &self,
                $c: &Constraints,
                $p: &mut FieldPath,
            ) -> Result<(), ValidationError> {
                let $v = self;
                $validate
            }
        }
    };
}
pub(crate) use lexical_model;

impl Lexical for bool {
    const TYPE: &'static SimpleType = &BOOLEAN;

    fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
        match trim_xml(text) {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(LexicalError::new(
                "boolean",
                text,
                "expected true, false, 1 or 0",
            )),
        }
    }

    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(if *self { "true" } else { "false" })
    }
}
lexical_model!(bool, |_v, _c, _p| Ok(()));

/// Parses an XSD integer lexical form (`[+-]?[0-9]+`) with Rust's parser, which also accepts
/// the sign; rejects everything else with a message naming the type.
fn parse_int<T: FromStr>(type_name: &'static str, text: &str) -> Result<T, LexicalError> {
    let t = trim_xml(text);
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LexicalError::new(type_name, text, "expected an integer"));
    }
    t.parse::<T>()
        .map_err(|_| LexicalError::new(type_name, text, "out of range for the type"))
}

/// Parses a bounded XSD integer without going through `str::parse` twice: one pass that
/// checks the syntax and accumulates the magnitude (the hot path of integer arrays).
fn parse_bounded<T: TryFrom<i128>>(type_name: &'static str, text: &str) -> Result<T, LexicalError> {
    let t = trim_xml(text);
    let (negative, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() {
        return Err(LexicalError::new(type_name, text, "expected an integer"));
    }
    let mut magnitude: u64 = 0;
    let mut overflow = false;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return Err(LexicalError::new(type_name, text, "expected an integer"));
        }
        match magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(b - b'0')))
        {
            Some(m) => magnitude = m,
            None => overflow = true,
        }
    }
    let value = i128::from(magnitude);
    let value = if negative { -value } else { value };
    match (overflow, T::try_from(value)) {
        (false, Ok(v)) => Ok(v),
        _ => Err(LexicalError::new(
            type_name,
            text,
            "out of range for the type",
        )),
    }
}

macro_rules! int_model {
    ($($ty:ty => $desc:ident, $name:literal;)*) => {$(
        impl Lexical for $ty {
            const TYPE: &'static SimpleType = &$desc;

            fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
                parse_bounded($name, text)
            }

            fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                let mut buf = itoa::Buffer::new();
                f(buf.format(*self))
            }
        }

        /// Travels as a number where the format has typed integers
        /// ([`Serializer::write_integer`], [`Deserializer::read_integer`]), else as text.
        impl Model for $ty {
            fn type_ref() -> TypeRef {
                TypeRef::Simple(&$desc)
            }

            fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
                s.write_integer(Self::type_ref(), i128::from(*self))
            }

            fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
                match d.read_integer(Self::type_ref())? {
                    Some(value) => Ok(narrow($name, value)?),
                    None => {
                        let text = d.read_simple(Self::type_ref())?;
                        Ok(parse_bounded($name, &text)?)
                    }
                }
            }

            fn deserialize_items(d: &mut dyn Deserializer) -> Result<Vec<Self>, DeError> {
                let mut out = Vec::new();
                d.read_integer_items(Self::type_ref(), &mut |item| {
                    out.push(match item {
                        IntegerItem::Value(value) => narrow($name, value)?,
                        IntegerItem::Other(d) => Self::deserialize(d)?,
                    });
                    Ok(())
                })?;
                Ok(out)
            }

            fn validate(&self, c: &Constraints, p: &mut FieldPath) -> Result<(), ValidationError> {
                check_range(c, p, |bound| cmp_i128(i128::from(*self), bound))
            }

            const FACETS_ONLY: bool = true;
        }
    )*};
}

/// A typed integer read ([`Deserializer::read_integer`]) as the bounded type `T`; beyond its
/// range, the error the same number read as text gets from [`parse_bounded`].
fn narrow<T: TryFrom<i128>>(type_name: &'static str, value: i128) -> Result<T, LexicalError> {
    T::try_from(value).map_err(|_| {
        let mut buf = itoa::Buffer::new();
        LexicalError::new(type_name, buf.format(value), "out of range for the type")
    })
}

int_model! {
    i8 => BYTE, "byte";
    i16 => SHORT, "short";
    i32 => INT, "int";
    i64 => LONG, "long";
    u8 => UNSIGNED_BYTE, "unsignedByte";
    u16 => UNSIGNED_SHORT, "unsignedShort";
    u32 => UNSIGNED_INT, "unsignedInt";
    u64 => UNSIGNED_LONG, "unsignedLong";
}

fn cmp_i128(v: i128, bound: super::Number) -> Option<Ordering> {
    match bound {
        super::Number::Int(b) => Some(v.cmp(&b)),
        super::Number::Float(b) => (v as f64).partial_cmp(&b),
    }
}

fn cmp_f64(v: f64, bound: super::Number) -> Option<Ordering> {
    match bound {
        super::Number::Int(b) => v.partial_cmp(&(b as f64)),
        super::Number::Float(b) => v.partial_cmp(&b),
    }
}

impl Lexical for BigInt {
    const TYPE: &'static SimpleType = &INTEGER;

    fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
        parse_int("integer", text)
    }

    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.to_string())
    }
}
lexical_model!(BigInt, |v, c, p| check_range(c, p, |bound| match bound {
    super::Number::Int(b) => Some(v.cmp(&BigInt::from(b))),
    super::Number::Float(b) => v.to_string().parse::<f64>().ok()?.partial_cmp(&b),
}));

impl Lexical for BigUint {
    const TYPE: &'static SimpleType = &NON_NEGATIVE_INTEGER;

    fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
        let t = trim_xml(text);
        if t.starts_with('-') && t[1..].bytes().all(|b| b == b'0') && t.len() > 1 {
            return Ok(BigUint::default());
        }
        parse_int("nonNegativeInteger", text)
    }

    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.to_string())
    }
}
lexical_model!(BigUint, |v, c, p| check_range(c, p, |bound| match bound {
    super::Number::Int(b) => Some(BigInt::from(v.clone()).cmp(&BigInt::from(b))),
    super::Number::Float(b) => {
        v.to_string().parse::<f64>().ok()?.partial_cmp(&b)
    }
}));

/// Parses an XSD float/double lexical form; Rust's parser accepts more (`inf`, `infinity`,
/// `nan` in any case) than XSD, so the special values are matched first and the rest must look
/// like a decimal number with an optional exponent.
fn parse_float<T: FromStr>(
    type_name: &'static str,
    text: &str,
    inf: T,
    neg_inf: T,
    nan: T,
) -> Result<T, LexicalError> {
    let t = trim_xml(text);
    match t {
        "INF" | "+INF" => return Ok(inf),
        "-INF" => return Ok(neg_inf),
        "NaN" => return Ok(nan),
        _ => {}
    }
    let valid = !t.is_empty()
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && t.bytes().any(|b| b.is_ascii_digit());
    if !valid {
        return Err(LexicalError::new(
            type_name,
            text,
            "expected a number, INF, -INF or NaN",
        ));
    }
    t.parse::<T>()
        .map_err(|_| LexicalError::new(type_name, text, "expected a number, INF, -INF or NaN"))
}

macro_rules! float_model {
    ($ty:ty, $desc:ident, $name:literal) => {
        impl Lexical for $ty {
            const TYPE: &'static SimpleType = &$desc;

            fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
                parse_float(
                    $name,
                    text,
                    <$ty>::INFINITY,
                    <$ty>::NEG_INFINITY,
                    <$ty>::NAN,
                )
            }

            fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                if self.is_nan() {
                    f("NaN")
                } else if self.is_infinite() {
                    f(if *self > 0.0 { "INF" } else { "-INF" })
                } else {
                    // ryu prints the shortest text that reads back to the same value.
                    let mut buf = ryu::Buffer::new();
                    f(buf.format_finite(*self))
                }
            }
        }
        lexical_model!($ty, |v, c, p| check_range(c, p, |bound| cmp_f64(
            f64::from(*v),
            bound
        )));
    };
}

float_model!(f32, FLOAT, "float");
float_model!(f64, DOUBLE, "double");

impl Lexical for Decimal {
    const TYPE: &'static SimpleType = &DECIMAL;

    fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
        let t = trim_xml(text);
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits_ok = int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !(int.is_empty() && frac.is_empty());
        if !digits_ok {
            return Err(LexicalError::new(
                "decimal",
                text,
                "expected a decimal number",
            ));
        }
        let normalized = t.strip_prefix('+').unwrap_or(t);
        Decimal::from_str_exact(normalized)
            .map_err(|e| LexicalError::new("decimal", text, e.to_string()))
    }

    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.to_string())
    }
}
lexical_model!(Decimal, |v, c, p| check_range(c, p, |bound| match bound {
    super::Number::Int(b) => Some(v.cmp(&Decimal::from_i128_with_scale(b, 0))),
    super::Number::Float(b) => Decimal::try_from(b).ok().map(|b| v.cmp(&b)),
}));

impl Lexical for String {
    const TYPE: &'static SimpleType = &STRING;

    fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
        Ok(text.to_owned())
    }

    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(self)
    }
}

impl Model for String {
    fn type_ref() -> TypeRef {
        TypeRef::Simple(&STRING)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.write_simple(TypeRef::Simple(&STRING), self)
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        Ok(d.read_simple(TypeRef::Simple(&STRING))?.into_owned())
    }

    fn validate(&self, c: &Constraints, p: &mut FieldPath) -> Result<(), ValidationError> {
        if c.min_len.is_some() || c.max_len.is_some() {
            check_length(c, p, self.chars().count(), "characters")?;
        }
        check_pattern(c, p, self)
    }

    const FACETS_ONLY: bool = true;
}
