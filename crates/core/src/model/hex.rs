//! `xs:hexBinary` values: bytes written as pairs of hexadecimal digits.

use std::ops::Deref;

use super::primitive::lexical_model;
use super::validate::check_length;
use super::{
    Constraints, DeError, Deserializer, FieldPath, Lexical, LexicalError, Model, SerError,
    Serializer, SimpleKind, SimpleType, TypeRef, ValidationError,
};

// Kind `String`: protocols with a native bytes type (MessagePack's bin) carry base64 for
// `SimpleKind::Binary`; hexBinary travels as its text everywhere.
pub(crate) static HEX_BINARY: SimpleType = SimpleType {
    name: "hexBinary",
    kind: SimpleKind::String,
};

/// Binary data (`xs:hexBinary`), written as upper-case hexadecimal digits; either case is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct HexBinary(pub Vec<u8>);

impl HexBinary {
    /// Decodes pairs of hexadecimal digits (surrounding XML whitespace is ignored).
    pub fn from_hex(text: &str) -> Result<Self, LexicalError> {
        let t = super::primitive::trim_xml(text);
        if !t.len().is_multiple_of(2) {
            return Err(LexicalError::new(
                "hexBinary",
                t,
                "expected an even number of hexadecimal digits",
            ));
        }
        let digit = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        };
        t.as_bytes()
            .chunks_exact(2)
            .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
            .collect::<Option<Vec<u8>>>()
            .map(Self)
            .ok_or_else(|| LexicalError::new("hexBinary", t, "expected hexadecimal digits"))
    }

    /// Encodes as upper-case hexadecimal digits (the canonical form).
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut out = String::with_capacity(self.0.len() * 2);
        for b in &self.0 {
            out.push(char::from(DIGITS[usize::from(b >> 4)]));
            out.push(char::from(DIGITS[usize::from(b & 0xF)]));
        }
        out
    }

    /// The bytes, giving up the wrapper.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for HexBinary {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl Deref for HexBinary {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Lexical for HexBinary {
    const TYPE: &'static SimpleType = &HEX_BINARY;

    fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
        HexBinary::from_hex(text)
    }

    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.to_hex())
    }
}
lexical_model!(HexBinary, |v, c, p| check_length(c, p, v.0.len(), "bytes"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        assert_eq!(HexBinary::from_hex(" 0fA0 \n").unwrap().0, [0x0f, 0xa0]);
        assert_eq!(HexBinary(vec![0, 0xab, 0xff]).to_hex(), "00ABFF");
        assert_eq!(HexBinary::from_hex("").unwrap().0, Vec::<u8>::new());
        for bad in ["0", "0g", "é1", "0 1"] {
            assert_eq!(
                HexBinary::from_hex(bad).unwrap_err().type_name,
                "hexBinary",
                "{bad}"
            );
        }
    }
}
