//! [`JsonWriter`]: core's [`Serializer`] writing JSON text, each model type in the form the
//! crate documentation's table gives.

use rpclib_core::model::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, FieldDescriptor, SerError, SerializeValue,
    Serializer, SimpleKind, TypeRef,
};

use crate::value::JsonValue;

/// The largest integer every JSON reader (JavaScript's included) reads exactly: 2^53 - 1.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Writes JSON text into a buffer from serializer events.
#[derive(Debug, Default)]
pub(crate) struct JsonWriter {
    out: Vec<u8>,
    /// One entry per open array or object: whether nothing was written in it yet.
    open: Vec<bool>,
}

impl JsonWriter {
    pub(crate) fn new() -> Self {
        JsonWriter::default()
    }

    /// The text written (call when every value is closed).
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Writes raw JSON text.
    pub(crate) fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    /// Writes `text` as a JSON string.
    pub(crate) fn string(&mut self, text: &str) -> Result<(), SerError> {
        serde_json::to_writer(&mut self.out, text)
            .map_err(|e| SerError::new(format!("writing a JSON string: {e}")))
    }

    /// Writes the separator a new item or member needs.
    fn separate(&mut self) {
        if let Some(first) = self.open.last_mut() {
            if *first {
                *first = false;
            } else {
                self.out.push(b',');
            }
        }
    }

    /// Writes `"name":` in the open object.
    pub(crate) fn member(&mut self, name: &str) -> Result<(), SerError> {
        self.separate();
        self.string(name)?;
        self.out.push(b':');
        Ok(())
    }

    pub(crate) fn begin_object(&mut self) {
        self.out.push(b'{');
        self.open.push(true);
    }

    pub(crate) fn end_object(&mut self) -> Result<(), SerError> {
        self.close(b'}')
    }

    pub(crate) fn begin_array(&mut self) {
        self.out.push(b'[');
        self.open.push(true);
    }

    /// Writes the separator before an array item.
    pub(crate) fn item(&mut self) {
        self.separate();
    }

    pub(crate) fn end_array(&mut self) -> Result<(), SerError> {
        self.close(b']')
    }

    /// Writes a parsed value back as JSON text (numbers in the form they were read as).
    pub(crate) fn value(&mut self, value: &JsonValue) -> Result<(), SerError> {
        match value {
            JsonValue::Null => self.raw("null"),
            JsonValue::Bool(true) => self.raw("true"),
            JsonValue::Bool(false) => self.raw("false"),
            JsonValue::Int(n) => self.raw(itoa::Buffer::new().format(*n)),
            JsonValue::Uint(n) => self.raw(itoa::Buffer::new().format(*n)),
            JsonValue::Number(text) => self.raw(text),
            JsonValue::String(s) => self.string(s)?,
            JsonValue::Array(items) => {
                self.begin_array();
                for item in items {
                    self.item();
                    self.value(item)?;
                }
                self.end_array()?;
            }
            JsonValue::Object(members) => {
                self.begin_object();
                for (name, member) in members {
                    self.member(name)?;
                    self.value(member)?;
                }
                self.end_object()?;
            }
        }
        Ok(())
    }

    fn close(&mut self, byte: u8) -> Result<(), SerError> {
        self.open
            .pop()
            .ok_or_else(|| SerError::new("JSON writer: end without begin"))?;
        self.out.push(byte);
        Ok(())
    }
}

/// Whether `text` is a JSON number (RFC 8259's grammar).
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Whether `text` is a JSON integer (`-`, then `0` or digits without a leading zero) within
/// ±[`MAX_SAFE_INTEGER`], which is written as a number; any other integer text is written as
/// a string. One pass over at most 17 bytes: no 128-bit parse per value written.
fn is_safe_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text).as_bytes();
    // 2^53 - 1 has 16 digits.
    if digits.is_empty() || digits.len() > 16 || (digits.len() > 1 && digits[0] == b'0') {
        return false;
    }
    let mut n: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return false;
        }
        // At most 16 digits: below 10^16, far from u64's limit.
        n = n * 10 + u64::from(d - b'0');
    }
    n <= MAX_SAFE_INTEGER
}

