//! The recurring and partial Gregorian types: `xs:gYear`, `xs:gYearMonth`, `xs:gMonth`,
//! `xs:gMonthDay`, `xs:gDay`, each with an optional time zone.

use std::fmt;

use super::primitive::{lexical_model, trim_xml};
use super::{
    Constraints, DeError, Deserializer, FieldPath, Lexical, LexicalError, Model, SerError,
    Serializer, SimpleKind, SimpleType, TimeZone, TypeRef, ValidationError,
};

macro_rules! g_type {
    ($desc:ident, $name:literal) => {
        pub(crate) static $desc: SimpleType = SimpleType {
            name: $name,
            kind: SimpleKind::Temporal,
        };
    };
}
g_type!(G_YEAR, "gYear");
g_type!(G_YEAR_MONTH, "gYearMonth");
g_type!(G_MONTH, "gMonth");
g_type!(G_MONTH_DAY, "gMonthDay");
g_type!(G_DAY, "gDay");

/// Splits a trailing time zone (`Z`, `+hh:mm`, `-hh:mm`) off `text`.
fn split_zone<'t>(
    type_name: &'static str,
    text: &'t str,
) -> Result<(&'t str, Option<TimeZone>), LexicalError> {
    if let Some(rest) = text.strip_suffix('Z') {
        return Ok((rest, Some(TimeZone::UTC)));
    }
    let b = text.as_bytes();
    if b.len() >= 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':' {
        let (rest, zone) = text.split_at(text.len() - 6);
        let tz = zone
            .parse::<TimeZone>()
            .map_err(|e| LexicalError::new(type_name, text, e.reason))?;
        return Ok((rest, Some(tz)));
    }
    Ok((text, None))
}

/// Exactly `n` ASCII digits as a number.
fn digits(s: &str, n: usize) -> Option<u8> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// A year: `-?[0-9]{4,}`, no leading zero beyond four digits, not 0000.
fn year(s: &str) -> Option<i32> {
    let digits_part = s.strip_prefix('-').unwrap_or(s);
    if digits_part.len() < 4
        || !digits_part.bytes().all(|b| b.is_ascii_digit())
        || (digits_part.len() > 4 && digits_part.starts_with('0'))
    {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (y != 0).then_some(y)
}

fn month(s: &str) -> Option<u8> {
    digits(s, 2).filter(|m| (1..=12).contains(m))
}

/// The most days `month` has in any year (February: 29).
fn max_day(month: u8) -> u8 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn write_year(f: &mut fmt::Formatter<'_>, year: i32) -> fmt::Result {
    if year < 0 {
        write!(f, "-{:04}", year.unsigned_abs())
    } else {
        write!(f, "{year:04}")
    }
}

fn write_zone(f: &mut fmt::Formatter<'_>, tz: Option<TimeZone>) -> fmt::Result {
    match tz {
        Some(tz) => write!(f, "{tz}"),
        None => Ok(()),
    }
}

macro_rules! g_impls {
    ($ty:ident, $desc:ident, $name:literal) => {
        impl Lexical for $ty {
            const TYPE: &'static SimpleType = &$desc;

            fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
                let t = trim_xml(text);
                let (body, tz) = split_zone($name, t)?;
                Self::parse_body(body)
                    .map(|v| v.with_tz(tz))
                    .ok_or_else(|| LexicalError::new($name, t, Self::EXPECTED))
            }

            fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                f(&self.to_string())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = LexicalError;
            fn from_str(s: &str) -> Result<Self, LexicalError> {
                Self::parse_lexical(s)
            }
        }

        lexical_model!($ty, |_v, _c, _p| Ok(()));
    };
}

/// `xs:gYear`: a year (`2024`, `-0045`, `2024Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GYear {
    year: i32,
    tz: Option<TimeZone>,
}

impl GYear {
    const EXPECTED: &'static str =
        "expected a year such as 2024 (not 0000), optionally with a zone";

