//! `params` of a bare method whose one parameter is a scalar (a string, a number, an
//! enumeration...): JSON-RPC's `params` must be an object or an array, so such a value goes
//! in one, `{"<part name>": value}` or `[value]`. A bare parameter of an object or array
//! type is `params` itself.

use rpclib_core::MessageDescriptor;
use rpclib_core::model::{DeError, FieldDescriptor, MaxOccurs, TypeRef};

use crate::value::JsonValue;

/// The part of a bare message whose value is a JSON scalar, if the message is one.
pub(crate) fn scalar_part(message: &MessageDescriptor) -> Option<&'static FieldDescriptor> {
    let [field] = message.ty.fields else {
        return None;
    };
    let scalar = matches!(
        (field.ty)(),
        TypeRef::Simple(_) | TypeRef::Enum(_) | TypeRef::Any | TypeRef::List(_)
    );
    (scalar && !field.unwrapped && field.max_occurs == MaxOccurs::Bounded(1)).then_some(field)
}

/// Where the part's value was in `params`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Slot {
    Named,
    Positional,
}

/// Takes the scalar part's value out of `params` (`null` when it is not there): the one
/// member named after the part, or the one item.
pub(crate) fn take_scalar(
    params: &mut JsonValue,
    field: &FieldDescriptor,
) -> Result<(JsonValue, Slot), DeError> {
    match params {
        JsonValue::Object(members) => {
            if let Some((name, _)) = members.iter().find(|(name, _)| name != field.name) {
                return Err(DeError::unexpected(format!(
                    "unexpected member `{name}` in the params (expected `{}`)",
                    field.name
                )));
            }
            let value = members.pop().map_or(JsonValue::Null, |(_, v)| v);
            Ok((value, Slot::Named))
        }
        JsonValue::Array(items) if items.len() > 1 => Err(DeError::unexpected(format!(
            "{} positional params given, but the method takes 1 ({})",
            items.len(),
            field.name
        ))),
        JsonValue::Array(items) => Ok((items.pop().unwrap_or(JsonValue::Null), Slot::Positional)),
        other => Err(DeError::unexpected(format!(
            "expected the params as an object or an array, found {}",
            other.kind()
        ))),
    }
}
