//! Static descriptors of model types: what protocols and interfaces read to name, order,
//! constrain and document values.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use super::polymorphic::PolymorphicType;

/// The XML Schema namespace, home of the built-in simple types.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// A reference to the descriptor of a model type.
///
/// Returned by value from [`Model::type_ref`](crate::Model::type_ref): generic containers
/// (`Vec<T>`) refer to their item type through a function pointer, so no descriptor ever needs a
/// generic `static`, and recursive types (a class holding `Option<Box<Self>>`) terminate.
#[derive(Clone, Copy)]
pub enum TypeRef {
    /// A built-in XSD simple type (`xs:int`, `xs:string`, ...).
    Simple(&'static SimpleType),
    /// A string enumeration (an `xs:string` restriction with `xs:enumeration` facets).
    Enum(&'static EnumType),
    /// A complex type (an `xs:complexType` with a sequence of elements).
    Complex(&'static ComplexType),
    /// An array of the given item type; named `<item type name>Array` in XSD.
    Array(fn() -> TypeRef),
    /// Any XML (`xs:anyType`).
    Any,
    /// A choice of elements (`xs:choice`): one of the alternatives, inline in the enclosing
    /// type's content. Not a named XSD type: the enclosing type writes it as `<xs:choice>`.
    Choice(&'static ChoiceType),
    /// A list of simple values of the given item type (`xs:list`): one text, items separated
    /// by whitespace; named `<item type name>List` in XSD.
    List(fn() -> TypeRef),
    /// A complex type or any of its declared subtypes (`xsi:type` polymorphism). Named and
    /// namespaced as its base in XSD: an element holding it is declared with the base type.
    Polymorphic(&'static PolymorphicType),
}

impl TypeRef {
    /// The XSD type name (`int`, `SimpleClass`, `stringArray`, `anyType`).
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            TypeRef::Simple(s) => Cow::Borrowed(s.name),
            TypeRef::Enum(e) => Cow::Borrowed(e.name),
            TypeRef::Complex(c) => Cow::Borrowed(c.name),
            TypeRef::Array(item) => Cow::Owned(format!("{}Array", item().name())),
            TypeRef::Any => Cow::Borrowed("anyType"),
            TypeRef::Choice(c) => Cow::Borrowed(c.name),
            TypeRef::List(item) => Cow::Owned(format!("{}List", item().name())),
            TypeRef::Polymorphic(p) => Cow::Borrowed((p.base)().name),
        }
    }

    /// The namespace the type is declared in; `None` means the application's target namespace.
    ///
    /// An array lives in its item type's namespace, except arrays of built-in types, which live
    /// in the application's namespace (XSD has no `xs:intArray`).
    pub fn namespace(&self) -> Option<&'static str> {
        match self {
            TypeRef::Simple(_) | TypeRef::Any => Some(XSD_NS),
            TypeRef::Enum(e) => e.namespace,
            TypeRef::Complex(c) => c.namespace,
            TypeRef::Choice(c) => c.namespace,
            TypeRef::Polymorphic(p) => (p.base)().namespace,
            TypeRef::Array(item) | TypeRef::List(item) => match item() {
                TypeRef::Simple(_) | TypeRef::Any => None,
                other => other.namespace(),
            },
        }
    }

    /// Whether two references denote the same type (compared by name and namespace).
    pub fn same_as(&self, other: &TypeRef) -> bool {
        self.name() == other.name() && self.namespace() == other.namespace()
    }
}

impl fmt::Debug for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.namespace() {
            Some(ns) => write!(f, "{{{ns}}}{}", self.name()),
            None => write!(f, "{{tns}}{}", self.name()),
        }
    }
}

/// Which family a built-in simple type belongs to; protocols use it to pick a wire encoding
/// where they have a native one (JSON numbers, for instance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SimpleKind {
    /// `xs:boolean`.
    Boolean,
    /// An integer type, bounded or not.
    Integer,
    /// `xs:float` / `xs:double`.
    Float,
    /// `xs:decimal`.
    Decimal,
    /// `xs:string` and its derivatives.
    String,
    /// `xs:base64Binary`.
    Binary,
    /// `xs:date`, `xs:time`, `xs:dateTime`, `xs:duration`.
    Temporal,
}

/// A built-in XSD simple type.
#[derive(Debug)]
pub struct SimpleType {
    /// Local name in the XML Schema namespace (`int`, `dateTime`).
    pub name: &'static str,
    /// The family of the type.
    pub kind: SimpleKind,
}

