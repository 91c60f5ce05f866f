//! Conversions to and from the `jiff` crate (feature `jiff`).
//!
//! Values without zone map to `jiff::civil::Date`, `civil::Time` and `civil::DateTime`; a
//! date-time with a zone maps to the instant `jiff::Timestamp` (which comes back with the
//! zone `Z`). A zone is never dropped silently: converting a zoned value to a civil type
//! fails (drop it first with `with_tz(None)`). `24:00:00` is the next day's midnight in a
//! date-time and has no `civil::Time`. `jiff` holds years -9999..=9999.

use jiff::civil;
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};

use super::convert::{
    self, DATE, DATE_TIME, TIME, from_signed_parts, needs_zone, no_zone, normalized,
    not_end_of_day, range, signed_parts,
};
use super::{ConversionError, Date, DateTime, Duration, Time, TimeZone};

const J_DATE: &str = "jiff::civil::Date";
const J_TIME: &str = "jiff::civil::Time";
const J_DATE_TIME: &str = "jiff::civil::DateTime";
const J_TIMESTAMP: &str = "jiff::Timestamp";
const J_OFFSET: &str = "jiff::tz::Offset";
const J_DURATION: &str = "jiff::SignedDuration";

/// A `jiff` component (never negative in a valid civil value) as a `u8`.
fn small(v: i8) -> u8 {
    u8::try_from(v).unwrap_or(0)
}

impl From<civil::Date> for Date {
    /// The same day, without zone.
    fn from(d: civil::Date) -> Self {
        convert::date(d.year().into(), small(d.month()), small(d.day()))
    }
}

impl TryFrom<Date> for civil::Date {
    type Error = ConversionError;

    /// Fails for a date with a zone and outside `jiff`'s years.
    fn try_from(d: Date) -> Result<Self, ConversionError> {
        no_zone(d.tz, DATE, J_DATE)?;
        j_date(d, DATE, J_DATE)
    }
}

fn j_date(d: Date, from: &'static str, to: &'static str) -> Result<civil::Date, ConversionError> {
    let year = i16::try_from(d.year).map_err(|_| range(from, to, d))?;
    let (month, day) = (d.month as i8, d.day as i8); // 1..=12 and 1..=31 fit an i8
    civil::Date::new(year, month, day).map_err(|_| range(from, to, d))
}

impl From<civil::Time> for Time {
    /// The same time, without zone.
    fn from(t: civil::Time) -> Self {
        let (h, m, s) = (small(t.hour()), small(t.minute()), small(t.second()));
        convert::time(h, m, s, t.subsec_nanosecond().unsigned_abs())
    }
}

impl TryFrom<Time> for civil::Time {
    type Error = ConversionError;

    /// Fails for a time with a zone and for `24:00:00`.
    fn try_from(t: Time) -> Result<Self, ConversionError> {
        no_zone(t.tz, TIME, J_TIME)?;
        not_end_of_day(&t, J_TIME)?;
        j_time(t)
    }
}

fn j_time(t: Time) -> Result<civil::Time, ConversionError> {
    // Hours 0..=24, minutes and seconds 0..=59 fit an i8; nanos < 10⁹ an i32.
    let (h, m, s) = (t.hour as i8, t.minute as i8, t.second as i8);
    let nanos = i32::try_from(t.nanos).map_err(|_| range(TIME, J_TIME, t))?;
    civil::Time::new(h, m, s, nanos).map_err(|_| range(TIME, J_TIME, t))
}

fn civil(v: &DateTime, to: &'static str) -> Result<civil::DateTime, ConversionError> {
    let (date, time) = normalized(v, to)?;
    let date = j_date(date, DATE_TIME, to)?;
    Ok(civil::DateTime::from_parts(date, j_time(time)?))
}

impl From<civil::DateTime> for DateTime {
    /// The same date and time, without zone.
    fn from(v: civil::DateTime) -> Self {
        convert::date_time(v.date().into(), v.time().into())
    }
}

impl TryFrom<DateTime> for civil::DateTime {
    type Error = ConversionError;

    /// Fails for a value with a zone and outside `jiff`'s years; `T24:00:00` becomes the next
    /// day's midnight.
    fn try_from(v: DateTime) -> Result<Self, ConversionError> {
        no_zone(v.tz, DATE_TIME, J_DATE_TIME)?;
        civil(&v, J_DATE_TIME)
    }
}

impl From<Timestamp> for DateTime {
    /// The UTC date and time of the instant, with the zone `Z`.
    fn from(ts: Timestamp) -> Self {
        DateTime::from(Offset::UTC.to_datetime(ts)).with_tz(TimeZone::UTC)
    }
}

impl TryFrom<DateTime> for Timestamp {
    type Error = ConversionError;

