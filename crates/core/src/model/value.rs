//! A format-neutral value tree, and a serializer and deserializer for it.
//!
//! It is the reference implementation of [`Serializer`] and [`Deserializer`]: tests use it to
//! check models without a wire format, and it shows protocol authors what each call means.
//!
//! ```
//! use rpclib_core::model::value::{from_value, to_value, Value};
//!
//! let v = to_value(&vec![1i32, 2]).unwrap();
//! assert_eq!(v, Value::Seq(vec![Value::Simple("1".into()), Value::Simple("2".into())]));
//! assert_eq!(from_value::<Vec<i32>>(&v).unwrap(), vec![1, 2]);
//! ```

use std::borrow::Cow;

use super::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, DeError, Deserializer, FieldDescriptor,
    FieldVisitor, ItemVisitor, Model, SerError, SerErrorKind, SerializeValue, Serializer, TypeRef,
};

/// A value as a tree: what a protocol document holds, minus its syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// An absent value.
    Nil,
    /// A simple value in its lexical form.
    Simple(String),
    /// A complex value: its present fields, by element name, in order.
    Complex(Vec<(String, Value)>),
    /// An array.
    Seq(Vec<Value>),
    /// Raw XML.
    Any(String),
}

/// Serializes a value into a [`Value`].
pub fn to_value<T: Model>(value: &T) -> Result<Value, SerError> {
    let mut s = ValueSerializer::default();
    value.serialize(&mut s)?;
    s.finish()
}

/// Deserializes a value from a [`Value`].
pub fn from_value<T: Model>(value: &Value) -> Result<T, DeError> {
    T::deserialize(&mut ValueDeserializer { value })
}

/// Builds a [`Value`] from serializer events.
#[derive(Debug, Default)]
pub struct ValueSerializer {
    stack: Vec<Value>,
    done: Option<Value>,
}

impl ValueSerializer {
    /// The finished value.
    pub fn finish(self) -> Result<Value, SerError> {
        self.done.ok_or_else(|| {
            SerError::with_kind(SerErrorKind::Internal, "no complete value was written")
        })
    }

    fn emit(&mut self, v: Value) -> Result<(), SerError> {
        match self.stack.last_mut() {
            None if self.done.is_none() => {
                self.done = Some(v);
                Ok(())
            }
            Some(Value::Seq(items)) => {
                items.push(v);
                Ok(())
            }
            _ => Err(SerError::with_kind(
                SerErrorKind::Internal,
                "a value was written where none was expected",
            )),
        }
    }

    fn close(&mut self) -> Result<(), SerError> {
        let v = self
            .stack
            .pop()
            .ok_or_else(|| SerError::with_kind(SerErrorKind::Internal, "end without begin"))?;
        self.emit(v)
    }
}

impl Serializer for ValueSerializer {
    fn write_simple(&mut self, _ty: TypeRef, text: &str) -> Result<(), SerError> {
        self.emit(Value::Simple(text.to_owned()))
    }

    fn write_nil(&mut self) -> Result<(), SerError> {
        self.emit(Value::Nil)
    }

    fn begin_complex(&mut self, _ty: &'static ComplexType) -> Result<(), SerError> {
        self.stack.push(Value::Complex(Vec::new()));
        Ok(())
    }

    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let mut sub = ValueSerializer::default();
        value.serialize_value(&mut sub)?;
        let v = sub.finish()?;
        match self.stack.last_mut() {
            Some(Value::Complex(fields)) => {
                if v != Value::Nil {
                    fields.push((field.name.to_owned(), v));
                }
                Ok(())
            }
            _ => Err(SerError::with_kind(
                SerErrorKind::Internal,
                "field outside a complex value",
            )),
        }
    }

    fn end_complex(&mut self) -> Result<(), SerError> {
        self.close()
    }

    fn begin_seq(&mut self, _item: TypeRef, len: usize) -> Result<(), SerError> {
        self.stack.push(Value::Seq(Vec::with_capacity(len)));
        Ok(())
    }

    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        value.serialize_value(self)
    }

    fn end_seq(&mut self) -> Result<(), SerError> {
        self.close()
    }

    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError> {
        self.emit(Value::Any(xml.as_str().to_owned()))
    }

    /// Wildcard attributes are a complex value of Clark-notation names to simple values.
    fn write_any_attributes(&mut self, attrs: &AnyAttributes) -> Result<(), SerError> {
        let fields = attrs
            .iter()
            .map(|a| (a.name().to_string(), Value::Simple(a.value().to_owned())))
            .collect();
        self.emit(Value::Complex(fields))
    }

    /// A choice is a complex value with one field: the alternative present.
    fn write_choice(
        &mut self,
        ty: &'static ChoiceType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let field = ty.variants.get(variant).ok_or_else(|| {
            SerError::with_kind(
                SerErrorKind::Internal,
                format!("internal: no alternative {variant} in `{}`", ty.name),
            )
        })?;
        let mut sub = ValueSerializer::default();
        value.serialize_value(&mut sub)?;
        let v = sub.finish()?;
        self.emit(Value::Complex(vec![(field.name.to_owned(), v)]))
    }
}

