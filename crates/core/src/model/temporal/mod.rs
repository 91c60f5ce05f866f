//! XML Schema (XSD 1.1 part 2) date/time values with lexical fidelity.
//!
//! Parsing keeps what the sender wrote (the number of fractional second digits, `Z`
//! versus `+00:00`, no zone versus a zone, hour `24`), so that printing a parsed value
//! gives back the text it came from (after XML whitespace collapsing).
//!
//! The values are checked: their fields are private and every constructor (parsing
//! included) rejects what XSD does not allow (month 13, February 29 of a common year,
//! `24:00:01`, a zone beyond ±14:00, a billion nanoseconds…), so a value in hand is always
//! valid and always prints as valid XSD text.
//!
//! Only `std` is needed; conversions to and from the `chrono`, `time` and `jiff` crates come
//! with the cargo features of the same names, and [`Duration`] converts to and from
//! [`std::time::Duration`] always. Conversions that can lose information or leave a range are
//! `TryFrom` with a [`ConversionError`].

use crate::model::LexicalError;

#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
mod convert;
mod error;
mod lexical;
mod with_std;

#[cfg(feature = "chrono")]
mod with_chrono;
#[cfg(feature = "jiff")]
mod with_jiff;
#[cfg(feature = "time")]
mod with_time;

#[cfg(test)]
mod tests;

pub use error::ConversionError;

/// A time zone of a date/time value: `Z` or a numeric offset, kept apart as written.
///
/// `Z` and `+00:00` are the same offset but different values, so that each prints as it
/// was written. Made by [`TimeZone::UTC`], [`TimeZone::offset`] or parsing (`"+05:30"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone {
    /// Offset from UTC in minutes, `-840..=840`; 0 when `z`.
    minutes: i16,
    /// Written `Z`.
    z: bool,
}

impl TimeZone {
    /// The largest absolute offset in minutes (14 hours).
    pub const MAX_OFFSET_MINUTES: i16 = 840;

    /// UTC, written `Z`.
    pub const UTC: Self = Self {
        minutes: 0,
        z: true,
    };

    /// A numeric offset in minutes, written `±hh:mm`, checked against `-840..=840`
    /// (`-14:00..=+14:00`). `offset(0)` prints `+00:00`; use [`TimeZone::UTC`] for `Z`.
    pub fn offset(minutes: i16) -> Result<Self, LexicalError> {
        if minutes.unsigned_abs() > Self::MAX_OFFSET_MINUTES.unsigned_abs() {
            let text = minutes.to_string();
            return Err(LexicalError::new(
                "timezone",
                &text,
                "offset outside -14:00..=+14:00",
            ));
        }
        Ok(Self { minutes, z: false })
    }

    /// The offset from UTC in minutes (`Z` is 0).
    pub fn minutes(self) -> i16 {
        self.minutes
    }

    /// Whether the zone is written `Z` (rather than as a numeric offset).
    pub fn is_z(self) -> bool {
        self.z
    }
}

/// An `xs:date`: `-?YYYY-MM-DD` with an optional zone.
///
/// Made by [`Date::new`] (then [`Date::with_tz`]) or parsing; read with [`Date::year`],
/// [`Date::month`], [`Date::day`] and [`Date::tz`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// Proleptic Gregorian year; `0` is 1 BCE as in XSD 1.1.
    year: i32,
    /// Month, `1..=12`.
    month: u8,
    /// Day of month, `1..=28/29/30/31`.
    day: u8,
    /// Zone, if one was written.
    tz: Option<TimeZone>,
}

/// An `xs:time`: `hh:mm:ss(.f+)?` with an optional zone.
///
/// Made by [`Time::new`], [`Time::with_fraction`] (then [`Time::with_tz`]) or parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    /// Hour, `0..=23`, or `24` for `24:00:00` only.
    hour: u8,
    /// Minute, `0..=59`.
    minute: u8,
    /// Second, `0..=59`.
    second: u8,
    /// Fraction of the second in nanoseconds, `0..1_000_000_000`.
    nanos: u32,
    /// How many fractional digits were written (`0..=9`; 0 = no fraction); enough for
    /// `nanos`.
    frac_digits: u8,
    /// Zone, if one was written.
    tz: Option<TimeZone>,
}

