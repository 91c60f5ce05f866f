//! The format-neutral serializer interface that protocols implement.

use super::{
    AnyAttributes, AnyXml, ChoiceType, ComplexType, FieldDescriptor, Model, PolymorphicType,
    SerError, SerErrorKind, TypeRef,
};

/// Receives a value as a stream of typed events; implemented by each protocol.
///
/// Values drive it ([`Model::serialize`]): a simple value is one [`write_simple`] call with its
/// lexical form (a built-in integer one [`write_integer`] call, which defaults to
/// [`write_simple`]), a complex value is [`begin_complex`], one [`write_field`] per field and
/// [`end_complex`], an array is [`begin_seq`], [`write_item`]s and [`end_seq`]. The serializer
/// owns naming: it knows from the field descriptor what element a value goes in, whether a
/// `None` is omitted or written as nil, and whether an array is wrapped.
///
/// The trait is object safe, so generated code and protocols meet through
/// `&mut dyn Serializer` without either knowing the other.
///
/// [`write_simple`]: Serializer::write_simple
/// [`write_integer`]: Serializer::write_integer
/// [`begin_complex`]: Serializer::begin_complex
/// [`write_field`]: Serializer::write_field
/// [`end_complex`]: Serializer::end_complex
/// [`begin_seq`]: Serializer::begin_seq
/// [`write_item`]: Serializer::write_item
/// [`end_seq`]: Serializer::end_seq
pub trait Serializer {
    /// A simple value in its XSD lexical form.
    fn write_simple(&mut self, ty: TypeRef, text: &str) -> Result<(), SerError>;
    /// A simple value holding qualified names ([`QName`](super::QName), or a list of them):
    /// `names` are `(namespace, local name)` pairs (namespace `""`: none), in order.
    ///
    /// A format with namespace prefixes (XML) writes each as `prefix:local`, declaring a
    /// prefix on the element that holds the value where none is in scope. The default, for
    /// formats without prefixes, writes the Clark notation `{namespace}local` (space-separated
    /// for a list) with [`write_simple`](Self::write_simple).
    fn write_qualified(&mut self, ty: TypeRef, names: &[(&str, &str)]) -> Result<(), SerError> {
        self.write_simple(ty, &super::qname::clark_text(names))
    }

    /// An integer of type `ty` (one of the built-in integers of at most 64 bits, `i8` to
    /// `u64`), as a number: a format with typed numbers (JSON, MessagePack) writes it without
    /// formatting and re-reading its text.
    ///
    /// By default, its decimal text through [`write_simple`](Self::write_simple), the XSD
    /// lexical form the value would otherwise have written.
    fn write_integer(&mut self, ty: TypeRef, value: i128) -> Result<(), SerError> {
        let mut buf = itoa::Buffer::new();
        // Every value a built-in integer writes fits an `i64` or a `u64`, whose formatting is
        // cheaper than an `i128`'s.
        let text = match (i64::try_from(value), u64::try_from(value)) {
            (Ok(v), _) => buf.format(v),
            (_, Ok(v)) => buf.format(v),
            _ => buf.format(value),
        };
        self.write_simple(ty, text)
    }

    /// An absent value (`None`).
    fn write_nil(&mut self) -> Result<(), SerError>;
    /// An explicit nil ([`Nillable::Nil`](super::Nillable::Nil)): written as nil even where an
    /// absent value would be left out. By default the same as [`write_nil`](Self::write_nil).
    fn write_explicit_nil(&mut self) -> Result<(), SerError> {
        self.write_nil()
    }
    /// Starts a complex value of type `ty`.
    fn begin_complex(&mut self, ty: &'static ComplexType) -> Result<(), SerError>;
    /// One field of the complex value being written.
    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError>;
    /// Ends the complex value.
    fn end_complex(&mut self) -> Result<(), SerError>;
    /// Starts an array of `len` items of type `item`.
    fn begin_seq(&mut self, item: TypeRef, len: usize) -> Result<(), SerError>;
    /// One item of the array being written.
    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError>;
    /// Ends the array.
    fn end_seq(&mut self) -> Result<(), SerError>;
    /// Raw XML.
    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError>;
    /// The attributes of an attribute wildcard ([`FieldKind::AnyAttribute`](super::FieldKind::AnyAttribute)):
    /// in XML attributes of the element whose start tag is open, each with its namespace's
    /// prefix declared there; formats with keys write one object of Clark-notation names
    /// (`{namespace}local`) to strings.
    ///
    /// The default refuses (`Unrepresentable`), as for a format without such objects.
    fn write_any_attributes(&mut self, attrs: &AnyAttributes) -> Result<(), SerError> {
        let _ = attrs;
        Err(super::any_attributes::unrepresentable())
    }
    /// The alternative at `variant` (an index into [`ChoiceType::variants`]) of a choice, with
    /// its value. In XML the alternative's element replaces the element the value was to go
    /// in; formats with keys write `{alternative name: value}`.
    ///
    /// The default refuses (`Unrepresentable`): a serializer written before choices existed
    /// keeps compiling and says what it cannot write.
    fn write_choice(
        &mut self,
        ty: &'static ChoiceType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let _ = (variant, value);
        Err(SerError::with_kind(
            SerErrorKind::Unrepresentable,
            format!("this format cannot write the choice `{}`", ty.name),
        ))
    }

    /// The variant at `variant` (an index into the alternatives of the
    /// [`PolymorphicType`]) of a polymorphic value, with its value (a complex value of the
    /// variant's type). XML writes the value in the element the field names, with
    /// `xsi:type` naming the variant's type when it is not the base.
    ///
    /// The default writes the value as the choice [`PolymorphicType::alternatives`] (formats
    /// with keys: `{variant name: value}`), through [`write_choice`](Self::write_choice).
    fn write_polymorphic(
        &mut self,
        ty: &'static PolymorphicType,
        variant: usize,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        self.write_choice(&ty.alternatives, variant, value)
    }
}

/// A model value behind a trait object, as handed to [`Serializer::write_field`].
pub trait SerializeValue {
    /// Serializes the value.
    fn serialize_value(&self, s: &mut dyn Serializer) -> Result<(), SerError>;
    /// The value's declared type.
    fn value_type(&self) -> TypeRef;
}

impl<T: Model> SerializeValue for T {
    fn serialize_value(&self, s: &mut dyn Serializer) -> Result<(), SerError> {
        self.serialize(s)
    }

    fn value_type(&self) -> TypeRef {
        T::type_ref()
    }
}