/// A string enumeration.
#[derive(Debug)]
pub struct EnumType {
    /// XSD type name.
    pub name: &'static str,
    /// Namespace; `None` means the application's target namespace.
    pub namespace: Option<&'static str>,
    /// The allowed values, in declaration order, as they appear on the wire.
    pub values: &'static [&'static str],
    /// Documentation from the Rust doc comment.
    pub doc: Option<&'static str>,
}

/// A complex type: a named sequence of elements, optionally extending another complex type.
#[derive(Debug)]
pub struct ComplexType {
    /// XSD type name (also the name of its global element).
    pub name: &'static str,
    /// Namespace; `None` means the application's target namespace.
    pub namespace: Option<&'static str>,
    /// The type this one extends (`complexContent/extension`); its fields come first.
    pub base: Option<fn() -> &'static ComplexType>,
    /// The fields this type declares itself, in sequence order (without the base's fields).
    pub fields: &'static [FieldDescriptor],
    /// Documentation from the Rust doc comment.
    pub doc: Option<&'static str>,
}

impl ComplexType {
    /// Number of fields including every base type's fields.
    pub fn field_count(&self) -> usize {
        self.base.map_or(0, |b| b().field_count()) + self.fields.len()
    }

    /// Every field in wire order: the base chain's fields first, then this type's own.
    pub fn all_fields(&'static self) -> Vec<&'static FieldDescriptor> {
        let mut out = Vec::with_capacity(self.field_count());
        self.collect_fields(&mut out);
        out
    }

    fn collect_fields(&'static self, out: &mut Vec<&'static FieldDescriptor>) {
        if let Some(base) = self.base {
            base().collect_fields(out);
        }
        out.extend(self.fields.iter());
    }

    /// The field at `index` of [`all_fields`](Self::all_fields), without allocating.
    pub fn field_at(&'static self, index: usize) -> Option<&'static FieldDescriptor> {
        let base_count = self.base.map_or(0, |b| b().field_count());
        if index < base_count {
            self.base.and_then(|b| b().field_at(index))
        } else {
            self.fields.get(index - base_count)
        }
    }
}

/// A choice of elements (`xs:choice`), the descriptor of a Rust enum with one variant per
/// alternative.
///
/// A field whose type is a choice is a [`FieldKind::Choice`] field: the element of the variant
/// present stands directly in the enclosing type's content (no element of the field's own),
/// and an unwrapped `Vec` of a choice is a repeated choice (`maxOccurs` on the `xs:choice`).
#[derive(Debug)]
pub struct ChoiceType {
    /// A name for the choice (the Rust enum's), used in messages and as the JSON type name.
    pub name: &'static str,
    /// Namespace of the alternatives' elements by default; `None` means the application's
    /// target namespace.
    pub namespace: Option<&'static str>,
    /// The alternatives, in declaration order: each an element with its name, namespace, type
    /// and constraints (`min_occurs` and `max_occurs` are 1).
    pub variants: &'static [FieldDescriptor],
    /// Documentation from the Rust doc comment.
    pub doc: Option<&'static str>,
}

impl ChoiceType {
    /// The index of the alternative named `{ns}local`, names without a namespace of their own
    /// resolving to `tns`.
    pub fn variant_of(&self, tns: &str, ns: &str, local: &str) -> Option<usize> {
        self.variants
            .iter()
            .position(|v| v.name == local && v.namespace.resolve(tns) == ns)
    }

    /// The alternatives' names, for messages: `` `a`, `b` or `c` ``.
    pub fn expected(&self) -> String {
        let mut out = String::new();
        for (i, v) in self.variants.iter().enumerate() {
            if i > 0 {
                out.push_str(if i + 1 == self.variants.len() {
                    " or "
                } else {
                    ", "
                });
            }
            out.push('`');
            out.push_str(v.name);
            out.push('`');
        }
        out
    }
}

/// What an element wildcard (`xs:any`) does with the elements it accepts
/// (`processContents`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessContents {
    /// `strict`: a validating reader must know their declarations.
    Strict,
    /// `lax`: validated where declarations are known.
    Lax,
    /// `skip`: never validated.
    Skip,
}

impl ProcessContents {
    /// The XSD keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcessContents::Strict => "strict",
            ProcessContents::Lax => "lax",
            ProcessContents::Skip => "skip",
        }
    }
}

/// An element wildcard (`xs:any`) or attribute wildcard (`xs:anyAttribute`): which
/// namespaces the elements or attributes it stands for may be in.
///
/// The elements are carried as [`AnyXml`](super::AnyXml), whole, and are never validated
/// (rpclib keeps what it cannot check verbatim, whatever `processContents` says; the value is
/// kept for the WSDL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wildcard {
    /// The namespace constraint as XSD writes it: `##any`, `##other`, or a whitespace-separated
    /// list of URIs, `##targetNamespace` and `##local`.
    pub namespace: &'static str,
    /// `processContents`.
    pub process_contents: ProcessContents,
}

