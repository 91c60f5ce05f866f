//! Schema components: elements, types, attributes, groups, with every reference a [`QName`].

use std::collections::BTreeMap;

use super::{MaxOccurs, Pos, QName};
use crate::diag::Sink;

/// Every global schema component, by qualified name.
#[derive(Debug, Clone, Default)]
pub struct SchemaSet {
    /// Global elements.
    pub elements: BTreeMap<QName, ElementDecl>,
    /// Named types.
    pub types: BTreeMap<QName, TypeDef>,
    /// Global attributes.
    pub attributes: BTreeMap<QName, AttributeDecl>,
    /// Named model groups (`xs:group`).
    pub groups: BTreeMap<QName, Particle>,
    /// Named attribute groups.
    pub attribute_groups: BTreeMap<QName, AttributeGroup>,
    /// References that resolve to nothing (position, construct, name), found after loading.
    pub unresolved: Vec<(Pos, String, QName)>,
    /// For each head of a substitution group, the elements a reference to it stands for,
    /// found after loading: the head if it is not abstract, then its members in name order.
    pub substitutions: BTreeMap<QName, Vec<Particle>>,
}

/// An element declaration (global, or local inside a particle).
#[derive(Debug, Clone)]
pub struct ElementDecl {
    /// Its name; for a local element the namespace is the one it is written in (empty when
    /// unqualified).
    pub name: QName,
    /// Where.
    pub pos: Pos,
    /// Its type.
    pub ty: TypeUse,
    /// `nillable="true"`.
    pub nillable: bool,
    /// `default`.
    pub default: Option<String>,
    /// `fixed`.
    pub fixed: Option<String>,
    /// `abstract="true"` (global only).
    pub is_abstract: bool,
    /// `substitutionGroup` (global only).
    pub substitution_group: Option<QName>,
    /// Whether a local element is qualified (its `form`, else the declaring schema's
    /// `elementFormDefault`); always true for global elements.
    pub qualified: bool,
}

/// The type of an element or attribute.
#[derive(Debug, Clone)]
pub enum TypeUse {
    /// A named type (built-in or declared).
    Named(QName),
    /// An anonymous type declared in place.
    Anonymous(Box<TypeDef>),
    /// No type given: `xs:anyType` for elements, `xs:anySimpleType` for attributes.
    Default,
}

/// A type definition.
// Built once per schema and never moved in bulk: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum TypeDef {
    /// `xs:complexType`.
    Complex(ComplexType),
    /// `xs:simpleType`.
    Simple(SimpleType),
}

impl TypeDef {
    /// Where it is declared.
    pub fn pos(&self) -> &Pos {
        match self {
            TypeDef::Complex(c) => &c.pos,
            TypeDef::Simple(s) => &s.pos,
        }
    }
}

/// `xs:complexType`.
#[derive(Debug, Clone)]
pub struct ComplexType {
    /// The name, for a named type.
    pub name: Option<QName>,
    /// The target namespace of the schema that declares it (also for anonymous types).
    pub namespace: String,
    /// Where.
    pub pos: Pos,
    /// The content model.
    pub content: Content,
    /// Declared attributes (own, for derived types).
    pub attributes: Vec<AttributeUse>,
    /// `xs:anyAttribute`.
    pub any_attribute: Option<Wildcard>,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// `mixed="true"`.
    pub mixed: bool,
}

/// A complex type's content.
#[derive(Debug, Clone)]
pub enum Content {
    /// Element content given directly (`None`: empty content).
    Particle(Option<Particle>),
    /// `complexContent/extension`: the base's content, then this particle.
    ComplexExtension {
        /// The base type.
        base: QName,
        /// The added particle.
        particle: Option<Particle>,
    },
    /// `complexContent/restriction`: the restricted content, complete.
    ComplexRestriction {
        /// The base type.
        base: QName,
        /// The restricted particle.
        particle: Option<Particle>,
    },
    /// `simpleContent/extension`: a text value of the base type, plus attributes.
    SimpleExtension {
        /// The base (simple) type.
        base: QName,
    },
    /// `simpleContent/restriction`.
    SimpleRestriction {
        /// The base type.
        base: QName,
        /// The facets.
        facets: Box<Facets>,
    },
}

