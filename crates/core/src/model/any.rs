//! Raw XML values (`xs:anyType`).

use super::{DeError, Deserializer, Model, SerError, Serializer, TypeRef};

/// A fragment of raw XML carried as is: the serialized text of one element (or mixed
/// content), with every namespace it uses declared inside it.
///
/// Protocols check that a fragment is well-formed before writing it and capture incoming
/// content with the namespace declarations it needs, so the text can be stored and re-sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyXml(String);

impl AnyXml {
    /// Wraps serialized XML. Well-formedness is checked by the protocol that writes it.
    pub fn new(xml: impl Into<String>) -> Self {
        AnyXml(xml.into())
    }

    /// The XML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the XML text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Model for AnyXml {
    fn type_ref() -> TypeRef {
        TypeRef::Any
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.write_any(self)
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        d.read_any()
    }
}