impl Wildcard {
    /// `##any` with `processContents="lax"`: what `#[model(any)]` declares.
    pub const ANY: Wildcard = Wildcard {
        namespace: "##any",
        process_contents: ProcessContents::Lax,
    };

    /// Whether an element in namespace `ns` (empty: no namespace) matches, where `tns` is the
    /// target namespace of the schema declaring the wildcard.
    pub fn allows(&self, tns: &str, ns: &str) -> bool {
        match self.namespace.trim() {
            "##any" => true,
            // `##other`: any namespace but the target one, and not unqualified names.
            "##other" => !ns.is_empty() && ns != tns,
            list => list.split_ascii_whitespace().any(|token| match token {
                "##targetNamespace" => ns == tns,
                "##local" => ns.is_empty(),
                uri => uri == ns,
            }),
        }
    }
}

/// Upper bound of occurrences of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxOccurs {
    /// At most this many.
    Bounded(u32),
    /// `maxOccurs="unbounded"`.
    Unbounded,
}

/// What a field is on the XML wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A child element (`xs:element` in the type's sequence).
    Element,
    /// An attribute of the type's element (`xs:attribute`); its type is simple.
    Attribute,
    /// The text content of the type's element (`xs:simpleContent`); its type is simple and only
    /// attributes stand beside it.
    Text,
    /// A choice (the field's type is a [`TypeRef::Choice`]): the element of the alternative
    /// present stands in the content, the field's own `name` is not on the wire.
    Choice,
    /// An element wildcard (`xs:any`): elements no other field claims and the wildcard allows,
    /// captured whole as [`AnyXml`](super::AnyXml).
    Any(&'static Wildcard),
    /// An attribute wildcard (`xs:anyAttribute`): the attributes of the type's element that no
    /// attribute field claims and the wildcard allows, as
    /// [`AnyAttributes`](super::AnyAttributes). One per type, base chain included (the
    /// first in [`ComplexType::all_fields`] order is the one readers fill).
    AnyAttribute(&'static Wildcard),
}

/// The namespace a field's element or attribute name is in.
///
/// Element fields default to their declaring type's namespace (what `elementFormDefault=
/// "qualified"` gives); attributes default to [`Unqualified`](FieldNamespace::Unqualified)
/// (XSD's `attributeFormDefault="unqualified"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldNamespace {
    /// The application's target namespace.
    Target,
    /// This namespace (the declaring type's, or another schema's for a reference).
    Uri(&'static str),
    /// No namespace (`form="unqualified"`).
    Unqualified,
}

impl FieldNamespace {
    /// `Uri(ns)` for `Some(ns)`, `Target` for `None`: the qualified default of a type declared
    /// in `namespace`.
    pub const fn qualified(namespace: Option<&'static str>) -> Self {
        match namespace {
            Some(ns) => FieldNamespace::Uri(ns),
            None => FieldNamespace::Target,
        }
    }

    /// The namespace URI, `tns` standing for the application's; empty for no namespace.
    pub fn resolve(self, tns: &str) -> &str {
        match self {
            FieldNamespace::Target => tns,
            FieldNamespace::Uri(ns) => ns,
            FieldNamespace::Unqualified => "",
        }
    }

    /// The namespace as a type namespace: `None` for the application's target namespace and
    /// for no namespace, which [`is_unqualified`](Self::is_unqualified) tells apart.
    pub fn uri(self) -> Option<&'static str> {
        match self {
            FieldNamespace::Uri(ns) => Some(ns),
            FieldNamespace::Target | FieldNamespace::Unqualified => None,
        }
    }

    /// Whether the name is in no namespace.
    pub fn is_unqualified(self) -> bool {
        self == FieldNamespace::Unqualified
    }
}

/// One field of a complex type (an element of its sequence, an attribute, or its text), or one
/// part of a message.
#[derive(Debug)]
pub struct FieldDescriptor {
    /// Element (or attribute) name on the wire; object key in JSON and MessagePack.
    pub name: &'static str,
    /// Name of the Rust field or parameter.
    pub rust_name: &'static str,
    /// Namespace of the element or attribute name.
    pub namespace: FieldNamespace,
    /// Element, attribute or text content.
    pub kind: FieldKind,
    /// The field's type.
    pub ty: fn() -> TypeRef,
    /// `minOccurs`: 0 for `Option` fields and unwrapped arrays, else 1.
    pub min_occurs: u32,
    /// `maxOccurs`: unbounded for unwrapped arrays, else 1.
    pub max_occurs: MaxOccurs,
    /// Whether `xsi:nil="true"` is accepted (and emitted for a required `None`).
    pub nillable: bool,
    /// An array field written as repeated elements without a wrapper element.
    pub unwrapped: bool,
    /// Declared constraints, checked on input.
    pub constraints: Constraints,
    /// The declaration's `default` or `fixed` value, if it has one.
    pub value_constraint: Option<ValueConstraint>,
    /// Documentation from the Rust doc comment.
    pub doc: Option<&'static str>,
}

