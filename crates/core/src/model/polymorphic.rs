//! `xsi:type` polymorphism: a value that is a complex type or any of its declared subtypes.
//!
//! XML Schema lets an element declared with a complex type `Animal` hold any type derived from
//! it (`complexContent` extension or restriction), the instance naming the type it actually
//! has with `xsi:type="p:Dog"`. In Rust such a value is an enum with one newtype variant per
//! type it may hold, the base first (unless the base is abstract, `abstract="true"`, when no
//! value has it) then the subtypes: `enum AnyAnimal { Animal(Animal), Dog(Dog), Cat(Cat) }`.
//! Its descriptor is a `static` [`PolymorphicType`]; `#[derive(Polymorphic)]` writes both.
//!
//! The descriptor holds the variants as a [`ChoiceType`] ([`PolymorphicType::alternatives`])
//! whose alternatives are named after the variants (the derive uses the variant's name, which
//! is the type's by convention) and typed with the variant's complex type. That is what a
//! format without `xsi:type` writes: [`Serializer::write_polymorphic`] and
//! [`Deserializer::read_polymorphic`] default to [`Serializer::write_choice`] and
//! [`Deserializer::read_choice`] over it, so JSON and MessagePack carry a polymorphic value as
//! `{"Dog": {...}}`, the shape of a choice. XML overrides both: the element stays the one the
//! field names, and `xsi:type` says which variant it holds.
//!
//! [`Serializer::write_polymorphic`]: super::Serializer::write_polymorphic
//! [`Serializer::write_choice`]: super::Serializer::write_choice
//! [`Deserializer::read_polymorphic`]: super::Deserializer::read_polymorphic
//! [`Deserializer::read_choice`]: super::Deserializer::read_choice
//!
//! A hand-written polymorphic value (what the derive writes):
//!
//! ```
//! use rpclib_core::model::value::{from_value, to_value, Value};
//! use rpclib_core::model::{
//!     ChoiceType, Constraints, DeError, Deserializer, FieldPath, PolymorphicType, SerError,
//!     Serializer, TypeRef, ValidationError, deserialize_variant, unknown_variant,
//! };
//! use rpclib_core::{ComplexModel, Model};
//!
//! #[derive(Debug, PartialEq, rpclib_core::ComplexModel)]
//! pub struct Animal {
//!     pub name: String,
//! }
//!
//! #[derive(Debug, PartialEq, rpclib_core::ComplexModel)]
//! pub struct Dog {
//!     #[model(base)]
//!     pub animal: Animal,
//!     pub barks: bool,
//! }
//!
//! /// An `Animal` element: an `Animal` or a `Dog`.
//! #[derive(Debug, PartialEq)]
//! pub enum AnyAnimal {
//!     Animal(Animal),
//!     Dog(Dog),
//! }
//!
//! static ANY_ANIMAL: PolymorphicType = PolymorphicType {
//!     base: <Animal as ComplexModel>::complex_type,
//!     abstract_base: false,
//!     alternatives: ChoiceType {
//!         name: "AnyAnimal",
//!         namespace: None,
//!         variants: &[
//!             PolymorphicType::variant("Animal", <Animal as Model>::type_ref),
//!             PolymorphicType::variant("Dog", <Dog as Model>::type_ref),
//!         ],
//!         doc: None,
//!     },
//! };
//!
//! impl Model for AnyAnimal {
//!     fn type_ref() -> TypeRef {
//!         TypeRef::Polymorphic(&ANY_ANIMAL)
//!     }
//!     fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
//!         match self {
//!             AnyAnimal::Animal(v) => s.write_polymorphic(&ANY_ANIMAL, 0, v),
//!             AnyAnimal::Dog(v) => s.write_polymorphic(&ANY_ANIMAL, 1, v),
//!         }
//!     }
//!     fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
//!         let variants = ANY_ANIMAL.alternatives.variants;
//!         let mut out = None;
//!         d.read_polymorphic(&ANY_ANIMAL, &mut |index, d| {
//!             out = Some(match index {
//!                 0 => AnyAnimal::Animal(deserialize_variant(&variants[0], d)?),
//!                 1 => AnyAnimal::Dog(deserialize_variant(&variants[1], d)?),
//!                 _ => return Err(unknown_variant(&ANY_ANIMAL.alternatives, index)),
//!             });
//!             Ok(())
//!         })?;
//!         out.ok_or_else(|| unknown_variant(&ANY_ANIMAL.alternatives, usize::MAX))
//!     }
//!     fn validate(&self, c: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
//!         match self {
//!             AnyAnimal::Animal(v) => v.validate(c, path),
//!             AnyAnimal::Dog(v) => v.validate(c, path),
//!         }
//!     }
//! }
//!
//! assert_eq!(ANY_ANIMAL.check(), Ok(()));
//! let dog = AnyAnimal::Dog(Dog { animal: Animal { name: "Rex".into() }, barks: true });
//! let v = to_value(&dog).unwrap();
//! assert!(matches!(&v, Value::Complex(members) if members[0].0 == "Dog"));
//! assert_eq!(from_value::<AnyAnimal>(&v).unwrap(), dog);
//! ```

use super::{
    ChoiceType, ComplexType, Constraints, FieldDescriptor, FieldKind, FieldNamespace, MaxOccurs,
    TypeRef,
};

