//! The intermediate representation: what the documents say, resolved across documents, before
//! any decision about Rust. It represents every XSD and WSDL construct the generator knows of,
//! including those emission refuses today, so that a new model-system feature is a change to
//! emission only.

mod build_schema;
mod build_wsdl;
mod derivation;
pub mod schema;
mod substitution;
pub mod wsdl;

use std::fmt;

use crate::diag::{Location, Sink};
use crate::loader::{DocumentKind, Loaded};

pub use schema::*;
pub use wsdl::*;

/// A namespace-qualified XML name; the empty namespace is "no namespace".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    /// Namespace URI, or empty.
    pub ns: String,
    /// Local name.
    pub local: String,
}

impl QName {
    /// `{ns}local`.
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        QName {
            ns: ns.into(),
            local: local.into(),
        }
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ns.is_empty() {
            f.write_str(&self.local)
        } else {
            write!(f, "{{{}}}{}", self.ns, self.local)
        }
    }
}

/// `maxOccurs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxOccurs {
    /// A number.
    Bounded(u32),
    /// `unbounded`.
    Unbounded,
}

/// Everything the loaded documents declare.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// The schema components of every schema (inline or separate).
    pub schema: SchemaSet,
    /// The WSDL components of every WSDL document.
    pub wsdl: Definitions,
}

/// Builds the IR from loaded documents. Problems (unresolvable names, malformed components)
/// go to `sink`.
pub(crate) fn build(loaded: &Loaded, sink: &mut Sink) -> Model {
    let mut model = Model::default();
    for doc in &loaded.documents {
        // The loader parsed each document once already; parsing again here keeps the loader
        // free of borrowed trees and costs time linear in the input.
        let Ok(tree) = roxmltree::Document::parse(&doc.text) else {
            continue;
        };
        let root = tree.root_element();
        let src = crate::xml::Source::new(&doc.path, &doc.text);
        match doc.kind {
            DocumentKind::Schema => build_schema::schema(
                &mut model.schema,
                &src,
                root,
                doc.chameleon.as_deref(),
                sink,
            ),
            DocumentKind::Wsdl => {
                for types in crate::xml::children(root, crate::xml::WSDL)
                    .filter(|n| n.tag_name().name() == "types")
                {
                    for s in crate::xml::children(types, crate::xml::XS)
                        .filter(|n| n.tag_name().name() == "schema")
                    {
                        build_schema::schema(&mut model.schema, &src, s, None, sink);
                    }
                }
                build_wsdl::definitions(&mut model.wsdl, &src, root, sink);
            }
        }
    }
    model.schema.check_references(sink);
    model.schema.collect_substitutions();
    model.wsdl.check_references(&model.schema, sink);
    model
}

/// Where a component was declared.
pub type Pos = Location;

#[cfg(test)]
mod tests;
