//! The model system: how Rust types map to XSD types and travel through protocols.
//!
//! Every value that crosses the wire implements [`Model`]. Built-in implementations cover the
//! XSD primitives (table below), `Option<T>` (an element that may be absent or nil), `Vec<T>`
//! (an array: a named `<item>Array` type, or repeated elements when a field is declared
//! `unwrapped`), `Box<T>` (recursion); `#[derive(ComplexModel)]` and `#[derive(SimpleEnum)]`
//! add structs and string enumerations. A struct field can be an XML attribute
//! (`#[model(attribute)]`) or an element's text (`#[model(text)]`, simpleContent); see
//! [`FieldKind`] and [`FieldNamespace`].
//!
//! | Rust | XSD |
//! |---|---|
//! | `bool` | `xs:boolean` |
//! | `i8` `i16` `i32` `i64` | `xs:byte` `xs:short` `xs:int` `xs:long` |
//! | `u8` `u16` `u32` `u64` | `xs:unsignedByte` `xs:unsignedShort` `xs:unsignedInt` `xs:unsignedLong` |
//! | [`BigInt`] / [`BigUint`] | `xs:integer` / `xs:nonNegativeInteger` (arbitrary precision) |
//! | `f32` / `f64` | `xs:float` / `xs:double` |
//! | [`Decimal`] | `xs:decimal` (96-bit, 28 significant digits) |
//! | [`PositiveInteger`], [`NegativeInteger`], [`NonPositiveInteger`] | `xs:positiveInteger`, `xs:negativeInteger`, `xs:nonPositiveInteger` |
//! | `String` | `xs:string` |
//! | [`NormalizedString`], [`Token`], [`Name`], [`NcName`], [`NmToken`], [`Id`], [`IdRef`], [`Language`] | `xs:normalizedString`, `xs:token`, `xs:Name`, `xs:NCName`, `xs:NMTOKEN`, `xs:ID`, `xs:IDREF`, `xs:language` (checked on input) |
//! | [`AnyUri`] | `xs:anyURI` |
//! | [`QName`] | `xs:QName` (`prefix:local` in XML, `{namespace}local` elsewhere) |
//! | [`ByteArray`] / [`HexBinary`] | `xs:base64Binary` / `xs:hexBinary` |
//! | [`Date`], [`Time`], [`DateTime`], [`Duration`] | `xs:date`, `xs:time`, `xs:dateTime`, `xs:duration` |
//! | [`GYear`], [`GYearMonth`], [`GMonth`], [`GMonthDay`], [`GDay`] | `xs:gYear`, `xs:gYearMonth`, `xs:gMonth`, `xs:gMonthDay`, `xs:gDay` |
//! | [`AnyXml`] | `xs:anyType` (raw XML) |
//! | [`AnyAttributes`] | the attributes of `xs:anyAttribute` (a `#[model(any_attribute)]` field) |
//! | `Option<T>` / [`Nillable<T>`] / `Option<Nillable<T>>` | `minOccurs="0"` (absent or nil: `None`) / `nillable="true"` / both, absent and nil told apart |

mod any;
mod any_attributes;
mod binary;
mod choice;
mod collection;
mod de;
mod descriptor;
mod error;
mod gregorian;
mod hex;
mod lexical_types;
mod list;
mod nillable;
mod polymorphic;
mod primitive;
mod qname;
mod ser;
mod temporal;
mod validate;
pub mod value;
mod value_constraint;
mod xsd_integers;
mod xsd_strings;

