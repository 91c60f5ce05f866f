//! [`JsonValue`]: a parsed JSON document, built under [`Limits`] by a seeded `serde` visitor.
//!
//! Unlike `serde_json::Value`, objects keep their members in document order and refuse a
//! member name given twice, numbers keep their lexical form, and every array, object and
//! string is counted against the limits while it is parsed (serde_json's recursion limit
//! bounds depth only, not items).

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::Limits;

/// A JSON value as read from a request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum JsonValue {
    Null,
    Bool(bool),
    /// A number, in the lexical form serde_json read it as (`-3`, `18446744073709551615`,
    /// `1.5`).
    Number {
        text: NumberText,
    },
    String(String),
    Array(Vec<JsonValue>),
    /// Members in document order, names unique.
    Object(Vec<(String, JsonValue)>),
}

impl JsonValue {
    /// What kind of JSON value this is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number { .. } => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }
}

/// The text of a number. An integer (at most 20 characters: `-9223372036854775808`,
/// `18446744073709551615`) is kept inline, so that a document of many integers costs no
/// allocation per number; other numbers keep their text on the heap.
#[derive(Debug, Clone)]
pub(crate) enum NumberText {
    /// The text is `digits[start..]`, written from the end.
    Integer {
        start: u8,
        digits: [u8; 21],
    },
    Other(String),
}

/// "00" to "99", two digits per division when writing an integer.
const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

impl NumberText {
    /// An integer's decimal text.
    fn integer(negative: bool, mut magnitude: u64) -> Self {
        let mut digits = [b'-'; 21];
        let mut start = digits.len();
        while magnitude >= 100 {
            // Below 100, so the cast keeps it exactly; doubled, an index into `PAIRS`.
            let pair = (magnitude % 100) as usize * 2;
            magnitude /= 100;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        }
        if magnitude >= 10 {
            let pair = magnitude as usize * 2;
            start -= 2;
            digits[start..start + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
        } else {
            start -= 1;
            digits[start] = b'0' + magnitude as u8;
        }
        if negative {
            // `digits` is filled with `-`: moving `start` back one includes the sign.
            start -= 1;
        }
        NumberText::Integer {
            // At most 21, the buffer's length (room for a sign before any `u64`).
            start: start as u8,
            digits,
        }
    }

    /// The number's text.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            NumberText::Integer { start, digits } => {
                // Only ASCII digits and `-` are ever written here.
                std::str::from_utf8(&digits[usize::from(*start)..]).unwrap_or_default()
            }
            NumberText::Other(text) => text,
        }
    }
}

impl PartialEq for NumberText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

/// Objects with fewer members than this are checked for a repeated name by comparing names;
/// larger ones through a set, so that the check stays linear in the object's size.
const LINEAR_NAME_CHECK: usize = 16;

/// A limit was exceeded (the message of a custom serde error starts with this marker, so
/// that the caller reports a limit, not a syntax error).
pub(crate) const LIMIT_MARKER: &str = "limit exceeded: ";
/// A member name was given twice.
pub(crate) const DUPLICATE_MARKER: &str = "duplicate member: ";

/// Parses `bytes` into a [`JsonValue`] under `limits` (the size is the caller's check).
pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<JsonValue, serde_json::Error> {
    let budget = Budget {
        limits,
        values: Cell::new(0),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Seed {
        budget: &budget,
        depth: 0,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

struct Budget<'a> {
    limits: &'a Limits,
    values: Cell<usize>,
}

impl Budget<'_> {
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let n = self.values.get() + 1;
        if n > self.limits.max_values {
            return Err(E::custom(format_args!(
                "{LIMIT_MARKER}more than {} values in the message",
                self.limits.max_values
            )));
        }
        self.values.set(n);
        Ok(())
    }

    fn string<E: de::Error>(&self, s: &str) -> Result<String, E> {
        if s.len() > self.limits.max_string_bytes {
            return Err(E::custom(format_args!(
                "{LIMIT_MARKER}a string of {} bytes is longer than the limit of {}",
                s.len(),
                self.limits.max_string_bytes
            )));
        }
        Ok(s.to_owned())
    }
}

