//! [`MsgWriter`]: core's [`Serializer`] writing MessagePack, each model type in the form the
//! crate documentation's table gives.
//!
//! MessagePack declares a map's or array's length before its items. A map's header is
//! written when it opens for the member count its type declares, an array's for the length
//! the serializer announces; when the count written differs (a member left out), the header
//! is rewritten in place at the close. Headers are always in their smallest form, and the
//! common path writes every byte once.

use std::fmt::Debug;

use rmp::encode;
use rpclib_core::model::{
    AnyAttributes, AnyXml, ByteArray, ChoiceType, ComplexType, FieldDescriptor, SerError,
    SerializeValue, Serializer, SimpleKind, TypeRef,
};

/// An open map or array: where its header is, the count it declares, the count written.
#[derive(Debug)]
struct Open {
    header_at: usize,
    header_len: usize,
    declared: usize,
    count: usize,
    map: bool,
}

/// Writes MessagePack into a buffer from serializer events.
#[derive(Debug, Default)]
pub(crate) struct MsgWriter {
    out: Vec<u8>,
    open: Vec<Open>,
}

fn enc<T, E: Debug>(r: Result<T, E>) -> Result<(), SerError> {
    r.map(|_| ())
        .map_err(|e| SerError::new(format!("writing MessagePack: {e:?}")))
}

fn len32(n: usize) -> Result<u32, SerError> {
    u32::try_from(n).map_err(|_| SerError::new(format!("{n} items do not fit MessagePack")))
}

impl MsgWriter {
    pub(crate) fn new() -> Self {
        MsgWriter::default()
    }

    /// The bytes written (call when every map and array is closed).
    pub(crate) fn into_bytes(self) -> Result<Vec<u8>, SerError> {
        if !self.open.is_empty() {
            return Err(SerError::new(
                "MessagePack writer: a map or array left open",
            ));
        }
        Ok(self.out)
    }

    /// The buffer the next value goes to.
    fn out(&mut self) -> &mut Vec<u8> {
        &mut self.out
    }

    /// Counts a new item in the open array (a map counts its entries at their keys).
    fn item(&mut self) {
        if let Some(open) = self.open.last_mut().filter(|o| !o.map) {
            open.count += 1;
        }
    }

    pub(crate) fn string(&mut self, text: &str) -> Result<(), SerError> {
        self.item();
        enc(encode::write_str(self.out(), text))
    }

    /// Writes a map entry's key in the open map.
    pub(crate) fn member(&mut self, name: &str) -> Result<(), SerError> {
        if let Some(open) = self.open.last_mut() {
            open.count += 1;
        }
        enc(encode::write_str(self.out(), name))
    }

    /// The header of a map or array of `n` items, in its smallest form.
    fn header(out: &mut Vec<u8>, map: bool, n: usize) -> Result<(), SerError> {
        let n = len32(n)?;
        if map {
            enc(encode::write_map_len(out, n))
        } else {
            enc(encode::write_array_len(out, n))
        }
    }

    fn begin(&mut self, map: bool, declared: usize) -> Result<(), SerError> {
        self.item();
        let header_at = self.out.len();
        Self::header(&mut self.out, map, declared)?;
        self.open.push(Open {
            header_at,
            header_len: self.out.len() - header_at,
            declared,
            count: 0,
            map,
        });
        Ok(())
    }

    /// Opens a map expected to hold `declared` entries (any other count is corrected at
    /// its end).
    pub(crate) fn begin_map(&mut self, declared: usize) -> Result<(), SerError> {
        self.begin(true, declared)
    }

    pub(crate) fn end(&mut self) -> Result<(), SerError> {
        let open = self
            .open
            .pop()
            .ok_or_else(|| SerError::new("MessagePack writer: end without begin"))?;
        if open.count != open.declared {
            let mut header = Vec::with_capacity(5);
            Self::header(&mut header, open.map, open.count)?;
            self.out
                .splice(open.header_at..open.header_at + open.header_len, header);
        }
        Ok(())
    }

    /// An integer's text as an int; `None` if it is not one that fits an `i64` or a `u64`.
    fn int(&mut self, text: &str) -> Option<Result<(), SerError>> {
        self.int_value(text.parse::<i128>().ok()?)
    }