/// The value constraint of an element or attribute declaration (XSD's `default` or `fixed`),
/// in its lexical form.
///
/// Either supplies the value of an attribute that is absent and of an element that is present
/// and empty (an absent element stays absent); `fixed` also allows no other value (compared in
/// the value space of the field's type: `fixed="1.0"` accepts `1` for a decimal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueConstraint {
    /// `default="..."`.
    Default(&'static str),
    /// `fixed="..."`.
    Fixed(&'static str),
}

impl ValueConstraint {
    /// The value as declared.
    pub fn text(self) -> &'static str {
        match self {
            ValueConstraint::Default(t) | ValueConstraint::Fixed(t) => t,
        }
    }

    /// The XSD attribute that declares it: `default` or `fixed`.
    pub fn keyword(self) -> &'static str {
        match self {
            ValueConstraint::Default(_) => "default",
            ValueConstraint::Fixed(_) => "fixed",
        }
    }
}

/// A numeric bound given in a constraint.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer literal.
    Int(i128),
    /// A floating-point literal.
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A regular expression constraint, compiled on first use.
///
/// The expression must match the whole value (XSD patterns are implicitly anchored).
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<regex::Regex, String>>,
}

impl Pattern {
    /// A pattern from its source text.
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The expression as declared.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `text` matches the whole pattern; `Err` if the pattern itself does not compile.
    pub fn is_match(&self, text: &str) -> Result<bool, String> {
        let compiled = self.compiled.get_or_init(|| {
            regex::Regex::new(&format!("^(?:{})$", self.source)).map_err(|e| e.to_string())
        });
        match compiled {
            Ok(re) => Ok(re.is_match(text)),
            Err(e) => Err(format!("invalid pattern `{}`: {e}", self.source)),
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Constraints declared on a field or parameter; they appear as XSD facets and are enforced
/// on input by [`Model::validate`](crate::Model::validate).
///
/// Length facets count characters for strings and bytes for binary values; item-count facets
/// apply to arrays. Facets that do not apply to a type are ignored for it.
#[derive(Debug)]
pub struct Constraints {
    /// Minimum length (`minLength`).
    pub min_len: Option<usize>,
    /// Maximum length (`maxLength`).
    pub max_len: Option<usize>,
    /// Pattern (`pattern`).
    pub pattern: Option<&'static Pattern>,
    /// `minInclusive`.
    pub min_inclusive: Option<Number>,
    /// `maxInclusive`.
    pub max_inclusive: Option<Number>,
    /// `minExclusive`.
    pub min_exclusive: Option<Number>,
    /// `maxExclusive`.
    pub max_exclusive: Option<Number>,
    /// Minimum number of array items.
    pub min_items: Option<usize>,
    /// Maximum number of array items.
    pub max_items: Option<usize>,
}

impl Constraints {
    /// No constraint at all.
    pub const NONE: Constraints = Constraints {
        min_len: None,
        max_len: None,
        pattern: None,
        min_inclusive: None,
        max_inclusive: None,
        min_exclusive: None,
        max_exclusive: None,
        min_items: None,
        max_items: None,
    };

    /// Whether nothing is constrained.
    pub fn is_empty(&self) -> bool {
        self.min_len.is_none()
            && self.max_len.is_none()
            && self.pattern.is_none()
            && !self.has_range()
            && self.min_items.is_none()
            && self.max_items.is_none()
    }

    /// Whether any numeric range facet is set.
    pub fn has_range(&self) -> bool {
        self.min_inclusive.is_some()
            || self.max_inclusive.is_some()
            || self.min_exclusive.is_some()
            || self.max_exclusive.is_some()
    }

    /// Whether any facet other than the item counts is set (these go on the item type).
    pub fn has_value_facets(&self) -> bool {
        self.min_len.is_some()
            || self.max_len.is_some()
            || self.pattern.is_some()
            || self.has_range()
    }
}

impl Default for Constraints {
    fn default() -> Self {
        Constraints::NONE
    }
}