#[derive(Clone, Copy)]
struct Seed<'a, 'l> {
    budget: &'a Budget<'l>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = JsonValue;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl Seed<'_, '_> {
    fn nested<E: de::Error>(self) -> Result<Self, E> {
        let depth = self.depth + 1;
        if depth > self.budget.limits.depth() {
            return Err(E::custom(format_args!(
                "{LIMIT_MARKER}nesting deeper than the limit of {}",
                self.budget.limits.depth()
            )));
        }
        Ok(Seed {
            budget: self.budget,
            depth,
        })
    }

    fn too_many<E: de::Error>(self) -> E {
        E::custom(format_args!(
            "{LIMIT_MARKER}more than {} items in one array or object",
            self.budget.limits.max_items
        ))
    }
}

fn number(text: NumberText) -> JsonValue {
    JsonValue::Number { text }
}

impl<'de> Visitor<'de> for Seed<'_, '_> {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(JsonValue::Null)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(JsonValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(number(NumberText::integer(v < 0, v.unsigned_abs())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(number(NumberText::integer(false, v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonValue, E> {
        self.budget.count()?;
        // `{:?}` keeps the shortest round-trip form, with an exponent for large values.
        Ok(number(NumberText::Other(format!("{v:?}"))))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(JsonValue::String(self.budget.string(v)?))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        self.budget.count()?;
        let inner = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            if items.len() == self.budget.limits.max_items {
                return Err(self.too_many());
            }
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        self.budget.count()?;
        let inner = self.nested()?;
        let mut members: Vec<(String, JsonValue)> = Vec::new();
        // Built only once the object has `LINEAR_NAME_CHECK` members: most objects are
        // small, and comparing a few names costs less than hashing and copying them.
        let mut names: Option<HashSet<String>> = None;
        while let Some(name) = map.next_key_seed(Name(self.budget))? {
            if members.len() == self.budget.limits.max_items {
                return Err(self.too_many());
            }
            if members.len() == LINEAR_NAME_CHECK {
                names = Some(members.iter().map(|(n, _)| n.clone()).collect());
            }
            let repeated = match &mut names {
                Some(names) => !names.insert(name.clone()),
                None => members.iter().any(|(n, _)| *n == name),
            };
            if repeated {
                return Err(de::Error::custom(format_args!(
                    "{DUPLICATE_MARKER}member `{name}` appears more than once"
                )));
            }
            let value = map.next_value_seed(inner)?;
            members.push((name, value));
        }
        Ok(JsonValue::Object(members))
    }
}

/// Reads a member name under the string limit.
struct Name<'a, 'l>(&'a Budget<'l>);

impl<'de> DeserializeSeed<'de> for Name<'_, '_> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Name<'_, '_> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.0.string(v)
    }
}

#[cfg(test)]
mod tests {
    use super::{DUPLICATE_MARKER, JsonValue, LINEAR_NAME_CHECK, NumberText, parse};
    use crate::Limits;

    #[test]
    fn integers_keep_their_text() {
        for (negative, magnitude, text) in [
            (false, 0, "0"),
            (false, 7, "7"),
            (true, 42, "-42"),
            (true, 9_223_372_036_854_775_808, "-9223372036854775808"),
            (false, u64::MAX, "18446744073709551615"),
        ] {
            assert_eq!(NumberText::integer(negative, magnitude).as_str(), text);
        }
        // Every digit count, each side of every power of ten, against `to_string`.
        let mut power = 1u64;
        for _ in 0..20 {
            for n in [power - 1, power, power + 1, power.saturating_mul(10) - 1] {
                assert_eq!(NumberText::integer(false, n).as_str(), n.to_string());
                assert_eq!(NumberText::integer(true, n).as_str(), format!("-{n}"));
            }
            power = power.saturating_mul(10);
        }
        let doc = parse(
            br#"[0,-0,-9223372036854775808,18446744073709551615,1.5]"#,
            &Limits::default(),
        );
        let Ok(JsonValue::Array(items)) = doc else {
            panic!("not parsed: {doc:?}");
        };
        let texts: Vec<&str> = items
            .iter()
            .map(|v| match v {
                JsonValue::Number { text } => text.as_str(),
                _ => "not a number",
            })
            .collect();
        // serde_json reads `-0` as a float: its text is the float's.
        assert_eq!(
            texts,
            [
                "0",
                "-0.0",
                "-9223372036854775808",
                "18446744073709551615",
                "1.5"
            ]
        );
    }

    /// A repeated name is refused in small objects (names compared) and large ones (a set).
    #[test]
    fn repeated_names() {
        for size in [
            1,
            LINEAR_NAME_CHECK - 1,
            LINEAR_NAME_CHECK,
            3 * LINEAR_NAME_CHECK,
        ] {
            let members: Vec<String> = (0..size).map(|i| format!("\"m{i}\":{i}")).collect();
            let unique = format!("{{{}}}", members.join(","));
            assert!(
                parse(unique.as_bytes(), &Limits::default()).is_ok(),
                "{size}"
            );
            for repeated in [0, size - 1] {
                let doc = format!("{{{},\"m{repeated}\":0}}", members.join(","));
                let err = parse(doc.as_bytes(), &Limits::default()).err();
                let message = err.map(|e| e.to_string()).unwrap_or_default();
                assert!(
                    message.starts_with(DUPLICATE_MARKER),
                    "{size} {repeated}: {message}"
                );
            }
        }
    }
}