/// A particle: a term with occurrence bounds.
#[derive(Debug, Clone)]
pub struct Particle {
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs`.
    pub max: MaxOccurs,
    /// What occurs.
    pub term: Term,
    /// Where.
    pub pos: Pos,
}

/// What a particle holds.
#[derive(Debug, Clone)]
pub enum Term {
    /// A local element.
    Element(Box<ElementDecl>),
    /// `<xs:element ref=..>`.
    ElementRef(QName),
    /// `xs:sequence`.
    Sequence(Vec<Particle>),
    /// `xs:choice`.
    Choice(Vec<Particle>),
    /// `xs:all`.
    All(Vec<Particle>),
    /// `<xs:group ref=..>`.
    GroupRef(QName),
    /// `xs:any`.
    Any(Wildcard),
}

/// `xs:any` / `xs:anyAttribute`.
#[derive(Debug, Clone)]
pub struct Wildcard {
    /// The `namespace` constraint as written (`##any` when absent).
    pub namespace: String,
    /// `processContents`.
    pub process_contents: String,
    /// Where.
    pub pos: Pos,
}

/// A global attribute declaration, or the declaration part of a local one.
#[derive(Debug, Clone)]
pub struct AttributeDecl {
    /// Name (namespace empty when unqualified).
    pub name: QName,
    /// Its simple type.
    pub ty: TypeUse,
    /// `default`.
    pub default: Option<String>,
    /// `fixed`.
    pub fixed: Option<String>,
    /// Where.
    pub pos: Pos,
}

/// An attribute as a complex type or attribute group uses it.
#[derive(Debug, Clone)]
pub enum AttributeUse {
    /// A local declaration.
    Local {
        /// The declaration.
        decl: AttributeDecl,
        /// `use`.
        required: AttributeRequirement,
    },
    /// `<xs:attribute ref=..>`.
    Ref {
        /// The global attribute.
        name: QName,
        /// `use`.
        required: AttributeRequirement,
        /// Where.
        pos: Pos,
    },
    /// `<xs:attributeGroup ref=..>`.
    GroupRef {
        /// The group.
        name: QName,
        /// Where.
        pos: Pos,
    },
}

impl AttributeUse {
    /// Where it is written.
    pub fn pos(&self) -> &Pos {
        match self {
            AttributeUse::Local { decl, .. } => &decl.pos,
            AttributeUse::Ref { pos, .. } | AttributeUse::GroupRef { pos, .. } => pos,
        }
    }

    /// Whether the use is `prohibited` (it takes nothing away from the wire format we write).
    pub fn is_prohibited(&self) -> bool {
        matches!(
            self,
            AttributeUse::Local {
                required: AttributeRequirement::Prohibited,
                ..
            } | AttributeUse::Ref {
                required: AttributeRequirement::Prohibited,
                ..
            }
        )
    }
}

/// An attribute's `use`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeRequirement {
    /// `optional` (the default).
    Optional,
    /// `required`.
    Required,
    /// `prohibited`.
    Prohibited,
}

/// `xs:attributeGroup`.
#[derive(Debug, Clone)]
pub struct AttributeGroup {
    /// The attributes.
    pub attributes: Vec<AttributeUse>,
    /// `xs:anyAttribute`.
    pub any_attribute: Option<Wildcard>,
    /// Where.
    pub pos: Pos,
}

/// `xs:simpleType`.
#[derive(Debug, Clone)]
pub struct SimpleType {
    /// The name, for a named type.
    pub name: Option<QName>,
    /// Where.
    pub pos: Pos,
    /// Restriction, list or union.
    pub variety: SimpleVariety,
}

/// The three kinds of simple type.
#[derive(Debug, Clone)]
pub enum SimpleVariety {
    /// `xs:restriction`.
    Restriction {
        /// The base type.
        base: TypeUse,
        /// The facets.
        facets: Box<Facets>,
    },
    /// `xs:list`.
    List {
        /// The item type.
        item: TypeUse,
    },
    /// `xs:union`.
    Union {
        /// The member types, in order.
        members: Vec<TypeUse>,
    },
}

/// Constraining facets of a simple type restriction.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    /// `xs:enumeration` values in order.
    pub enumeration: Vec<String>,
    /// `xs:pattern` values (all must match, one per derivation step).
    pub patterns: Vec<String>,
    /// `xs:length`.
    pub length: Option<u64>,
    /// `xs:minLength`.
    pub min_length: Option<u64>,
    /// `xs:maxLength`.
    pub max_length: Option<u64>,
    /// `xs:minInclusive`.
    pub min_inclusive: Option<String>,
    /// `xs:maxInclusive`.
    pub max_inclusive: Option<String>,
    /// `xs:minExclusive`.
    pub min_exclusive: Option<String>,
    /// `xs:maxExclusive`.
    pub max_exclusive: Option<String>,
    /// `xs:totalDigits`.
    pub total_digits: Option<u32>,
    /// `xs:fractionDigits`.
    pub fraction_digits: Option<u32>,
    /// `xs:whiteSpace`.
    pub white_space: Option<String>,
}

