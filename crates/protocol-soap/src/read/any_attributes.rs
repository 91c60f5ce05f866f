//! Reading an attribute wildcard (`xs:anyAttribute`): which attributes of an element it takes.
//!
//! The reader's attribute loop ([`XmlDeserializer`](super::de::XmlDeserializer)) looks each
//! attribute up among the declared attribute fields first; what none claims comes here. The
//! cost per attribute is the same as for a declared one (a namespace comparison or a short
//! list of them), so an element with many attributes reads in linear time, within the
//! reader's attribute limit.

use std::borrow::Cow;

use rpclib_core::model::{
    AnyAttributes, DeError, FieldDescriptor, FieldKind, FieldNamespace, QName, Wildcard,
};

use super::cursor::XSI_NS;

/// The attribute wildcard field among `fields`: its index, its wildcard and its namespace
/// (the declaring type's, against which `##targetNamespace` and `##other` resolve). The first
/// one counts: a type has one, base chain included.
pub(crate) fn wildcard_of(
    fields: impl Iterator<Item = &'static FieldDescriptor>,
) -> Option<(usize, &'static Wildcard, FieldNamespace)> {
    fields.enumerate().find_map(|(i, f)| match f.kind {
        FieldKind::AnyAttribute(w) => Some((i, w, f.namespace)),
        _ => None,
    })
}

/// Whether the wildcard `w`, declared in `tns`, takes an attribute in namespace `ns` (empty:
/// unqualified). `xsi:*` attributes belong to the reader (`xsi:nil`, `xsi:type`), never to
/// the data; namespace declarations never reach here.
pub(crate) fn takes(w: &Wildcard, tns: &str, ns: &str) -> bool {
    ns != XSI_NS && w.allows(tns, ns)
}

/// Appends `{ns}local="value"`; the name was checked by the tokenizer, so an error here
/// (a name that is no NCName) is named rather than assumed away.
pub(crate) fn push(
    out: &mut AnyAttributes,
    ns: &str,
    local: &str,
    value: Cow<'_, str>,
) -> Result<(), DeError> {
    let name = QName::new(ns, local).map_err(|e| DeError::from(e).in_field(local))?;
    out.push(name, value.into_owned())
        .map_err(|e| DeError::from(e).in_field(local))
}
