//! Substitution groups: which elements a reference to a group's head stands for.
//!
//! `<xs:element ref="tns:shape"/>`, where `circle` and `square` declare
//! `substitutionGroup="tns:shape"`, accepts `<shape>` (unless the head is abstract),
//! `<circle>` and `<square>`, and the members of their own groups in turn. That is a choice of
//! those elements, which the model system has: emission renders the reference as one.

use std::collections::{BTreeMap, BTreeSet};

use super::{ElementDecl, MaxOccurs, Particle, QName, SchemaSet, Term};

impl SchemaSet {
    /// Fills [`SchemaSet::substitutions`]: for each head, a particle per element that may
    /// stand where the head is referenced (the head itself unless abstract, then each member
    /// in name order, depth first through members that head groups of their own; abstract
    /// members only lead to theirs). A cycle of groups (an error XSD forbids) ends where it
    /// meets an element already listed.
    pub(crate) fn collect_substitutions(&mut self) {
        let mut members: BTreeMap<&QName, Vec<&QName>> = BTreeMap::new();
        for (q, e) in &self.elements {
            if let Some(head) = &e.substitution_group {
                members.entry(head).or_default().push(q);
            }
        }
        let mut out = BTreeMap::new();
        for head in members.keys() {
            let mut seen = BTreeSet::new();
            let mut alternatives = Vec::new();
            collect(head, &members, &self.elements, &mut seen, &mut alternatives);
            out.insert((*head).clone(), alternatives);
        }
        self.substitutions = out;
    }
}

fn collect<'a>(
    q: &'a QName,
    members: &BTreeMap<&'a QName, Vec<&'a QName>>,
    elements: &BTreeMap<QName, ElementDecl>,
    seen: &mut BTreeSet<&'a QName>,
    out: &mut Vec<Particle>,
) {
    if !seen.insert(q) {
        return;
    }
    // An undeclared head was reported when references were checked.
    if let Some(decl) = elements.get(q)
        && !decl.is_abstract
    {
        out.push(Particle {
            min: 1,
            max: MaxOccurs::Bounded(1),
            term: Term::ElementRef(q.clone()),
            pos: decl.pos.clone(),
        });
    }
    for m in members.get(q).into_iter().flatten() {
        collect(m, members, elements, seen, out);
    }
}