pub use any::AnyXml;
pub use any_attributes::{
    AnyAttribute, AnyAttributes, XML_NS, XMLNS_NS, any_attributes_from_clark,
};
pub use binary::ByteArray;
pub use choice::{deserialize_variant, unknown_variant};
pub use de::{Deserializer, FieldVisitor, IntegerItem, IntegerItemVisitor, ItemVisitor};
pub use descriptor::{
    ChoiceType, ComplexType, Constraints, EnumType, FieldDescriptor, FieldKind, FieldNamespace,
    MaxOccurs, Number, Pattern, ProcessContents, SimpleKind, SimpleType, TypeRef, ValueConstraint,
    Wildcard, XSD_NS,
};
pub use error::{
    BoxError, DeError, DeErrorKind, FieldPath, LexicalError, PathSegment, Position, SerError,
    SerErrorKind, ValidationError, ValidationErrorKind,
};
pub use gregorian::{GDay, GMonth, GMonthDay, GYear, GYearMonth};
pub use hex::HexBinary;
pub use list::XmlList;
pub use nillable::Nillable;
pub use num_bigint::{BigInt, BigUint};
pub use polymorphic::{PolymorphicType, derives_from};
pub use primitive::Lexical;
pub use qname::{NamespaceScope, QName, QualifiedVisitor, holds_qnames};
pub use rust_decimal::Decimal;
pub use ser::{SerializeValue, Serializer};
pub use temporal::{ConversionError, Date, DateTime, Duration, Time, TimeZone};
pub use xsd_integers::{NegativeInteger, NonPositiveInteger, PositiveInteger};
pub use xsd_strings::{
    AnyUri, Id, IdRef, Language, Name, NcName, NmToken, NormalizedString, Token,
};

/// A Rust type that can travel in a message.
///
/// Implementations exist for the primitives listed in the [module docs](self), for
/// `Option<T>`, `Vec<T>` and `Box<T>`; derive it for structs with `#[derive(ComplexModel)]`
/// and for string enumerations with `#[derive(SimpleEnum)]`, or implement it by hand.
///
/// A hand-written implementation keeps this contract: [`type_ref`](Model::type_ref) returns a
/// reference to a `'static` descriptor (the same on every call); [`serialize`](Model::serialize)
/// writes one value of that type (a complex type between
/// [`Serializer::begin_complex`] and [`Serializer::end_complex`], with one
/// [`Serializer::write_field`] per field in the descriptor's order; a simple type with one
/// [`Serializer::write_simple`], or, for an integer of at most 64 bits, one
/// [`Serializer::write_integer`]); [`deserialize`](Model::deserialize) reads what `serialize`
/// writes (a complex type through [`Deserializer::read_complex`], which hands over fields by
/// their index in [`ComplexType::all_fields`]); [`validate`](Model::validate) checks the
/// constraints. A struct implements [`ComplexModel`] as well, and its `Model` methods then
/// delegate to it as in the example there.
pub trait Model: Sized + Send + 'static {
    /// The descriptor of the type.
    fn type_ref() -> TypeRef;

    /// Writes the value.
    fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError>;

    /// Reads a value.
    fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError>;

    /// Reads the items of an array of the type (`Vec<Self>`'s
    /// [`deserialize`](Model::deserialize)). The default reads each item with
    /// [`Deserializer::read_seq`] and [`deserialize`](Model::deserialize); the built-in
    /// integers read theirs through [`Deserializer::read_integer_items`], in one loop where
    /// the format has typed numbers.
    fn deserialize_items(d: &mut dyn Deserializer) -> Result<Vec<Self>, DeError> {
        let mut out = Vec::new();
        d.read_seq(Self::type_ref(), &mut |d| {
            out.push(Self::deserialize(d)?);
            Ok(())
        })?;
        Ok(out)
    }

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

    /// Whether an element of the type may be nil (`Option<_>`, [`Nillable<_>`]): the
    /// default of a field's `nillable`.
    const NILLABLE: bool = false;

    /// Whether [`deserialize`](Model::deserialize) reads an explicit nil itself
    /// ([`Nillable<_>`]), so that an enclosing `Option` must not take it for absence.
    const READS_NIL: bool = false;

    /// Whether the type is a choice ([`TypeRef::Choice`], also through `Option`, `Vec` and
    /// `Box`): a field holding it is a [`FieldKind::Choice`] field.
    const CHOICE: bool = false;

    /// Whether [`validate`](Model::validate) checks nothing but the facets it is handed, so
    /// that with no constraint it always passes and [`validate_field`] (and a `Vec` of the
    /// type) can skip the call: set by leaf types (`String`, the integers), never by a type
    /// with fields of its own to check. The default, `false`, always validates.
    const FACETS_ONLY: bool = false;
}

