//! Telling SOAP 1.1 from SOAP 1.2 on an endpoint that serves both: the namespace of the
//! envelope decides (read with the rest of the envelope: `read::envelope`); the transport's
//! content type is only a hint, for messages whose envelope cannot be read.

use crate::version::SoapVersion;

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
}
