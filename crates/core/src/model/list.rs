//! [`XmlList<T>`]: a list of simple values in one text (`xs:list`).

use std::borrow::Cow;
use std::ops::{Deref, DerefMut};

use super::validate::check_items;
use super::{
    AnyXml, ChoiceType, ComplexType, Constraints, DeError, DeErrorKind, Deserializer,
    FieldDescriptor, FieldPath, FieldVisitor, ItemVisitor, Model, NamespaceScope, QualifiedVisitor,
    SerError, SerErrorKind, SerializeValue, Serializer, TypeRef, ValidationError, holds_qnames,
};

/// A list of simple values travelling as one text, items separated by whitespace
/// (`xs:list`), in an element or an attribute: `<scopes>a b c</scopes>`.
///
/// The item type is any simple model type (a built-in or a `SimpleEnum`); an item whose
/// lexical form is empty or holds whitespace cannot be written (it would not read back as
/// one item). Reading splits on XML whitespace and reads each item as its type, so a bad item
/// is an error naming its index. Item-count constraints (`min_items`, `max_items`) apply to
/// the list, every other constraint to each item. In JSON and MessagePack the list is the
/// same one string.
///
/// ```
/// use rpclib_core::model::XmlList;
/// use rpclib_core::model::value::{from_value, to_value, Value};
///
/// let v = to_value(&XmlList(vec![1i32, 2, 3])).unwrap();
/// assert_eq!(v, Value::Simple("1 2 3".into()));
/// let back: XmlList<i32> = from_value(&Value::Simple(" 4\n 5 ".into())).unwrap();
/// assert_eq!(back.0, [4, 5]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct XmlList<T>(pub Vec<T>);

impl<T> Deref for XmlList<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> DerefMut for XmlList<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> From<Vec<T>> for XmlList<T> {
    fn from(v: Vec<T>) -> Self {
        XmlList(v)
    }
}

impl<T> FromIterator<T> for XmlList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        XmlList(iter.into_iter().collect())
    }
}

/// XML's whitespace characters, which separate list items.
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

impl<T: Model> Model for XmlList<T> {
    fn type_ref() -> TypeRef {
        TypeRef::List(T::type_ref)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        let mut text = String::new();
        let mut names: Vec<(String, String)> = Vec::new();
        for (i, item) in self.0.iter().enumerate() {
            let mut capture = ItemText::default();
            item.serialize(&mut capture)?;
            if let Some(mut qualified) = capture.names {
                // QNames: the format writes them, with whatever prefixes it declares.
                names.append(&mut qualified);
                continue;
            }
            let Some(piece) = capture.text else {
                return Err(not_simple(i));
            };
            if piece.is_empty() || piece.contains(is_xml_space) {
                return Err(SerError::with_kind(
                    SerErrorKind::Unrepresentable,
                    format!(
                        "list item {i} is `{piece}`: an item of an xs:list cannot be empty or hold whitespace"
                    ),
                ));
            }
            if i > 0 {
                text.push(' ');
            }
            text.push_str(&piece);
        }
        if !names.is_empty() {
            let pairs: Vec<(&str, &str)> = names
                .iter()
                .map(|(ns, local)| (ns.as_str(), local.as_str()))
                .collect();
            return s.write_qualified(Self::type_ref(), &pairs);
        }
        s.write_simple(Self::type_ref(), &text)
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        let mut out = Vec::new();
        let mut read = |text: &str, scope: Option<&dyn NamespaceScope>| {
            for (i, piece) in text
                .split(is_xml_space)
                .filter(|p| !p.is_empty())
                .enumerate()
            {
                let item = T::deserialize(&mut ItemReader {
                    text: Some(piece),
                    scope,
                })
                .map_err(|e| {
                    DeError::with_kind(e.kind(), format!("list item {i} (`{piece}`): {e}"))
                })?;
                out.push(item);
            }
            Ok(())
        };
        if holds_qnames(Self::type_ref()) {
            d.read_qualified(Self::type_ref(), &mut read)?;
        } else {
            let text = d.read_simple(Self::type_ref())?;
            read(&text, None)?;
        }
        Ok(XmlList(out))
    }

    fn validate(&self, c: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        check_items(c, path, self.0.len())?;
        for (i, item) in self.0.iter().enumerate() {
            path.push_index(i);
            let result = item.validate(c, path);
            path.pop();
            result?;
        }
        Ok(())
    }
}