impl SchemaSet {
    /// Records every reference that resolves to no declaration (built-in XSD types aside).
    pub(crate) fn check_references(&mut self, sink: &mut Sink) {
        let mut missing = Vec::new();
        let types = |q: &QName| {
            q.ns == crate::xml::XS || q.ns == crate::xml::SOAP_ENC || self.types.contains_key(q)
        };
        let mut visit = Visitor {
            set: self,
            types: &types,
            missing: &mut missing,
        };
        for e in visit.set.elements.values() {
            visit.element(e);
        }
        for t in visit.set.types.values() {
            visit.type_def(t);
        }
        for (pos, what, q) in &missing {
            sink.error(
                Some(pos.clone()),
                what.clone(),
                format!("`{q}` is not declared in any loaded document"),
            );
        }
        self.unresolved = missing;
    }
}

struct Visitor<'a, F: Fn(&QName) -> bool> {
    set: &'a SchemaSet,
    types: &'a F,
    missing: &'a mut Vec<(Pos, String, QName)>,
}

impl<F: Fn(&QName) -> bool> Visitor<'_, F> {
    fn type_ref(&mut self, pos: &Pos, q: &QName) {
        if !(self.types)(q) {
            self.missing
                .push((pos.clone(), "type reference".into(), q.clone()));
        }
    }

    fn type_use(&mut self, pos: &Pos, t: &TypeUse) {
        match t {
            TypeUse::Named(q) => self.type_ref(pos, q),
            TypeUse::Anonymous(def) => self.type_def(def),
            TypeUse::Default => {}
        }
    }

    fn element(&mut self, e: &ElementDecl) {
        self.type_use(&e.pos, &e.ty);
    }

    fn type_def(&mut self, t: &TypeDef) {
        match t {
            TypeDef::Simple(s) => match &s.variety {
                SimpleVariety::Restriction { base, .. } => self.type_use(&s.pos, base),
                SimpleVariety::List { item } => self.type_use(&s.pos, item),
                SimpleVariety::Union { members } => {
                    for m in members {
                        self.type_use(&s.pos, m);
                    }
                }
            },
            TypeDef::Complex(c) => {
                match &c.content {
                    Content::Particle(p) => {
                        if let Some(p) = p {
                            self.particle(p);
                        }
                    }
                    Content::ComplexExtension { base, particle }
                    | Content::ComplexRestriction { base, particle } => {
                        self.type_ref(&c.pos, base);
                        if let Some(p) = particle {
                            self.particle(p);
                        }
                    }
                    Content::SimpleExtension { base } | Content::SimpleRestriction { base, .. } => {
                        self.type_ref(&c.pos, base)
                    }
                }
                for a in &c.attributes {
                    self.attribute(a);
                }
            }
        }
    }

    fn attribute(&mut self, a: &AttributeUse) {
        match a {
            AttributeUse::Local { decl, .. } => self.type_use(&decl.pos, &decl.ty),
            AttributeUse::Ref { name, pos, .. } => {
                if name.ns != "http://www.w3.org/XML/1998/namespace"
                    && !self.set.attributes.contains_key(name)
                {
                    self.missing
                        .push((pos.clone(), "xs:attribute ref".into(), name.clone()));
                }
            }
            AttributeUse::GroupRef { name, pos } => {
                if !self.set.attribute_groups.contains_key(name) {
                    self.missing
                        .push((pos.clone(), "xs:attributeGroup ref".into(), name.clone()));
                }
            }
        }
    }

    fn particle(&mut self, p: &Particle) {
        match &p.term {
            Term::Element(e) => self.element(e),
            Term::ElementRef(q) => {
                if !self.set.elements.contains_key(q) {
                    self.missing
                        .push((p.pos.clone(), "xs:element ref".into(), q.clone()));
                }
            }
            Term::Sequence(ps) | Term::Choice(ps) | Term::All(ps) => {
                for p in ps {
                    self.particle(p);
                }
            }
            Term::GroupRef(q) => {
                if !self.set.groups.contains_key(q) {
                    self.missing
                        .push((p.pos.clone(), "xs:group ref".into(), q.clone()));
                }
            }
            Term::Any(_) => {}
        }
    }
}
