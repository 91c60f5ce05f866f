//! XML helpers shared by the loader and the IR builders: namespaces, positions, QNames.

use roxmltree::Node;

use crate::diag::Location;
use crate::ir::QName;

/// The XML Schema namespace.
pub(crate) const XS: &str = "http://www.w3.org/2001/XMLSchema";
/// The WSDL 1.1 namespace.
pub(crate) const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
/// The WSDL SOAP 1.1 binding namespace.
pub(crate) const WSDL_SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// The WSDL SOAP 1.2 binding namespace.
pub(crate) const WSDL_SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
/// The SOAP 1.1 encoding namespace (rpc/encoded arrays).
pub(crate) const SOAP_ENC: &str = "http://schemas.xmlsoap.org/soap/encoding/";

/// Whether `node` is the element `{ns}local`.
pub(crate) fn is(node: Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

/// The child elements of `node` in namespace `ns`.
pub(crate) fn children<'a, 'i>(
    node: Node<'a, 'i>,
    ns: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().namespace() == Some(ns))
}

/// The location of `node` in `file`.
pub(crate) fn location(file: &std::path::Path, node: Node<'_, '_>) -> Location {
    let pos = node.document().text_pos_at(node.range().start);
    Location {
        file: file.to_path_buf(),
        line: pos.row,
        column: pos.col,
    }
}

/// Resolves the QName `value` (an attribute value such as `tns:Foo`) in the scope of `node`.
/// A prefix-less name takes the default namespace; `chameleon` replaces the empty namespace in
/// a schema included without a target namespace. `None` when the prefix is undeclared.
pub(crate) fn resolve_qname(
    node: Node<'_, '_>,
    value: &str,
    chameleon: Option<&str>,
) -> Option<QName> {
    let value = value.trim();
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, value),
    };
    if local.is_empty() {
        return None;
    }
    let ns = match prefix {
        Some("xml") => "http://www.w3.org/XML/1998/namespace".to_string(),
        Some(p) => node.lookup_namespace_uri(Some(p))?.to_string(),
        None => node.lookup_namespace_uri(None).unwrap_or("").to_string(),
    };
    let ns = match (ns.is_empty(), chameleon) {
        (true, Some(c)) => c.to_string(),
        _ => ns,
    };
    Some(QName::new(ns, local))
}
