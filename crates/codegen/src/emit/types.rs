//! From schema components to the Rust items to emit: which structs and enums, with which
//! fields; refusing, with a diagnostic, every construct the model system cannot express.
//! Items are created on demand, so only what the operations reach is generated.

use std::collections::BTreeMap;

use super::builtin::{Builtin, Numeric, builtin};
use crate::diag::{Location, Sink};
use crate::ir::*;
use crate::naming;
use crate::xml::{SOAP_ENC, XS};

/// How an item is known; also its sort key for naming.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ItemKey {
    /// A named type.
    Named(QName),
    /// The anonymous type of a global element.
    Element(QName),
    /// An anonymous type declared at this position.
    Anon(Location),
    /// A named complex type with derived types, as a value that is it or any of them.
    Polymorphic(QName),
}

/// A field's or parameter's Rust type, before naming.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ty {
    /// A fully qualified Rust type.
    Rust(&'static str),
    /// One of the items.
    Item(usize),
    /// A list of simple values (`xs:list`): `XmlList<item>`.
    List(Box<Ty>),
}

/// Facets that become field attributes.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldFacets {
    pub(crate) min_len: Option<u64>,
    pub(crate) max_len: Option<u64>,
    pub(crate) min_inclusive: Option<(String, Numeric)>,
    pub(crate) max_inclusive: Option<(String, Numeric)>,
    pub(crate) min_exclusive: Option<(String, Numeric)>,
    pub(crate) max_exclusive: Option<(String, Numeric)>,
    /// The declaration's `default` or `fixed` value (not a facet, but carried with them to
    /// the field's `#[model(..)]`).
    pub(crate) value: Option<Declared>,
    /// For a union (`xs:union`), its first member type with its facets: what the mock's
    /// sample is a value of (written as text when the union is carried as text).
    pub(crate) union_member: Option<Box<(Ty, FieldFacets)>>,
}

/// A `default` or `fixed` value of an element or attribute declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Declared {
    /// `default="..."`.
    Default(String),
    /// `fixed="..."`.
    Fixed(String),
}

impl Declared {
    /// The declaration's value constraint, if it has one (`default` wins over a `fixed`
    /// given beside it, which XSD forbids anyway).
    fn of(default: &Option<String>, fixed: &Option<String>) -> Option<Declared> {
        match (default, fixed) {
            (Some(d), _) => Some(Declared::Default(d.clone())),
            (None, Some(f)) => Some(Declared::Fixed(f.clone())),
            (None, None) => None,
        }
    }
}

/// Where a field travels in its type's element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A child element.
    #[default]
    Element,
    /// An XML attribute (`#[model(attribute)]`).
    Attribute,
    /// The element's text (`#[model(text)]`, simpleContent).
    Text,
    /// A choice (`xs:choice`): the field's type is a choice item, whose alternative's element
    /// stands in the content.
    Choice,
    /// An element wildcard (`xs:any`, `#[model(any = ..)]`), elements kept as raw XML.
    Any {
        /// The namespace constraint as written.
        namespace: String,
        /// `processContents`.
        process_contents: String,
        /// The target namespace of the declaring schema (what `##targetNamespace` means).
        target: String,
    },
    /// An attribute wildcard (`xs:anyAttribute`, `#[model(any_attribute = ..)]`): the
    /// attributes it allows, as `AnyAttributes`.
    AnyAttribute {
        /// The namespace constraint as written.
        namespace: String,
        /// `processContents`.
        process_contents: String,
    },
}

impl Shape {
    /// For a wildcard, a namespace its elements may be in (`None`: no namespace), for samples.
    pub(crate) fn wildcard_sample_namespace(&self) -> Option<Option<String>> {
        let Shape::Any {
            namespace, target, ..
        } = self
        else {
            return None;
        };
        let ns = match namespace.split_ascii_whitespace().next().unwrap_or("##any") {
            "##any" | "##other" => Some("urn:rpclib:sample".to_owned()),
            "##targetNamespace" => Some(target.clone()).filter(|t| !t.is_empty()),
            "##local" => None,
            uri => Some(uri.to_owned()),
        };
        Some(ns)
    }
}

/// The namespace of a field's element or attribute name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum FieldNs {
    /// The model's default: elements in the type's namespace, attributes in none.
    #[default]
    Default,
    /// In no namespace (`form = "unqualified"`), for an element.
    Unqualified,
    /// In this namespace (`namespace = ".."`).
    Uri(String),
}

/// A field of a struct, or a parameter or result of an operation.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    pub(crate) xml: String,
    pub(crate) ty: Ty,
    pub(crate) min: u32,
    pub(crate) max: MaxOccurs,
    pub(crate) nillable: bool,
    /// The `complexContent/extension` base.
    pub(crate) base: bool,
    /// Boxed to break a cycle (set after collection).
    pub(crate) boxed: bool,
    pub(crate) facets: FieldFacets,
    pub(crate) doc: Vec<String>,
    /// Element, attribute or text.
    pub(crate) shape: Shape,
    /// The namespace of its name.
    pub(crate) ns: FieldNs,
}

/// What an item is.
#[derive(Debug, Clone)]
pub(crate) enum ItemKind {
    /// A struct with fields.
    Struct(Vec<Field>),
    /// A string enumeration with its values.
    Enum(Vec<String>),
    /// A choice (`xs:choice`): an enum with one variant per alternative element (each field
    /// an element, required, single).
    Choice(Vec<Field>),
    /// A base type or one of its derived types (`xsi:type`): an enum with one variant per
    /// concrete type (each field an element of that type, named after it, required, single),
    /// the base first unless abstract, then the derived types by name.
    Polymorphic {
        /// The base type's struct.
        base: usize,
        /// Whether the base is abstract (no variant holds it).
        abstract_base: bool,
        /// The variants.
        variants: Vec<Field>,
    },
}

