//! Schemas of the built-in simple types, in the form `rpclib-protocol-json` writes them, and
//! the field facets on top.

use rpclib_core::model::{Constraints, Number, SimpleKind, SimpleType};
use serde_json::{Map, Value, json};

use crate::error::OpenApiError;

/// The largest integer every JSON reader keeps exact (2^53 - 1); the JSON protocol writes
/// integers beyond it as strings.
const MAX_SAFE: i128 = (1 << 53) - 1;

/// The lexical form of an integer when it travels as a string.
const INTEGER_PATTERN: &str = "^[+-]?[0-9]+$";
/// The lexical form of an `xs:decimal`, always a string in JSON.
const DECIMAL_PATTERN: &str = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$";
/// The non-finite floats, written as these strings.
const NON_FINITE: [&str; 3] = ["NaN", "INF", "-INF"];

/// The value range of a bounded integer type, `None` for an unbounded one.
fn integer_range(name: &str) -> (Option<i128>, Option<i128>) {
    match name {
        "byte" => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        "short" => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        "int" => (Some(i32::MIN.into()), Some(i32::MAX.into())),
        "long" => (Some(i64::MIN.into()), Some(i64::MAX.into())),
        "unsignedByte" => (Some(0), Some(u8::MAX.into())),
        "unsignedShort" => (Some(0), Some(u16::MAX.into())),
        "unsignedInt" => (Some(0), Some(u32::MAX.into())),
        "unsignedLong" => (Some(0), Some(u64::MAX.into())),
        "nonNegativeInteger" => (Some(0), None),
        "positiveInteger" => (Some(1), None),
        "negativeInteger" => (None, Some(-1)),
        "nonPositiveInteger" => (None, Some(0)),
        _ => (None, None),
    }
}

/// A JSON number for an integer bound, or an error where it does not fit 64 bits.
fn int_number(n: i128, at: &str) -> Result<Value, OpenApiError> {
    if let Ok(v) = i64::try_from(n) {
        Ok(Value::from(v))
    } else if let Ok(v) = u64::try_from(n) {
        Ok(Value::from(v))
    } else {
        Err(OpenApiError::new(
            at,
            format!("the bound {n} does not fit a 64-bit JSON number"),
        ))
    }
}

fn number(n: Number, at: &str) -> Result<Value, OpenApiError> {
    match n {
        Number::Int(i) => int_number(i, at),
        Number::Float(x) => serde_json::Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| OpenApiError::new(at, format!("the bound {x} is not a JSON number"))),
    }
}

/// The schema of a built-in simple type. `at` names the field for errors.
pub(crate) fn simple_schema(ty: &SimpleType, at: &str) -> Result<Map<String, Value>, OpenApiError> {
    let mut s = Map::new();
    match ty.kind {
        SimpleKind::Boolean => {
            s.insert("type".into(), json!("boolean"));
        }
        SimpleKind::Integer => {
            let (min, max) = integer_range(ty.name);
            let safe = min.is_some_and(|m| m >= -MAX_SAFE) && max.is_some_and(|m| m <= MAX_SAFE);
            if safe {
                s.insert("type".into(), json!("integer"));
                if ty.name == "int" {
                    s.insert("format".into(), json!("int32"));
                }
            } else {
                // Beyond 2^53 the JSON protocol writes a string of digits; within, a number.
                s.insert("type".into(), json!(["integer", "string"]));
                s.insert("pattern".into(), json!(INTEGER_PATTERN));
                if ty.name == "long" {
                    s.insert("format".into(), json!("int64"));
                }
                s.insert("x-xsd-type".into(), json!(ty.name));
            }
            if let Some(m) = min {
                s.insert("minimum".into(), int_number(m, at)?);
            }
            if let Some(m) = max {
                s.insert("maximum".into(), int_number(m, at)?);
            }
        }
        SimpleKind::Float => {
            // Finite values are numbers; NaN and the infinities are strings.
            let format = if ty.name == "float" {
                "float"
            } else {
                "double"
            };
            s.insert(
                "anyOf".into(),
                json!([
                    {"type": "number", "format": format},
                    {"type": "string", "enum": NON_FINITE},
                ]),
            );
        }
        SimpleKind::Decimal => {
            s.insert("type".into(), json!("string"));
            s.insert("pattern".into(), json!(DECIMAL_PATTERN));
            s.insert("x-xsd-type".into(), json!(ty.name));
        }
        SimpleKind::Binary => {
            s.insert("type".into(), json!("string"));
            s.insert("contentEncoding".into(), json!("base64"));
        }
        SimpleKind::String if ty.name == "hexBinary" => {
            s.insert("type".into(), json!("string"));
            s.insert("pattern".into(), json!("^([0-9a-fA-F]{2})*$"));
            s.insert("x-xsd-type".into(), json!(ty.name));
        }
        SimpleKind::String if ty.name == "string" => {
            s.insert("type".into(), json!("string"));
        }
        // Temporal types and the string derivatives are strings of their XSD lexical form;
        // JSON Schema's `date`, `time` and `date-time` formats are RFC 3339, which an XSD
        // value without a time zone is not, so no format is claimed.
        _ => {
            s.insert("type".into(), json!("string"));
            s.insert("x-xsd-type".into(), json!(ty.name));
        }
    }
    Ok(s)
}