impl Serializer for JsonWriter {
    fn write_simple(&mut self, ty: TypeRef, text: &str) -> Result<(), SerError> {
        let kind = match ty {
            TypeRef::Simple(s) => Some(s.kind),
            _ => None,
        };
        match kind {
            Some(SimpleKind::Boolean) if text == "true" || text == "1" => self.raw("true"),
            Some(SimpleKind::Boolean) => self.raw("false"),
            Some(SimpleKind::Integer) if is_safe_integer(text) => self.raw(text),
            Some(SimpleKind::Float) if is_json_number(text) => self.raw(text),
            _ => return self.string(text),
        }
        Ok(())
    }

    /// A number within ±(2^53 - 1), a string beyond: the same JSON `write_simple` gives the
    /// integer's text, without writing the text first to check it.
    fn write_integer(&mut self, ty: TypeRef, value: i128) -> Result<(), SerError> {
        if !matches!(ty, TypeRef::Simple(s) if s.kind == SimpleKind::Integer) {
            return self.write_simple(ty, itoa::Buffer::new().format(value));
        }
        match i64::try_from(value) {
            Ok(v) if v.unsigned_abs() <= MAX_SAFE_INTEGER => {
                self.raw(itoa::Buffer::new().format(v));
                Ok(())
            }
            _ => self.string(itoa::Buffer::new().format(value)),
        }
    }

    fn write_nil(&mut self) -> Result<(), SerError> {
        self.raw("null");
        Ok(())
    }

    fn begin_complex(&mut self, _: &'static ComplexType) -> Result<(), SerError> {
        self.begin_object();
        Ok(())
    }

    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        self.member(field.name)?;
        value.serialize_value(self)
    }

    fn end_complex(&mut self) -> Result<(), SerError> {
        self.end_object()
    }

    fn begin_seq(&mut self, _: TypeRef, _: usize) -> Result<(), SerError> {
        self.out.push(b'[');
        self.open.push(true);
        Ok(())
    }

    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        self.separate();
        value.serialize_value(self)
    }

    fn end_seq(&mut self) -> Result<(), SerError> {
        self.close(b']')
    }

    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError> {
        self.string(xml.as_str())
    }

    /// Wildcard attributes are an object of Clark-notation names to strings:
    /// `{"{urn:ext}color": "red"}`.
    fn write_any_attributes(&mut self, attrs: &AnyAttributes) -> Result<(), SerError> {
        self.begin_object();
        for a in attrs {
            self.member(&a.name().to_string())?;
            self.string(a.value())?;
        }
        self.end_object()
    }

    /// A choice is an object with one member, the alternative present: `{"name": value}`.
    fn write_choice(
        &mut self,
        ty: &'static ChoiceType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let field = ty.variants.get(variant).ok_or_else(|| {
            SerError::new(format!(
                "internal: no alternative {variant} in the choice `{}`",
                ty.name
            ))
        })?;
        self.begin_object();
        self.member(field.name)?;
        value.serialize_value(self)?;
        self.end_object()
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_SAFE_INTEGER, is_json_number, is_safe_integer};

    /// The fast check agrees with its definition: a JSON number that parses as an integer
    /// within ±(2^53 - 1).
    #[test]
    fn safe_integers() {
        let definition = |text: &str| {
            is_json_number(text)
                && text
                    .parse::<i128>()
                    .is_ok_and(|n| n.unsigned_abs() <= u128::from(MAX_SAFE_INTEGER))
        };
        for text in [
            "0",
            "-0",
            "7",
            "-42",
            "9007199254740991",
            "-9007199254740991",
            "9007199254740992",
            "-9007199254740992",
            "9999999999999999",
            "10000000000000000",
            "18446744073709551615",
            "-9223372036854775808",
            "123456789012345678901234567890123456789012",
            "",
            "-",
            "--1",
            "+1",
            "01",
            "-01",
            "00",
            "1.0",
            "1e3",
            " 1",
            "1 ",
            "1x",
            "\u{661}",
        ] {
            assert_eq!(is_safe_integer(text), definition(text), "{text:?}");
        }
    }

    #[test]
    fn json_numbers() {
        for ok in ["0", "-0", "1.5", "1E10", "1.0e-5", "-12", "3.4028235E38"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in ["", "-", "01", "1.", ".5", "INF", "NaN", "+1", "1e", "1x"] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
