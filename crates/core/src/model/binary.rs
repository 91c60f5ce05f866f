//! `xs:base64Binary` values: a byte vector with its base64 lexical form.

use std::ops::Deref;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::model::LexicalError;

/// Binary data (`xs:base64Binary`), written as standard base64 with padding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ByteArray(pub Vec<u8>);

impl ByteArray {
    /// Decodes standard base64 (`A-Z a-z 0-9 + /`, padding required); XML whitespace
    /// (space, tab, CR, LF) anywhere in the text is ignored. The empty text is the empty array.
    pub fn from_base64(text: &str) -> Result<Self, LexicalError> {
        let compact: String = text
            .chars()
            .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'))
            .collect();
        STANDARD.decode(compact.as_bytes()).map(Self).map_err(|e| {
            LexicalError::new(
                "base64Binary",
                text.trim_matches([' ', '\t', '\r', '\n']),
                e.to_string(),
            )
        })
    }

    /// Encodes as standard base64 with padding, on one line.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// The bytes, giving up the wrapper.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for ByteArray {
    fn from(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl From<&[u8]> for ByteArray {
    fn from(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }
}

impl From<ByteArray> for Vec<u8> {
    fn from(bytes: ByteArray) -> Self {
        bytes.0
    }
}

impl Deref for ByteArray {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for ByteArray {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_inputs() {
        let cases: [(&str, &[u8]); 7] = [
            ("", b""),
            ("  \r\n ", b""),
            ("Zg==", b"f"),
            ("Zm8=", b"fo"),
            ("Zm9v", b"foo"),
            ("Zm9v\nYmFy\r\n", b"foobar"),
            (" Z m 9 v\tYg = = ", b"foob"),
        ];
        for (text, bytes) in cases {
            let got = ByteArray::from_base64(text);
            assert_eq!(got.as_ref().map(|b| &b[..]), Ok(bytes), "{text:?}");
        }
        assert_eq!(ByteArray::from(vec![0xfb, 0xff]).to_base64(), "+/8=");
        assert_eq!(ByteArray::from(&b"foobar"[..]).to_base64(), "Zm9vYmFy");
    }

    #[test]
    fn invalid_inputs() {
        for text in [
            "Zg",
            "Zg=",
            "Zm9",
            "Z===",
            "Zm9v-_8=",
            "Zm9v\u{a0}",
            "Zh==",
            "é",
            "Zg==Zg==",
            "====",
            "Zm9v\u{3000}",
        ] {
            let err = ByteArray::from_base64(text).err();
            assert_eq!(err.map(|e| e.type_name), Some("base64Binary"), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let b = ByteArray(bytes);
            let text = b.to_base64();
            prop_assert_eq!(ByteArray::from_base64(&text), Ok(b.clone()));
            let wrapped: String = text.chars().enumerate().flat_map(|(i, c)| (i % 7 == 6).then_some('\n').into_iter().chain([c])).collect();
            prop_assert_eq!(ByteArray::from_base64(&wrapped), Ok(b));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,40}") {
            let _ = ByteArray::from_base64(&s);
        }
    }
}
