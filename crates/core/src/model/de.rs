//! The format-neutral deserializer interface that protocols implement.

use std::borrow::Cow;

use super::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, DeError, PolymorphicType, QualifiedVisitor,
    TypeRef,
};

/// Visitor of a complex value's fields: called with the index of the field (into
/// [`ComplexType::all_fields`]) and a deserializer positioned on its value.
pub type FieldVisitor<'a> = dyn FnMut(usize, &mut dyn Deserializer) -> Result<(), DeError> + 'a;

/// Visitor of an array's items: called once per item with a deserializer positioned on it.
pub type ItemVisitor<'a> = dyn FnMut(&mut dyn Deserializer) -> Result<(), DeError> + 'a;

/// One item of an array of integers, as [`Deserializer::read_integer_items`] hands it over.
pub enum IntegerItem<'d> {
    /// The format held the item as a number: the value, consumed (the model checks its
    /// range, as for [`Deserializer::read_integer`]).
    Value(i128),
    /// Anything else (text, a string, a value of the wrong type): a deserializer positioned
    /// on the item, which the model reads as it reads any one integer.
    Other(&'d mut dyn Deserializer),
}

impl std::fmt::Debug for IntegerItem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntegerItem::Value(v) => f.debug_tuple("Value").field(v).finish(),
            IntegerItem::Other(_) => f.write_str("Other(..)"),
        }
    }
}

/// Visitor of the items of an array of integers.
pub type IntegerItemVisitor<'a> = dyn FnMut(IntegerItem<'_>) -> Result<(), DeError> + 'a;

/// Hands a protocol document's value to the model type that reads it; implemented by each
/// protocol.
///
/// The expected type drives the read ([`Model::deserialize`](crate::Model::deserialize)): a
/// simple type asks for text, a complex type for its fields through a visitor, an array for
/// its items. The deserializer matches element names against descriptors, enforces
/// nillability and occurrence, and reports where in the document something went wrong.
pub trait Deserializer {
    /// Whether the current value is explicitly nil; if so it is consumed.
    fn read_nil(&mut self) -> Result<bool, DeError>;
    /// The lexical form of a simple value of type `ty`.
    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError>;
    /// The text of a simple value holding qualified names ([`QName`](super::QName), or a
    /// list of them), handed to `visit` with the namespace bindings in scope where it was
    /// written, which resolve its prefixes.
    ///
    /// The default, for formats without prefixes, reads the text with
    /// [`read_simple`](Self::read_simple) and hands it over without a scope: the names are
    /// then in Clark notation (`{namespace}local`). An XML reader overrides it, since the
    /// bindings of the element holding the value go out of scope once it is read.
    fn read_qualified(
        &mut self,
        ty: TypeRef,
        visit: &mut QualifiedVisitor<'_>,
    ) -> Result<(), DeError> {
        let text = self.read_simple(ty)?;
        visit(&text, None)
    }

    /// An integer of type `ty` (one of the built-in integers of at most 64 bits, `i8` to
    /// `u64`) held by the format as a number: `Some(value)`, consumed. `None` when the current
    /// value is anything else (text, a string, a value of the wrong type): the model then
    /// reads it with [`read_simple`](Self::read_simple), which parses the text or names the
    /// wrong type.
    ///
    /// A format with typed numbers (JSON, MessagePack) implements it so that an integer
    /// reaches the model without being written out as text and parsed back. The model checks
    /// the range of its own type: a value beyond it gets the same error as the same number
    /// read as text. The default returns `None`: a format of text (XML) needs nothing more.
    fn read_integer(&mut self, ty: TypeRef) -> Result<Option<i128>, DeError> {
        let _ = ty;
        Ok(None)
    }

    /// The items of an array of the built-in integer type `item` (`i8` to `u64`), each
    /// handed to `visit`: as a [`IntegerItem::Value`] where the format holds it as a number,
    /// else as an [`IntegerItem::Other`].
    ///
    /// A format with typed numbers implements it so that an array of numbers is read in one
    /// loop, without a deserializer per item and the model's calls through it (an array of a
    /// thousand integers is a common message). The default reads the items with
    /// [`read_seq`](Self::read_seq), each as an `Other`: the same values, limits and errors.
    fn read_integer_items(
        &mut self,
        item: TypeRef,
        visit: &mut IntegerItemVisitor<'_>,
    ) -> Result<(), DeError> {
        self.read_seq(item, &mut |d| visit(IntegerItem::Other(d)))
    }

    /// The fields of a complex value, in document order.
    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError>;
    /// The items of an array of `item`.
    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError>;
    /// Raw XML.
    fn read_any(&mut self) -> Result<AnyXml, DeError>;
    /// The attributes of an attribute wildcard
    /// ([`FieldKind::AnyAttribute`](super::FieldKind::AnyAttribute)): in XML those of the
    /// element being read that no attribute field claims and the wildcard allows; formats with
    /// keys read one object of Clark-notation names to strings
    /// ([`any_attributes_from_clark`](super::any_attributes_from_clark)).
    ///
    /// The default refuses (`Unexpected`), as for a format that cannot carry them.
    fn read_any_attributes(&mut self) -> Result<AnyAttributes, DeError> {
        Err(DeError::unexpected(
            "this format cannot read wildcard attributes (xs:anyAttribute)",
        ))
    }
    /// A choice: calls `visit` once, with the index of the alternative present (into
    /// [`ChoiceType::variants`]) and a deserializer positioned on its value. An element (or
    /// key) that is none of the alternatives is an error naming them.
    ///
    /// The default refuses (`Unexpected`): a deserializer written before choices existed keeps
    /// compiling and says what it cannot read.
    fn read_choice(
        &mut self,
        ty: &'static ChoiceType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let _ = visit;
        Err(DeError::unexpected(format!(
            "this format cannot read the choice `{}`",
            ty.name
        )))
    }

    /// A polymorphic value: calls `visit` once, with the index of the variant present (into
    /// the alternatives of the [`PolymorphicType`]) and a deserializer positioned on its
    /// value. XML tells the variant by the element's `xsi:type` (none: the base).
    ///
    /// The default reads the value as the choice [`PolymorphicType::alternatives`], through
    /// [`read_choice`](Self::read_choice), the shape the default
    /// [`Serializer::write_polymorphic`](super::Serializer::write_polymorphic) writes.
    fn read_polymorphic(
        &mut self,
        ty: &'static PolymorphicType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        self.read_choice(&ty.alternatives, visit)
    }
}
