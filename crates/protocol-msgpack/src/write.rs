//! [`MsgWriter`]: core's [`Serializer`] writing MessagePack, each model type in the form the
//! crate documentation's table gives.
//!
//! MessagePack declares a map's or array's length before its items, but the serializer
//! learns a complex value's member count only at its end (absent optional members are not
//! written): each open map or array is written into a buffer of its own and given its
//! header, in the smallest form, when it closes.

use std::fmt::Debug;

use rmp::encode;
use rpclib_core::model::{
    AnyXml, ByteArray, ComplexType, FieldDescriptor, SerError, SerializeValue, Serializer,
    SimpleKind, TypeRef,
};

/// An open map or array: its items' bytes, and how many items (map entries) were written.
#[derive(Debug)]
struct Frame {
    bytes: Vec<u8>,
    count: usize,
    map: bool,
}

/// Writes MessagePack into a buffer from serializer events.
#[derive(Debug, Default)]
pub(crate) struct MsgWriter {
    root: Vec<u8>,
    open: Vec<Frame>,
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
        Ok(self.root)
    }

    /// The buffer the next value goes to.
    fn out(&mut self) -> &mut Vec<u8> {
        match self.open.last_mut() {
            Some(frame) => &mut frame.bytes,
            None => &mut self.root,
        }
    }

    /// Counts a new item in the open array (a map counts its entries at their keys).
    fn item(&mut self) {
        if let Some(frame) = self.open.last_mut().filter(|f| !f.map) {
            frame.count += 1;
        }
    }

    pub(crate) fn string(&mut self, text: &str) -> Result<(), SerError> {
        self.item();
        enc(encode::write_str(self.out(), text))
    }

    /// Writes a map entry's key in the open map.
    pub(crate) fn member(&mut self, name: &str) -> Result<(), SerError> {
        if let Some(frame) = self.open.last_mut() {
            frame.count += 1;
        }
        enc(encode::write_str(self.out(), name))
    }

    fn begin(&mut self, map: bool) {
        self.item();
        self.open.push(Frame {
            bytes: Vec::new(),
            count: 0,
            map,
        });
    }

    pub(crate) fn begin_map(&mut self) {
        self.begin(true);
    }

    pub(crate) fn end(&mut self) -> Result<(), SerError> {
        let frame = self
            .open
            .pop()
            .ok_or_else(|| SerError::new("MessagePack writer: end without begin"))?;
        let n = len32(frame.count)?;
        let out = self.out();
        if frame.map {
            enc(encode::write_map_len(out, n))?;
        } else {
            enc(encode::write_array_len(out, n))?;
        }
        out.extend_from_slice(&frame.bytes);
        Ok(())
    }

    fn int(&mut self, text: &str) -> Option<Result<(), SerError>> {
        if let Ok(n) = text.parse::<i64>() {
            self.item();
            let out = self.out();
            return Some(match u64::try_from(n) {
                Ok(u) => enc(encode::write_uint(out, u)),
                Err(_) => enc(encode::write_sint(out, n)),
            });
        }
        let u = text.parse::<u64>().ok()?;
        self.item();
        Some(enc(encode::write_uint(self.out(), u)))
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

    fn write_nil(&mut self) -> Result<(), SerError> {
        self.item();
        enc(encode::write_nil(self.out()))
    }

    fn begin_complex(&mut self, _: &'static ComplexType) -> Result<(), SerError> {
        self.begin_map();
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
        self.end()
    }

    fn begin_seq(&mut self, _: TypeRef, _: usize) -> Result<(), SerError> {
        self.begin(false);
        Ok(())
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
}
