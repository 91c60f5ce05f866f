//! Checking raw XML (`AnyXml`) before it is written, so that a bad fragment becomes a
//! `Server` fault rather than a malformed reply.

use rpclib_core::RawHeader;
use rpclib_core::model::{AnyXml, SerError, SerErrorKind};

use crate::error::ReadError;
use crate::limits::Limits;
use crate::read::cursor::{Cursor, Token, is_whitespace};
use crate::read::document::XmlError;

/// The error for raw XML that is not well-formed: its source is the [`XmlError`] (line and
/// column within the fragment).
fn malformed(what: &str, e: &ReadError, text: &str) -> SerError {
    SerError::with_source(
        SerErrorKind::Unrepresentable,
        format!("`{what}` is not well-formed XML: {}", e.message),
        XmlError::from_read(e, text),
    )
}

/// The fragment to write: `xml` without a leading XML declaration, once checked to be
/// well-formed content (balanced elements, declared prefixes, predefined entities only, XML
/// characters only; several top-level elements and text are allowed). `what` names the value
/// in errors.
pub(crate) fn check_fragment<'x>(xml: &'x AnyXml, what: &str) -> Result<&'x str, SerError> {
    let mut text = xml.as_str();
    if text.starts_with("<?xml") {
        text = text
            .find("?>")
            .and_then(|end| text.get(end + 2..))
            .unwrap_or("");
    }
    let mut cursor = Cursor::fragment(text, Limits::default().max_input_bytes(usize::MAX));
    loop {
        let token = cursor.next().map_err(|e| malformed(what, &e, text))?;
        match token {
            Token::Eof { .. } => break,
            Token::Start(s) => {
                cursor.resolve(&s).map_err(|e| malformed(what, &e, text))?;
            }
            Token::End { .. } | Token::Text { .. } => {}
        }
    }
    if cursor.depth() != 0 {
        return Err(SerError::with_kind(
            SerErrorKind::Unrepresentable,
            format!("`{what}` is not well-formed XML: an element is not closed"),
        ));
    }
    Ok(text)
}

/// A raw header block checked for writing: its text, where an attribute can be inserted
/// into its start tag, and whether it already carries `mustUnderstand`.
pub(crate) struct CheckedHeader<'x> {
    pub(crate) text: &'x str,
    pub(crate) attribute_at: usize,
    pub(crate) has_must_understand: bool,
    /// The root element declares `prefix` itself (so an attribute with that prefix would
    /// name another namespace).
    pub(crate) redeclares: bool,
}

/// Checks that `header` is one well-formed element named as it says, for writing in an
/// envelope of namespace `env_ns` whose prefix is `env_prefix`.
pub(crate) fn check_raw_header<'x>(
    header: &'x RawHeader,
    env_ns: &str,
    env_prefix: &str,
) -> Result<CheckedHeader<'x>, SerError> {
    let what = format!("the raw header block {}", header.name);
    let text = check_fragment(&header.xml, &what)?;
    let bad = |message: String| SerError::with_kind(SerErrorKind::Unrepresentable, message);
    let mut cursor = Cursor::fragment(text, Limits::default().max_input_bytes(usize::MAX));
    let mut checked = None;
    loop {
        match cursor.next().map_err(|e| malformed(&what, &e, text))? {
            Token::Eof { .. } => break,
            Token::Start(s) if cursor.depth() == 1 => {
                if checked.is_some() {
                    return Err(bad(format!("{what} holds more than one element")));
                }
                let (ns, local) = cursor.resolve(&s).map_err(|e| malformed(&what, &e, text))?;
                if ns != header.name.namespace || local != header.name.name {
                    return Err(bad(format!(
                        "{what} is an element named `{{{ns}}}{local}`, not {}",
                        header.name
                    )));
                }
                let declaration = format!("xmlns:{env_prefix}");
                checked = Some(CheckedHeader {
                    text,
                    attribute_at: s.offset + 1 + s.qname.len(),
                    has_must_understand: cursor.attribute(&s, env_ns, "mustUnderstand").is_some(),
                    redeclares: s.attributes().any(|(k, _)| k == declaration),
                });
            }
            Token::Text { text: t, .. } if cursor.depth() == 0 && !is_whitespace(&t) => {
                return Err(bad(format!(
                    "{what} holds text beside its element: \"{}\"",
                    excerpt(&t)
                )));
            }
            _ => {}
        }
    }
    checked.ok_or_else(|| bad(format!("{what} holds no element")))
}

/// At most 120 characters of `text`, for messages.
fn excerpt(text: &str) -> String {
    text.trim().chars().take(120).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_content_and_strips_declarations() {
        let ok = [
            "",
            "text only",
            "<a/>",
            "<a xmlns=\"urn:x\"><b/></a>text<c/>",
            "<p:a xmlns:p=\"urn:p\">&amp;&#65;<![CDATA[<x>]]><!-- c --></p:a>",
        ];
        for xml in ok {
            let any = AnyXml::new(xml);
            assert_eq!(check_fragment(&any, "x").ok(), Some(xml), "{xml}");
        }
        let decl = AnyXml::new("<?xml version=\"1.0\"?><a/>");
        assert_eq!(check_fragment(&decl, "x").ok(), Some("<a/>"));
    }

    #[test]
    fn refuses_malformed_fragments() {
        for xml in [
            "<a>",
            "</a>",
            "<a></b>",
            "<p:a/>",
            "&nbsp;",
            "<!DOCTYPE a><a/>",
            "a\u{1}b",
            "<a b='1' b='2'/>",
        ] {
            let any = AnyXml::new(xml);
            assert!(check_fragment(&any, "x").is_err(), "{xml}");
        }
    }
}
