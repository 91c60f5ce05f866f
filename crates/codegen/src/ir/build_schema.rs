//! Reads one `xs:schema` element into the [`SchemaSet`].

use roxmltree::Node;

use super::schema::*;
use super::{MaxOccurs, QName};
use crate::diag::Sink;
use crate::xml::{self, XS};

/// The per-schema-document context.
struct Ctx<'p> {
    src: &'p xml::Source<'p>,
    /// The target namespace (a chameleon include's includer namespace when it has none).
    tns: String,
    chameleon: Option<String>,
    element_qualified: bool,
    attribute_qualified: bool,
}

impl Ctx<'_> {
    fn pos(&self, node: Node<'_, '_>) -> super::Pos {
        self.src.location(node)
    }

    fn qname(&self, node: Node<'_, '_>, attr: &str, sink: &mut Sink) -> Option<QName> {
        let value = node.attribute(attr)?;
        let q = xml::resolve_qname(node, value, self.chameleon.as_deref());
        if q.is_none() {
            sink.error(
                Some(self.pos(node)),
                format!("xs:{} @{attr}", node.tag_name().name()),
                format!("`{value}` uses an undeclared namespace prefix"),
            );
        }
        q
    }
}

/// Adds the components of `schema` (an `xs:schema` element in `file`).
pub(super) fn schema(
    set: &mut SchemaSet,
    src: &xml::Source<'_>,
    schema: Node<'_, '_>,
    chameleon: Option<&str>,
    sink: &mut Sink,
) {
    let tns = schema
        .attribute("targetNamespace")
        .map(str::to_string)
        .or_else(|| chameleon.map(str::to_string))
        .unwrap_or_default();
    let cx = Ctx {
        src,
        tns,
        chameleon: if schema.attribute("targetNamespace").is_none() {
            chameleon.map(str::to_string)
        } else {
            None
        },
        element_qualified: schema.attribute("elementFormDefault") == Some("qualified"),
        attribute_qualified: schema.attribute("attributeFormDefault") == Some("qualified"),
    };
    for child in xml::children(schema, XS) {
        let name = child.attribute("name");
        match child.tag_name().name() {
            "element" => {
                if let Some(e) = element(&cx, child, true, sink) {
                    insert(
                        &mut set.elements,
                        e.name.clone(),
                        e,
                        &cx,
                        child,
                        "xs:element",
                        sink,
                    );
                }
            }
            "complexType" | "simpleType" => {
                let Some(name) = name else {
                    sink.error(
                        Some(cx.pos(child)),
                        format!("xs:{}", child.tag_name().name()),
                        "a global type needs a name",
                    );
                    continue;
                };
                let q = QName::new(cx.tns.clone(), name);
                if let Some(t) = type_def(&cx, child, Some(q.clone()), sink) {
                    insert(&mut set.types, q, t, &cx, child, "type", sink);
                }
            }
            "attribute" => {
                if let Some(a) = attribute_decl(&cx, child, true, sink) {
                    insert(
                        &mut set.attributes,
                        a.name.clone(),
                        a,
                        &cx,
                        child,
                        "xs:attribute",
                        sink,
                    );
                }
            }
            "group" => {
                let Some(name) = name else {
                    sink.error(
                        Some(cx.pos(child)),
                        "xs:group",
                        "a global group needs a name",
                    );
                    continue;
                };
                let inner = xml::children(child, XS)
                    .find(|c| matches!(c.tag_name().name(), "sequence" | "choice" | "all"));
                if let Some(p) = inner.and_then(|n| particle(&cx, n, sink)) {
                    insert(
                        &mut set.groups,
                        QName::new(cx.tns.clone(), name),
                        p,
                        &cx,
                        child,
                        "xs:group",
                        sink,
                    );
                }
            }
            "attributeGroup" => {
                let Some(name) = name else {
                    sink.error(
                        Some(cx.pos(child)),
                        "xs:attributeGroup",
                        "a global attribute group needs a name",
                    );
                    continue;
                };
                let (attributes, any_attribute) = attributes(&cx, child, sink);
                let g = AttributeGroup {
                    attributes,
                    any_attribute,
                    pos: cx.pos(child),
                };
                insert(
                    &mut set.attribute_groups,
                    QName::new(cx.tns.clone(), name),
                    g,
                    &cx,
                    child,
                    "xs:attributeGroup",
                    sink,
                );
            }
            "redefine" => sink.warning(
                Some(cx.pos(child)),
                "xs:redefine",
                "read as xs:include: the redefinitions inside it are ignored",
            ),
            "import" | "include" | "annotation" | "notation" => {}
            other => sink.error(
                Some(cx.pos(child)),
                format!("xs:{other}"),
                "unknown top-level schema component",
            ),
        }
    }
}

