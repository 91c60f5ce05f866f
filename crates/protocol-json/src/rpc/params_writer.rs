//! A request's `params` as an array ([`ParamStyle::Positional`](super::ParamStyle)): the
//! inverse of [`Positional`](super::params::Positional), for a client.

use rpclib_core::model::{
    AnyXml, ChoiceType, ComplexType, FieldDescriptor, SerError, SerializeValue, Serializer, TypeRef,
};

use crate::write::JsonWriter;

/// Writes a request message as a `params` array, its parts in declaration order (an absent
/// optional part as `null`, keeping the later ones in place). Only the message's top level
/// is handled here: every value inside goes straight to the [`JsonWriter`].
#[derive(Debug)]
pub(crate) struct PositionalWriter<'w> {
    inner: &'w mut JsonWriter,
    /// The message's parts, once its `begin_complex` is seen, and how many were written.
    top: Option<(Vec<&'static FieldDescriptor>, usize)>,
    /// Whether the message is closed.
    done: bool,
}

impl<'w> PositionalWriter<'w> {
    pub(crate) fn new(inner: &'w mut JsonWriter) -> Self {
        PositionalWriter {
            inner,
            top: None,
            done: false,
        }
    }
}

impl Serializer for PositionalWriter<'_> {
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
        if self.top.is_some() || self.done {
            return Err(SerError::new("JSON-RPC params: a second top-level value"));
        }
        self.top = Some((ty.all_fields(), 0));
        self.inner.begin_array();
        Ok(())
    }

    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let Some((fields, written)) = &mut self.top else {
            return Err(SerError::new("JSON-RPC params: a part outside the message"));
        };
        // Positions are the declaration order: a part may only come at its own.
        if !fields
            .get(*written)
            .is_some_and(|expected| std::ptr::eq(*expected, field))
        {
            return Err(SerError::new(format!(
                "JSON-RPC positional params: the part `{}` is not at its declared position",
                field.name
            )));
        }
        *written += 1;
        self.inner.item();
        value.serialize_value(self.inner)
    }

    fn end_complex(&mut self) -> Result<(), SerError> {
        if self.top.take().is_none() {
            return Err(SerError::new("JSON-RPC params: end without begin"));
        }
        self.done = true;
        self.inner.end_array()
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