/// A struct that maps to an XSD complex type; implemented by `#[derive(ComplexModel)]`, or by
/// hand.
///
/// The methods split [`Model`]'s work field by field so that a type extending another
/// (`#[model(base)]`) can reuse its base's code: fields are numbered across the whole
/// inheritance chain, base first, as in [`ComplexType::all_fields`].
///
/// # Implementing it by hand
///
/// What the derive writes for a struct without a base: a `static` [`ComplexType`] with one
/// [`FieldDescriptor`] per field (its `ty` the field type's [`Model::type_ref`], `min_occurs`
/// 0 for an `Option` and 1 otherwise, `nillable` [`Model::NILLABLE`], the declared
/// [`Constraints`]); a builder with an `Option` slot per field; and the methods below written
/// with the slot helpers [`deserialize_slot`], [`finish_slot`] and [`validate_field`], each
/// given the field's descriptor. `Model` then delegates:
///
/// ```
/// use rpclib_core::model::{
///     ComplexType, Constraints, DeError, Deserializer, FieldDescriptor, FieldKind,
///     FieldNamespace, FieldPath, MaxOccurs, Number, SerError, Serializer, TypeRef, ValidationError, deserialize_slot, finish_slot,
///     validate_field,
/// };
/// use rpclib_core::{ComplexModel, Model};
///
/// /// `<Point><x>..</x></Point>`, in the application's namespace.
/// pub struct Point {
///     pub x: i32,
/// }
///
/// static POINT: ComplexType = ComplexType {
///     name: "Point",
///     namespace: None,
///     base: None,
///     fields: &[FieldDescriptor {
///         name: "x",
///         rust_name: "x",
///         namespace: FieldNamespace::Target,
///         kind: FieldKind::Element,
///         ty: <i32 as Model>::type_ref,
///         min_occurs: 1,
///         max_occurs: MaxOccurs::Bounded(1),
///         nillable: false,
///         unwrapped: false,
///         constraints: Constraints {
///             max_inclusive: Some(Number::Int(99)),
///             ..Constraints::NONE
///         },
///         value_constraint: None,
///         doc: None,
///     }],
///     doc: None,
/// };
///
/// #[derive(Default)]
/// pub struct PointBuilder {
///     x: Option<i32>,
/// }
///
/// impl Model for Point {
///     fn type_ref() -> TypeRef {
///         TypeRef::Complex(&POINT)
///     }
///     fn serialize(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
///         s.begin_complex(&POINT)?;
///         self.serialize_fields(s)?;
///         s.end_complex()
///     }
///     fn deserialize(d: &mut dyn Deserializer) -> Result<Self, DeError> {
///         let mut builder = PointBuilder::default();
///         d.read_complex(&POINT, &mut |index, d| {
///             Self::deserialize_field(&mut builder, index, d)
///         })?;
///         Self::build(builder)
///     }
///     fn validate(&self, _: &Constraints, path: &mut FieldPath) -> Result<(), ValidationError> {
///         self.validate_fields(path)
///     }
/// }
///
/// impl ComplexModel for Point {
///     type Builder = PointBuilder;
///     fn complex_type() -> &'static ComplexType {
///         &POINT
///     }
///     fn serialize_fields(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
///         s.write_field(&POINT.fields[0], &self.x)
///     }
///     fn deserialize_field(
///         b: &mut PointBuilder,
///         index: usize,
///         d: &mut dyn Deserializer,
///     ) -> Result<(), DeError> {
///         match index {
///             0 => deserialize_slot(&mut b.x, &POINT.fields[0], d),
///             _ => Err(DeError::new("no such field")),
///         }
///     }
///     fn build(b: PointBuilder) -> Result<Self, DeError> {
///         Ok(Point {
///             x: finish_slot(b.x, &POINT.fields[0])?,
///         })
///     }
///     fn validate_fields(&self, path: &mut FieldPath) -> Result<(), ValidationError> {
///         validate_field(&self.x, &POINT.fields[0], path)
///     }
/// }
///
/// let mut path = FieldPath::new();
/// assert!(Point { x: 100 }.validate(&Constraints::NONE, &mut path).is_err());
/// ```
///
/// A type with a base (`complexContent/extension`) sets [`ComplexType::base`], keeps the base's
/// builder inside its own, and forwards the first `base.field_count()` indices, the base's
/// fields and its validation to the base's `ComplexModel` methods.
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
/// The body of one arm of [`ComplexModel::deserialize_field`] (derived or hand-written): `slot`
/// is the builder's `Option` for the field, `field` its descriptor (errors name it).
pub fn deserialize_slot<T: Model>(
    slot: &mut Option<T>,
    field: &'static FieldDescriptor,
    d: &mut dyn Deserializer,
) -> Result<(), DeError> {
    if slot.is_some() {
        return Err(DeError::unexpected(format!(
            "{} `{}` appears more than once",
            what(field),
            field.name
        ))
        .in_field(field.name));
    }
    *slot = Some(T::deserialize(d).map_err(|e| e.in_field(field.name))?);
    Ok(())
}