/// One Rust item to emit.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) key: ItemKey,
    pub(crate) ns: String,
    pub(crate) xml_name: String,
    /// The proposed CamelCase name, before collisions.
    pub(crate) base_name: String,
    pub(crate) pos: Location,
    pub(crate) kind: ItemKind,
    pub(crate) doc: Vec<String>,
    /// Final name and module (set by naming).
    pub(crate) rust_name: String,
    pub(crate) module: String,
}

/// Resolved type of an element: Rust type, facets, notes.
struct Resolved {
    ty: Ty,
    facets: FieldFacets,
    doc: Vec<String>,
}

const MAX_DEPTH: u32 = 64;

/// The collection of items, built on demand.
pub(crate) struct Types<'m> {
    pub(crate) model: &'m Model,
    pub(crate) items: Vec<Item>,
    index: BTreeMap<ItemKey, usize>,
    pending: Vec<(usize, &'m ComplexType)>,
    /// Heads of substitution groups.
    heads: std::collections::BTreeSet<QName>,
    /// Choices named so far per owner (`<Owner>Choice`, `<Owner>Choice2`, ...).
    choices: BTreeMap<String, usize>,
    /// The alternatives of a substitution group's choice are being collected: a reference to
    /// a head there is that element itself, not its group again.
    in_substitution: bool,
    /// For each named complex type with derived types, those types (in variant order).
    derived: BTreeMap<QName, Vec<QName>>,
}

impl<'m> Types<'m> {
    pub(crate) fn new(model: &'m Model) -> Self {
        let heads = model
            .schema
            .elements
            .values()
            .filter_map(|e| e.substitution_group.clone())
            .collect();
        Types {
            model,
            items: Vec::new(),
            index: BTreeMap::new(),
            pending: Vec::new(),
            heads,
            choices: BTreeMap::new(),
            in_substitution: false,
            derived: model.schema.derived_types(),
        }
    }

    /// Computes the fields of every item created so far (and of those they create).
    pub(crate) fn drain(&mut self, sink: &mut Sink) {
        while let Some((i, ct)) = self.pending.pop() {
            let owner = self.items[i].base_name.clone();
            let fields = self.complex_fields(ct, &owner, sink);
            self.items[i].kind = ItemKind::Struct(fields);
        }
    }

    /// The Rust type of a global element's content (its anonymous type becomes an item named
    /// after the element).
    pub(crate) fn element_type(
        &mut self,
        q: &QName,
        pos: &Location,
        sink: &mut Sink,
    ) -> Option<(Ty, &'m ElementDecl)> {
        let Some(decl) = self.model.schema.elements.get(q) else {
            sink.error(
                Some(pos.clone()),
                "element",
                format!("`{q}` is not declared"),
            );
            return None;
        };
        if decl.is_abstract || (self.heads.contains(q) && !self.in_substitution) {
            sink.error(Some(decl.pos.clone()), format!("xs:element \"{}\"", q.local), "heads a substitution group (or is abstract): it stands for its members, which a message part or a document root cannot be (a reference to it in content is a choice of them)");
            return None;
        }
        let r = match &decl.ty {
            TypeUse::Anonymous(def) => match &**def {
                TypeDef::Complex(ct) => {
                    let i = self.complex_item(
                        ItemKey::Element(q.clone()),
                        ct,
                        &q.local,
                        naming::type_name(&q.local),
                    );
                    Resolved {
                        ty: Ty::Item(i),
                        facets: FieldFacets::default(),
                        doc: Vec::new(),
                    }
                }
                TypeDef::Simple(st) => {
                    self.simple(st, &naming::type_name(&q.local), &q.ns, 0, sink)?
                }
            },
            other => self.type_use(other, "", &q.local, &q.ns, &decl.pos, sink)?,
        };
        Some((r.ty, decl))
    }

    /// A struct named after the global element `q` with the content of its named type `ct`
    /// (headers and fault details are written under their type's name).
    pub(crate) fn element_struct(&mut self, q: &QName, ct: &'m ComplexType) -> usize {
        self.complex_item(
            ItemKey::Element(q.clone()),
            ct,
            &q.local,
            naming::type_name(&q.local),
        )
    }

    /// The Rust type of a named type (a `type=` part).
    pub(crate) fn named_type(&mut self, q: &QName, pos: &Location, sink: &mut Sink) -> Option<Ty> {
        self.named(q, pos, sink).map(|r| r.ty)
    }

    /// The fields of a complex type, without creating an item for it (the JAX-WS wrapper
    /// elements become parameters).
    pub(crate) fn wrapper_fields(
        &mut self,
        ct: &'m ComplexType,
        owner: &str,
        sink: &mut Sink,
    ) -> Vec<Field> {
        self.complex_fields(ct, owner, sink)
    }