/// An `xs:dateTime`: `date 'T' time zone?`.
///
/// Made by [`DateTime::new`] (then [`DateTime::with_tz`]) or parsing. The zone is the
/// value's own ([`DateTime::tz`]); [`DateTime::date`] and [`DateTime::time`] return the
/// parts without zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateTime {
    /// The date part (its `tz` is `None`).
    date: Date,
    /// The time part (its `tz` is `None`); hour `24` only as `T24:00:00`.
    time: Time,
    /// Zone, if one was written.
    tz: Option<TimeZone>,
}

/// An `xs:duration`: `-?P(nY)?(nM)?(nD)?(T(nH)?(nM)?(n(.n+)?S)?)?`.
///
/// Printed in canonical form: zero components omitted, `PT0S` when all are zero; the
/// seconds keep the number of fractional digits received. Made from
/// [`Duration::ZERO`] with the `with_*` methods, by parsing, or from a
/// [`std::time::Duration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// Whether the duration is negative (leading `-`).
    negative: bool,
    /// Years.
    years: u64,
    /// Months.
    months: u64,
    /// Days.
    days: u64,
    /// Hours.
    hours: u64,
    /// Minutes.
    minutes: u64,
    /// Whole seconds.
    seconds: u64,
    /// Fraction of the second in nanoseconds, `0..1_000_000_000`.
    nanos: u32,
    /// How many fractional second digits were written (`0..=9`), enough for `nanos`.
    frac_digits: u8,
}

type Res<T> = Result<T, String>;

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Res<()> {
    if ok { Ok(()) } else { Err(why()) }
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar (year 0 is one).
fn is_leap(year: i32) -> bool {
    year % 400 == 0 || (year % 4 == 0 && year % 100 != 0)
}

/// Number of days in `month` of `year` (proleptic Gregorian); 0 for a bad month.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn make_date(year: i32, month: u8, day: u8) -> Res<Date> {
    ensure((1..=12).contains(&month), || {
        format!("month {month:02} is not in 01..12")
    })?;
    let max = days_in_month(year, month);
    ensure((1..=max).contains(&day), || {
        format!("day {day:02} is not in 01..{max}")
    })?;
    Ok(Date {
        year,
        month,
        day,
        tz: None,
    })
}

/// Fewest fractional digits that show `nanos` exactly.
fn min_frac_digits(nanos: u32) -> u8 {
    let (mut n, mut d) = (nanos, 9);
    while n % 10 == 0 && d > 0 {
        n /= 10;
        d -= 1;
    }
    d
}

/// Checks a seconds fraction: below one second, at most 9 digits, shown exactly by them.
fn check_fraction(nanos: u32, frac_digits: u8) -> Res<()> {
    ensure(nanos < 1_000_000_000, || {
        "fraction must be below 1 s".into()
    })?;
    ensure(frac_digits <= 9, || {
        "more than 9 fractional digits are not supported".into()
    })?;
    let shown = min_frac_digits(nanos) <= frac_digits;
    ensure(shown, || {
        format!("{nanos} ns do not fit in {frac_digits} digits")
    })
}

fn make_time(hour: u8, minute: u8, second: u8, nanos: u32, frac_digits: u8) -> Res<Time> {
    if hour == 24 {
        let zero = minute == 0 && second == 0 && nanos == 0;
        ensure(zero, || {
            "hour 24 is only allowed in 24:00:00 (zero fraction)".into()
        })?;
    }
    ensure(hour <= 24, || format!("hour {hour:02} is not in 00..23"))?;
    ensure(minute < 60, || {
        format!("minute {minute:02} is not in 00..59")
    })?;
    ensure(second < 60, || {
        format!("second {second:02} is not in 00..59")
    })?;
    check_fraction(nanos, frac_digits)?;
    Ok(Time {
        hour,
        minute,
        second,
        nanos,
        frac_digits,
        tz: None,
    })
}

impl Date {
    /// A checked date without zone: month `1..=12`, day within the month (February 29
    /// only in leap years). Any `i32` year is allowed; `0` is 1 BCE as in XSD 1.1.
    pub fn new(year: i32, month: u8, day: u8) -> Result<Self, LexicalError> {
        let text = format!("{year}-{month}-{day}");
        make_date(year, month, day).map_err(|r| LexicalError::new("date", &text, r))
    }