    /// An integer as an int in its smallest form; `None` if it fits neither an `i64` nor a
    /// `u64` (MessagePack has no wider int).
    fn int_value(&mut self, n: i128) -> Option<Result<(), SerError>> {
        if let Ok(u) = u64::try_from(n) {
            self.item();
            return Some(enc(encode::write_uint(self.out(), u)));
        }
        let n = i64::try_from(n).ok()?;
        self.item();
        Some(enc(encode::write_sint(self.out(), n)))
    }

    fn float(&mut self, text: &str) -> Option<Result<(), SerError>> {
        let f = match text {
            "INF" | "+INF" => f64::INFINITY,
            "-INF" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            _ => text.parse::<f64>().ok()?,
        };
        self.item();
        Some(enc(encode::write_f64(self.out(), f)))
    }
}

impl Serializer for MsgWriter {
    fn write_simple(&mut self, ty: TypeRef, text: &str) -> Result<(), SerError> {
        let kind = match ty {
            TypeRef::Simple(s) => Some(s.kind),
            _ => None,
        };
        match kind {
            Some(SimpleKind::Boolean) => {
                self.item();
                let b = text == "true" || text == "1";
                enc(encode::write_bool(self.out(), b))
            }
            Some(SimpleKind::Integer) => self.int(text).unwrap_or_else(|| self.string(text)),
            Some(SimpleKind::Float) => self.float(text).unwrap_or_else(|| self.string(text)),
            Some(SimpleKind::Binary) => {
                let bytes = ByteArray::from_base64(text)
                    .map_err(|e| SerError::new(format!("writing a bin: {e}")))?;
                self.item();
                enc(encode::write_bin(self.out(), &bytes))
            }
            _ => self.string(text),
        }
    }

    /// An int, as `write_simple` writes the integer's text, without the text.
    fn write_integer(&mut self, ty: TypeRef, value: i128) -> Result<(), SerError> {
        match ty {
            TypeRef::Simple(s) if s.kind == SimpleKind::Integer => {
                if let Some(written) = self.int_value(value) {
                    return written;
                }
            }
            _ => {}
        }
        // Not an integer type, or beyond MessagePack's ints: as its text (a string).
        self.write_simple(ty, &value.to_string())
    }

    fn write_nil(&mut self) -> Result<(), SerError> {
        self.item();
        enc(encode::write_nil(self.out()))
    }

    fn begin_complex(&mut self, ty: &'static ComplexType) -> Result<(), SerError> {
        self.begin_map(ty.field_count())
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
        self.end()
    }

    fn begin_seq(&mut self, _: TypeRef, len: usize) -> Result<(), SerError> {
        self.begin(false, len)
    }

    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        value.serialize_value(self)
    }

    fn end_seq(&mut self) -> Result<(), SerError> {
        self.end()
    }

    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError> {
        self.string(xml.as_str())
    }

    /// Wildcard attributes are a map of Clark-notation names to strings.
    fn write_any_attributes(&mut self, attrs: &AnyAttributes) -> Result<(), SerError> {
        self.begin_map(attrs.len())?;
        for a in attrs {
            self.member(&a.name().to_string())?;
            self.string(a.value())?;
        }
        self.end()
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
        self.begin_map(1)?;
        self.member(field.name)?;
        value.serialize_value(self)?;
        self.end()
    }
}

#[cfg(test)]
mod tests {
    use super::MsgWriter;

    #[test]
    fn a_count_other_than_declared_rewrites_the_header() {
        let mut w = MsgWriter::new();
        w.begin_map(70_000).unwrap();
        w.member("a").unwrap();
        w.string("b").unwrap();
        w.end().unwrap();
        assert_eq!(w.into_bytes().unwrap(), [0x81, 0xa1, b'a', 0xa1, b'b']);

        let mut w = MsgWriter::new();
        w.begin(false, 0).unwrap();
        for _ in 0..16 {
            w.string("").unwrap();
        }
        w.end().unwrap();
        let bytes = w.into_bytes().unwrap();
        assert_eq!(&bytes[..3], [0xdc, 0x00, 0x10]);
        assert_eq!(bytes.len(), 3 + 16);
    }
}
