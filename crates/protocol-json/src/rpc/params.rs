//! Positional params: a `params` array read into the method's parameters in declaration
//! order (named params, an object, are read by the document protocol's reader as they are).

use std::borrow::Cow;
use std::cell::Cell;

use rpclib_core::model::{
    AnyXml, ChoiceType, ComplexType, DeError, Deserializer, FieldVisitor, ItemVisitor, TypeRef,
};

use crate::read::{JsonReader, Path, Step};
use crate::value::JsonValue;

/// Reads the message's parts from a `params` array: item `i` is part `i`. Any other use
/// (a bare method's single value) reads the array itself, as the named form would.
#[derive(Debug)]
pub(crate) struct Positional<'a> {
    /// The array; its items are read through it.
    whole: JsonReader<'a>,
    path: Path<'a>,
    located: &'a Cell<bool>,
}

impl<'a> Positional<'a> {
    pub(crate) fn new(array: &'a mut JsonValue, path: Path<'a>, located: &'a Cell<bool>) -> Self {
        Positional {
            whole: JsonReader::new(array, path, located),
            path,
            located,
        }
    }

    /// See [`JsonReader::locate`].
    pub(crate) fn locate(&self, e: DeError) -> DeError {
        self.whole.locate(e)
    }
}

impl Deserializer for Positional<'_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(false)
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        self.whole.read_simple(ty)
    }

    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        self.whole.read_integer(ty)
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let fields = ty.all_fields();
        // Only an array is read positionally (see `new`'s caller).
        let items: &mut [JsonValue] = match self.whole.value_mut() {
            JsonValue::Array(items) => items,
            _ => &mut [],
        };
        if items.len() > fields.len() {
            let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
            return Err(DeError::unexpected(format!(
                "{} positional params given, but the method takes {} ({})",
                items.len(),
                fields.len(),
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )));
        }
        for (index, (value, field)) in items.iter_mut().zip(fields).enumerate() {
            if matches!(value, JsonValue::Null) && !field.nillable {
                if field.min_occurs > 0 {
                    return Err(DeError::unexpected(format!(
                        "param {index} (`{}`) is null but the parameter is required and not nillable",
                        field.name
                    ))
                    .in_field(field.name));
                }
                continue;
            }
            let mut child =
                JsonReader::new(value, self.path.child(Step::Index(index)), self.located);
            visit(index, &mut child).map_err(|e| child.locate(e))?;
        }
        Ok(())
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        self.whole.read_seq(item, visit)
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        self.whole.read_any()
    }

    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        self.whole.read_choice(ty, visit)
    }
}