/// Reads a [`Value`] back into model types.
#[derive(Debug)]
pub struct ValueDeserializer<'v> {
    value: &'v Value,
}

impl<'v> ValueDeserializer<'v> {
    /// A deserializer over `value`.
    pub fn new(value: &'v Value) -> Self {
        ValueDeserializer { value }
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Simple(_) => "a simple value",
        Value::Complex(_) => "a complex value",
        Value::Seq(_) => "an array",
        Value::Any(_) => "raw XML",
    }
}

impl Deserializer for ValueDeserializer<'_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(matches!(self.value, Value::Nil))
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        match self.value {
            Value::Simple(s) => Ok(Cow::Borrowed(s)),
            other => Err(DeError::unexpected(format!(
                "expected xs:{}, found {}",
                ty.name(),
                kind(other)
            ))),
        }
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let Value::Complex(fields) = self.value else {
            return Err(DeError::unexpected(format!(
                "expected {}, found {}",
                ty.name,
                kind(self.value)
            )));
        };
        // Looked up in place (`field_at`), not in a collected `all_fields` list: no
        // allocation per value read.
        let count = ty.field_count();
        for (name, value) in fields {
            let index = (0..count)
                .position(|i| ty.field_at(i).is_some_and(|f| f.name == *name))
                .ok_or_else(|| {
                    DeError::unexpected(format!("unexpected element `{name}` in {}", ty.name))
                })?;
            visit(index, &mut ValueDeserializer { value })?;
        }
        Ok(())
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        let Value::Seq(items) = self.value else {
            return Err(DeError::unexpected(format!(
                "expected an array of {}, found {}",
                item.name(),
                kind(self.value)
            )));
        };
        for value in items {
            visit(&mut ValueDeserializer { value })?;
        }
        Ok(())
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        match self.value {
            Value::Any(s) => Ok(AnyXml::new(s.clone())),
            other => Err(DeError::unexpected(format!(
                "expected raw XML, found {}",
                kind(other)
            ))),
        }
    }

    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        let Value::Complex(fields) = self.value else {
            return Err(DeError::unexpected(format!(
                "expected wildcard attributes, found {}",
                kind(self.value)
            )));
        };
        let mut entries = Vec::with_capacity(fields.len());
        for (name, value) in fields {
            match value {
                Value::Simple(text) => entries.push((name.as_str(), text.as_str())),
                other => {
                    return Err(DeError::unexpected(format!(
                        "the wildcard attribute `{name}` holds {}, not a simple value",
                        kind(other)
                    )));
                }
            }
        }
        super::any_attributes_from_clark(entries)
    }

    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let Value::Complex(fields) = self.value else {
            return Err(DeError::unexpected(format!(
                "expected one of {}, found {}",
                ty.expected(),
                kind(self.value)
            )));
        };
        let [(name, value)] = fields.as_slice() else {
            return Err(DeError::unexpected(format!(
                "expected exactly one of {}, found {} values",
                ty.expected(),
                fields.len()
            )));
        };
        let index = ty
            .variants
            .iter()
            .position(|v| v.name == *name)
            .ok_or_else(|| {
                DeError::unexpected(format!(
                    "unexpected `{name}`: expected one of {}",
                    ty.expected()
                ))
            })?;
        visit(index, &mut ValueDeserializer { value })
    }
}