    fn complex_item(
        &mut self,
        key: ItemKey,
        ct: &'m ComplexType,
        xml_name: &str,
        base_name: String,
    ) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.items.len();
        self.items.push(Item {
            key: key.clone(),
            ns: ct.namespace.clone(),
            xml_name: xml_name.to_string(),
            base_name,
            pos: ct.pos.clone(),
            kind: ItemKind::Struct(Vec::new()),
            doc: Vec::new(),
            rust_name: String::new(),
            module: String::new(),
        });
        self.index.insert(key, i);
        self.pending.push((i, ct));
        i
    }

    fn named(&mut self, q: &QName, pos: &Location, sink: &mut Sink) -> Option<Resolved> {
        let plain = |ty| {
            Some(Resolved {
                ty,
                facets: FieldFacets::default(),
                doc: Vec::new(),
            })
        };
        let model = self.model;
        match () {
            _ if q.ns == XS => match builtin(&q.local) {
                Some(Builtin::Rust(r, _)) => plain(Ty::Rust(r)),
                Some(Builtin::Refused(why)) => {
                    sink.error(Some(pos.clone()), format!("xs:{}", q.local), why);
                    None
                }
                None => {
                    sink.error(
                        Some(pos.clone()),
                        format!("xs:{}", q.local),
                        "not an XML Schema 1.0 built-in type",
                    );
                    None
                }
            },
            _ if q.ns == SOAP_ENC => {
                sink.error(
                    Some(pos.clone()),
                    format!("soapenc:{}", q.local),
                    "SOAP-encoded types belong to rpc/encoded, which is not supported",
                );
                None
            }
            _ => match model.schema.types.get(q) {
                Some(TypeDef::Complex(ct)) if self.derived.contains_key(q) || ct.is_abstract => {
                    self.polymorphic(q, ct, pos, sink)
                        .and_then(|i| plain(Ty::Item(i)))
                }
                Some(TypeDef::Complex(ct)) => {
                    let i = self.complex_item(
                        ItemKey::Named(q.clone()),
                        ct,
                        &q.local,
                        naming::type_name(&q.local),
                    );
                    plain(Ty::Item(i))
                }
                Some(TypeDef::Simple(st)) => {
                    self.simple(st, &naming::type_name(&q.local), &q.ns, 0, sink)
                }
                None => None, // reported when references were checked
            },
        }
    }

    /// The polymorphic item of the named complex type `q`: an enum of `q` (unless abstract)
    /// and every concrete type derived from it in the loaded schemas. An abstract type with
    /// no concrete derived type has no value to write: an error.
    fn polymorphic(
        &mut self,
        q: &QName,
        ct: &'m ComplexType,
        pos: &Location,
        sink: &mut Sink,
    ) -> Option<usize> {
        let key = ItemKey::Polymorphic(q.clone());
        if let Some(&i) = self.index.get(&key) {
            return Some(i);
        }
        let model = self.model;
        let base = self.complex_item(
            ItemKey::Named(q.clone()),
            ct,
            &q.local,
            naming::type_name(&q.local),
        );
        let derived = self.derived.get(q).cloned().unwrap_or_default();
        let mut variants = Vec::new();
        for t in std::iter::once(q).chain(derived.iter()) {
            let Some(TypeDef::Complex(vt)) = model.schema.types.get(t) else {
                continue;
            };
            if vt.is_abstract {
                continue;
            }
            let j = self.complex_item(
                ItemKey::Named(t.clone()),
                vt,
                &t.local,
                naming::type_name(&t.local),
            );
            variants.push(Field {
                xml: t.local.clone(),
                ty: Ty::Item(j),
                min: 1,
                max: MaxOccurs::Bounded(1),
                nillable: false,
                base: false,
                boxed: false,
                facets: FieldFacets::default(),
                doc: Vec::new(),
                shape: Shape::Element,
                ns: FieldNs::Uri(t.ns.clone()),
            });
        }
        if variants.is_empty() {
            sink.error(
                Some(pos.clone()),
                format!("xs:complexType \"{}\"", q.local),
                "abstract type without a concrete derived type in the loaded schemas: no value of it can be written",
            );
            return None;
        }
        let i = self.items.len();
        self.items.push(Item {
            key: key.clone(),
            ns: ct.namespace.clone(),
            xml_name: q.local.clone(),
            base_name: format!("Any{}", naming::type_name(&q.local)),
            pos: ct.pos.clone(),
            kind: ItemKind::Polymorphic {
                base,
                abstract_base: ct.is_abstract,
                variants,
            },
            doc: vec![format!(
                "`{}` or a type derived from it, told apart by `xsi:type`.",
                q.local
            )],
            rust_name: String::new(),
            module: String::new(),
        });
        self.index.insert(key, i);
        Some(i)
    }

    fn type_use(
        &mut self,
        t: &'m TypeUse,
        owner: &str,
        elem: &str,
        ns: &str,
        pos: &Location,
        sink: &mut Sink,
    ) -> Option<Resolved> {
        let plain = |ty| {
            Some(Resolved {
                ty,
                facets: FieldFacets::default(),
                doc: Vec::new(),
            })
        };
        match t {
            TypeUse::Default => plain(Ty::Rust("::rpclib_core::model::AnyXml")),
            TypeUse::Named(q) => self.named(q, pos, sink),
            TypeUse::Anonymous(def) => {
                let base = format!("{owner}{}", naming::type_name(elem));
                match &**def {
                    TypeDef::Complex(ct) => {
                        let i = self.complex_item(
                            ItemKey::Anon(ct.pos.clone()),
                            ct,
                            &base,
                            base.clone(),
                        );
                        plain(Ty::Item(i))
                    }
                    TypeDef::Simple(st) => self.simple(st, &base, ns, 0, sink),
                }
            }
        }
    }

    /// A union (`xs:union`): the member types' Rust type when they all have the same one,
    /// else the text (`String`, wire-exact, not checked against the members). Members'
    /// facets are not enforced (a value need satisfy one member's only); the first member
    /// gives the mock's sample.
    fn union(
        &mut self,
        st: &'m SimpleType,
        members: &'m [TypeUse],
        name: &str,
        ns: &str,
        depth: u32,
        sink: &mut Sink,
    ) -> Option<Resolved> {
        let mut resolved = Vec::with_capacity(members.len());
        for (k, m) in members.iter().enumerate() {
            let r = match m {
                TypeUse::Named(q) => self.named(q, &st.pos, sink)?,
                TypeUse::Anonymous(def) => match &**def {
                    TypeDef::Simple(b) => {
                        let member = format!("{name}Member{}", k + 1);
                        self.simple(b, &member, ns, depth + 1, sink)?
                    }
                    TypeDef::Complex(_) => {
                        sink.error(
                            Some(st.pos.clone()),
                            "xs:union",
                            "a member type of a union is a complex type",
                        );
                        return None;
                    }
                },
                TypeUse::Default => Resolved {
                    ty: Ty::Rust("::std::string::String"),
                    facets: FieldFacets::default(),
                    doc: Vec::new(),
                },
            };
            if matches!(r.ty, Ty::Item(i) if matches!(self.items[i].kind, ItemKind::Struct(_) | ItemKind::Choice(_) | ItemKind::Polymorphic { .. }))
            {
                sink.error(
                    Some(st.pos.clone()),
                    "xs:union",
                    "a member type of a union is a complex type",
                );
                return None;
            }
            resolved.push(r);
        }
        let Some(first) = resolved.first() else {
            sink.error(
                Some(st.pos.clone()),
                "xs:union",
                "a union without member types",
            );
            return None;
        };
        let same = resolved.iter().all(|r| r.ty == first.ty);
        let ty = if same {
            first.ty.clone()
        } else {
            Ty::Rust("::std::string::String")
        };
        let doc = if same {
            "XSD union of member types of one Rust type; the members' facets are not enforced."
        } else {
            "XSD union of member types of different Rust types, carried as its text (not \
             checked against the member types)."
        };
        Some(Resolved {
            ty,
            facets: FieldFacets {
                union_member: Some(Box::new((first.ty.clone(), first.facets.clone()))),
                ..FieldFacets::default()
            },
            doc: vec![doc.to_owned()],
        })
    }

    /// A simple type: an enumeration item, or its base's Rust type with the facets.
    fn simple(
        &mut self,
        st: &'m SimpleType,
        name: &str,
        ns: &str,
        depth: u32,
        sink: &mut Sink,
    ) -> Option<Resolved> {
        if depth > MAX_DEPTH {
            sink.error(
                Some(st.pos.clone()),
                "xs:simpleType",
                "derivation chain too deep (circular restriction?)",
            );
            return None;
        }
        match &st.variety {
            SimpleVariety::List { item } => {
                let r = match item {
                    TypeUse::Named(q) => self.named(q, &st.pos, sink)?,
                    TypeUse::Anonymous(def) => match &**def {
                        TypeDef::Simple(b) => {
                            self.simple(b, &format!("{name}Item"), ns, depth + 1, sink)?
                        }
                        TypeDef::Complex(_) => {
                            sink.error(
                                Some(st.pos.clone()),
                                "xs:list",
                                "the item type of a list is a complex type",
                            );
                            return None;
                        }
                    },
                    TypeUse::Default => Resolved {
                        ty: Ty::Rust("::std::string::String"),
                        facets: FieldFacets::default(),
                        doc: Vec::new(),
                    },
                };
                let complex = matches!(r.ty, Ty::Item(i) if matches!(self.items[i].kind, ItemKind::Struct(_) | ItemKind::Choice(_) | ItemKind::Polymorphic { .. }));
                if complex || matches!(r.ty, Ty::List(_)) {
                    sink.error(
                        Some(st.pos.clone()),
                        "xs:list",
                        "the item type of a list must be an atomic simple type",
                    );
                    return None;
                }
                // The item's facets stay: `XmlList` checks every constraint but the item
                // counts on each item.
                Some(Resolved {
                    ty: Ty::List(Box::new(r.ty)),
                    facets: r.facets,
                    doc: r.doc,
                })
            }
            SimpleVariety::Union { members } => self.union(st, members, name, ns, depth, sink),
            SimpleVariety::Restriction { base, facets } => {
                let mut r = match base {
                    TypeUse::Named(q) if q.ns == XS => match builtin(&q.local) {
                        Some(Builtin::Rust(t, _)) => Resolved {
                            ty: Ty::Rust(t),
                            facets: FieldFacets::default(),
                            doc: Vec::new(),
                        },
                        Some(Builtin::Refused(why)) => {
                            sink.error(Some(st.pos.clone()), format!("xs:{}", q.local), why);
                            return None;
                        }
                        None => {
                            sink.error(
                                Some(st.pos.clone()),
                                format!("xs:{}", q.local),
                                "not an XML Schema 1.0 built-in type",
                            );
                            return None;
                        }
                    },
                    TypeUse::Named(q) => match self.model.schema.types.get(q) {
                        Some(TypeDef::Simple(b)) => {
                            self.simple(b, &naming::type_name(&q.local), &q.ns, depth + 1, sink)?
                        }
                        Some(TypeDef::Complex(_)) => {
                            sink.error(
                                Some(st.pos.clone()),
                                "xs:restriction",
                                format!("the base `{q}` of a simple type is a complex type"),
                            );
                            return None;
                        }
                        None => return None,
                    },
                    TypeUse::Anonymous(def) => match &**def {
                        TypeDef::Simple(b) => self.simple(b, name, ns, depth + 1, sink)?,
                        TypeDef::Complex(_) => return None,
                    },
                    TypeUse::Default => Resolved {
                        ty: Ty::Rust("::std::string::String"),
                        facets: FieldFacets::default(),
                        doc: Vec::new(),
                    },
                };
                if matches!(r.ty, Ty::List(_)) {
                    // Facets of a list restriction count items, which the field's item
                    // constraints cannot say: documented, not enforced.
                    r.doc.push(
                        "XSD restriction of a list type (its facets are not enforced)".into(),
                    );
                    return Some(r);
                }
                let numeric = numeric_of(&r.ty);
                if !facets.enumeration.is_empty() {
                    if matches!(r.ty, Ty::Rust(t) if super::builtin::is_text(t)) {
                        let key = match &st.name {
                            Some(q) => ItemKey::Named(q.clone()),
                            None => ItemKey::Anon(st.pos.clone()),
                        };
                        let i = match self.index.get(&key) {
                            Some(&i) => i,
                            None => {
                                let mut values: Vec<String> = Vec::new();
                                for v in &facets.enumeration {
                                    if !values.contains(v) {
                                        values.push(v.clone());
                                    }
                                }
                                let xml_name = st
                                    .name
                                    .as_ref()
                                    .map_or(name.to_string(), |q| q.local.clone());
                                self.items.push(Item {
                                    key: key.clone(),
                                    ns: ns.to_string(),
                                    xml_name,
                                    base_name: name.to_string(),
                                    pos: st.pos.clone(),
                                    kind: ItemKind::Enum(values),
                                    doc: Vec::new(),
                                    rust_name: String::new(),
                                    module: String::new(),
                                });
                                self.index.insert(key, self.items.len() - 1);
                                self.items.len() - 1
                            }
                        };
                        return Some(Resolved {
                            ty: Ty::Item(i),
                            facets: FieldFacets::default(),
                            doc: Vec::new(),
                        });
                    }
                    r.doc.push(format!(
                        "XSD enumeration (not enforced): {}",
                        facets.enumeration.join(", ")
                    ));
                }
                let f = &mut r.facets;
                if let Some(l) = facets.length {
                    f.min_len = Some(l);
                    f.max_len = Some(l);
                }
                f.min_len = facets.min_length.or(f.min_len);
                f.max_len = facets.max_length.or(f.max_len);
                if numeric != Numeric::No {
                    let num = |v: &Option<String>| {
                        v.as_ref()
                            .filter(|s| valid_number(s, numeric))
                            .map(|s| (s.clone(), numeric))
                    };
                    f.min_inclusive = num(&facets.min_inclusive).or(f.min_inclusive.take());
                    f.max_inclusive = num(&facets.max_inclusive).or(f.max_inclusive.take());
                    f.min_exclusive = num(&facets.min_exclusive).or(f.min_exclusive.take());
                    f.max_exclusive = num(&facets.max_exclusive).or(f.max_exclusive.take());
                }
                for p in &facets.patterns {
                    // XSD regular expressions are not Rust's (`\i`, `\c`, character class
                    // subtraction): enforcing them through the `regex` crate would reject valid
                    // values, so they are documented rather than enforced.
                    r.doc.push(format!("XSD pattern (not enforced): `{p}`"));
                }
                Some(r)
            }
        }
    }

    fn complex_fields(&mut self, ct: &'m ComplexType, owner: &str, sink: &mut Sink) -> Vec<Field> {
        let mut out = Vec::new();
        let what = ct.name.as_ref().map_or_else(
            || "anonymous xs:complexType".to_string(),
            |q| format!("xs:complexType \"{}\"", q.local),
        );
        if ct.mixed {
            sink.error(
                Some(ct.pos.clone()),
                what.clone(),
                "mixed content is not in the model system",
            );
        }
        if ct.namespace.is_empty() {
            sink.error(Some(ct.pos.clone()), what.clone(), "declared in a schema without targetNamespace: no-namespace elements cannot be written yet");
        }
        let mut attrs = Vec::new();
        self.attributes(&ct.attributes, ct, owner, &mut attrs, 0, sink);
        // One attribute wildcard field per type, base chain included: on the type that
        // declares a wildcard first (a derived type's own wildcard, whose union with the
        // base's XSD would take, is left to the base's field: see `attribute_wildcard`).
        if let Some(w) = self.attribute_wildcard(ct, 0)
            && !self.base_has_attribute_wildcard(ct, 0)
        {
            attrs.push(Field {
                xml: "any_attributes".into(),
                ty: Ty::Rust("::rpclib_core::model::AnyAttributes"),
                min: 1,
                max: MaxOccurs::Bounded(1),
                nillable: false,
                base: false,
                boxed: false,
                facets: FieldFacets::default(),
                doc: vec![format!(
                    "Attributes of namespace `{}` (`xs:anyAttribute`, processContents `{}`) no declared attribute claims.",
                    w.namespace, w.process_contents
                )],
                shape: Shape::AnyAttribute {
                    namespace: w.namespace.clone(),
                    process_contents: w.process_contents.clone(),
                },
                ns: FieldNs::Default,
            });
        }
        match &ct.content {
            Content::Particle(p) => {
                if let Some(p) = p {
                    self.particle(p, false, ct, owner, &mut out, 0, sink);
                }
            }
            Content::ComplexExtension { base, particle } => {
                if !(base.ns == XS && base.local == "anyType") {
                    match self.model.schema.types.get(base) {
                        Some(TypeDef::Complex(b)) => {
                            let i = self.complex_item(
                                ItemKey::Named(base.clone()),
                                b,
                                &base.local,
                                naming::type_name(&base.local),
                            );
                            out.push(Field {
                                xml: String::new(),
                                ty: Ty::Item(i),
                                min: 1,
                                max: MaxOccurs::Bounded(1),
                                nillable: false,
                                base: true,
                                boxed: false,
                                facets: FieldFacets::default(),
                                doc: Vec::new(),
                                shape: Shape::Element,
                                ns: FieldNs::Default,
                            });
                        }
                        Some(TypeDef::Simple(_)) => sink.error(
                            Some(ct.pos.clone()),
                            "xs:complexContent",
                            format!("extends the simple type `{base}`"),
                        ),
                        None if base.ns == XS || base.ns == SOAP_ENC => sink.error(
                            Some(ct.pos.clone()),
                            "xs:complexContent/xs:extension",
                            format!("extension of the built-in `{base}` is not supported"),
                        ),
                        None => {}
                    }
                }
                if let Some(p) = particle {
                    self.particle(p, false, ct, owner, &mut out, 0, sink);
                }
            }
            Content::ComplexRestriction { base, particle } => {
                if base.ns == SOAP_ENC {
                    sink.error(
                        Some(ct.pos.clone()),
                        "soapenc:Array restriction",
                        "SOAP-encoded arrays belong to rpc/encoded, which is not supported",
                    );
                    return out;
                }
                // A restriction repeats the content it keeps: a standalone struct is exact.
                if let Some(p) = particle {
                    self.particle(p, false, ct, owner, &mut out, 0, sink);
                }
            }
            Content::SimpleExtension { base } | Content::SimpleRestriction { base, .. } => {
                // The text's type is the simple base; a complex base with simple content
                // (a chain of simpleContent extensions) has its own attributes to repeat.
                match self.model.schema.types.get(base) {
                    Some(TypeDef::Complex(_)) => sink.error(
                        Some(ct.pos.clone()),
                        "xs:simpleContent",
                        format!("extends the complex type `{base}`: a chain of simpleContent derivations is not supported yet"),
                    ),
                    _ => {
                        if let Some(r) = self.named(base, &ct.pos, sink) {
                            if matches!(r.ty, Ty::Item(i) if matches!(self.items[i].kind, ItemKind::Struct(_))) {
                                sink.error(Some(ct.pos.clone()), "xs:simpleContent", format!("base `{base}` is not a simple type"));
                            } else {
                                out.push(Field {
                                    xml: "value".into(),
                                    ty: r.ty,
                                    min: 1,
                                    max: MaxOccurs::Bounded(1),
                                    nillable: false,
                                    base: false,
                                    boxed: false,
                                    facets: r.facets,
                                    doc: vec!["The element's text.".into()],
                                    shape: Shape::Text,
                                    ns: FieldNs::Default,
                                });
                            }
                        }
                    }
                }
            }
        }
        out.extend(attrs);
        let mut seen = std::collections::BTreeSet::new();
        for f in out.iter().filter(|f| !f.base && f.shape == Shape::Element) {
            if !seen.insert(f.xml.clone()) {
                sink.error(
                    Some(ct.pos.clone()),
                    what.clone(),
                    format!("element `{}` appears twice in the content model", f.xml),
                );
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn particle(
        &mut self,
        p: &'m Particle,
        optional: bool,
        ct: &'m ComplexType,
        owner: &str,
        out: &mut Vec<Field>,
        depth: u32,
        sink: &mut Sink,
    ) {
        if depth > MAX_DEPTH {
            sink.error(
                Some(p.pos.clone()),
                "xs:group",
                "model groups nest too deep (circular group references?)",
            );
            return;
        }
        if p.max == MaxOccurs::Bounded(0) {
            return;
        }
        let min = if optional { 0 } else { p.min };
        match &p.term {
            Term::Element(decl) => {
                let Some(r) = self.type_use(
                    &decl.ty,
                    owner,
                    &decl.name.local,
                    &ct.namespace,
                    &decl.pos,
                    sink,
                ) else {
                    return;
                };
                let mut f = self.field(&decl.name.local, r, min, p.max, decl);
                if !decl.qualified {
                    f.ns = FieldNs::Unqualified;
                }
                out.push(f);
            }
            Term::ElementRef(q) => {
                let model = self.model;
                if !self.in_substitution
                    && let Some(alternatives) = model.schema.substitutions.get(q)
                {
                    // The head of a substitution group stands for every element of the group:
                    // a choice of them.
                    if alternatives.is_empty() {
                        sink.error(
                            Some(p.pos.clone()),
                            format!("xs:element ref=\"{}\"", q.local),
                            "the substitution group has no element that is not abstract",
                        );
                        return;
                    }
                    self.in_substitution = true;
                    self.choice(p, alternatives, min, ct, owner, out, depth, sink);
                    self.in_substitution = false;
                    return;
                }
                let Some((ty, decl)) = self.element_type(q, &p.pos, sink) else {
                    return;
                };
                let r = Resolved {
                    ty,
                    facets: FieldFacets::default(),
                    doc: Vec::new(),
                };
                let mut f = self.field(&q.local, r, min, p.max, decl);
                if q.ns != ct.namespace {
                    f.ns = if q.ns.is_empty() {
                        FieldNs::Unqualified
                    } else {
                        FieldNs::Uri(q.ns.clone())
                    };
                }
                out.push(f);
            }
            Term::Sequence(items) | Term::All(items) => {
                if p.max != MaxOccurs::Bounded(1) {
                    sink.error(
                        Some(p.pos.clone()),
                        "repeated xs:sequence",
                        "a sequence with maxOccurs > 1 is not in the model system yet",
                    );
                    return;
                }
                for item in items {
                    self.particle(item, min == 0, ct, owner, out, depth + 1, sink);
                }
            }
            Term::Choice(alternatives) => {
                if let Some(only) = sole_group_alternative(p, alternatives) {
                    // A choice of one group is that group: `<choice><sequence>a b</sequence>
                    // </choice>` has the content of `<sequence>a b</sequence>`.
                    let optional = min == 0 || only.min == 0;
                    self.particle(only, optional, ct, owner, out, depth + 1, sink);
                    return;
                }
                self.choice(p, alternatives, min, ct, owner, out, depth, sink);
            }
            Term::GroupRef(q) => {
                let Some(g) = self.model.schema.groups.get(q) else {
                    return;
                };
                if p.max != MaxOccurs::Bounded(1) {
                    sink.error(
                        Some(p.pos.clone()),
                        format!("xs:group ref=\"{}\"", q.local),
                        "a repeated group is not in the model system yet",
                    );
                    return;
                }
                self.particle(g, min == 0, ct, owner, out, depth + 1, sink);
            }
            Term::Any(w) => {
                out.push(Field {
                    xml: "any".into(),
                    ty: Ty::Rust("::rpclib_core::model::AnyXml"),
                    min,
                    max: p.max,
                    nillable: false,
                    base: false,
                    boxed: false,
                    facets: FieldFacets::default(),
                    doc: vec![format!(
                        "Elements of namespace `{}` (`xs:any`, processContents `{}`), as raw XML.",
                        w.namespace, w.process_contents
                    )],
                    shape: Shape::Any {
                        namespace: w.namespace.clone(),
                        process_contents: w.process_contents.clone(),
                        target: ct.namespace.clone(),
                    },
                    ns: FieldNs::Default,
                });
            }
        }
    }

    /// A choice: an enum item (one per choice particle, `<Owner>Choice`) with a variant per
    /// alternative element, and the field holding it (`Option` when an alternative may be
    /// absent or the choice is optional, `Vec` when the choice repeats).
    #[allow(clippy::too_many_arguments)]
    fn choice(
        &mut self,
        p: &'m Particle,
        alternatives: &'m [Particle],
        min: u32,
        ct: &'m ComplexType,
        owner: &str,
        out: &mut Vec<Field>,
        depth: u32,
        sink: &mut Sink,
    ) {
        let key = ItemKey::Anon(p.pos.clone());
        let mut min = min;
        let mut variants = Vec::new();
        let mut refused = false;
        for alt in alternatives {
            if alt.max == MaxOccurs::Bounded(0) {
                continue;
            }
            if !matches!(alt.term, Term::Element(_) | Term::ElementRef(_)) {
                let what = match &alt.term {
                    Term::Sequence(_) => "a sequence",
                    Term::Choice(_) => "a nested choice",
                    Term::All(_) => "an xs:all",
                    Term::GroupRef(_) => "a group",
                    Term::Any(_) => "a wildcard",
                    Term::Element(_) | Term::ElementRef(_) => "an element",
                };
                sink.error(
                    Some(alt.pos.clone()),
                    "xs:choice",
                    format!("an alternative that is {what} is not in the model system yet (alternatives are single elements)"),
                );
                refused = true;
                continue;
            }
            if alt.min == 0 {
                // An alternative that may be absent makes the whole choice optional.
                min = 0;
            }
            let mut one = Vec::new();
            self.particle(alt, false, ct, owner, &mut one, depth + 1, sink);
            for mut f in one {
                if f.max == MaxOccurs::Bounded(1) {
                    f.min = 1;
                } else {
                    // A run of the alternative's elements: at least one, or the choice
                    // could not tell which alternative an empty run is.
                    f.min = f.min.max(1);
                }
                variants.push(f);
            }
        }
        if refused || variants.is_empty() {
            return;
        }
        let mut seen = std::collections::BTreeSet::new();
        for v in &variants {
            if !seen.insert(v.xml.clone()) {
                sink.error(
                    Some(p.pos.clone()),
                    "xs:choice",
                    format!("element `{}` is two alternatives of one choice", v.xml),
                );
                return;
            }
        }
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                let n = self.choices.entry(owner.to_owned()).or_default();
                *n += 1;
                let name = match *n {
                    1 => format!("{owner}Choice"),
                    n => format!("{owner}Choice{n}"),
                };
                self.items.push(Item {
                    key: key.clone(),
                    ns: ct.namespace.clone(),
                    xml_name: name.clone(),
                    base_name: name,
                    pos: p.pos.clone(),
                    kind: ItemKind::Choice(variants),
                    doc: Vec::new(),
                    rust_name: String::new(),
                    module: String::new(),
                });
                self.index.insert(key, self.items.len() - 1);
                self.items.len() - 1
            }
        };
        out.push(Field {
            xml: "choice".into(),
            ty: Ty::Item(i),
            min,
            max: p.max,
            nillable: false,
            base: false,
            boxed: false,
            facets: FieldFacets::default(),
            doc: vec!["One of the choice's alternatives (`xs:choice`).".into()],
            shape: Shape::Choice,
            ns: FieldNs::Default,
        });
    }

    /// The attribute wildcard of `ct`: its own `xs:anyAttribute`, else the first one of its
    /// attribute groups (nested groups included). XSD intersects a type's wildcard with its
    /// groups'; the generated field takes the first found, which is that intersection in
    /// every schema of the corpus (a single wildcard).
    fn attribute_wildcard(&self, ct: &'m ComplexType, depth: u32) -> Option<&'m Wildcard> {
        ct.any_attribute
            .as_ref()
            .or_else(|| self.group_wildcard(&ct.attributes, depth))
    }

    fn group_wildcard(&self, uses: &'m [AttributeUse], depth: u32) -> Option<&'m Wildcard> {
        if depth > MAX_DEPTH {
            return None;
        }
        let model = self.model;
        uses.iter().find_map(|u| match u {
            AttributeUse::GroupRef { name, .. } => {
                model.schema.attribute_groups.get(name).and_then(|g| {
                    g.any_attribute
                        .as_ref()
                        .or_else(|| self.group_wildcard(&g.attributes, depth + 1))
                })
            }
            _ => None,
        })
    }

    /// Whether a complexContent base of `ct` (transitively) has an attribute wildcard, which
    /// its own field carries.
    fn base_has_attribute_wildcard(&self, ct: &'m ComplexType, depth: u32) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let Content::ComplexExtension { base, .. } = &ct.content else {
            return false;
        };
        match self.model.schema.types.get(base) {
            Some(TypeDef::Complex(b)) => {
                self.attribute_wildcard(b, 0).is_some()
                    || self.base_has_attribute_wildcard(b, depth + 1)
            }
            _ => false,
        }
    }

    /// The attribute fields of `uses` (attribute groups expanded), in declaration order.
    fn attributes(
        &mut self,
        uses: &'m [AttributeUse],
        ct: &'m ComplexType,
        owner: &str,
        out: &mut Vec<Field>,
        depth: u32,
        sink: &mut Sink,
    ) {
        if depth > MAX_DEPTH {
            sink.error(
                None,
                "xs:attributeGroup",
                "attribute groups nest too deep (circular references?)",
            );
            return;
        }
        for u in uses.iter().filter(|a| !a.is_prohibited()) {
            let (decl, required): (&'m AttributeDecl, bool) = match u {
                AttributeUse::Local { decl, required } => {
                    (decl, *required == AttributeRequirement::Required)
                }
                AttributeUse::Ref {
                    name,
                    required,
                    pos,
                } => match self.model.schema.attributes.get(name) {
                    Some(d) => (d, *required == AttributeRequirement::Required),
                    None => {
                        sink.error(
                            Some(pos.clone()),
                            format!("xs:attribute ref=\"{}\"", name.local),
                            format!("attribute `{name}` is not declared"),
                        );
                        continue;
                    }
                },
                AttributeUse::GroupRef { name, pos } => {
                    match self.model.schema.attribute_groups.get(name) {
                        Some(g) => {
                            self.attributes(&g.attributes, ct, owner, out, depth + 1, sink);
                        }
                        None => sink.error(
                            Some(pos.clone()),
                            format!("xs:attributeGroup ref=\"{}\"", name.local),
                            format!("attribute group `{name}` is not declared"),
                        ),
                    }
                    continue;
                }
            };
            let Some(r) = self.type_use(
                &decl.ty,
                owner,
                &decl.name.local,
                &ct.namespace,
                &decl.pos,
                sink,
            ) else {
                continue;
            };
            if matches!(r.ty, Ty::Item(i) if matches!(self.items[i].kind, ItemKind::Struct(_) | ItemKind::Polymorphic { .. }))
            {
                sink.error(
                    Some(decl.pos.clone()),
                    format!("xs:attribute \"{}\"", decl.name.local),
                    "an attribute of a complex type",
                );
                continue;
            }
            let mut doc = r.doc;
            if let Some(d) = &decl.default {
                doc.push(format!(
                    "XSD default: `{d}` (applies when the attribute is absent)."
                ));
            }
            if let Some(d) = &decl.fixed {
                doc.push(format!("XSD fixed value: `{d}`."));
            }
            let mut facets = r.facets;
            facets.value = Declared::of(&decl.default, &decl.fixed);
            // An attribute with a default always has a value (absent, it reads as the
            // default): the field is not an `Option`, and is still declared optional.
            let has_default = matches!(facets.value, Some(Declared::Default(_)));
            out.push(Field {
                xml: decl.name.local.clone(),
                ty: r.ty,
                min: u32::from(required || has_default),
                max: MaxOccurs::Bounded(1),
                nillable: false,
                base: false,
                boxed: false,
                facets,
                doc,
                shape: Shape::Attribute,
                ns: if decl.name.ns.is_empty() {
                    FieldNs::Default
                } else {
                    FieldNs::Uri(decl.name.ns.clone())
                },
            });
        }
    }

    fn field(&self, xml: &str, r: Resolved, min: u32, max: MaxOccurs, decl: &ElementDecl) -> Field {
        let mut doc = r.doc;
        if let Some(d) = &decl.default {
            doc.push(format!(
                "XSD default: `{d}` (applies when the element is present and empty)."
            ));
        }
        if let Some(d) = &decl.fixed {
            doc.push(format!("XSD fixed value: `{d}`."));
        }
        let mut facets = r.facets;
        // A repeated element keeps its value constraint in the doc only: the model system
        // applies `default` and `fixed` to single values.
        if max == MaxOccurs::Bounded(1) {
            facets.value = Declared::of(&decl.default, &decl.fixed);
        }
        Field {
            xml: xml.to_string(),
            ty: r.ty,
            min,
            max,
            nillable: decl.nillable,
            base: false,
            boxed: false,
            facets,
            doc,
            shape: Shape::Element,
            ns: FieldNs::Default,
        }
    }
}

fn numeric_of(ty: &Ty) -> Numeric {
    match ty {
        Ty::Rust(t) => {
            let local = t.rsplit("::").next().unwrap_or(t);
            match local {
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "BigInt"
                | "BigUint" | "PositiveInteger" | "NegativeInteger" | "NonPositiveInteger" => {
                    Numeric::Int
                }
                "f32" | "f64" | "Decimal" => Numeric::Float,
                _ => Numeric::No,
            }
        }
        Ty::Item(_) | Ty::List(_) => Numeric::No,
    }
}

/// Whether `s` is a bound the attribute parser accepts (an integer for integer types, an
/// integer or decimal for floats), within i128 / f64.
fn valid_number(s: &str, n: Numeric) -> bool {
    match n {
        Numeric::Int => s.parse::<i128>().is_ok(),
        Numeric::Float => {
            s.parse::<f64>().is_ok_and(f64::is_finite) && !s.contains(['e', 'E', 'I', 'N'])
        }
        Numeric::No => false,
    }
}

/// The one alternative of a choice that has a single, non-repeated alternative which is a
/// model group (a sequence, `xs:all`, a nested choice or a group reference), the choice itself
/// not repeated: such a choice has exactly that group's content. Element alternatives stay a
/// choice (an enum of one variant), as do repeated ones.
fn sole_group_alternative<'p>(
    choice: &Particle,
    alternatives: &'p [Particle],
) -> Option<&'p Particle> {
    if choice.max != MaxOccurs::Bounded(1) {
        return None;
    }
    let mut present = alternatives
        .iter()
        .filter(|a| a.max != MaxOccurs::Bounded(0));
    let only = present.next()?;
    if present.next().is_some() || only.max != MaxOccurs::Bounded(1) {
        return None;
    }
    match only.term {
        Term::Sequence(_) | Term::All(_) | Term::Choice(_) | Term::GroupRef(_) => Some(only),
        Term::Element(_) | Term::ElementRef(_) | Term::Any(_) => None,
    }
}
