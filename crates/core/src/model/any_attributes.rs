//! [`AnyAttributes`]: the attributes an attribute wildcard (`xs:anyAttribute`) lets through,
//! kept in document order.
//!
//! A field of this type is a [`FieldKind::AnyAttribute`](super::FieldKind::AnyAttribute)
//! field (`#[model(any_attribute)]`): in XML its attributes stand on the element of the
//! enclosing type beside the declared ones; formats with keys (JSON, MessagePack) carry them
//! as one object of [Clark-notation](super::QName#clark-notation) names (`{namespace}local`)
//! to strings under the field's name.

use super::{
    DeError, Deserializer, LexicalError, Model, QName, SerError, SerErrorKind, Serializer, TypeRef,
};

/// The namespace of namespace declarations (`xmlns`, `xmlns:p`), which are never attributes
/// of the data.
pub const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// The namespace of `xml:lang`, `xml:space` and the other `xml:` attributes.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// One attribute an attribute wildcard took: a qualified name and its value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnyAttribute {
    name: QName,
    value: String,
}

impl AnyAttribute {
    /// The attribute's name (namespace `""`: unqualified).
    pub fn name(&self) -> &QName {
        &self.name
    }

    /// The attribute's value, as read (entity references resolved).
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// The attributes of an element that no declared attribute field claims and the type's
/// attribute wildcard (`xs:anyAttribute`) allows, in document order.
///
/// An empty list is what an element without such attributes reads as, so the field is never
/// missing. Names are [`QName`]s; namespace declarations (`xmlns`, `xmlns:p`) are refused,
/// since the XML writer declares the prefixes itself. A name may appear once: the XML writer
/// refuses a list holding one twice, or one of a declared attribute field of the type
/// (checked when written, so that reading thousands of attributes stays linear).
///
/// ```
/// use rpclib_core::model::value::{from_value, to_value, Value};
/// use rpclib_core::model::{AnyAttributes, QName};
///
/// let mut attrs = AnyAttributes::new();
/// attrs.push(QName::new("urn:ext", "color").unwrap(), "red").unwrap();
/// attrs.push(QName::new("", "size").unwrap(), "9").unwrap();
/// assert_eq!(attrs.get("urn:ext", "color"), Some("red"));
/// let v = to_value(&attrs).unwrap();
/// assert_eq!(
///     v,
///     Value::Complex(vec![
///         ("{urn:ext}color".into(), Value::Simple("red".into())),
///         ("size".into(), Value::Simple("9".into())),
///     ])
/// );
/// assert_eq!(from_value::<AnyAttributes>(&v).unwrap(), attrs);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyAttributes {
    items: Vec<AnyAttribute>,
}

impl AnyAttributes {
    /// An empty list.
    pub fn new() -> Self {
        AnyAttributes::default()
    }

    /// Appends the attribute `name="value"`; an error for a namespace declaration (`xmlns`,
    /// or a name in the `xmlns` namespace), which is markup, not data.
    pub fn push(&mut self, name: QName, value: impl Into<String>) -> Result<(), LexicalError> {
        if is_declaration(name.namespace(), name.local_name()) {
            return Err(LexicalError::new(
                "anyAttribute",
                &name.to_string(),
                "a namespace declaration (xmlns) is not an attribute a wildcard can carry",
            ));
        }
        self.items.push(AnyAttribute {
            name,
            value: value.into(),
        });
        Ok(())
    }

    /// The value of the attribute `{namespace}local`, if present (a linear search).
    pub fn get(&self, namespace: &str, local: &str) -> Option<&str> {
        self.items
            .iter()
            .find(|a| a.name.namespace() == namespace && a.name.local_name() == local)
            .map(|a| a.value.as_str())
    }

    /// The attributes in order.
    pub fn iter(&self) -> std::slice::Iter<'_, AnyAttribute> {
        self.items.iter()
    }

    /// How many attributes there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<'a> IntoIterator for &'a AnyAttributes {
    type Item = &'a AnyAttribute;
    type IntoIter = std::slice::Iter<'a, AnyAttribute>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Whether `{ns}local` is a namespace declaration rather than an attribute.
fn is_declaration(ns: &str, local: &str) -> bool {
    ns == XMLNS_NS || (ns.is_empty() && local == "xmlns")
}

impl Model for AnyAttributes {
    /// Not a type of its own in XSD (the field is written `<xs:anyAttribute>`): `anyType`
    /// stands for it where a type name is asked for.
    fn type_ref() -> TypeRef {
        TypeRef::Any
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.write_any_attributes(self)
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        d.read_any_attributes()
    }

    /// An element without wildcard attributes reads as an empty list.
    fn absent() -> Option<Self> {
        Some(AnyAttributes::new())
    }
}

/// Reads the Clark-notation keys and string values that formats with keys (JSON,
/// MessagePack, the value tree) carry an [`AnyAttributes`] as: `entries` yields each key and
/// value in order; a key that is no QName, or a namespace declaration, is an error naming it.
pub fn any_attributes_from_clark<'a>(
    entries: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<AnyAttributes, DeError> {
    let mut out = AnyAttributes::new();
    for (key, value) in entries {
        let name = QName::from_clark(key).map_err(|e| DeError::from(e).in_field(key))?;
        out.push(name, value)
            .map_err(|e| DeError::from(e).in_field(key))?;
    }
    Ok(out)
}

/// The error of a format that has no way to write wildcard attributes.
pub(crate) fn unrepresentable() -> SerError {
    SerError::with_kind(
        SerErrorKind::Unrepresentable,
        "this format cannot write wildcard attributes (xs:anyAttribute)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_declarations_are_refused() {
        let mut a = AnyAttributes::new();
        assert!(a.push(QName::new("", "xmlns").unwrap(), "urn:x").is_err());
        assert!(a.push(QName::new(XMLNS_NS, "p").unwrap(), "urn:x").is_err());
        assert!(a.push(QName::new(XML_NS, "lang").unwrap(), "en").is_ok());
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn clark_keys_are_checked() {
        let ok = any_attributes_from_clark([("{urn:a}b", "1"), ("c", "2")]).unwrap();
        assert_eq!(ok.get("urn:a", "b"), Some("1"));
        assert_eq!(ok.get("", "c"), Some("2"));
        let e = any_attributes_from_clark([("{urn:a}b:c", "1")]).unwrap_err();
        assert!(e.to_string().contains("b:c"), "{e}");
        assert!(any_attributes_from_clark([("xmlns", "urn:x")]).is_err());
    }
}
