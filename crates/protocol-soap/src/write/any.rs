//! Checking raw XML (`AnyXml`) before it is written, so that a bad fragment becomes a
//! `Server` fault rather than a malformed reply.

use rpclib_core::model::{AnyXml, SerError, SerErrorKind};

use crate::error::ReadError;
use crate::limits::Limits;
use crate::read::cursor::{Cursor, Token};
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
