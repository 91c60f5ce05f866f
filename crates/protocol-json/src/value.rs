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
    /// `1.5`); `integer` says whether it had no fraction or exponent and fits 64 bits.
    Number {
        text: String,
        integer: bool,
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

fn number(text: String, integer: bool) -> JsonValue {
    JsonValue::Number { text, integer }
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
        Ok(number(v.to_string(), true))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(number(v.to_string(), true))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonValue, E> {
        self.budget.count()?;
        // `{:?}` keeps the shortest round-trip form, with an exponent for large values.
        Ok(number(format!("{v:?}"), false))
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
        let mut names: HashSet<String> = HashSet::new();
        while let Some(name) = map.next_key_seed(Name(self.budget))? {
            if members.len() == self.budget.limits.max_items {
                return Err(self.too_many());
            }
            if !names.insert(name.clone()) {
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
