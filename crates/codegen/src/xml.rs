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

/// The location of `node` in `file`, counted from the start of the document: for a few
/// locations per document (the loader's); [`Source`] answers many in one document.
pub(crate) fn location(file: &std::path::Path, node: Node<'_, '_>) -> Location {
    let pos = node.document().text_pos_at(node.range().start);
    Location {
        file: file.to_path_buf(),
        line: pos.row,
        column: pos.col,
    }
}

/// A document's file and where each of its lines starts: the location of a node is a binary
/// search, not a scan from the start (which made locating every component of a 380 KB schema
/// quadratic in its size).
#[derive(Debug)]
pub(crate) struct Source<'p> {
    /// The file.
    pub(crate) file: &'p std::path::Path,
    /// The byte offset of each line's first character.
    line_starts: Vec<usize>,
}

impl<'p> Source<'p> {
    /// The index of `text`, the content of `file`.
    pub(crate) fn new(file: &'p std::path::Path, text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Source { file, line_starts }
    }

    /// The location of `node`, a node of the document parsed from this source's text: line
    /// and column are 1-based, the column counts characters (as roxmltree's do).
    pub(crate) fn location(&self, node: Node<'_, '_>) -> Location {
        let text = node.document().input_text();
        let offset = node.range().start.min(text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let column = text
            .get(start.min(offset)..offset)
            .map_or(0, |s| s.chars().count());
        Location {
            file: self.file.to_path_buf(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_locations_are_roxmltrees() {
        let text = "<?xml version=\"1.0\"?>\n<a>\r\n  <b é=\"1\"/><c>\n\té<d/></c>\n<e/></a>\n";
        let doc = roxmltree::Document::parse(text).expect("well-formed");
        let file = std::path::Path::new("x.xml");
        let src = Source::new(file, text);
        for node in doc.descendants() {
            assert_eq!(src.location(node), location(file, node), "{node:?}");
        }
    }
}