    /// A year (not 0: XSD 1.0 has no year zero).
    pub fn new(year: i32) -> Result<Self, LexicalError> {
        if year == 0 {
            return Err(LexicalError::new("gYear", "0000", Self::EXPECTED));
        }
        Ok(GYear { year, tz: None })
    }
    fn parse_body(s: &str) -> Option<Self> {
        Some(GYear {
            year: year(s)?,
            tz: None,
        })
    }
    /// The same with a time zone.
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        GYear {
            tz: tz.into(),
            ..self
        }
    }
    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }
    /// The time zone, if given.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }
}

impl fmt::Display for GYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_year(f, self.year)?;
        write_zone(f, self.tz)
    }
}
g_impls!(GYear, G_YEAR, "gYear");

/// `xs:gYearMonth`: a month of a year (`2024-02`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GYearMonth {
    year: i32,
    month: u8,
    tz: Option<TimeZone>,
}

impl GYearMonth {
    const EXPECTED: &'static str =
        "expected a year and month such as 2024-02, optionally with a zone";

    /// A month (1-12) of a year (not 0).
    pub fn new(year: i32, month: u8) -> Result<Self, LexicalError> {
        if year == 0 || !(1..=12).contains(&month) {
            return Err(LexicalError::new(
                "gYearMonth",
                &format!("{year}-{month}"),
                Self::EXPECTED,
            ));
        }
        Ok(GYearMonth {
            year,
            month,
            tz: None,
        })
    }
    fn parse_body(s: &str) -> Option<Self> {
        let (y, m) = s.rsplit_once('-')?;
        Some(GYearMonth {
            year: year(y)?,
            month: month(m)?,
            tz: None,
        })
    }
    /// The same with a time zone.
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        GYearMonth {
            tz: tz.into(),
            ..self
        }
    }
    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }
    /// The month, 1-12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// The time zone, if given.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }
}

impl fmt::Display for GYearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_year(f, self.year)?;
        write!(f, "-{:02}", self.month)?;
        write_zone(f, self.tz)
    }
}
g_impls!(GYearMonth, G_YEAR_MONTH, "gYearMonth");

/// `xs:gMonth`: a month of every year (`--02`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GMonth {
    month: u8,
    tz: Option<TimeZone>,
}

impl GMonth {
    const EXPECTED: &'static str = "expected a month such as --02, optionally with a zone";

    /// A month, 1-12.
    pub fn new(month: u8) -> Result<Self, LexicalError> {
        if !(1..=12).contains(&month) {
            return Err(LexicalError::new(
                "gMonth",
                &month.to_string(),
                Self::EXPECTED,
            ));
        }
        Ok(GMonth { month, tz: None })
    }
    fn parse_body(s: &str) -> Option<Self> {
        Some(GMonth {
            month: month(s.strip_prefix("--")?)?,
            tz: None,
        })
    }
    /// The same with a time zone.
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        GMonth {
            tz: tz.into(),
            ..self
        }
    }
    /// The month, 1-12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// The time zone, if given.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }
}

impl fmt::Display for GMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--{:02}", self.month)?;
        write_zone(f, self.tz)
    }
}
g_impls!(GMonth, G_MONTH, "gMonth");

/// `xs:gMonthDay`: a day of a month of every year (`--02-29`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GMonthDay {
    month: u8,
    day: u8,
    tz: Option<TimeZone>,
}

impl GMonthDay {
    const EXPECTED: &'static str = "expected a month and day such as --02-29 (a day the month can have), optionally with a zone";

    /// A day of a month (February 29 is allowed: some years have it).
    pub fn new(month: u8, day: u8) -> Result<Self, LexicalError> {
        if !(1..=12).contains(&month) || day == 0 || day > max_day(month) {
            return Err(LexicalError::new(
                "gMonthDay",
                &format!("--{month:02}-{day:02}"),
                Self::EXPECTED,
            ));
        }
        Ok(GMonthDay {
            month,
            day,
            tz: None,
        })
    }
    fn parse_body(s: &str) -> Option<Self> {
        let (m, d) = s.strip_prefix("--")?.split_once('-')?;
        let (month, day) = (month(m)?, digits(d, 2)?);
        (day >= 1 && day <= max_day(month)).then_some(GMonthDay {
            month,
            day,
            tz: None,
        })
    }
    /// The same with a time zone.
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        GMonthDay {
            tz: tz.into(),
            ..self
        }
    }
    /// The month, 1-12.
    pub fn month(&self) -> u8 {
        self.month
    }
    /// The day of the month.
    pub fn day(&self) -> u8 {
        self.day
    }
    /// The time zone, if given.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }
}