/// Finishes one field from its builder slot: absent elements take [`Model::absent`] (and for
/// unwrapped arrays [`Model::empty_repetition`]), else the field is reported missing.
///
/// What [`ComplexModel::build`] calls for every field.
pub fn finish_slot<T: Model>(
    slot: Option<T>,
    field: &'static FieldDescriptor,
) -> Result<T, DeError> {
    match slot {
        Some(v) => Ok(v),
        // An absent attribute with a declared value has that value, unless its type can say
        // absent itself (an `Option` stays `None`, so that it reads back as written).
        None if field.kind == FieldKind::Attribute
            && field.value_constraint.is_some()
            && !T::OPTIONAL =>
        {
            value_constraint::supplied(field)
        }
        None => T::absent()
            .or_else(|| {
                if field.unwrapped {
                    T::empty_repetition()
                } else {
                    None
                }
            })
            .ok_or_else(|| match field.kind {
                FieldKind::Element => DeError::missing(field.name),
                FieldKind::Choice => match (field.ty)() {
                    TypeRef::Choice(c) => DeError::with_kind(
                        DeErrorKind::Missing,
                        format!("missing required element: one of {}", c.expected()),
                    ),
                    _ => DeError::missing(field.name),
                },
                FieldKind::Attribute
                | FieldKind::Text
                | FieldKind::Any(_)
                | FieldKind::AnyAttribute(_) => DeError::with_kind(
                    DeErrorKind::Missing,
                    format!("missing required {} `{}`", what(field), field.name),
                )
                .in_field(field.name),
            }),
    }
}

/// What a field is, for messages: `element`, `attribute` or `text`.
fn what(field: &FieldDescriptor) -> &'static str {
    match field.kind {
        FieldKind::Element => "element",
        FieldKind::Attribute => "attribute",
        FieldKind::Text => "text",
        FieldKind::Choice => "choice",
        FieldKind::Any(_) => "wildcard",
        FieldKind::AnyAttribute(_) => "attribute wildcard",
    }
}

/// Validates one field's value against the constraints of its descriptor, naming it in the
/// path.
///
/// What [`ComplexModel::validate_fields`] calls for every field.
#[inline(always)]
pub fn validate_field<T: Model>(
    value: &T,
    field: &'static FieldDescriptor,
    path: &mut FieldPath,
) -> Result<(), ValidationError> {
    // Most fields of most messages declare nothing: a leaf value then has nothing to fail
    // (the call and the path's push and pop would cost more than the rest of validation).
    // Inlined, so that for a field of a descriptor `static` the test folds away.
    if T::FACETS_ONLY && field.value_constraint.is_none() && field.constraints.is_empty() {
        return Ok(());
    }
    validate_field_checked(value, field, path)
}

/// [`validate_field`] for a field with something to check.
fn validate_field_checked<T: Model>(
    value: &T,
    field: &'static FieldDescriptor,
    path: &mut FieldPath,
) -> Result<(), ValidationError> {
    path.push_field(field.name);
    let mut result = value.validate(&field.constraints, path);
    if result.is_ok()
        && let Some(ValueConstraint::Fixed(fixed)) = field.value_constraint
    {
        result = value_constraint::check_fixed(value, fixed, path);
    }
    path.pop();
    result
}