fn not_simple(index: usize) -> SerError {
    SerError::with_kind(
        SerErrorKind::Unrepresentable,
        format!("list item {index} is not a simple value: an xs:list holds simple values only"),
    )
}

/// Captures the lexical form of one simple value (or the names of a QName).
#[derive(Default)]
struct ItemText {
    text: Option<String>,
    names: Option<Vec<(String, String)>>,
}

impl ItemText {
    fn refuse<T>(&self) -> Result<T, SerError> {
        Err(not_simple(0))
    }
}

impl Serializer for ItemText {
    fn write_simple(&mut self, _ty: TypeRef, text: &str) -> Result<(), SerError> {
        self.text = Some(text.to_owned());
        Ok(())
    }
    fn write_qualified(&mut self, _ty: TypeRef, names: &[(&str, &str)]) -> Result<(), SerError> {
        self.names = Some(
            names
                .iter()
                .map(|&(ns, local)| (ns.to_owned(), local.to_owned()))
                .collect(),
        );
        Ok(())
    }
    fn write_nil(&mut self) -> Result<(), SerError> {
        self.refuse()
    }
    fn begin_complex(&mut self, _: &'static ComplexType) -> Result<(), SerError> {
        self.refuse()
    }
    fn write_field(
        &mut self,
        _: &'static FieldDescriptor,
        _: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        self.refuse()
    }
    fn end_complex(&mut self) -> Result<(), SerError> {
        self.refuse()
    }
    fn begin_seq(&mut self, _: TypeRef, _: usize) -> Result<(), SerError> {
        self.refuse()
    }
    fn write_item(&mut self, _: &dyn SerializeValue) -> Result<(), SerError> {
        self.refuse()
    }
    fn end_seq(&mut self) -> Result<(), SerError> {
        self.refuse()
    }
    fn write_any(&mut self, _: &AnyXml) -> Result<(), SerError> {
        self.refuse()
    }
    fn write_choice(
        &mut self,
        _: &'static ChoiceType,
        _: usize,
        _: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        self.refuse()
    }
}

/// Hands one item's text to the item type (with the list's namespace scope, for QNames).
struct ItemReader<'t, 's> {
    text: Option<&'t str>,
    scope: Option<&'s dyn NamespaceScope>,
}

fn not_simple_de() -> DeError {
    DeError::with_kind(
        DeErrorKind::Unexpected,
        "an xs:list holds simple values only",
    )
}

impl Deserializer for ItemReader<'_, '_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(false)
    }
    fn read_simple(&mut self, _ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        self.text
            .take()
            .map(Cow::Borrowed)
            .ok_or_else(not_simple_de)
    }
    fn read_qualified(
        &mut self,
        _ty: TypeRef,
        visit: &mut QualifiedVisitor<'_>,
    ) -> Result<(), DeError> {
        let text = self.text.take().ok_or_else(not_simple_de)?;
        visit(text, self.scope)
    }
    fn read_complex(
        &mut self,
        _: &'static ComplexType,
        _: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        Err(not_simple_de())
    }
    fn read_seq(&mut self, _: TypeRef, _: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        Err(not_simple_de())
    }
    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        Err(not_simple_de())
    }
    fn read_choice(
        &mut self,
        _: &'static ChoiceType,
        _: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        Err(not_simple_de())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::{Value, from_value, to_value};

    #[test]
    fn a_bad_item_is_named_by_its_index() {
        let e = from_value::<XmlList<i32>>(&Value::Simple("1 x 3".into())).unwrap_err();
        assert_eq!(e.kind(), DeErrorKind::Lexical);
        assert!(e.to_string().contains("list item 1 (`x`)"), "{e}");
    }

    #[test]
    fn an_item_with_whitespace_cannot_be_written() {
        let e = to_value(&XmlList(vec!["a b".to_owned()])).unwrap_err();
        assert!(e.to_string().contains("list item 0 is `a b`"), "{e}");
        assert!(to_value(&XmlList(vec![String::new()])).is_err());
    }

    #[test]
    fn an_empty_list_is_an_empty_text() {
        let v = to_value(&XmlList::<i32>(vec![])).unwrap();
        assert_eq!(v, Value::Simple(String::new()));
        assert!(from_value::<XmlList<i32>>(&v).unwrap().is_empty());
    }
}