/// What a facet can apply to in the JSON form of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A JSON number (integers and floats).
    Number,
    /// A JSON string (strings, enumerations, binary: lengths and patterns).
    Text,
    /// A string whose length is counted in decoded bytes (base64).
    Binary,
    /// A JSON string for a value that is ordered (decimals, dates): ranges cannot be said.
    OrderedText,
}

/// The target of a simple type's facets.
pub(crate) fn target(ty: &SimpleType) -> Target {
    match ty.kind {
        SimpleKind::Integer | SimpleKind::Float => Target::Number,
        SimpleKind::Binary => Target::Binary,
        SimpleKind::Decimal | SimpleKind::Temporal => Target::OrderedText,
        SimpleKind::Boolean | SimpleKind::String => Target::Text,
        _ => Target::Text,
    }
}

/// The value facets of `c` as JSON Schema keywords on a value of `target` (item counts are
/// the caller's). `at` names the field for errors.
pub(crate) fn facets(
    c: &Constraints,
    target: Target,
    at: &str,
) -> Result<Map<String, Value>, OpenApiError> {
    let mut s = Map::new();
    match target {
        Target::Text => {
            if let Some(n) = c.min_len {
                s.insert("minLength".into(), json!(n));
            }
            if let Some(n) = c.max_len {
                s.insert("maxLength".into(), json!(n));
            }
        }
        Target::Binary if c.min_len.is_some() || c.max_len.is_some() => {
            // The limit counts decoded bytes; base64 text of n bytes is 4 * ceil(n / 3) long.
            if let Some(n) = c.min_len {
                s.insert("minLength".into(), json!(n.div_ceil(3) * 4));
            }
            if let Some(n) = c.max_len {
                s.insert("maxLength".into(), json!(n.div_ceil(3) * 4));
            }
            s.insert(
                "x-decoded-length".into(),
                json!({"min": c.min_len, "max": c.max_len}),
            );
        }
        _ => {}
    }
    if let Some(p) = c.pattern {
        if target == Target::Number {
            return Err(OpenApiError::new(
                at,
                "a pattern on a number (JSON numbers have no text to match)",
            ));
        }
        s.insert("pattern".into(), json!(ecma_pattern(p.source(), at)?));
    }
    let ranges = [
        ("minimum", c.min_inclusive),
        ("maximum", c.max_inclusive),
        ("exclusiveMinimum", c.min_exclusive),
        ("exclusiveMaximum", c.max_exclusive),
    ];
    for (keyword, bound) in ranges {
        let Some(bound) = bound else { continue };
        if target != Target::Number {
            return Err(OpenApiError::new(
                at,
                format!(
                    "a range facet ({keyword} {bound}) on a value JSON carries as a string \
                     (decimals, dates and times): JSON Schema ranges apply to numbers only"
                ),
            ));
        }
        s.insert(keyword.into(), number(bound, at)?);
    }
    Ok(s)
}

/// A model pattern (Rust `regex` syntax, matched against the whole value) as an ECMA-262
/// pattern (matched anywhere, so anchored here), or an error for the syntax the two do not
/// share.
pub(crate) fn ecma_pattern(source: &str, at: &str) -> Result<String, OpenApiError> {
    let refuse = |what: &str| {
        Err(OpenApiError::new(
            at,
            format!("the pattern `{source}` uses {what}, which ECMA-262 patterns do not have"),
        ))
    };
    let chars: Vec<char> = source.chars().collect();
    let mut in_class = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\\' => {
                match next {
                    Some('A' | 'z' | 'Z') => return refuse("`\\A`/`\\z` anchors"),
                    Some('p' | 'P') => return refuse("Unicode classes (`\\p{..}`)"),
                    Some('Q' | 'E') => return refuse("`\\Q..\\E` quoting"),
                    _ => {}
                }
                i += 2;
                continue;
            }
            '[' if in_class => return refuse("nested character classes"),
            '[' => {
                in_class = true;
                // A `]` right after `[` or `[^` is a literal in Rust's syntax and closes an
                // empty class in ECMA-262's.
                let after = if next == Some('^') { i + 2 } else { i + 1 };
                if chars.get(after) == Some(&']') {
                    return refuse("a `]` first in a character class");
                }
            }
            ']' if in_class => in_class = false,
            '&' | '-' | '~' if in_class && next == Some(c) => {
                return refuse("character class set operations (`&&`, `--`, `~~`)");
            }
            '(' if !in_class && next == Some('?') => match chars.get(i + 2) {
                Some(':') => {}
                _ => return refuse("inline flags or named groups (`(?..`)"),
            },
            _ => {}
        }
        i += 1;
    }
    Ok(format!("^(?:{source})$"))
}

#[cfg(test)]
mod tests {
    use super::ecma_pattern;

    #[test]
    fn patterns_are_anchored_or_refused() {
        assert_eq!(ecma_pattern("[a-z]+", "x").unwrap(), "^(?:[a-z]+)$");
        assert_eq!(
            ecma_pattern(r"\d{3}(?:-\d+)?", "x").unwrap(),
            r"^(?:\d{3}(?:-\d+)?)$"
        );
        for bad in [
            "[]a]",
            "[^]a]",
            r"(?i)abc",
            r"\p{L}+",
            r"\Aa\z",
            "[a-z&&[^x]]",
            "(?P<n>a)",
            "[[:alpha:]]",
        ] {
            let e = ecma_pattern(bad, "T.f").unwrap_err();
            assert_eq!(e.location(), "T.f");
            assert!(e.problem().contains(bad), "{e}");
        }
    }
}
