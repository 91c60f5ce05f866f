//! [`Nillable<T>`]: an element that is present but may be nil (`xsi:nil="true"`), told apart
//! from an absent one.

use super::{
    Constraints, DeError, Deserializer, FieldPath, Model, SerError, Serializer, TypeRef,
    ValidationError,
};

/// A value or an explicit nil: a `nillable="true"` element that must be present
/// (`minOccurs="1"`). `Option<Nillable<T>>` is an element that may also be absent
/// (`minOccurs="0" nillable="true"`): `None` absent, `Some(Nillable::Nil)` present and nil.
///
/// A plain `Option<T>` reads both absent and nil as `None` and writes `None` as absent when
/// the element is optional; use this type where a peer tells the two apart (clearing a value
/// versus leaving it unchanged, for instance). In JSON and MessagePack nil is `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nillable<T> {
    /// `xsi:nil="true"`.
    #[default]
    Nil,
    /// A value.
    Value(T),
}

impl<T> Nillable<T> {
    /// The value, `None` for nil.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nillable::Nil => None,
            Nillable::Value(v) => Some(v),
        }
    }

    /// A reference to the value, `None` for nil.
    pub fn as_ref(&self) -> Option<&T> {
        match self {
            Nillable::Nil => None,
            Nillable::Value(v) => Some(v),
        }
    }

    /// Whether it is nil.
    pub fn is_nil(&self) -> bool {
        matches!(self, Nillable::Nil)
    }
}

impl<T> From<Option<T>> for Nillable<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Nillable::Nil, Nillable::Value)
    }
}

impl<T: Model> Model for Nillable<T> {
    fn type_ref() -> TypeRef {
        T::type_ref()
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        match self {
            Nillable::Value(v) => v.serialize(s),
            Nillable::Nil => s.write_explicit_nil(),
        }
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        if d.read_nil()? {
            Ok(Nillable::Nil)
        } else {
            T::deserialize(d).map(Nillable::Value)
        }
    }

    fn validate(&self, c: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        match self {
            Nillable::Value(v) => v.validate(c, path),
            Nillable::Nil => Ok(()),
        }
    }

    const NILLABLE: bool = true;
    const READS_NIL: bool = true;
}
