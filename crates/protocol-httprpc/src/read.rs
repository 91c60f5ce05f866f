//! [`FormReader`]: core's [`Deserializer`] over the form tree, driven by the model type:
//! a simple type takes the one value given for its key, a complex type its fields
//! (`key.field`), an array its repeated values or its indexed items (`key[i]`). Errors name
//! the key as the client wrote it (`person.name`, `people[1].age`).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;

use rpclib_core::model::{
    AnyXml, ByteArray, ComplexType, DeError, Deserializer, FieldVisitor, HexBinary, ItemVisitor,
    PolymorphicType, SimpleKind, TypeRef,
};

use crate::form::{Leaf, Node};

/// What a left-out array is read from: no values, no items.
static EMPTY: Node = Node {
    values: Vec::new(),
    fields: BTreeMap::new(),
    items: BTreeMap::new(),
};

/// Where a reader stands: on a key's node, or on one of its repeated values.
#[derive(Debug, Clone, Copy)]
enum At<'a> {
    Node(&'a Node),
    Leaf(&'a Leaf),
}

/// Reads model values from the form.
#[derive(Debug)]
pub(crate) struct FormReader<'a> {
    at: At<'a>,
    /// The key this reader stands on (empty for the message itself).
    key: String,
    /// Whether an error has been given its key (by the innermost reader that saw it).
    located: &'a Cell<bool>,
}

impl<'a> FormReader<'a> {
    /// A reader on the whole form (the message's parameters are its top-level keys).
    pub(crate) fn root(node: &'a Node, located: &'a Cell<bool>) -> Self {
        FormReader {
            at: At::Node(node),
            key: String::new(),
            located,
        }
    }

    fn child(&self, at: At<'a>, key: String) -> FormReader<'a> {
        FormReader {
            at,
            key,
            located: self.located,
        }
    }

    /// Adds this reader's key to `e`, unless a reader further in already did; the key
    /// becomes the error's field, the original error its source.
    pub(crate) fn locate(&self, e: DeError) -> DeError {
        if self.key.is_empty() || self.located.replace(true) {
            return e;
        }
        let message = format!("{} (key `{}`)", e.message(), self.key);
        DeError::with_kind(e.kind(), message)
            .in_field(&self.key)
            .caused_by(e)
    }

    /// `e`, whose message names this reader's key already: no reader adds it again.
    fn named(&self, e: DeError) -> DeError {
        self.located.set(true);
        e.in_field(&self.key)
    }

    /// The key's one value, or why there is not exactly one.
    fn one_value(&self, ty: &str) -> Result<&'a Leaf, DeError> {
        let node = match self.at {
            At::Leaf(leaf) => return Ok(leaf),
            At::Node(node) => node,
        };
        if let Some(name) = node.fields.keys().next() {
            return Err(DeError::unexpected(format!(
                "expected a value of `{ty}`, found the field key `{}.{name}`",
                self.key
            )));
        }
        if let Some(index) = node.items.keys().next() {
            return Err(DeError::unexpected(format!(
                "expected a value of `{ty}`, found the indexed key `{}[{index}]`",
                self.key
            )));
        }
        match node.values.as_slice() {
            [one] => Ok(one),
            [] => Err(DeError::unexpected(format!("expected a value of `{ty}`"))),
            many => Err(DeError::unexpected(format!(
                "expected one value of `{ty}`, the key is given {} times (only arrays repeat)",
                many.len()
            ))),
        }
    }
}

