//! Telling SOAP 1.1 from SOAP 1.2 on an endpoint that serves both: the namespace of the
//! envelope decides; the transport's content type is only a hint, for messages whose envelope
//! cannot be read.

use crate::error::ReadError;
use crate::limits::Limits;
use crate::read::cursor::{Cursor, Token};
use crate::version::{SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, SoapVersion};

/// What the root element of a message says about its SOAP version.
#[derive(Debug)]
pub(crate) enum Sniffed {
    /// The root element is in a SOAP envelope namespace.
    Version(SoapVersion),
    /// The root element is an `Envelope` in a namespace no SOAP version uses: a
    /// `VersionMismatch`.
    UnknownEnvelope(ReadError),
    /// No root element could be read, or it is in no SOAP namespace: the hint decides, and
    /// the reading stages report what is wrong.
    Unreadable,
}

/// The version a media type suggests: SOAP 1.2's `application/soap+xml` (with any
/// parameters, in any case), else SOAP 1.1 (`text/xml`, or anything clients send, as the 1.1
/// binding never insisted on it).
pub(crate) fn hint(content_type: Option<&str>) -> SoapVersion {
    let media_type = content_type
        .and_then(|t| t.split(';').next())
        .map(str::trim)
        .unwrap_or("");
    if media_type.eq_ignore_ascii_case("application/soap+xml") {
        SoapVersion::Soap12
    } else {
        SoapVersion::Soap11
    }
}

/// Reads `text` up to its root element's start tag (the prolog and one tag: cheap next to
/// the reading stages, which read the envelope again with the version found here).
pub(crate) fn sniff(text: &str, limits: Limits) -> Sniffed {
    let mut cursor = Cursor::new(text, limits);
    let root = loop {
        match cursor.next() {
            Ok(Token::Start(start)) => break start,
            Ok(Token::Text { .. }) => {}
            Ok(Token::End { .. } | Token::Eof { .. }) | Err(_) => return Sniffed::Unreadable,
        }
    };
    let Ok((ns, local)) = cursor.resolve(&root) else {
        return Sniffed::Unreadable;
    };
    match SoapVersion::from_namespace(ns) {
        Some(version) => Sniffed::Version(version),
        None if local == "Envelope" => Sniffed::UnknownEnvelope(ReadError::version_mismatch(
            format!(
                "unknown envelope namespace `{ns}`: this endpoint speaks SOAP 1.2 \
                 (`{SOAP12_ENVELOPE_NS}`) and SOAP 1.1 (`{SOAP11_ENVELOPE_NS}`)"
            ),
            root.offset,
        )),
        None => Sniffed::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_hint_at_versions() {
        let twelve = [
            "application/soap+xml",
            "application/soap+xml; charset=utf-8; action=\"urn:x\"",
            " Application/SOAP+XML ;charset=UTF-8",
        ];
        for t in twelve {
            assert_eq!(hint(Some(t)), SoapVersion::Soap12, "{t}");
        }
        let eleven = [
            None,
            Some("text/xml; charset=utf-8"),
            Some("application/xml"),
            Some("application/soap+xmlx"),
            Some(""),
        ];
        for t in eleven {
            assert_eq!(hint(t), SoapVersion::Soap11, "{t:?}");
        }
    }

    #[test]
    fn the_root_namespace_decides() {
        let limits = Limits::default();
        let v11 = r#"<?xml version="1.0"?><!-- c --><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>"#;
        assert!(matches!(
            sniff(v11, limits),
            Sniffed::Version(SoapVersion::Soap11)
        ));
        let v12 = r#"<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"/>"#;
        assert!(matches!(
            sniff(v12, limits),
            Sniffed::Version(SoapVersion::Soap12)
        ));
        let other = r#"<e:Envelope xmlns:e="urn:not-soap"/>"#;
        assert!(matches!(sniff(other, limits), Sniffed::UnknownEnvelope(_)));
        for bad in [
            "",
            "garbage",
            "<a xmlns='urn:x'/>",
            "<p:Envelope/>",
            "<!DOCTYPE x><x/>",
        ] {
            assert!(matches!(sniff(bad, limits), Sniffed::Unreadable), "{bad}");
        }
    }
}
