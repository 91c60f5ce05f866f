//! The model system: how Rust types map to XSD types and travel through protocols.
//!
//! Every value that crosses the wire implements [`Model`]. Built-in implementations cover the
//! XSD primitives (table below), `Option<T>` (an element that may be absent or nil), `Vec<T>`
//! (an array: a named `<item>Array` type, or repeated elements when a field is declared
//! `unwrapped`), `Box<T>` (recursion); `#[derive(ComplexModel)]` and `#[derive(SimpleEnum)]`
//! add structs and string enumerations.
//!
//! | Rust | XSD |
//! |---|---|
//! | `bool` | `xs:boolean` |
//! | `i8` `i16` `i32` `i64` | `xs:byte` `xs:short` `xs:int` `xs:long` |
//! | `u8` `u16` `u32` `u64` | `xs:unsignedByte` `xs:unsignedShort` `xs:unsignedInt` `xs:unsignedLong` |
//! | [`BigInt`] / [`BigUint`] | `xs:integer` / `xs:nonNegativeInteger` (arbitrary precision) |
//! | `f32` / `f64` | `xs:float` / `xs:double` |
//! | [`Decimal`] | `xs:decimal` (96-bit, 28 significant digits) |
//! | `String` | `xs:string` |
//! | [`ByteArray`] | `xs:base64Binary` |
//! | [`Date`], [`Time`], [`DateTime`], [`Duration`] | `xs:date`, `xs:time`, `xs:dateTime`, `xs:duration` |
//! | [`AnyXml`] | `xs:anyType` (raw XML) |

mod any;
mod binary;
mod collection;
mod de;
mod descriptor;
mod error;
mod lexical_types;
mod primitive;
mod ser;
mod temporal;
mod validate;
pub mod value;

pub use any::AnyXml;
pub use binary::ByteArray;
pub use de::{Deserializer, FieldVisitor, ItemVisitor};
pub use descriptor::{
    ComplexType, Constraints, EnumType, FieldDescriptor, MaxOccurs, Number, Pattern, SimpleKind,
    SimpleType, TypeRef, XSD_NS,
};
pub use error::{
    DeError, FieldPath, LexicalError, PathSegment, Position, SerError, ValidationError,
};
pub use num_bigint::{BigInt, BigUint};
pub use primitive::Lexical;
pub use rust_decimal::Decimal;
pub use ser::{SerializeValue, Serializer};
pub use temporal::{Date, DateTime, Duration, Time, TimeZone};

/// A Rust type that can travel in a message.
///
/// Implementations exist for the primitives listed in the [module docs](self), for
/// `Option<T>`, `Vec<T>` and `Box<T>`; derive it for structs with `#[derive(ComplexModel)]`
/// and for string enumerations with `#[derive(SimpleEnum)]`.
pub trait Model: Sized + Send + 'static {
    /// The descriptor of the type.
    fn type_ref() -> TypeRef;

    /// Writes the value.
    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError>;

    /// Reads a value.
    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError>;

    /// Checks the value against the constraints declared on the field that holds it (and, for
    /// complex values, against their own fields' constraints). `path` names the field.
    fn validate(
        &self,
        constraints: &Constraints,
        path: &mut FieldPath,
    ) -> Result<(), ValidationError> {
        let _ = (constraints, path);
        Ok(())
    }

    /// The value an absent element takes: `Some(None)` for `Option`, `None` (an error) for
    /// everything that is required.
    fn absent() -> Option<Self> {
        None
    }

    /// The value of an unwrapped array field with no occurrence (an empty `Vec`).
    fn empty_repetition() -> Option<Self> {
        None
    }

    /// Whether the type is `Option<_>` (the element may be absent).
    const OPTIONAL: bool = false;
}

/// A struct that maps to an XSD complex type; implemented by `#[derive(ComplexModel)]`.
///
/// The methods split [`Model`]'s work field by field so that a type extending another
/// (`#[model(base)]`) can reuse its base's code: fields are numbered across the whole
/// inheritance chain, base first, as in [`ComplexType::all_fields`].
pub trait ComplexModel: Model {
    /// Accumulates fields while a value is read.
    type Builder: Default + Send;

    /// The descriptor of the type.
    fn complex_type() -> &'static ComplexType;

    /// Writes every field (the base's first) without the enclosing begin/end.
    fn serialize_fields(&self, s: &mut dyn Serializer) -> Result<(), SerError>;

    /// Reads the field at `index` into the builder.
    fn deserialize_field(
        builder: &mut Self::Builder,
        index: usize,
        d: &mut dyn Deserializer,
    ) -> Result<(), DeError>;

    /// Finishes a value, failing if a required field was never read.
    fn build(builder: Self::Builder) -> Result<Self, DeError>;

    /// Validates every field against its declared constraints.
    fn validate_fields(&self, path: &mut FieldPath) -> Result<(), ValidationError>;
}

/// Reads one field into its builder slot, rejecting a second occurrence.
///
/// Used by derived [`ComplexModel::deserialize_field`] implementations.
pub fn deserialize_slot<T: Model>(
    slot: &mut Option<T>,
    field: &'static FieldDescriptor,
    d: &mut dyn Deserializer,
) -> Result<(), DeError> {
    if slot.is_some() {
        return Err(
            DeError::new(format!("element `{}` appears more than once", field.name))
                .in_field(field.name),
        );
    }
    *slot = Some(T::deserialize(d).map_err(|e| e.in_field(field.name))?);
    Ok(())
}

/// Finishes one field from its builder slot: absent elements take [`Model::absent`] (and for
/// unwrapped arrays [`Model::empty_repetition`]), else the field is reported missing.
pub fn finish_slot<T: Model>(
    slot: Option<T>,
    field: &'static FieldDescriptor,
) -> Result<T, DeError> {
    match slot {
        Some(v) => Ok(v),
        None => T::absent()
            .or_else(|| {
                if field.unwrapped {
                    T::empty_repetition()
                } else {
                    None
                }
            })
            .ok_or_else(|| DeError::missing(field.name)),
    }
}

/// Validates one field's value, naming it in the path.
pub fn validate_field<T: Model>(
    value: &T,
    field: &'static FieldDescriptor,
    path: &mut FieldPath,
) -> Result<(), ValidationError> {
    path.push_field(field.name);
    let result = value.validate(&field.constraints, path);
    path.pop();
    result
}