impl Deserializer for FormReader<'_> {
    /// A form has no nil: an optional parameter is left out by leaving its key out.
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(false)
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        let leaf = self.one_value(&ty.name())?;
        match leaf {
            Leaf::Text(text) => Ok(Cow::Borrowed(text)),
            // A file uploaded for a binary parameter: its bytes, in the type's lexical form.
            Leaf::Bytes { data, file: true } => match ty {
                TypeRef::Simple(s) if s.kind == SimpleKind::Binary => {
                    Ok(Cow::Owned(ByteArray::from(data.clone()).to_base64()))
                }
                TypeRef::Simple(s) if s.name == "hexBinary" => {
                    Ok(Cow::Owned(HexBinary::from(data.clone()).to_hex()))
                }
                _ => std::str::from_utf8(data).map(Cow::Borrowed).map_err(|_| {
                    DeError::unexpected(format!(
                        "the uploaded file is not UTF-8 text, which `{}` needs",
                        ty.name()
                    ))
                }),
            },
            Leaf::Bytes { .. } => Err(DeError::unexpected(format!(
                "the value is not UTF-8 text once percent-decoded, which `{}` needs",
                ty.name()
            ))),
        }
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let node = match self.at {
            At::Node(node) if node.values.is_empty() && node.items.is_empty() => node,
            _ => {
                return Err(self.named(DeError::unexpected(format!(
                    "`{}` is a `{}`: give its fields as `{}.<field>` keys",
                    self.key, ty.name, self.key
                ))));
            }
        };
        let fields = ty.all_fields();
        for (name, child) in &node.fields {
            let key = if self.key.is_empty() {
                name.clone()
            } else {
                format!("{}.{name}", self.key)
            };
            let Some(index) = fields.iter().position(|f| f.name == name) else {
                let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                self.located.set(true);
                return Err(DeError::unexpected(format!(
                    "unexpected key `{key}` (`{}` has: {})",
                    ty.name,
                    if known.is_empty() {
                        "no fields".to_owned()
                    } else {
                        known.join(", ")
                    }
                ))
                .in_field(&key));
            };
            let mut reader = self.child(At::Node(child), key);
            visit(index, &mut reader).map_err(|e| reader.locate(e))?;
        }
        // A form cannot send an empty array, so a required array left out is one.
        for (index, field) in fields.iter().enumerate() {
            if field.min_occurs > 0
                && matches!((field.ty)(), TypeRef::Array(_))
                && !node.fields.contains_key(field.name)
            {
                let key = if self.key.is_empty() {
                    field.name.to_owned()
                } else {
                    format!("{}.{}", self.key, field.name)
                };
                let mut reader = self.child(At::Node(&EMPTY), key);
                visit(index, &mut reader).map_err(|e| reader.locate(e))?;
            }
        }
        Ok(())
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        let node = match self.at {
            At::Node(node) if node.fields.is_empty() => node,
            _ => {
                return Err(self.named(DeError::unexpected(format!(
                    "`{}` is an array of `{}`: repeat the key or give `{}[i]` keys",
                    self.key,
                    item.name(),
                    self.key
                ))));
            }
        };
        if !node.values.is_empty() && !node.items.is_empty() {
            return Err(self.named(DeError::unexpected(format!(
                "`{}` is given both as repeated keys and as `{}[i]` keys: use one form",
                self.key, self.key
            ))));
        }
        for (i, leaf) in node.values.iter().enumerate() {
            let mut reader = self.child(At::Leaf(leaf), format!("{}[{i}]", self.key));
            visit(&mut reader).map_err(|e| reader.locate(e))?;
        }
        // Indices must count 0, 1, 2...: a gap would leave an item nobody sent.
        for (expected, (index, child)) in node.items.iter().enumerate() {
            if *index != expected {
                return Err(self.named(DeError::unexpected(format!(
                    "`{}` has no item {expected}: array indices count from 0 without gaps",
                    self.key
                ))));
            }
            let mut reader = self.child(At::Node(child), format!("{}[{index}]", self.key));
            visit(&mut reader).map_err(|e| reader.locate(e))?;
        }
        Ok(())
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        match self.one_value("anyType")? {
            Leaf::Text(text) => Ok(AnyXml::new(text.as_str())),
            Leaf::Bytes { data, .. } => std::str::from_utf8(data)
                .map(AnyXml::new)
                .map_err(|_| DeError::unexpected("the XML value is not UTF-8 text")),
        }
    }

    /// Form keys have no way to say which subtype a value is: refused, naming the type.
    fn read_polymorphic(
        &mut self,
        ty: &'static PolymorphicType,
        _visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        Err(self.locate(DeError::unexpected(format!(
            "HttpRpc cannot read the polymorphic value `{}` (`{}` or a subtype): form keys \
             cannot say which type a value has; call this method over JSON or SOAP",
            ty.name(),
            (ty.base)().name
        ))))
    }
}
