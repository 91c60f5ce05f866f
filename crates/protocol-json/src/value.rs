//! [`JsonValue`]: a parsed JSON document, built under [`Limits`] by a seeded `serde` visitor.
//!
//! Unlike `serde_json::Value`, objects keep their members in document order and refuse a
//! member name given twice, integers keep their value and other numbers their text, and
//! every array, object and string is counted against the limits while it is parsed
//! (serde_json's recursion limit bounds depth only, not items).

use std::borrow::Cow;
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
    /// An integer serde_json read as an `i64` (every integer from `i64::MIN` to `i64::MAX`):
    /// kept as its value, so that a model integer reads it without going through text.
    Int(i64),
    /// An integer above `i64::MAX` (up to `u64::MAX`); smaller ones are always [`Int`].
    ///
    /// [`Int`]: JsonValue::Int
    Uint(u64),
    /// Any other number (a fraction, an exponent, `-0`, beyond `u64`), in the shortest form
    /// that reads back to the same double (`1.5`, `1e300`).
    Number(String),
    String(String),
    Array(Vec<JsonValue>),
    /// Members in document order, names unique.
    Object(Vec<(String, JsonValue)>),
}

/// What kind of JSON value something is, without its content: what a model type is checked
/// against, and what messages name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Found {
    /// The kind, for messages.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Found::Null => "null",
            Found::Bool => "a boolean",
            Found::Number => "a number",
            Found::String => "a string",
            Found::Array => "an array",
            Found::Object => "an object",
        }
    }
}

impl JsonValue {
    /// What kind of JSON value this is.
    pub(crate) fn found(&self) -> Found {
        match self {
            JsonValue::Null => Found::Null,
            JsonValue::Bool(_) => Found::Bool,
            JsonValue::Int(_) | JsonValue::Uint(_) | JsonValue::Number(_) => Found::Number,
            JsonValue::String(_) => Found::String,
            JsonValue::Array(_) => Found::Array,
            JsonValue::Object(_) => Found::Object,
        }
    }

    /// What kind of JSON value this is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        self.found().kind()
    }

    /// The integer this value holds, if it is one.
    pub(crate) fn integer(&self) -> Option<i128> {
        match *self {
            JsonValue::Int(n) => Some(i128::from(n)),
            JsonValue::Uint(n) => Some(i128::from(n)),
            _ => None,
        }
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
    let budget = Budget::new(limits);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Seed {
        budget: &budget,
        depth: 0,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// What a message has used of its limits so far: shared by every reader of one message.
pub(crate) struct Budget<'a> {
    limits: &'a Limits,
    values: Cell<usize>,
}

impl<'a> Budget<'a> {
    /// A fresh budget under `limits`.
    pub(crate) fn new(limits: &'a Limits) -> Self {
        Budget {
            limits,
            values: Cell::new(0),
        }
    }

    /// Counts one value against the message's limit.
    pub(crate) fn count<E: de::Error>(&self) -> Result<(), E> {
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
        self.check_string(s)?;
        Ok(s.to_owned())
    }

    /// Checks a string (or member name) against the length limit.
    pub(crate) fn check_string<E: de::Error>(&self, s: &str) -> Result<(), E> {
        if s.len() > self.limits.max_string_bytes {
            return Err(E::custom(format_args!(
                "{LIMIT_MARKER}a string of {} bytes is longer than the limit of {}",
                s.len(),
                self.limits.max_string_bytes
            )));
        }
        Ok(())
    }

    /// The depth of the values inside an array or object at `depth`, if within the limit.
    pub(crate) fn nested<E: de::Error>(&self, depth: usize) -> Result<usize, E> {
        let depth = depth + 1;
        if depth > self.limits.depth() {
            return Err(E::custom(format_args!(
                "{LIMIT_MARKER}nesting deeper than the limit of {}",
                self.limits.depth()
            )));
        }
        Ok(depth)
    }

    /// Refuses the item after `read` items of one array or object, if that is the limit.
    pub(crate) fn item<E: de::Error>(&self, read: usize) -> Result<(), E> {
        if read == self.limits.max_items {
            return Err(E::custom(format_args!(
                "{LIMIT_MARKER}more than {} items in one array or object",
                self.limits.max_items
            )));
        }
        Ok(())
    }
}

/// The member names of one object read so far, to refuse a name given twice.
#[derive(Default)]
pub(crate) struct Names<'de> {
    list: Vec<Cow<'de, str>>,
    /// Built only once the object has `LINEAR_NAME_CHECK` members: most objects are small,
    /// and comparing a few names costs less than hashing and copying them.
    set: Option<HashSet<Cow<'de, str>>>,
}

impl<'de> Names<'de> {
    /// Records `name`; a name given before is an error.
    pub(crate) fn insert<E: de::Error>(&mut self, name: Cow<'de, str>) -> Result<(), E> {
        if self.list.len() == LINEAR_NAME_CHECK {
            self.set = Some(self.list.drain(..).collect());
        }
        let repeated = match &mut self.set {
            Some(set) => set.contains(&name),
            None => self.list.contains(&name),
        };
        if repeated {
            return Err(duplicate(&name));
        }
        match &mut self.set {
            Some(set) => {
                set.insert(name);
            }
            None => self.list.push(name),
        }
        Ok(())
    }
}

/// The error of a member name given twice in one object.
pub(crate) fn duplicate<E: de::Error>(name: &str) -> E {
    E::custom(format_args!(
        "{DUPLICATE_MARKER}member `{name}` appears more than once"
    ))
}

