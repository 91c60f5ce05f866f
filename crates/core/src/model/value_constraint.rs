//! What `default` and `fixed` value constraints ([`ValueConstraint`]) do to a value read:
//! supply the declared value where the wire has none, and refuse any other value where it is
//! `fixed`. Protocol-independent: the declared text is read through the [`Value`] tree, as
//! any protocol's simple text would be.

use super::value::{Value, from_value, to_value};
use super::{
    DeError, Decimal, FieldDescriptor, FieldPath, Model, SimpleKind, TypeRef, ValidationError,
    ValidationErrorKind, ValueConstraint,
};

/// The value of a field whose attribute is absent: its declared `default` or `fixed` value.
///
/// A declared value that is not valid for the field's type is an error naming the field and
/// the declaration (the descriptor is wrong, not the input).
pub(crate) fn supplied<T: Model>(field: &'static FieldDescriptor) -> Result<T, DeError> {
    let Some(constraint) = field.value_constraint else {
        return Err(DeError::missing(field.name));
    };
    declared(constraint).map_err(|e| e.in_field(field.name))
}

/// `constraint`'s text read as a `T`.
fn declared<T: Model>(constraint: ValueConstraint) -> Result<T, DeError> {
    from_value(&Value::Simple(constraint.text().to_owned())).map_err(|e| {
        DeError::new(format!(
            "the declared {} value `{}` is not a valid {}: {}",
            constraint.keyword(),
            constraint.text(),
            T::type_ref().name(),
            e.message()
        ))
    })
}

/// Checks that `value` (when present) equals the `fixed` value `text` in the value space of
/// its type: both are written through the format-neutral [`Value`] tree and compared, so
/// lexical variants of one value (`1.0` and `1` for a decimal, `0` and `false`) are equal.
pub(crate) fn check_fixed<T: Model>(
    value: &T,
    text: &'static str,
    path: &FieldPath,
) -> Result<(), ValidationError> {
    let fixed = || {
        ValidationError::with_kind(
            ValidationErrorKind::Fixed,
            path,
            format!("the value must be the fixed value `{text}`"),
        )
    };
    let actual = to_value(value).map_err(|e| fixed().caused_by(e))?;
    if actual == Value::Nil {
        // Absent (an optional field) or nil: nothing to compare.
        return Ok(());
    }
    let expected = declared::<T>(ValueConstraint::Fixed(text))
        .and_then(|v| to_value(&v).map_err(|e| DeError::new(e.message().to_owned())))
        .map_err(|e| {
            ValidationError::with_kind(ValidationErrorKind::Fixed, path, e.message().to_owned())
        })?;
    if same_value(T::type_ref(), &actual, &expected) {
        return Ok(());
    }
    let found = match &actual {
        Value::Simple(s) => format!(", not `{}`", s.chars().take(64).collect::<String>()),
        _ => String::new(),
    };
    Err(ValidationError::with_kind(
        ValidationErrorKind::Fixed,
        path,
        format!("the value must be the fixed value `{text}`{found}"),
    ))
}

/// Whether two values of type `ty`, as written into the value tree, are one value. The tree
/// holds canonical text for most types; decimals keep their scale (`2.50`) and floats their
/// spelling, so those compare as numbers.
fn same_value(ty: TypeRef, a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    let (Value::Simple(a), Value::Simple(b), TypeRef::Simple(simple)) = (a, b, ty) else {
        return false;
    };
    match simple.kind {
        SimpleKind::Decimal => match (a.parse::<Decimal>(), b.parse::<Decimal>()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        SimpleKind::Float => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        _ => false,
    }
}
