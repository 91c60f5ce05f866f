//! Conversions to and from the `time` crate (feature `time`).
//!
//! Values without zone map to `time::Date`, `time::Time` and `time::PrimitiveDateTime`,
//! values with one to `time::OffsetDateTime` (whose offset becomes a numeric zone, `+00:00`
//! for 0). A zone is never dropped silently: converting a zoned value to a type without one
//! fails (drop it first with `with_tz(None)`). `24:00:00` is the next day's midnight in a
//! date-time and has no `time::Time`. `time` holds years -9999..=9999 (without its
//! `large-dates` feature).

use time::{Month, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use super::convert::{
    self, DATE, DATE_TIME, TIME, from_signed_parts, needs_zone, no_zone, normalized,
    not_end_of_day, range, signed_parts,
};
use super::{ConversionError, Date, DateTime, Duration, Time, TimeZone};

const T_DATE: &str = "time::Date";
const T_TIME: &str = "time::Time";
const T_PRIMITIVE: &str = "time::PrimitiveDateTime";
const T_OFFSET_DATE_TIME: &str = "time::OffsetDateTime";
const T_OFFSET: &str = "time::UtcOffset";
const T_DURATION: &str = "time::Duration";

impl From<time::Date> for Date {
    /// The same day, without zone.
    fn from(d: time::Date) -> Self {
        convert::date(d.year(), u8::from(d.month()), d.day())
    }
}

impl TryFrom<Date> for time::Date {
    type Error = ConversionError;

    /// Fails for a date with a zone and outside `time`'s years.
    fn try_from(d: Date) -> Result<Self, ConversionError> {
        no_zone(d.tz, DATE, T_DATE)?;
        t_date(d, DATE, T_DATE)
    }
}

fn t_date(d: Date, from: &'static str, to: &'static str) -> Result<time::Date, ConversionError> {
    let month = Month::try_from(d.month).map_err(|_| range(from, to, d))?;
    time::Date::from_calendar_date(d.year, month, d.day).map_err(|_| range(from, to, d))
}

impl From<time::Time> for Time {
    /// The same time, without zone.
    fn from(t: time::Time) -> Self {
        convert::time(t.hour(), t.minute(), t.second(), t.nanosecond())
    }
}

impl TryFrom<Time> for time::Time {
    type Error = ConversionError;

    /// Fails for a time with a zone and for `24:00:00`.
    fn try_from(t: Time) -> Result<Self, ConversionError> {
        no_zone(t.tz, TIME, T_TIME)?;
        not_end_of_day(&t, T_TIME)?;
        t_time(t)
    }
}

fn t_time(t: Time) -> Result<time::Time, ConversionError> {
    time::Time::from_hms_nano(t.hour, t.minute, t.second, t.nanos)
        .map_err(|_| range(TIME, T_TIME, t))
}

fn primitive(v: &DateTime, to: &'static str) -> Result<PrimitiveDateTime, ConversionError> {
    let (date, time) = normalized(v, to)?;
    Ok(PrimitiveDateTime::new(
        t_date(date, DATE_TIME, to)?,
        t_time(time)?,
    ))
}

impl From<PrimitiveDateTime> for DateTime {
    /// The same date and time, without zone.
    fn from(v: PrimitiveDateTime) -> Self {
        convert::date_time(v.date().into(), v.time().into())
    }
}

impl TryFrom<DateTime> for PrimitiveDateTime {
    type Error = ConversionError;

    /// Fails for a value with a zone and outside `time`'s years; `T24:00:00` becomes the next
    /// day's midnight.
    fn try_from(v: DateTime) -> Result<Self, ConversionError> {
        no_zone(v.tz, DATE_TIME, T_PRIMITIVE)?;
        primitive(&v, T_PRIMITIVE)
    }
}

impl TryFrom<OffsetDateTime> for DateTime {
    type Error = ConversionError;

    /// The local date and time with a numeric zone; fails for an offset that is not whole
    /// minutes or is beyond ±14:00.
    fn try_from(v: OffsetDateTime) -> Result<Self, ConversionError> {
        let tz = TimeZone::try_from(v.offset())
            .map_err(|e| ConversionError::new(T_OFFSET_DATE_TIME, DATE_TIME, e.reason))?;
        let local = convert::date_time(v.date().into(), v.time().into());
        Ok(local.with_tz(tz))
    }
}

impl TryFrom<DateTime> for OffsetDateTime {
    type Error = ConversionError;

    /// Fails for a value without zone (it is no instant) and outside `time`'s years.
    fn try_from(v: DateTime) -> Result<Self, ConversionError> {
        let offset = UtcOffset::from(needs_zone(v.tz, T_OFFSET_DATE_TIME)?);
        Ok(primitive(&v, T_OFFSET_DATE_TIME)?.assume_offset(offset))
    }
}

impl TryFrom<UtcOffset> for TimeZone {
    type Error = ConversionError;

    /// A numeric zone (`+00:00` for 0); fails for an offset that is not whole minutes or is
    /// beyond ±14:00.
    fn try_from(o: UtcOffset) -> Result<Self, ConversionError> {
        convert::zone(T_OFFSET, o.whole_seconds())
    }
}

impl From<TimeZone> for UtcOffset {
    /// The same offset (`Z` is 0).
    fn from(z: TimeZone) -> Self {
        // Within ±14:00, inside UtcOffset's ±25:59:59.
        UtcOffset::from_whole_seconds(i32::from(z.minutes) * 60).unwrap_or(UtcOffset::UTC)
    }
}

impl From<time::Duration> for Duration {
    /// The same length in days, hours, minutes and seconds (a day being 86 400 s in XSD),
    /// negative when the duration is.
    fn from(d: time::Duration) -> Self {
        from_signed_parts(d.whole_seconds(), d.subsec_nanoseconds())
    }
}

impl TryFrom<Duration> for time::Duration {
    type Error = ConversionError;

    /// Fails for years or months (no fixed length) and beyond `i64` seconds.
    fn try_from(d: Duration) -> Result<Self, ConversionError> {
        let (secs, nanos) = signed_parts(&d, T_DURATION)?;
        // Same signs and |nanos| < 10⁹: no carry, so no overflow.
        Ok(Self::new(secs, nanos))
    }
}
