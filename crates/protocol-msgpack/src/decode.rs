//! The bounded decoder: MessagePack bytes to a [`MsgValue`] under [`Limits`].
//!
//! Every length a header declares is checked against the bytes left in the input (each
//! array item or map entry takes at least one byte, each string or bin byte one byte) and
//! against the limits *before* anything is allocated for it, so a five-byte input declaring
//! a 4 GiB array is refused at once. Even a declared count that passes these checks
//! reserves at most [`PREALLOCATE`] slots: the rest grows with the items actually read, so
//! nested headers declaring many items each cannot multiply memory. Cost and memory are
//! linear in the input.

use std::collections::HashSet;

use rmp::Marker;

use crate::Limits;
use crate::value::MsgValue;

/// Why a message could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DecodeError {
    /// Not well-formed MessagePack (or not a form this protocol reads).
    Syntax(String),
    /// Beyond one of the [`Limits`].
    Limit(String),
    /// A map key given twice.
    Duplicate(String),
}

/// Decodes `bytes` (one whole message, nothing after it) under `limits`; the size is the
/// caller's check.
pub(crate) fn decode(bytes: &[u8], limits: &Limits) -> Result<MsgValue, DecodeError> {
    let mut d = Decoder {
        bytes,
        pos: 0,
        limits,
        values: 0,
    };
    let value = d.value(0)?;
    if d.pos != bytes.len() {
        return Err(DecodeError::Syntax(format!(
            "{} bytes after the message, at offset {}",
            bytes.len() - d.pos,
            d.pos
        )));
    }
    Ok(value)
}

/// The most items or entries reserved up front for one array or map.
const PREALLOCATE: usize = 256;

struct Decoder<'a> {
    bytes: &'a [u8],
    pos: usize,
    limits: &'a Limits,
    values: usize,
}

impl<'a> Decoder<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(DecodeError::Syntax(format!(
                "truncated: {n} bytes needed at offset {}, {} left",
                self.pos,
                self.remaining()
            )));
        }
        let bytes: &'a [u8] = self.bytes;
        let slice = &bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<usize, DecodeError> {
        Ok(usize::from(u16::from_be_bytes(self.array()?)))
    }

    fn u32(&mut self) -> Result<usize, DecodeError> {
        let n = u32::from_be_bytes(self.array()?);
        // On a 16-bit target a length beyond usize is beyond the input anyway.
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn count(&mut self) -> Result<(), DecodeError> {
        self.values += 1;
        if self.values > self.limits.max_values {
            return Err(DecodeError::Limit(format!(
                "more than {} values in the message",
                self.limits.max_values
            )));
        }
        Ok(())
    }

    /// The bytes of a string or bin of declared length `len`, checked before they are read.
    fn blob(&mut self, len: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        if len > self.limits.max_string_bytes {
            return Err(DecodeError::Limit(format!(
                "a {what} of {len} bytes is longer than the limit of {}",
                self.limits.max_string_bytes
            )));
        }
        self.take(len)
    }

    fn string(&mut self, len: usize) -> Result<String, DecodeError> {
        let at = self.pos;
        let bytes = self.blob(len, "string")?;
        std::str::from_utf8(bytes)
            .map(str::to_owned)
            .map_err(|e| DecodeError::Syntax(format!("a string at offset {at} is not UTF-8: {e}")))
    }

    /// Checks a declared item or entry count: `per_item` bytes at least each, and the limit.
    fn items(&self, n: usize, per_item: usize, what: &str) -> Result<(), DecodeError> {
        if n > self.limits.max_items {
            return Err(DecodeError::Limit(format!(
                "{what} of {n} declared items is beyond the limit of {}",
                self.limits.max_items
            )));
        }
        if n.saturating_mul(per_item) > self.remaining() {
            return Err(DecodeError::Syntax(format!(
                "truncated: {what} of {n} declared items at offset {}, only {} bytes left",
                self.pos,
                self.remaining()
            )));
        }
        Ok(())
    }

    fn nested(&self, depth: usize) -> Result<usize, DecodeError> {
        let depth = depth + 1;
        if depth > self.limits.depth() {
            return Err(DecodeError::Limit(format!(
                "nesting deeper than the limit of {}",
                self.limits.depth()
            )));
        }
        Ok(depth)
    }

    fn value(&mut self, depth: usize) -> Result<MsgValue, DecodeError> {
        let at = self.pos;
        let marker = Marker::from_u8(self.u8()?);
        self.count()?;
        Ok(match marker {
            Marker::Null => MsgValue::Nil,
            Marker::True => MsgValue::Bool(true),
            Marker::False => MsgValue::Bool(false),
            Marker::FixPos(n) => MsgValue::Int(n.into()),
            Marker::FixNeg(n) => MsgValue::Int(n.into()),
            Marker::U8 => MsgValue::Int(self.u8()?.into()),
            Marker::U16 => MsgValue::Int(u16::from_be_bytes(self.array()?).into()),
            Marker::U32 => MsgValue::Int(u32::from_be_bytes(self.array()?).into()),
            Marker::U64 => MsgValue::Int(u64::from_be_bytes(self.array()?).into()),
            Marker::I8 => MsgValue::Int(i8::from_be_bytes(self.array()?).into()),
            Marker::I16 => MsgValue::Int(i16::from_be_bytes(self.array()?).into()),
            Marker::I32 => MsgValue::Int(i32::from_be_bytes(self.array()?).into()),
            Marker::I64 => MsgValue::Int(i64::from_be_bytes(self.array()?).into()),
            Marker::F32 => MsgValue::Float(f32::from_be_bytes(self.array()?).into()),
            Marker::F64 => MsgValue::Float(f64::from_be_bytes(self.array()?)),
            Marker::FixStr(n) => MsgValue::Str(self.string(n.into())?),
            Marker::Str8 => {
                let n = self.u8()?.into();
                MsgValue::Str(self.string(n)?)
            }
            Marker::Str16 => {
                let n = self.u16()?;
                MsgValue::Str(self.string(n)?)
            }
            Marker::Str32 => {
                let n = self.u32()?;
                MsgValue::Str(self.string(n)?)
            }
            Marker::Bin8 => {
                let n = self.u8()?.into();
                MsgValue::Bin(self.blob(n, "bin")?.to_vec())
            }
            Marker::Bin16 => {
                let n = self.u16()?;
                MsgValue::Bin(self.blob(n, "bin")?.to_vec())
            }
            Marker::Bin32 => {
                let n = self.u32()?;
                MsgValue::Bin(self.blob(n, "bin")?.to_vec())
            }
            Marker::FixArray(n) => self.seq(n.into(), depth)?,
            Marker::Array16 => {
                let n = self.u16()?;
                self.seq(n, depth)?
            }
            Marker::Array32 => {
                let n = self.u32()?;
                self.seq(n, depth)?
            }
            Marker::FixMap(n) => self.map(n.into(), depth)?,
            Marker::Map16 => {
                let n = self.u16()?;
                self.map(n, depth)?
            }
            Marker::Map32 => {
                let n = self.u32()?;
                self.map(n, depth)?
            }
            Marker::FixExt1
            | Marker::FixExt2
            | Marker::FixExt4
            | Marker::FixExt8
            | Marker::FixExt16
            | Marker::Ext8
            | Marker::Ext16
            | Marker::Ext32 => {
                return Err(DecodeError::Syntax(format!(
                    "an extension type at offset {at}: no model type is written as one"
                )));
            }
            Marker::Reserved => {
                return Err(DecodeError::Syntax(format!(
                    "the reserved byte 0xc1 at offset {at}"
                )));
            }
        })
    }

    fn seq(&mut self, n: usize, depth: usize) -> Result<MsgValue, DecodeError> {
        self.items(n, 1, "an array")?;
        let inner = self.nested(depth)?;
        let mut items = Vec::with_capacity(n.min(PREALLOCATE));
        for _ in 0..n {
            items.push(self.value(inner)?);
        }
        Ok(MsgValue::Array(items))
    }

    fn map(&mut self, n: usize, depth: usize) -> Result<MsgValue, DecodeError> {
        self.items(n, 2, "a map")?;
        let inner = self.nested(depth)?;
        let mut entries: Vec<(String, MsgValue)> = Vec::with_capacity(n.min(PREALLOCATE));
        let mut names: HashSet<String> = HashSet::with_capacity(n.min(PREALLOCATE));
        for _ in 0..n {
            let key = self.key()?;
            if !names.insert(key.clone()) {
                return Err(DecodeError::Duplicate(format!(
                    "member `{key}` appears more than once"
                )));
            }
            let value = self.value(inner)?;
            entries.push((key, value));
        }
        Ok(MsgValue::Map(entries))
    }

    /// A map key: a string only.
    fn key(&mut self) -> Result<String, DecodeError> {
        let at = self.pos;
        self.count()?;
        let n = match Marker::from_u8(self.u8()?) {
            Marker::FixStr(n) => n.into(),
            Marker::Str8 => self.u8()?.into(),
            Marker::Str16 => self.u16()?,
            Marker::Str32 => self.u32()?,
            _ => {
                return Err(DecodeError::Syntax(format!(
                    "a map key at offset {at} is not a string"
                )));
            }
        };
        self.string(n)
    }
}