    /// The instant; fails for a value without zone (it is no instant) and out of `jiff`'s
    /// range.
    fn try_from(v: DateTime) -> Result<Self, ConversionError> {
        let offset = Offset::from(needs_zone(v.tz, J_TIMESTAMP)?);
        let local = civil(&v, J_TIMESTAMP)?;
        offset
            .to_timestamp(local)
            .map_err(|_| range(DATE_TIME, J_TIMESTAMP, v))
    }
}

impl TryFrom<Offset> for TimeZone {
    type Error = ConversionError;

    /// A numeric zone (`+00:00` for 0); fails for an offset that is not whole minutes or is
    /// beyond ±14:00.
    fn try_from(o: Offset) -> Result<Self, ConversionError> {
        convert::zone(J_OFFSET, o.seconds())
    }
}

impl From<TimeZone> for Offset {
    /// The same offset (`Z` is 0).
    fn from(z: TimeZone) -> Self {
        // Within ±14:00, inside Offset's ±25:59:59.
        Offset::from_seconds(i32::from(z.minutes) * 60).unwrap_or(Offset::UTC)
    }
}

impl From<SignedDuration> for Duration {
    /// The same length in days, hours, minutes and seconds (a day being 86 400 s in XSD),
    /// negative when the duration is.
    fn from(d: SignedDuration) -> Self {
        from_signed_parts(d.as_secs(), d.subsec_nanos())
    }
}

impl TryFrom<Duration> for SignedDuration {
    type Error = ConversionError;

    /// Fails for years or months (no fixed length) and beyond `i64` seconds.
    fn try_from(d: Duration) -> Result<Self, ConversionError> {
        let (secs, nanos) = signed_parts(&d, J_DURATION)?;
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
    fn civil_round_trips() {
        for s in ["2000-02-29", "0000-01-01", "-9999-01-01", "9999-12-31"] {
            let d: Date = s.parse().unwrap();
            assert_eq!(civil::Date::try_from(d).map(Date::from), Ok(d), "{s}");
        }
        for s in ["00:00:00", "23:59:59.999999999", "12:30:00.25"] {
            let t: Time = s.parse().unwrap();
            assert_eq!(civil::Time::try_from(t).map(Time::from), Ok(t), "{s}");
        }
        let v = dt("1999-12-31T23:59:59.000001");
        assert_eq!(civil::DateTime::try_from(v).map(DateTime::from), Ok(v));
        let end = civil::DateTime::try_from(dt("1999-12-31T24:00:00")).map(DateTime::from);
        assert_eq!(end, Ok(dt("2000-01-01T00:00:00")));
    }

    #[test]
    fn refusals() {
        let e = civil::Date::try_from("-10000-01-01".parse::<Date>().unwrap()).unwrap_err();
        assert!(
            e.to_string().contains("outside jiff::civil::Date's range"),
            "{e}"
        );
        assert!(civil::Date::try_from("2000-01-01Z".parse::<Date>().unwrap()).is_err());
        assert!(civil::Time::try_from("24:00:00".parse::<Time>().unwrap()).is_err());
        assert!(civil::DateTime::try_from(dt("2000-01-01T00:00:00-05:00")).is_err());
        let e = Timestamp::try_from(dt("2000-01-01T00:00:00")).unwrap_err();
        assert!(e.reason.contains("no zone"), "{e}");
        assert!(Timestamp::try_from(dt("9999-12-31T24:00:00Z")).is_err());
        assert!(TimeZone::try_from(Offset::from_seconds(61).unwrap()).is_err());
        assert!(TimeZone::try_from(Offset::from_seconds(-50_400 - 60).unwrap()).is_err());
    }

    #[test]
    fn timestamps() {
        let v = dt("2026-11-24T20:56:46.418574-01:30");
        let ts = Timestamp::try_from(v).unwrap();
        assert_eq!(ts.as_second(), 1_795_559_206);
        assert_eq!(DateTime::from(ts), dt("2026-11-24T22:26:46.418574Z"));
        let z = dt("1970-01-01T00:00:00Z");
        assert_eq!(Timestamp::try_from(z), Ok(Timestamp::UNIX_EPOCH));
        assert_eq!(DateTime::from(Timestamp::UNIX_EPOCH), z);
        let o = TimeZone::offset(330).unwrap();
        assert_eq!(TimeZone::try_from(Offset::from(o)), Ok(o));
    }

    #[test]
    fn durations() {
        for s in ["PT0S", "P1DT2H3M4.5S", "-PT0.000000001S"] {
            let d: Duration = s.parse().unwrap();
            let j = SignedDuration::try_from(d).map(Duration::from);
            assert_eq!(j.map(|d| d.to_string()).as_deref(), Ok(s));
        }
        let d: Duration = "P1M".parse().unwrap();
        assert!(SignedDuration::try_from(d).is_err());
        for j in [SignedDuration::MIN, SignedDuration::MAX] {
            assert_eq!(SignedDuration::try_from(Duration::from(j)), Ok(j));
        }
    }
}