/// Inserts a global component; a second declaration of the same name is an error unless it
/// comes from the very same place (one file reached twice as a chameleon).
fn insert<T>(
    map: &mut std::collections::BTreeMap<QName, T>,
    name: QName,
    value: T,
    cx: &Ctx<'_>,
    node: Node<'_, '_>,
    what: &str,
    sink: &mut Sink,
) {
    use std::collections::btree_map::Entry;
    match map.entry(name) {
        Entry::Vacant(v) => {
            v.insert(value);
        }
        Entry::Occupied(o) => {
            // The same schema reached through two paths declares the same thing twice; node-soap
            // and zeep keep the first, and so do we, but say so.
            sink.warning(
                Some(cx.pos(node)),
                what.to_string(),
                format!(
                    "`{}` is declared more than once; the first declaration is used",
                    o.key()
                ),
            );
        }
    }
}

fn occurs(cx: &Ctx<'_>, node: Node<'_, '_>, sink: &mut Sink) -> (u32, MaxOccurs) {
    let min = match node.attribute("minOccurs").map(str::trim) {
        None => 1,
        Some(v) => v.parse().unwrap_or_else(|_| {
            sink.error(
                Some(cx.pos(node)),
                "minOccurs",
                format!("`{v}` is not a non-negative integer"),
            );
            1
        }),
    };
    let max = match node.attribute("maxOccurs").map(str::trim) {
        None => MaxOccurs::Bounded(1),
        Some("unbounded") => MaxOccurs::Unbounded,
        Some(v) => match v.parse() {
            Ok(n) => MaxOccurs::Bounded(n),
            Err(_) => {
                sink.error(
                    Some(cx.pos(node)),
                    "maxOccurs",
                    format!("`{v}` is neither a non-negative integer nor `unbounded`"),
                );
                MaxOccurs::Bounded(1)
            }
        },
    };
    (min, max)
}

fn element(cx: &Ctx<'_>, node: Node<'_, '_>, global: bool, sink: &mut Sink) -> Option<ElementDecl> {
    let pos = cx.pos(node);
    let Some(name) = node.attribute("name") else {
        sink.error(
            Some(pos),
            "xs:element",
            "an element declaration needs a name (or a ref)",
        );
        return None;
    };
    let qualified = global
        || match node.attribute("form") {
            Some("qualified") => true,
            Some("unqualified") => false,
            _ => cx.element_qualified,
        };
    let ty = type_use(cx, node, sink);
    Some(ElementDecl {
        name: QName::new(
            if qualified {
                cx.tns.clone()
            } else {
                String::new()
            },
            name,
        ),
        pos,
        ty,
        nillable: node.attribute("nillable") == Some("true"),
        default: node.attribute("default").map(str::to_string),
        fixed: node.attribute("fixed").map(str::to_string),
        is_abstract: node.attribute("abstract") == Some("true"),
        substitution_group: cx.qname(node, "substitutionGroup", sink),
        qualified,
    })
}

/// The type of an element or attribute: `type=`, an anonymous child type, or the default.
fn type_use(cx: &Ctx<'_>, node: Node<'_, '_>, sink: &mut Sink) -> TypeUse {
    if node.attribute("type").is_some() {
        return cx
            .qname(node, "type", sink)
            .map_or(TypeUse::Default, TypeUse::Named);
    }
    let anon = xml::children(node, XS)
        .find(|c| matches!(c.tag_name().name(), "complexType" | "simpleType"));
    match anon.and_then(|a| type_def(cx, a, None, sink)) {
        Some(t) => TypeUse::Anonymous(Box::new(t)),
        None => TypeUse::Default,
    }
}

fn type_def(
    cx: &Ctx<'_>,
    node: Node<'_, '_>,
    name: Option<QName>,
    sink: &mut Sink,
) -> Option<TypeDef> {
    match node.tag_name().name() {
        "complexType" => Some(TypeDef::Complex(complex_type(cx, node, name, sink))),
        "simpleType" => simple_type(cx, node, name, sink).map(TypeDef::Simple),
        _ => None,
    }
}

