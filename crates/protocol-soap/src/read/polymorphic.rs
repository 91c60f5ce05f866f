//! Which variant of a polymorphic value an element holds: its `xsi:type`, resolved against
//! the namespaces in scope on the element.

use rpclib_core::model::{DeError, PolymorphicType};

use super::cursor::{Cursor, StartTag, XSI_NS, split_qname};
use super::de::clark;
use crate::error::position_of;

/// The index of the variant of `ty` that `start` (whose start tag was the last one read)
/// holds: the type its `xsi:type` names, the base without one. `field` names the element in
/// errors; an undeclared prefix, a type that is not among the variants and a missing
/// `xsi:type` for an abstract base are errors at the element.
pub(crate) fn variant_of(
    cursor: &Cursor<'_>,
    tns: &str,
    ty: &'static PolymorphicType,
    start: &StartTag<'_>,
    field: &str,
) -> Result<usize, DeError> {
    let at =
        |message: String| DeError::unexpected(message).at(position_of(cursor.text(), start.offset));
    let base = (ty.base)();
    let Some(raw) = cursor.attribute(start, XSI_NS, "type") else {
        return ty.base_variant().ok_or_else(|| {
            at(format!(
                "element `{field}` has no xsi:type, but its type `{}` is abstract: \
                 expected xsi:type naming one of {}",
                base.name,
                ty.expected_types()
            ))
        });
    };
    let name = raw.trim_matches([' ', '\t', '\r', '\n']);
    let Some((ns, local)) = cursor.resolve_text_qname(name) else {
        let prefix = split_qname(name).map_or("", |(p, _)| p);
        return Err(at(format!(
            "the xsi:type `{name}` of element `{field}` uses the undeclared namespace prefix \
             `{prefix}`"
        )));
    };
    ty.variant_of_type(tns, ns, local).ok_or_else(|| {
        at(format!(
            "the xsi:type `{}` of element `{field}` is not `{}` or a subtype of it declared \
             here: expected one of {}",
            clark(ns, local),
            base.name,
            ty.expected_types()
        ))
    })
}
