//! The sample of a required strict element wildcard (`<xs:any processContents="strict"/>`,
//! `minOccurs` ≥ 1): an element the schema declares globally, in a namespace the wildcard
//! allows, holding its type's sample, so that the sample document validates.
//!
//! A lax or skip wildcard, or an optional one, keeps the placeholder element
//! (`<s:sample xmlns:s="urn:rpclib:sample"/>`, in a namespace the wildcard allows): nothing
//! validates it. The candidates are the global elements the round trip writes (their type is
//! a generated item), in name order; the first whose sample is finite is taken: its type must
//! not itself need a required strict wildcard (through its required fields, its base, or a
//! choice's alternatives), which could lead back to itself. A schema whose only candidates are
//! such (an element whose content is a required strict `##any` and nothing else declared) has
//! no finite valid sample: the placeholder stays, and the document is not valid.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::types::{Field, Item, ItemKind, Shape, Ty};
use crate::ir::{MaxOccurs, QName};

/// Whether a field is a required strict element wildcard.
fn is_required_strict(f: &Field) -> bool {
    matches!(&f.shape, Shape::Any { process_contents, .. } if process_contents == "strict")
        && f.min > 0
        && f.max != MaxOccurs::Bounded(0)
}

/// Whether `ns` (empty: no namespace) matches the namespace constraint `constraint` of a
/// wildcard declared in `target` (XSD's rules, as the model's `Wildcard::allows`).
fn allows(constraint: &str, target: &str, ns: &str) -> bool {
    match constraint.trim() {
        "##any" => true,
        "##other" => !ns.is_empty() && ns != target,
        list => list.split_ascii_whitespace().any(|t| match t {
            "##targetNamespace" => ns == target,
            "##local" => ns.is_empty(),
            uri => uri == ns,
        }),
    }
}

/// Whether the sample of item `i` contains a required strict wildcard (conservatively: every
/// alternative of a choice, and every variant of a polymorphic value, counts).
fn needs_strict_wildcard(items: &[Item], i: usize, seen: &mut BTreeSet<usize>) -> bool {
    if !seen.insert(i) {
        return false;
    }
    let fields: &[Field] = match &items[i].kind {
        ItemKind::Struct(f) | ItemKind::Choice(f) | ItemKind::Polymorphic { variants: f, .. } => f,
        ItemKind::Enum(_) => return false,
    };
    // A polymorphic value's variants count like a choice's alternatives.
    let is_choice = matches!(
        items[i].kind,
        ItemKind::Choice(_) | ItemKind::Polymorphic { .. }
    );
    fields.iter().any(|f| {
        if is_required_strict(f) {
            return true;
        }
        if !(f.base || f.min > 0 || is_choice) {
            return false;
        }
        item_of(&f.ty).is_some_and(|j| needs_strict_wildcard(items, j, seen))
    })
}

fn item_of(ty: &Ty) -> Option<usize> {
    match ty {
        Ty::Item(i) => Some(*i),
        Ty::List(inner) => item_of(inner),
        Ty::Rust(_) => None,
    }
}

/// For a required strict wildcard field, the expression of one of its items: a declared
/// element holding its type's sample, from inside the `mock` module; `None` for other fields
/// and when no candidate has a finite sample.
pub(crate) fn declared_element(
    items: &[Item],
    f: &Field,
    elements: &[(QName, usize)],
) -> Option<TokenStream> {
    if !is_required_strict(f) {
        return None;
    }
    let Shape::Any {
        namespace, target, ..
    } = &f.shape
    else {
        return None;
    };
    let (q, i) = elements.iter().find(|(q, i)| {
        allows(namespace, target, &q.ns) && !needs_strict_wildcard(items, *i, &mut BTreeSet::new())
    })?;
    let it = &items[*i];
    let m = super::render::ident(&it.module);
    let n = super::render::ident(&it.rust_name);
    let (local, ns) = (&q.local, &q.ns);
    Some(quote!(::rpclib_core::model::AnyXml::new(
        ::rpclib_protocol_soap::to_element_xml(
            &<super::#m::#n as Sample>::sample(),
            #local,
            #ns,
        )
        // A sample of a generated type that cannot be written is a generator bug.
        .expect("the sample of a declared element the generator chose")
    )))
}

#[cfg(test)]
mod tests {
    use super::allows;

    #[test]
    fn namespace_constraints() {
        assert!(allows("##any", "urn:t", ""));
        assert!(allows("##other", "urn:t", "urn:o"));
        assert!(!allows("##other", "urn:t", "urn:t"));
        assert!(!allows("##other", "urn:t", ""));
        assert!(allows("urn:a ##local", "urn:t", ""));
        assert!(allows("##targetNamespace", "urn:t", "urn:t"));
        assert!(!allows("urn:a", "urn:t", "urn:b"));
    }
}