    /// The same date with the zone replaced (`None` removes it).
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        Self {
            tz: tz.into(),
            ..self
        }
    }

    /// Proleptic Gregorian year; `0` is 1 BCE, `-1` is 2 BCE.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Month, `1..=12`.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Day of the month, `1..=31`.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The zone, if one was written.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }

    /// The next day (same zone), or `None` after 2147483647-12-31.
    #[cfg_attr(
        not(any(feature = "chrono", feature = "time", feature = "jiff", test)),
        allow(dead_code)
    )]
    fn next_day(self) -> Option<Self> {
        let (year, month, day) = if self.day < days_in_month(self.year, self.month) {
            (self.year, self.month, self.day + 1)
        } else if self.month < 12 {
            (self.year, self.month + 1, 1)
        } else {
            (self.year.checked_add(1)?, 1, 1)
        };
        Some(Self {
            year,
            month,
            day,
            tz: self.tz,
        })
    }
}

impl Time {
    /// A checked time without zone (hour `0..=23` or `24:00:00`, minute and second
    /// `0..=59`, `nanos` below 10⁹); a non-zero `nanos` gets the fewest digits that show it
    /// (trailing zeros trimmed: 100 000 ns prints `.0001`).
    pub fn new(hour: u8, minute: u8, second: u8, nanos: u32) -> Result<Self, LexicalError> {
        Self::with_fraction(hour, minute, second, nanos, min_frac_digits(nanos))
    }

    /// A checked time without zone that prints exactly `frac_digits` fractional digits
    /// (`0..=9`; `nanos` must be representable with them).
    pub fn with_fraction(
        h: u8,
        m: u8,
        s: u8,
        nanos: u32,
        frac_digits: u8,
    ) -> Result<Self, LexicalError> {
        let text = format!("{h}:{m}:{s}.{nanos}");
        make_time(h, m, s, nanos, frac_digits).map_err(|r| LexicalError::new("time", &text, r))
    }

    /// The same time with the zone replaced (`None` removes it).
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        Self {
            tz: tz.into(),
            ..self
        }
    }

    /// Hour, `0..=23`, or `24` for `24:00:00` (the end of the day).
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// Minute, `0..=59`.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// Second, `0..=59`.
    pub fn second(&self) -> u8 {
        self.second
    }

    /// Fraction of the second in nanoseconds, `0..1_000_000_000`.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// How many fractional second digits are printed (`0..=9`).
    pub fn frac_digits(&self) -> u8 {
        self.frac_digits
    }

    /// The zone, if one was written.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }

    /// Whether this is `24:00:00`, the end of the day (the same instant as the next day's
    /// `00:00:00`).
    pub fn is_end_of_day(&self) -> bool {
        self.hour == 24
    }
}

impl DateTime {
    /// Joins a date and a time (both checked again); the zone is whichever of the two has
    /// one, and an error if they carry different zones.
    pub fn new(date: Date, time: Time) -> Result<Self, LexicalError> {
        let err = |r: String| LexicalError::new("dateTime", &format!("{date}T{time}"), r);
        let tz = match (date.tz, time.tz) {
            (Some(a), Some(b)) if a != b => Err(err("date and time carry different zones".into()))?,
            (a, b) => a.or(b),
        };
        let (d, t) = (date, time);
        let date = make_date(d.year, d.month, d.day).map_err(err)?;
        let time = make_time(t.hour, t.minute, t.second, t.nanos, t.frac_digits).map_err(err)?;
        Ok(Self { date, time, tz })
    }

    /// The same value with the zone replaced (`None` removes it).
    pub fn with_tz(self, tz: impl Into<Option<TimeZone>>) -> Self {
        Self {
            tz: tz.into(),
            ..self
        }
    }

    /// The date part, without zone.
    pub fn date(&self) -> Date {
        self.date
    }

    /// The time part, without zone; `24:00:00` stays as written.
    pub fn time(&self) -> Time {
        self.time
    }

    /// The zone, if one was written.
    pub fn tz(&self) -> Option<TimeZone> {
        self.tz
    }

    /// The date and time with `T24:00:00` carried into the next day's `T00:00:00` (the same
    /// instant), zones dropped; `None` past the last representable day.
    #[cfg_attr(
        not(any(feature = "chrono", feature = "time", feature = "jiff", test)),
        allow(dead_code)
    )]
    fn normalized(&self) -> Option<(Date, Time)> {
        if !self.time.is_end_of_day() {
            return Some((self.date.with_tz(None), self.time.with_tz(None)));
        }
        let midnight = Time {
            hour: 0,
            ..self.time.with_tz(None)
        };
        Some((self.date.with_tz(None).next_day()?, midnight))
    }
}

