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

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn plain_round_trips() {
        for s in ["2000-02-29", "0000-01-01", "-9999-01-01", "9999-12-31"] {
            let d: Date = s.parse().unwrap();
            assert_eq!(time::Date::try_from(d).map(Date::from), Ok(d), "{s}");
        }
        for s in ["00:00:00", "23:59:59.999999999", "12:30:00.25"] {
            let t: Time = s.parse().unwrap();
            assert_eq!(time::Time::try_from(t).map(Time::from), Ok(t), "{s}");
        }
        let v = dt("1999-12-31T23:59:59.000001");
        assert_eq!(PrimitiveDateTime::try_from(v).map(DateTime::from), Ok(v));
        let end = PrimitiveDateTime::try_from(dt("1999-12-31T24:00:00")).map(DateTime::from);
        assert_eq!(end, Ok(dt("2000-01-01T00:00:00")));
    }

    #[test]
    fn refusals() {
        let e = time::Date::try_from("10000-01-01".parse::<Date>().unwrap()).unwrap_err();
        assert!(e.to_string().contains("outside time::Date's range"), "{e}");
        assert!(time::Date::try_from("2000-01-01+01:00".parse::<Date>().unwrap()).is_err());
        assert!(time::Time::try_from("24:00:00".parse::<Time>().unwrap()).is_err());
        assert!(time::Time::try_from("10:00:00Z".parse::<Time>().unwrap()).is_err());
        assert!(PrimitiveDateTime::try_from(dt("2000-01-01T00:00:00Z")).is_err());
        assert!(OffsetDateTime::try_from(dt("2000-01-01T00:00:00")).is_err());
        assert!(OffsetDateTime::try_from(dt("9999-12-31T24:00:00Z")).is_err());
        let odd = UtcOffset::from_whole_seconds(-59).unwrap();
        assert!(TimeZone::try_from(odd).is_err());
        let far = UtcOffset::from_whole_seconds(-14 * 3600 - 60).unwrap();
        assert!(TimeZone::try_from(far).is_err());
    }

    #[test]
    fn offset_round_trips() {
        for s in [
            "2026-11-24T20:56:46.418574-01:30",
            "2000-01-01T00:00:00+14:00",
        ] {
            let v = dt(s);
            assert_eq!(
                OffsetDateTime::try_from(v).and_then(DateTime::try_from),
                Ok(v)
            );
        }
        // `Z` comes back as the numeric +00:00: the same instant.
        let z = OffsetDateTime::try_from(dt("2000-01-01T12:00:00Z")).and_then(DateTime::try_from);
        assert_eq!(z, Ok(dt("2000-01-01T12:00:00+00:00")));
        let a = OffsetDateTime::try_from(dt("2000-01-01T01:00:00+01:00"));
        let b = OffsetDateTime::try_from(dt("2000-01-01T00:00:00Z"));
        assert_eq!(a, b);
    }

    #[test]
    fn durations() {
        for s in ["PT0S", "P1DT2H3M4.5S", "-PT0.000000001S"] {
            let d: Duration = s.parse().unwrap();
            let t = time::Duration::try_from(d).map(Duration::from);
            assert_eq!(t.map(|d| d.to_string()).as_deref(), Ok(s));
        }
        assert_eq!(
            time::Duration::try_from(dt_d("PT90S")),
            Ok(time::Duration::seconds(90))
        );
        assert!(time::Duration::try_from(dt_d("P1Y")).is_err());
        assert!(time::Duration::try_from(dt_d("PT18446744073709551615S")).is_err());
        let min = Duration::from(time::Duration::MIN);
        assert_eq!(time::Duration::try_from(min), Ok(time::Duration::MIN));
    }

    fn dt_d(s: &str) -> Duration {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }
}
