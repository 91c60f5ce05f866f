//! The `result` member: a method's return value itself, not the message around it.

use rpclib_core::model::{
    AnyXml, ChoiceType, ComplexType, FieldDescriptor, SerError, SerializeValue, Serializer, TypeRef,
};

use crate::write::JsonWriter;

/// How the output message's top level is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Nothing seen yet (or a bare message's value: written as it is).
    Top,
    /// A message of one part (a method's return value): the part's value only.
    Single { written: bool },
    /// A message of no parts (a method returning nothing): `null`.
    Empty,
    /// Several parts (out parameters): an object, one member per part.
    Object,
}

/// Writes a reply message as the JSON-RPC `result`: the return value for a method with one
/// (`"result": ["Hello, Dave"]`), `null` for a method without, an object of the parts for a
/// method with several out parameters. Only the message's top level is handled here:
/// everything inside goes straight to the [`JsonWriter`].
#[derive(Debug)]
pub(crate) struct ResultWriter<'w> {
    inner: &'w mut JsonWriter,
    shape: Shape,
}

impl<'w> ResultWriter<'w> {
    pub(crate) fn new(inner: &'w mut JsonWriter) -> Self {
        ResultWriter {
            inner,
            shape: Shape::Top,
        }
    }
}

impl Serializer for ResultWriter<'_> {
    fn write_simple(&mut self, ty: TypeRef, text: &str) -> Result<(), SerError> {
        self.inner.write_simple(ty, text)
    }

    fn write_integer(&mut self, ty: TypeRef, value: i128) -> Result<(), SerError> {
        self.inner.write_integer(ty, value)
    }

    fn write_nil(&mut self) -> Result<(), SerError> {
        self.inner.write_nil()
    }

    fn begin_complex(&mut self, ty: &'static ComplexType) -> Result<(), SerError> {
        if self.shape != Shape::Top {
            return Err(SerError::new("JSON-RPC result: a second top-level value"));
        }
        self.shape = match ty.all_fields().len() {
            0 => Shape::Empty,
            1 => Shape::Single { written: false },
            _ => {
                self.inner.begin_complex(ty)?;
                Shape::Object
            }
        };
        Ok(())
    }

    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        match &mut self.shape {
            Shape::Single { written } if !*written => {
                *written = true;
                value.serialize_value(self.inner)
            }
            Shape::Object => self.inner.write_field(field, value),
            _ => Err(SerError::new(format!(
                "JSON-RPC result: unexpected part `{}`",
                field.name
            ))),
        }
    }

    fn end_complex(&mut self) -> Result<(), SerError> {
        match self.shape {
            Shape::Single { written: false } | Shape::Empty => self.inner.write_nil(),
            Shape::Single { written: true } => Ok(()),
            Shape::Object => self.inner.end_complex(),
            Shape::Top => Err(SerError::new("JSON-RPC result: end without begin")),
        }
    }

    fn begin_seq(&mut self, item: TypeRef, len: usize) -> Result<(), SerError> {
        self.inner.begin_seq(item, len)
    }

    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        self.inner.write_item(value)
    }

    fn end_seq(&mut self) -> Result<(), SerError> {
        self.inner.end_seq()
    }

    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError> {
        self.inner.write_any(xml)
    }

    fn write_choice(
        &mut self,
        ty: &'static ChoiceType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        self.inner.write_choice(ty, variant, value)
    }
}
