//! [`Model`] for the containers: `Option<T>`, `Vec<T>` and `Box<T>`.

use super::validate::check_items;
use super::{
    Constraints, DeError, Deserializer, FieldPath, Model, SerError, Serializer, TypeRef,
    ValidationError,
};

/// `Option<T>`: an element that may be absent (`minOccurs="0"`) or nil.
impl<T: Model> Model for Option<T> {
    fn type_ref() -> TypeRef {
        T::type_ref()
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        match self {
            Some(v) => v.serialize(s),
            None => s.write_nil(),
        }
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        // A present element: `Nillable` inside reads its nil itself (`Some(Nil)`).
        if T::READS_NIL {
            return T::deserialize(d).map(Some);
        }
        if d.read_nil()? {
            Ok(None)
        } else {
            T::deserialize(d).map(Some)
        }
    }

    fn validate(&self, c: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        match self {
            Some(v) => v.validate(c, path),
            None => Ok(()),
        }
    }

    fn absent() -> Option<Self> {
        Some(None)
    }

    const OPTIONAL: bool = true;
    const NILLABLE: bool = true;
    const CHOICE: bool = T::CHOICE;
    const FACETS_ONLY: bool = T::FACETS_ONLY;
}

/// `Vec<T>`: an array, wrapped in an `<item>Array` element or, for a field declared
/// `unwrapped`, as repeated elements. Item-count constraints apply to the vector, all other
/// constraints to each item.
impl<T: Model> Model for Vec<T> {
    fn type_ref() -> TypeRef {
        TypeRef::Array(T::type_ref)
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        s.begin_seq(T::type_ref(), self.len())?;
        for item in self {
            s.write_item(item)?;
        }
        s.end_seq()
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        T::deserialize_items(d)
    }

    fn validate(&self, c: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        check_items(c, path, self.len())?;
        // Items that can only fail a facet, and no constraint at all: nothing to walk.
        if T::FACETS_ONLY && c.is_empty() {
            return Ok(());
        }
        for (i, item) in self.iter().enumerate() {
            path.push_index(i);
            let result = item.validate(c, path);
            path.pop();
            result?;
        }
        Ok(())
    }

    fn empty_repetition() -> Option<Self> {
        Some(Vec::new())
    }

    const CHOICE: bool = T::CHOICE;
    const FACETS_ONLY: bool = T::FACETS_ONLY;
}

/// `Box<T>`: the same type as `T`; lets a complex type contain itself.
impl<T: Model + Sync> Model for Box<T> {
    fn type_ref() -> TypeRef {
        T::type_ref()
    }

    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        (**self).serialize(s)
    }

    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
        T::deserialize(d).map(Box::new)
    }

    fn validate(&self, c: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
        (**self).validate(c, path)
    }

    const CHOICE: bool = T::CHOICE;
    const FACETS_ONLY: bool = T::FACETS_ONLY;
}