/// The descriptor of a polymorphic value: a complex type (the base) or one of its declared
/// subtypes, told apart in XML by `xsi:type`.
#[derive(Debug)]
pub struct PolymorphicType {
    /// The declared type of the elements holding the value.
    pub base: fn() -> &'static ComplexType,
    /// Whether the base is abstract (`abstract="true"`): no variant holds it, and an element
    /// without `xsi:type` is an error.
    pub abstract_base: bool,
    /// The variants, in the enum's order (the base first unless abstract): each alternative
    /// named as the JSON key of the variant, its `ty` the variant's [`TypeRef::Complex`].
    pub alternatives: ChoiceType,
}

impl PolymorphicType {
    /// The descriptor of one variant in [`alternatives`](Self::alternatives): `name` is its
    /// key in formats without `xsi:type`, `ty` the variant's complex type's
    /// [`Model::type_ref`](crate::Model::type_ref).
    pub const fn variant(name: &'static str, ty: fn() -> TypeRef) -> FieldDescriptor {
        FieldDescriptor {
            name,
            rust_name: name,
            namespace: FieldNamespace::Target,
            kind: FieldKind::Element,
            ty,
            min_occurs: 1,
            max_occurs: MaxOccurs::Bounded(1),
            nillable: false,
            unwrapped: false,
            constraints: Constraints::NONE,
            value_constraint: None,
            doc: None,
        }
    }

    /// The enum's name (the alternatives' `name`).
    pub fn name(&self) -> &'static str {
        self.alternatives.name
    }

    /// The complex type of the variant at `index`, if the variant is a complex type.
    pub fn variant_type(&self, index: usize) -> Option<&'static ComplexType> {
        match (self.alternatives.variants.get(index)?.ty)() {
            TypeRef::Complex(c) => Some(c),
            _ => None,
        }
    }

    /// The index of the variant whose type is `{ns}local` (a type without a namespace of its
    /// own resolving to `tns`).
    pub fn variant_of_type(&self, tns: &str, ns: &str, local: &str) -> Option<usize> {
        (0..self.alternatives.variants.len()).find(|&i| {
            self.variant_type(i)
                .is_some_and(|c| c.name == local && c.namespace.unwrap_or(tns) == ns)
        })
    }

    /// The index of the variant holding the base itself: `None` when the base is abstract.
    pub fn base_variant(&self) -> Option<usize> {
        if self.abstract_base {
            return None;
        }
        let base = (self.base)();
        (0..self.alternatives.variants.len())
            .find(|&i| self.variant_type(i).is_some_and(|c| std::ptr::eq(c, base)))
    }

    /// Whether the variant at `index` is a subtype (written with `xsi:type` in XML).
    pub fn is_subtype(&self, index: usize) -> bool {
        self.variant_type(index)
            .is_some_and(|c| !std::ptr::eq(c, (self.base)()))
    }

    /// The variants' type names, for messages: `` `Animal`, `Dog` or `Cat` ``.
    pub fn expected_types(&self) -> String {
        let names: Vec<&str> = (0..self.alternatives.variants.len())
            .filter_map(|i| self.variant_type(i).map(|c| c.name))
            .collect();
        let mut out = String::new();
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                out.push_str(if i + 1 == names.len() { " or " } else { ", " });
            }
            out.push('`');
            out.push_str(name);
            out.push('`');
        }
        out
    }

    /// Checks the descriptor: every variant is a complex type derived from the base (or the
    /// base itself, when it is not abstract), no type appears twice, the base is a variant
    /// unless abstract. What a test of a hand-written descriptor asserts; the derive's
    /// descriptors are checked by rpclib's own tests.
    pub fn check(&self) -> Result<(), String> {
        let base = (self.base)();
        let variants = self.alternatives.variants;
        if variants.is_empty() {
            return Err(format!("`{}` has no variant", self.name()));
        }
        for (i, v) in variants.iter().enumerate() {
            let Some(c) = self.variant_type(i) else {
                return Err(format!(
                    "the variant `{}` of `{}` is not a complex type",
                    v.name,
                    self.name()
                ));
            };
            if std::ptr::eq(c, base) {
                if self.abstract_base {
                    return Err(format!(
                        "the base `{}` of `{}` is abstract, yet a variant holds it",
                        base.name,
                        self.name()
                    ));
                }
            } else if !derives_from(c, base) {
                return Err(format!(
                    "the variant `{}` of `{}` holds `{}`, which does not derive from `{}`",
                    v.name,
                    self.name(),
                    c.name,
                    base.name
                ));
            }
            if (0..i).any(|j| self.variant_type(j).is_some_and(|d| std::ptr::eq(c, d))) {
                return Err(format!(
                    "`{}` holds the type `{}` twice",
                    self.name(),
                    c.name
                ));
            }
        }
        if !self.abstract_base && self.base_variant().is_none() {
            return Err(format!(
                "no variant of `{}` holds its base `{}` (mark it abstract if none may)",
                self.name(),
                base.name
            ));
        }
        Ok(())
    }
}

/// Whether `ty` extends `base`, directly or through other types.
pub fn derives_from(ty: &'static ComplexType, base: &'static ComplexType) -> bool {
    let mut at = ty.base;
    // A chain of bases is finite in any program; the bound keeps a cyclic hand-written
    // descriptor from looping.
    for _ in 0..1024 {
        match at {
            None => return false,
            Some(b) => {
                let b = b();
                if std::ptr::eq(b, base) {
                    return true;
                }
                at = b.base;
            }
        }
    }
    false
}