impl Duration {
    /// The zero duration, `PT0S`.
    pub const ZERO: Self = Self {
        negative: false,
        years: 0,
        months: 0,
        days: 0,
        hours: 0,
        minutes: 0,
        seconds: 0,
        nanos: 0,
        frac_digits: 0,
    };

    /// Whether all components are zero (the sign is ignored).
    pub fn is_zero(&self) -> bool {
        let hms = self.hours | self.minutes | self.seconds;
        (self.years | self.months | self.days | hms) == 0 && self.nanos == 0
    }

    /// The same duration, negative (`-P…`) or not. A zero duration may be negative: `-PT0S`
    /// is valid XSD text and prints back as written.
    pub fn with_negative(self, negative: bool) -> Self {
        Self { negative, ..self }
    }

    /// The same duration with the years (`nY`) replaced.
    pub fn with_years(self, years: u64) -> Self {
        Self { years, ..self }
    }

    /// The same duration with the months (`nM` before `T`) replaced.
    pub fn with_months(self, months: u64) -> Self {
        Self { months, ..self }
    }

    /// The same duration with the days (`nD`) replaced.
    pub fn with_days(self, days: u64) -> Self {
        Self { days, ..self }
    }

    /// The same duration with the hours (`nH`) replaced.
    pub fn with_hours(self, hours: u64) -> Self {
        Self { hours, ..self }
    }

    /// The same duration with the minutes (`nM` after `T`) replaced.
    pub fn with_minutes(self, minutes: u64) -> Self {
        Self { minutes, ..self }
    }

    /// The same duration with the whole seconds replaced (the fraction is kept).
    pub fn with_seconds(self, seconds: u64) -> Self {
        Self { seconds, ..self }
    }

    /// The same duration with the seconds' fraction replaced: `nanos` below 10⁹, printed
    /// with the fewest digits that show it (none for 0).
    pub fn with_nanos(self, nanos: u32) -> Result<Self, LexicalError> {
        self.with_fraction(nanos, min_frac_digits(nanos))
    }

    /// The same duration with the seconds' fraction replaced, printed with exactly
    /// `frac_digits` digits (`0..=9`; `nanos` below 10⁹ and representable with them).
    pub fn with_fraction(self, nanos: u32, frac_digits: u8) -> Result<Self, LexicalError> {
        check_fraction(nanos, frac_digits).map_err(|r| {
            let text = format!("{}.{nanos}S", self.seconds);
            LexicalError::new("duration", &text, r)
        })?;
        Ok(Self {
            nanos,
            frac_digits,
            ..self
        })
    }

    /// Whether the duration is negative (written with a leading `-`).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// Years.
    pub fn years(&self) -> u64 {
        self.years
    }

    /// Months.
    pub fn months(&self) -> u64 {
        self.months
    }

    /// Days.
    pub fn days(&self) -> u64 {
        self.days
    }

    /// Hours.
    pub fn hours(&self) -> u64 {
        self.hours
    }

    /// Minutes.
    pub fn minutes(&self) -> u64 {
        self.minutes
    }

    /// Whole seconds.
    pub fn seconds(&self) -> u64 {
        self.seconds
    }

    /// Fraction of the second in nanoseconds, `0..1_000_000_000`.
    pub fn nanos(&self) -> u32 {
        self.nanos
    }

    /// How many fractional second digits are printed (`0..=9`).
    pub fn frac_digits(&self) -> u8 {
        self.frac_digits
    }

    /// The day-time part (days, hours, minutes, seconds) in nanoseconds, without sign (a
    /// day is 86 400 s in XSD); cannot overflow.
    fn day_time_nanos(&self) -> u128 {
        let secs = u128::from(self.days) * 86_400
            + u128::from(self.hours) * 3_600
            + u128::from(self.minutes) * 60
            + u128::from(self.seconds);
        secs * 1_000_000_000 + u128::from(self.nanos)
    }

    /// A duration of `secs` seconds and `nanos` nanoseconds (below 10⁹), split into days,
    /// hours, minutes and seconds (a day is 86 400 s in XSD).
    fn from_day_time(negative: bool, secs: u64, nanos: u32) -> Self {
        Self {
            negative,
            days: secs / 86_400,
            hours: secs % 86_400 / 3_600,
            minutes: secs % 3_600 / 60,
            seconds: secs % 60,
            nanos: nanos % 1_000_000_000,
            frac_digits: min_frac_digits(nanos % 1_000_000_000),
            ..Self::ZERO
        }
    }
}
