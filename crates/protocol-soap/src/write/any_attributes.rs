//! Writing an attribute wildcard's attributes ([`AnyAttributes`]) on the element whose start
//! tag is open.
//!
//! Each attribute in a namespace gets that namespace's prefix, declared on the element unless
//! in scope (the same generated prefixes as QName values); `xml:*` attributes keep the
//! reserved `xml` prefix, which is never declared. What would make the element ill-formed or
//! read back differently is refused with the attribute's name: a name twice, the name of a
//! declared attribute field of the type, and `xsi:*` (the reader's, never data).

use std::collections::HashSet;

use rpclib_core::model::{AnyAttributes, ComplexType, FieldKind, SerError, SerErrorKind, XML_NS};

use super::writer::XmlWriter;
use crate::read::cursor::XSI_NS;

/// Lists up to this long are checked for repeated names pairwise; longer ones with a hash set,
/// so a list of thousands stays linear.
const PAIRWISE: usize = 8;

/// Writes `attrs` as attributes of the open start tag; `ty` is the complex type being written
/// (its declared attributes may not be repeated), `field` names the wildcard field in errors.
pub(crate) fn write(
    w: &mut XmlWriter<'_>,
    tns: &str,
    ty: Option<&'static ComplexType>,
    field: &str,
    attrs: &AnyAttributes,
) -> Result<(), SerError> {
    if !w.in_start_tag() {
        return Err(SerError::with_kind(
            SerErrorKind::Internal,
            format!(
                "internal: the wildcard attributes `{field}` were written after the element's content"
            ),
        ));
    }
    check_names(tns, ty, field, attrs)?;
    let mut qualified = String::new();
    for a in attrs {
        let (ns, local) = (a.name().namespace(), a.name().local_name());
        let written = if ns.is_empty() {
            w.plain_attribute(local, a.value())
        } else {
            qualified.clear();
            if ns == XML_NS {
                qualified.push_str("xml");
            } else {
                qualified.push_str(w.value_prefix(ns));
            }
            qualified.push(':');
            qualified.push_str(local);
            w.plain_attribute(&qualified, a.value())
        };
        written.map_err(|c| {
            refused(
                field,
                format!(
                    "the attribute `{}` holds the character U+{:04X}, which XML cannot carry",
                    a.name(),
                    u32::from(c)
                ),
            )
        })?;
    }
    Ok(())
}

/// Refuses `xsi:*`, a name given twice and a name a declared attribute of `ty` has.
fn check_names(
    tns: &str,
    ty: Option<&'static ComplexType>,
    field: &str,
    attrs: &AnyAttributes,
) -> Result<(), SerError> {
    let declared: Vec<(&str, &str)> = ty
        .map(|t| {
            t.all_fields()
                .into_iter()
                .filter(|f| f.kind == FieldKind::Attribute)
                .map(|f| (f.namespace.resolve(tns), f.name))
                .collect()
        })
        .unwrap_or_default();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    let items: Vec<_> = attrs.iter().collect();
    for (i, a) in items.iter().enumerate() {
        let key = (a.name().namespace(), a.name().local_name());
        if key.0 == XSI_NS {
            return Err(refused(
                field,
                format!(
                    "`{}` is an xsi attribute, which the protocol writes itself",
                    a.name()
                ),
            ));
        }
        if declared.contains(&key) {
            return Err(refused(
                field,
                format!(
                    "`{}` is a declared attribute of the type, not a wildcard one",
                    a.name()
                ),
            ));
        }
        let repeated = if items.len() <= PAIRWISE {
            items[..i]
                .iter()
                .any(|b| (b.name().namespace(), b.name().local_name()) == key)
        } else {
            !seen.insert(key)
        };
        if repeated {
            return Err(refused(
                field,
                format!("the attribute `{}` appears twice", a.name()),
            ));
        }
    }
    Ok(())
}

fn refused(field: &str, why: String) -> SerError {
    SerError::with_kind(
        SerErrorKind::Unrepresentable,
        format!("the wildcard attributes `{field}` (xs:anyAttribute): {why}"),
    )
}