#[cfg(test)]
mod tests {
    use super::{DecodeError, MsgValue, decode};
    use crate::Limits;

    #[test]
    fn huge_declared_lengths_are_refused_before_allocating() {
        let limits = Limits::default()
            .max_items(usize::MAX)
            .max_string_bytes(usize::MAX);
        for bytes in [
            &[0xdd, 0xff, 0xff, 0xff, 0xff][..],
            &[0xdf, 0xff, 0xff, 0xff, 0xff],
            &[0xdb, 0xff, 0xff, 0xff, 0xff],
            &[0xc6, 0xff, 0xff, 0xff, 0xff],
        ] {
            assert!(
                matches!(decode(bytes, &limits), Err(DecodeError::Syntax(_))),
                "{bytes:x?}"
            );
        }
    }

    #[test]
    fn nested_declared_counts_reserve_little() {
        // 60 arrays each declaring 65,535 items, then 70,000 bytes of padding: every count
        // passes the checks, but only the items actually read take memory.
        let bytes = [[0xdc, 0xff, 0xff].repeat(60), vec![0xc1; 70_000]].concat();
        assert_eq!(
            decode(&bytes, &Limits::default()),
            Err(DecodeError::Syntax(
                "the reserved byte 0xc1 at offset 180".to_owned()
            ))
        );
    }

    #[test]
    fn integers_of_every_width() {
        let l = Limits::default();
        assert_eq!(decode(&[0x7f], &l), Ok(MsgValue::Int(127)));
        assert_eq!(decode(&[0xe0], &l), Ok(MsgValue::Int(-32)));
        assert_eq!(
            decode(&[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], &l),
            Ok(MsgValue::Int(u64::MAX.into()))
        );
        assert_eq!(
            decode(&[0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], &l),
            Ok(MsgValue::Int(i64::MIN.into()))
        );
    }
}