fn complex_type(
    cx: &Ctx<'_>,
    node: Node<'_, '_>,
    name: Option<QName>,
    sink: &mut Sink,
) -> ComplexType {
    let pos = cx.pos(node);
    let mut mixed = node.attribute("mixed") == Some("true");
    let mut content = Content::Particle(None);
    let mut attrs_node = node;
    for child in xml::children(node, XS) {
        match child.tag_name().name() {
            "sequence" | "choice" | "all" | "group" => {
                content = Content::Particle(particle(cx, child, sink))
            }
            kind @ ("complexContent" | "simpleContent") => {
                if child.attribute("mixed") == Some("true") {
                    mixed = true;
                }
                let Some(deriv) = xml::children(child, XS)
                    .find(|c| matches!(c.tag_name().name(), "extension" | "restriction"))
                else {
                    sink.error(
                        Some(cx.pos(child)),
                        format!("xs:{kind}"),
                        "needs an xs:extension or xs:restriction",
                    );
                    continue;
                };
                let Some(base) = cx.qname(deriv, "base", sink) else {
                    sink.error(
                        Some(cx.pos(deriv)),
                        format!("xs:{}", deriv.tag_name().name()),
                        "needs a base type",
                    );
                    continue;
                };
                let particle_node = xml::children(deriv, XS).find(|c| {
                    matches!(c.tag_name().name(), "sequence" | "choice" | "all" | "group")
                });
                let p = particle_node.and_then(|n| particle(cx, n, sink));
                attrs_node = deriv;
                content = match (kind, deriv.tag_name().name()) {
                    ("complexContent", "extension") => {
                        Content::ComplexExtension { base, particle: p }
                    }
                    ("complexContent", _) => Content::ComplexRestriction { base, particle: p },
                    (_, "extension") => Content::SimpleExtension { base },
                    _ => Content::SimpleRestriction {
                        base,
                        facets: Box::new(facets(cx, deriv, sink)),
                    },
                };
            }
            _ => {}
        }
    }
    let (attributes, any_attribute) = attributes(cx, attrs_node, sink);
    ComplexType {
        name,
        namespace: cx.tns.clone(),
        pos,
        content,
        attributes,
        any_attribute,
        is_abstract: node.attribute("abstract") == Some("true"),
        mixed,
    }
}

fn particle(cx: &Ctx<'_>, node: Node<'_, '_>, sink: &mut Sink) -> Option<Particle> {
    let pos = cx.pos(node);
    let (min, max) = occurs(cx, node, sink);
    let term = match node.tag_name().name() {
        "element" => {
            if node.attribute("ref").is_some() {
                Term::ElementRef(cx.qname(node, "ref", sink)?)
            } else {
                Term::Element(Box::new(element(cx, node, false, sink)?))
            }
        }
        kind @ ("sequence" | "choice" | "all") => {
            let items = xml::children(node, XS)
                .filter(|c| {
                    matches!(
                        c.tag_name().name(),
                        "element" | "sequence" | "choice" | "all" | "group" | "any"
                    )
                })
                .filter_map(|c| particle(cx, c, sink))
                .collect();
            match kind {
                "sequence" => Term::Sequence(items),
                "choice" => Term::Choice(items),
                _ => Term::All(items),
            }
        }
        "group" => {
            if node.attribute("ref").is_none() {
                sink.error(Some(pos), "xs:group", "a local group needs a ref");
                return None;
            }
            Term::GroupRef(cx.qname(node, "ref", sink)?)
        }
        "any" => Term::Any(wildcard(cx, node)),
        _ => return None,
    };
    Some(Particle {
        min,
        max,
        term,
        pos,
    })
}

fn wildcard(cx: &Ctx<'_>, node: Node<'_, '_>) -> Wildcard {
    Wildcard {
        namespace: node.attribute("namespace").unwrap_or("##any").to_string(),
        process_contents: node
            .attribute("processContents")
            .unwrap_or("strict")
            .to_string(),
        pos: cx.pos(node),
    }
}

fn attributes(
    cx: &Ctx<'_>,
    node: Node<'_, '_>,
    sink: &mut Sink,
) -> (Vec<AttributeUse>, Option<Wildcard>) {
    let mut out = Vec::new();
    let mut any = None;
    for child in xml::children(node, XS) {
        match child.tag_name().name() {
            "attribute" => {
                let required = match child.attribute("use") {
                    Some("required") => AttributeRequirement::Required,
                    Some("prohibited") => AttributeRequirement::Prohibited,
                    _ => AttributeRequirement::Optional,
                };
                if child.attribute("ref").is_some() {
                    if let Some(name) = cx.qname(child, "ref", sink) {
                        out.push(AttributeUse::Ref {
                            name,
                            required,
                            pos: cx.pos(child),
                        });
                    }
                } else if let Some(decl) = attribute_decl(cx, child, false, sink) {
                    out.push(AttributeUse::Local { decl, required });
                }
            }
            "attributeGroup" => {
                if let Some(name) = cx.qname(child, "ref", sink) {
                    out.push(AttributeUse::GroupRef {
                        name,
                        pos: cx.pos(child),
                    });
                }
            }
            "anyAttribute" => any = Some(wildcard(cx, child)),
            _ => {}
        }
    }
    (out, any)
}

