//! `wsu:Created` and `wsu:Expires`: xsd:dateTime in UTC, read as RFC 3339 (a time zone is
//! required, as the profile asks for UTC).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `at` as written in a token: UTC, `Z`, millisecond precision (`2026-01-02T03:04:05.678Z`).
pub(crate) fn format(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let millis = at.nanosecond() / 1_000_000 * 1_000_000;
    let at = at.replace_nanosecond(millis).unwrap_or(at);
    at.format(&Rfc3339).unwrap_or_else(|_| {
        // Only years outside 0..=9999 fail to format, which `now` never is.
        "1970-01-01T00:00:00Z".to_owned()
    })
}

/// A time as a token writes it, or `None` if it is not an xsd:dateTime with a time zone.
pub(crate) fn parse(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim();
    if text.len() > 64 {
        return None;
    }
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_local_times() {
        let at = parse("2026-01-02T03:04:05.678Z").expect("valid");
        assert_eq!(format(at), "2026-01-02T03:04:05.678Z");
        let offset = parse("2026-01-02T05:04:05+02:00").expect("valid");
        assert_eq!(format(offset), "2026-01-02T03:04:05Z");
        assert_eq!(parse("2026-01-02T03:04:05"), None);
        assert_eq!(parse("yesterday"), None);
        assert_eq!(parse(&"9".repeat(100)), None);
    }
}