impl fmt::Display for GMonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--{:02}-{:02}", self.month, self.day)?;
        write_zone(f, self.tz)
    }
}
g_impls!(GMonthDay, G_MONTH_DAY, "gMonthDay");

/// `xs:gDay`: a day of every month (`---15`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GDay {
    day: u8,
    tz: Option<TimeZone>,
}

impl GDay {
    const EXPECTED: &'static str = "expected a day such as ---15, optionally with a zone";

    /// A day, 1-31.
    pub fn new(day: u8) -> Result<Self, LexicalError> {
        if !(1..=31).contains(&day) {
            return Err(LexicalError::new("gDay", &day.to_string(), Self::EXPECTED));
        }
        Ok(GDay { day, tz: None })
    }
    fn parse_body(s: &str) -> Option<Self> {
        let day = digits(s.strip_prefix("---")?, 2)?;
        (1..=31).contains(&day).then_some(GDay { day, tz: None })
    }
    /// The same with a time zone.
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        GDay {
            tz: tz.into(),
            ..self
        }
    }
    /// The day, 1-31.
    pub fn day(&self) -> u8 {
        self.day
    }
    /// The time zone, if given.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }
}

impl fmt::Display for GDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "---{:02}", self.day)?;
        write_zone(f, self.tz)
    }
}
g_impls!(GDay, G_DAY, "gDay");

#[cfg(test)]
mod tests {
    use super::*;

    fn round<T: Lexical + fmt::Display>(text: &str) -> String {
        T::parse_lexical(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"))
            .to_string()
    }

    #[test]
    fn valid_forms_print_back() {
        for t in [
            "2024",
            "-0045",
            "12345",
            "2024Z",
            "2024+05:30",
            "2024-05:00",
        ] {
            assert_eq!(round::<GYear>(t), t);
        }
        for t in ["2024-02", "-0001-12Z"] {
            assert_eq!(round::<GYearMonth>(t), t);
        }
        assert_eq!(round::<GMonth>("--02"), "--02");
        assert_eq!(round::<GMonth>("--12-01:00"), "--12-01:00");
        assert_eq!(round::<GMonthDay>("--02-29"), "--02-29");
        assert_eq!(round::<GMonthDay>("--12-31Z"), "--12-31Z");
        assert_eq!(round::<GDay>("---01"), "---01");
        assert_eq!(round::<GDay>(" ---31+14:00 "), "---31+14:00");
    }

    #[test]
    fn invalid_forms_name_the_type() {
        let cases: [(&str, Result<(), LexicalError>); 12] = [
            ("gYear", GYear::parse_lexical("0000").map(drop)),
            ("gYear", GYear::parse_lexical("024").map(drop)),
            ("gYear", GYear::parse_lexical("02024").map(drop)),
            ("gYear", GYear::parse_lexical("2024+15:00").map(drop)),
            ("gYearMonth", GYearMonth::parse_lexical("2024-13").map(drop)),
            ("gYearMonth", GYearMonth::parse_lexical("2024-2").map(drop)),
            ("gMonth", GMonth::parse_lexical("02").map(drop)),
            ("gMonth", GMonth::parse_lexical("--00").map(drop)),
            ("gMonthDay", GMonthDay::parse_lexical("--02-30").map(drop)),
            ("gMonthDay", GMonthDay::parse_lexical("--04-31").map(drop)),
            ("gDay", GDay::parse_lexical("---32").map(drop)),
            ("gDay", GDay::parse_lexical("--01").map(drop)),
        ];
        for (type_name, result) in cases {
            assert_eq!(result.unwrap_err().type_name, type_name);
        }
        assert!(GMonthDay::new(2, 29).is_ok());
        assert!(GYear::new(0).is_err());
    }
}
