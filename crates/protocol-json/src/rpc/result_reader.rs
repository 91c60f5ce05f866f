//! The `result` member read back into a method's response message: the inverse of
//! [`ResultWriter`](super::result::ResultWriter), for a client.

use std::borrow::Cow;
use std::cell::Cell;

use rpclib_core::model::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, DeError, Deserializer, FieldVisitor,
    IntegerItemVisitor, ItemVisitor, PolymorphicType, QualifiedVisitor, TypeRef,
};

use crate::read::{JsonReader, Path};
use crate::value::JsonValue;

/// Reads a wrapped method's response message from `result`: a message of one part (the
/// return value) from the value itself, of no parts from anything (`null` by the spec's
/// servers; a method returning nothing has nothing to misread), of several parts (out
/// parameters) from an object of them. Only the message's top level is handled here: every
/// value inside is read by the [`JsonReader`].
#[derive(Debug)]
pub(crate) struct ResultReader<'a> {
    whole: JsonReader<'a>,
    path: Path<'a>,
    located: &'a Cell<bool>,
}

impl<'a> ResultReader<'a> {
    pub(crate) fn new(value: &'a mut JsonValue, path: Path<'a>, located: &'a Cell<bool>) -> Self {
        ResultReader {
            whole: JsonReader::new(value, path, located),
            path,
            located,
        }
    }

    /// See [`JsonReader::locate`].
    pub(crate) fn locate(&self, e: DeError) -> DeError {
        self.whole.locate(e)
    }
}

impl Deserializer for ResultReader<'_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        self.whole.read_nil()
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        self.whole.read_simple(ty)
    }

    fn read_qualified(
        &mut self,
        ty: TypeRef,
        visit: &mut QualifiedVisitor<'_>,
    ) -> Result<(), DeError> {
        self.whole.read_qualified(ty, visit)
    }

    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        self.whole.read_integer(ty)
    }

    fn read_integer_items(
        &mut self,
        item: TypeRef,
        visit: &mut IntegerItemVisitor<'_>,
    ) -> Result<(), DeError> {
        self.whole.read_integer_items(item, visit)
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let fields = ty.all_fields();
        match fields.as_slice() {
            [] => Ok(()),
            [field] => {
                let path = self.path;
                let value = self.whole.value_mut();
                if matches!(value, JsonValue::Null) && !field.nillable {
                    if field.min_occurs > 0 {
                        return Err(DeError::unexpected(format!(
                            "the result (`{}`) is null but the method's return value is \
                             required and not nillable",
                            field.name
                        ))
                        .in_field(field.name));
                    }
                    // An optional return value given as null is absent.
                    return Ok(());
                }
                let mut child = JsonReader::new(value, path, self.located);
                visit(0, &mut child).map_err(|e| child.locate(e))
            }
            _ => self.whole.read_complex(ty, visit),
        }
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        self.whole.read_seq(item, visit)
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        self.whole.read_any()
    }

    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        self.whole.read_any_attributes()
    }

    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        self.whole.read_choice(ty, visit)
    }

    fn read_polymorphic(
        &mut self,
        ty: &'static PolymorphicType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        self.whole.read_polymorphic(ty, visit)
    }
}
