//! Loading: the root documents and everything they import or include, from local files only.
//!
//! `wsdl:import`, `xs:import` and `xs:include` (and `xs:redefine`, read as an include) are
//! followed relative to the including file. Remote locations (`http:`/`https:`) are never
//! fetched: a [`LocationMap`] turns a URL prefix into a local directory, and an unmapped remote
//! location is a diagnostic. Each document is loaded once per (canonical path, chameleon
//! namespace), so circular imports terminate; a schema without a target namespace that is
//! included takes the includer's namespace (a chameleon include).

mod location_map;

pub use location_map::LocationMap;

use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::diag::{Location, Sink};
use crate::xml::{self, WSDL, XS};

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A `wsdl:definitions` document.
    Wsdl,
    /// An `xs:schema` document.
    Schema,
}

/// One loaded document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file (canonicalized).
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// WSDL or schema.
    pub kind: DocumentKind,
    /// For a chameleon include: the namespace the includer gave it.
    pub chameleon: Option<String>,
}

/// Every document reachable from the roots, in discovery order (breadth first, roots first).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The documents.
    pub documents: Vec<Document>,
}

impl Loaded {
    /// The files that were read (for `cargo:rerun-if-changed`), each once, sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        let set: BTreeSet<&PathBuf> = self.documents.iter().map(|d| &d.path).collect();
        set.into_iter().cloned().collect()
    }
}

struct Pending {
    path: PathBuf,
    chameleon: Option<String>,
    from: Option<Location>,
    construct: &'static str,
}

/// Loads `roots` and everything they reference. Problems go to `sink`; the documents that
/// could be read are returned whatever happened to the others.
pub(crate) fn load(roots: &[PathBuf], map: &LocationMap, sink: &mut Sink) -> Loaded {
    let mut queue: VecDeque<Pending> = roots
        .iter()
        .map(|p| Pending {
            path: p.clone(),
            chameleon: None,
            from: None,
            construct: "root document",
        })
        .collect();
    let mut seen: BTreeSet<(PathBuf, Option<String>)> = BTreeSet::new();
    let mut out = Loaded::default();
    while let Some(p) = queue.pop_front() {
        let canonical = match std::fs::canonicalize(&p.path) {
            Ok(c) => c,
            Err(e) => {
                let loc = p.from.clone().or_else(|| file_location(&p.path));
                sink.error(
                    loc,
                    p.construct,
                    format!("cannot open {}: {e}", p.path.display()),
                );
                continue;
            }
        };
        if !seen.insert((canonical.clone(), p.chameleon.clone())) {
            continue;
        }
        let text = match std::fs::read_to_string(&canonical) {
            Ok(t) => t,
            Err(e) => {
                let loc = p.from.clone().or_else(|| file_location(&p.path));
                sink.error(
                    loc,
                    p.construct,
                    format!("cannot read {}: {e}", canonical.display()),
                );
                continue;
            }
        };
        let doc = match roxmltree::Document::parse(&text) {
            Ok(d) => d,
            Err(e) => {
                let pos = e.pos();
                sink.error(
                    Some(Location {
                        file: canonical.clone(),
                        line: pos.row,
                        column: pos.col,
                    }),
                    "XML",
                    format!("not well-formed XML: {e}"),
                );
                continue;
            }
        };
        let root = doc.root_element();
        let kind = if xml::is(root, WSDL, "definitions") {
            DocumentKind::Wsdl
        } else if xml::is(root, XS, "schema") {
            DocumentKind::Schema
        } else {
            sink.error(
                Some(xml::location(&canonical, root)),
                format!("<{}>", root.tag_name().name()),
                "neither a WSDL 1.1 definitions element nor an XML Schema 1.0 schema element",
            );
            continue;
        };
        // A chameleon namespace only applies to a schema that has no target namespace.
        let chameleon = match kind {
            DocumentKind::Schema if root.attribute("targetNamespace").is_none() => p.chameleon,
            _ => None,
        };
        let dir = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let mut refs = Vec::new();
        match kind {
            DocumentKind::Wsdl => {
                for imp in xml::children(root, WSDL).filter(|n| n.tag_name().name() == "import") {
                    if let Some(loc) = imp.attribute("location") {
                        refs.push((imp, loc, None, "wsdl:import"));
                    }
                }
                for types in xml::children(root, WSDL).filter(|n| n.tag_name().name() == "types") {
                    for schema in
                        xml::children(types, XS).filter(|n| n.tag_name().name() == "schema")
                    {
                        schema_refs(schema, chameleon.as_deref(), &mut refs);
                    }
                }
            }
            DocumentKind::Schema => schema_refs(root, chameleon.as_deref(), &mut refs),
        }
        for (node, location, cham, construct) in refs {
            let from = xml::location(&canonical, node);
            match map.resolve(location, &dir) {
                Ok(path) => queue.push_back(Pending {
                    path,
                    chameleon: cham,
                    from: Some(from),
                    construct,
                }),
                Err(message) => sink.error(Some(from), construct, message),
            }
        }
        drop(doc);
        out.documents.push(Document {
            path: canonical,
            text,
            kind,
            chameleon,
        });
    }
    out
}

type Ref<'a, 'i> = (
    roxmltree::Node<'a, 'i>,
    &'a str,
    Option<String>,
    &'static str,
);

/// The imports and includes of one `xs:schema` element.
fn schema_refs<'a, 'i>(
    schema: roxmltree::Node<'a, 'i>,
    chameleon: Option<&str>,
    refs: &mut Vec<Ref<'a, 'i>>,
) {
    let tns = schema
        .attribute("targetNamespace")
        .map(str::to_string)
        .or_else(|| chameleon.map(str::to_string));
    for child in xml::children(schema, XS) {
        let construct = match child.tag_name().name() {
            "import" => "xs:import",
            "include" => "xs:include",
            "redefine" => "xs:redefine",
            _ => continue,
        };
        let Some(location) = child.attribute("schemaLocation") else {
            // An import without a location names a namespace another document provides.
            continue;
        };
        let cham = if construct == "xs:import" {
            None
        } else {
            tns.clone()
        };
        refs.push((child, location, cham, construct));
    }
}

fn file_location(path: &Path) -> Option<Location> {
    Some(Location {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
    })
}