fn attribute_decl(
    cx: &Ctx<'_>,
    node: Node<'_, '_>,
    global: bool,
    sink: &mut Sink,
) -> Option<AttributeDecl> {
    let pos = cx.pos(node);
    let Some(name) = node.attribute("name") else {
        sink.error(
            Some(pos),
            "xs:attribute",
            "an attribute declaration needs a name (or a ref)",
        );
        return None;
    };
    let qualified = global
        || match node.attribute("form") {
            Some("qualified") => true,
            Some("unqualified") => false,
            _ => cx.attribute_qualified,
        };
    Some(AttributeDecl {
        name: QName::new(
            if qualified {
                cx.tns.clone()
            } else {
                String::new()
            },
            name,
        ),
        ty: type_use(cx, node, sink),
        default: node.attribute("default").map(str::to_string),
        fixed: node.attribute("fixed").map(str::to_string),
        pos,
    })
}

fn simple_type(
    cx: &Ctx<'_>,
    node: Node<'_, '_>,
    name: Option<QName>,
    sink: &mut Sink,
) -> Option<SimpleType> {
    let pos = cx.pos(node);
    let Some(deriv) = xml::children(node, XS)
        .find(|c| matches!(c.tag_name().name(), "restriction" | "list" | "union"))
    else {
        sink.error(
            Some(pos),
            "xs:simpleType",
            "needs an xs:restriction, xs:list or xs:union",
        );
        return None;
    };
    let nested = |n: Node<'_, '_>, sink: &mut Sink| {
        xml::children(n, XS)
            .filter(|c| c.tag_name().name() == "simpleType")
            .filter_map(|c| simple_type(cx, c, None, sink))
            .map(|s| TypeUse::Anonymous(Box::new(TypeDef::Simple(s))))
            .collect::<Vec<_>>()
    };
    let variety = match deriv.tag_name().name() {
        "restriction" => {
            let base = match cx.qname(deriv, "base", sink) {
                Some(q) => TypeUse::Named(q),
                None => nested(deriv, sink)
                    .into_iter()
                    .next()
                    .unwrap_or(TypeUse::Default),
            };
            SimpleVariety::Restriction {
                base,
                facets: Box::new(facets(cx, deriv, sink)),
            }
        }
        "list" => {
            let item = match cx.qname(deriv, "itemType", sink) {
                Some(q) => TypeUse::Named(q),
                None => nested(deriv, sink)
                    .into_iter()
                    .next()
                    .unwrap_or(TypeUse::Default),
            };
            SimpleVariety::List { item }
        }
        _ => {
            let mut members: Vec<TypeUse> = deriv
                .attribute("memberTypes")
                .unwrap_or("")
                .split_whitespace()
                .filter_map(
                    |m| match xml::resolve_qname(deriv, m, cx.chameleon.as_deref()) {
                        Some(q) => Some(TypeUse::Named(q)),
                        None => {
                            sink.error(
                                Some(cx.pos(deriv)),
                                "xs:union @memberTypes",
                                format!("`{m}` uses an undeclared namespace prefix"),
                            );
                            None
                        }
                    },
                )
                .collect();
            members.extend(nested(deriv, sink));
            SimpleVariety::Union { members }
        }
    };
    Some(SimpleType { name, pos, variety })
}

fn facets(cx: &Ctx<'_>, node: Node<'_, '_>, sink: &mut Sink) -> Facets {
    let mut f = Facets::default();
    for c in xml::children(node, XS) {
        let Some(v) = c.attribute("value") else {
            continue;
        };
        let num = |sink: &mut Sink| -> Option<u64> {
            v.trim()
                .parse()
                .map_err(|_| {
                    sink.error(
                        Some(cx.pos(c)),
                        format!("xs:{}", c.tag_name().name()),
                        format!("`{v}` is not a non-negative integer"),
                    )
                })
                .ok()
        };
        match c.tag_name().name() {
            "enumeration" => f.enumeration.push(v.to_string()),
            "pattern" => f.patterns.push(v.to_string()),
            "length" => f.length = num(sink),
            "minLength" => f.min_length = num(sink),
            "maxLength" => f.max_length = num(sink),
            "minInclusive" => f.min_inclusive = Some(v.trim().to_string()),
            "maxInclusive" => f.max_inclusive = Some(v.trim().to_string()),
            "minExclusive" => f.min_exclusive = Some(v.trim().to_string()),
            "maxExclusive" => f.max_exclusive = Some(v.trim().to_string()),
            "totalDigits" => f.total_digits = num(sink).and_then(|n| u32::try_from(n).ok()),
            "fractionDigits" => f.fraction_digits = num(sink).and_then(|n| u32::try_from(n).ok()),
            "whiteSpace" => f.white_space = Some(v.to_string()),
            _ => {}
        }
    }
    f
}
