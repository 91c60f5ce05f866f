//! Helpers for choices (`xs:choice` as a Rust enum): what `#[derive(Choice)]` writes, and
//! what a hand-written choice calls.
//!
//! A choice is an enum with one newtype variant per alternative and a `static`
//! [`ChoiceType`] whose `variants` describe the alternatives in the same order. Its
//! [`Model`] implementation writes `s.write_choice(&TYPE, index, value)`, reads through
//! [`Deserializer::read_choice`] with [`deserialize_variant`] for the alternative's value,
//! validates the value present with [`validate_field`](super::validate_field) and sets
//! [`Model::CHOICE`].
//!
//! ```
//! use rpclib_core::Model;
//! use rpclib_core::model::value::{from_value, to_value, Value};
//! use rpclib_core::model::{
//!     ChoiceType, Constraints, DeError, Deserializer, FieldDescriptor, FieldKind,
//!     FieldNamespace, FieldPath, MaxOccurs, SerError, Serializer, TypeRef, ValidationError,
//!     deserialize_variant, unknown_variant, validate_field,
//! };
//!
//! /// `<id>` or `<name>`.
//! #[derive(Debug, PartialEq)]
//! enum Key {
//!     Id(i32),
//!     Name(String),
//! }
//!
//! const fn alternative(name: &'static str, ty: fn() -> TypeRef) -> FieldDescriptor {
//!     FieldDescriptor {
//!         name,
//!         rust_name: name,
//!         namespace: FieldNamespace::Target,
//!         kind: FieldKind::Element,
//!         ty,
//!         min_occurs: 1,
//!         max_occurs: MaxOccurs::Bounded(1),
//!         nillable: false,
//!         unwrapped: false,
//!         constraints: Constraints::NONE,
//!         value_constraint: None,
//!         doc: None,
//!     }
//! }
//!
//! static KEY: ChoiceType = ChoiceType {
//!     name: "Key",
//!     namespace: None,
//!     variants: &[
//!         alternative("id", <i32 as Model>::type_ref),
//!         alternative("name", <String as Model>::type_ref),
//!     ],
//!     doc: None,
//! };
//!
//! impl Model for Key {
//!     fn type_ref() -> TypeRef {
//!         TypeRef::Choice(&KEY)
//!     }
//!     fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
//!         match self {
//!             Key::Id(v) => s.write_choice(&KEY, 0, v),
//!             Key::Name(v) => s.write_choice(&KEY, 1, v),
//!         }
//!     }
//!     fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
//!         let mut out = None;
//!         d.read_choice(&KEY, &mut |index, d| {
//!             out = Some(match index {
//!                 0 => Key::Id(deserialize_variant(&KEY.variants[0], d)?),
//!                 1 => Key::Name(deserialize_variant(&KEY.variants[1], d)?),
//!                 _ => return Err(unknown_variant(&KEY, index)),
//!             });
//!             Ok(())
//!         })?;
//!         out.ok_or_else(|| unknown_variant(&KEY, usize::MAX))
//!     }
//!     fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
//!         match self {
//!             Key::Id(v) => validate_field(v, &KEY.variants[0], path),
//!             Key::Name(v) => validate_field(v, &KEY.variants[1], path),
//!         }
//!     }
//!     const CHOICE: bool = true;
//! }
//!
//! let v = to_value(&Key::Name("x".into())).unwrap();
//! assert_eq!(v, Value::Complex(vec![("name".into(), Value::Simple("x".into()))]));
//! assert_eq!(from_value::<Key>(&v).unwrap(), Key::Name("x".into()));
//! ```

use super::{ChoiceType, DeError, DeErrorKind, Deserializer, FieldDescriptor, Model};

/// Reads the value of the alternative `variant` (a descriptor of [`ChoiceType::variants`]),
/// naming it in errors.
pub fn deserialize_variant<T: Model>(
    variant: &'static FieldDescriptor,
    d: &mut dyn Deserializer,
) -> Result<T, DeError> {
    T::deserialize(d).map_err(|e| e.in_field(variant.name))
}

/// The error for an alternative index the choice does not have (a deserializer that called
/// the visitor with a wrong index, or never called it).
pub fn unknown_variant(ty: &'static ChoiceType, index: usize) -> DeError {
    DeError::with_kind(
        DeErrorKind::Internal,
        format!(
            "internal: no alternative {index} in the choice `{}` (one of {})",
            ty.name,
            ty.expected()
        ),
    )
}
