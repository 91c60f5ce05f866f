//! Which named complex types derive from which (`complexContent` extension or restriction):
//! what makes a field typed with a base polymorphic (`xsi:type` may name any of them).

use std::collections::{BTreeMap, BTreeSet};

use super::{Content, QName, SchemaSet, TypeDef};

impl SchemaSet {
    /// For every named complex type that other named complex types derive from, directly or
    /// not, those types: sorted by local name then namespace, so that the order never depends
    /// on where they were declared. Cycles (an error reported elsewhere) end the walk.
    pub fn derived_types(&self) -> BTreeMap<QName, Vec<QName>> {
        let mut children: BTreeMap<&QName, Vec<&QName>> = BTreeMap::new();
        for (q, def) in &self.types {
            let TypeDef::Complex(ct) = def else { continue };
            let base = match &ct.content {
                Content::ComplexExtension { base, .. }
                | Content::ComplexRestriction { base, .. } => base,
                _ => continue,
            };
            if matches!(self.types.get(base), Some(TypeDef::Complex(_))) && base != q {
                children.entry(base).or_default().push(q);
            }
        }
        let mut out = BTreeMap::new();
        for &base in children.keys() {
            let mut seen: BTreeSet<&QName> = BTreeSet::new();
            let mut stack = vec![base];
            while let Some(at) = stack.pop() {
                for &child in children.get(at).map_or(&[][..], Vec::as_slice) {
                    if child != base && seen.insert(child) {
                        stack.push(child);
                    }
                }
            }
            let mut all: Vec<QName> = seen.into_iter().cloned().collect();
            all.sort_by(|a, b| (&a.local, &a.ns).cmp(&(&b.local, &b.ns)));
            out.insert(base.clone(), all);
        }
        out
    }
}