/// Reads one value into a [`JsonValue`] under a message's limits.
#[derive(Clone, Copy)]
pub(crate) struct Seed<'a, 'l> {
    budget: &'a Budget<'l>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = JsonValue;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'a, 'l> Seed<'a, 'l> {
    /// The seed of a value read under `budget` at `depth` (0: the document).
    pub(crate) fn new(budget: &'a Budget<'l>, depth: usize) -> Self {
        Seed { budget, depth }
    }

    fn nested<E: de::Error>(self) -> Result<Self, E> {
        Ok(Seed {
            budget: self.budget,
            depth: self.budget.nested(self.depth)?,
        })
    }
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
        Ok(JsonValue::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(match i64::try_from(v) {
            Ok(v) => JsonValue::Int(v),
            Err(_) => JsonValue::Uint(v),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonValue, E> {
        self.budget.count()?;
        // `{:?}` keeps the shortest round-trip form, with an exponent for large values.
        Ok(JsonValue::Number(format!("{v:?}")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonValue, E> {
        self.budget.count()?;
        Ok(JsonValue::String(self.budget.string(v)?))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<JsonValue, A::Error> {
        self.budget.count()?;
        self.nested()?.array(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<JsonValue, A::Error> {
        self.budget.count()?;
        self.nested()?.object(map)
    }
}

impl Seed<'_, '_> {
    /// An array's items, `self` being the seed of the items (the array counted already).
    pub(crate) fn array<'de, A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            self.budget.item(items.len())?;
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    /// An object's members, `self` being the seed of the values (the object counted already).
    pub(crate) fn object<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut members: Vec<(String, JsonValue)> = Vec::new();
        // Built only once the object has `LINEAR_NAME_CHECK` members: most objects are
        // small, and comparing a few names costs less than hashing and copying them.
        let mut names: Option<HashSet<String>> = None;
        while let Some(name) = map.next_key_seed(Name(self.budget))? {
            self.budget.item(members.len())?;
            if members.len() == LINEAR_NAME_CHECK {
                names = Some(members.iter().map(|(n, _)| n.clone()).collect());
            }
            let repeated = match &mut names {
                Some(names) => !names.insert(name.clone()),
                None => members.iter().any(|(n, _)| *n == name),
            };
            if repeated {
                return Err(duplicate(&name));
            }
            let value = map.next_value_seed(self)?;
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

/// Reads one value under a message's limits, exactly as [`Seed`] does (the same checks at
/// the same places, hence the same errors), keeping nothing: the rest of a message once its
/// reading has failed, and members that are not read into a model.
#[derive(Clone, Copy)]
pub(crate) struct Check<'a, 'l> {
    pub(crate) budget: &'a Budget<'l>,
    pub(crate) depth: usize,
}

impl<'de> DeserializeSeed<'de> for Check<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Check<'_, '_> {
    /// The check of the values inside an array or object read by `self`.
    pub(crate) fn nested<E: de::Error>(self) -> Result<Self, E> {
        Ok(Check {
            budget: self.budget,
            depth: self.budget.nested(self.depth)?,
        })
    }

    /// Checks an array's items, `self` being the check of the items (the array counted
    /// already).
    pub(crate) fn items<'de, A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut read = 0;
        while seq.next_element_seed(self)?.is_some() {
            self.budget.item(read)?;
            read += 1;
        }
        Ok(())
    }

    /// Checks an object's members, `self` being the check of the values (the object counted
    /// already).
    pub(crate) fn members<'de, A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut names = Names::default();
        let mut read = 0;
        while let Some(name) = map.next_key_seed(Key(self.budget))? {
            self.budget.item(read)?;
            read += 1;
            names.insert(name.clone())?;
            map.next_value_seed(self)?;
        }
        Ok(())
    }
}

impl<'de> Visitor<'de> for Check<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.budget.count()
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.budget.count()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.budget.count()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.budget.count()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.budget.count()
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.budget.count()?;
        self.budget.check_string(v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.budget.count()?;
        self.nested()?.items(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.budget.count()?;
        self.nested()?.members(map)
    }
}

/// Reads a member name under the string limit, borrowed from the message when it has no
/// escapes.
#[derive(Clone, Copy)]
pub(crate) struct Key<'a, 'l>(pub(crate) &'a Budget<'l>);

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        self.0.check_string(v)?;
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        self.0.check_string(v)?;
        Ok(Cow::Owned(v.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::{DUPLICATE_MARKER, JsonValue, LINEAR_NAME_CHECK, parse};
    use crate::Limits;

    #[test]
    fn integers_keep_their_value() {
        let doc = parse(
            br#"[0,-0,7,-42,-9223372036854775808,9223372036854775807,9223372036854775808,18446744073709551615,18446744073709551616,1.5,1e2]"#,
            &Limits::default(),
        );
        let Ok(JsonValue::Array(items)) = doc else {
            panic!("not parsed: {doc:?}");
        };
        assert_eq!(
            items,
            [
                JsonValue::Int(0),
                // serde_json reads `-0` as a float: its text is the float's.
                JsonValue::Number("-0.0".to_owned()),
                JsonValue::Int(7),
                JsonValue::Int(-42),
                JsonValue::Int(i64::MIN),
                JsonValue::Int(i64::MAX),
                JsonValue::Uint(1 << 63),
                JsonValue::Uint(u64::MAX),
                // Beyond `u64`: a double, as serde_json reads it.
                JsonValue::Number("1.8446744073709552e19".to_owned()),
                JsonValue::Number("1.5".to_owned()),
                JsonValue::Number("100.0".to_owned()),
            ]
        );
        let integers: Vec<Option<i128>> = items.iter().map(JsonValue::integer).collect();
        assert_eq!(
            integers[..8],
            [
                Some(0),
                None,
                Some(7),
                Some(-42),
                Some(i128::from(i64::MIN)),
                Some(i128::from(i64::MAX)),
                Some(1 << 63),
                Some(i128::from(u64::MAX)),
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
