//! Conversions to and from the `chrono` crate (feature `chrono`).
//!
//! Values without zone map to `chrono`'s naive types, values with one to
//! `chrono::DateTime<FixedOffset>` (a numeric zone, `+00:00` for offset 0) or
//! `chrono::DateTime<Utc>` (written `Z`). A zone is never dropped silently: converting a
//! zoned value to a naive type fails (drop it first with `with_tz(None)`). `24:00:00` is the
//! next day's midnight in a date-time and has no `NaiveTime`; a leap second has no XSD value.

use chrono::{
    Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc,
};

use super::convert::{
    self, DATE, DATE_TIME, DURATION, TIME, from_signed_parts, needs_zone, no_zone, normalized,
    not_end_of_day, range, signed_parts,
};
use super::{ConversionError, Date, DateTime, Duration, Time, TimeZone};

const NAIVE_DATE: &str = "chrono::NaiveDate";
const NAIVE_TIME: &str = "chrono::NaiveTime";
const NAIVE_DATE_TIME: &str = "chrono::NaiveDateTime";
const FIXED_DATE_TIME: &str = "chrono::DateTime<FixedOffset>";
const UTC_DATE_TIME: &str = "chrono::DateTime<Utc>";
const FIXED_OFFSET: &str = "chrono::FixedOffset";
const TIME_DELTA: &str = "chrono::TimeDelta";

impl From<NaiveDate> for Date {
    /// The same day, without zone (every `NaiveDate` year fits).
    fn from(d: NaiveDate) -> Self {
        // Month 1..=12 and day 1..=31 fit a u8.
        convert::date(d.year(), d.month() as u8, d.day() as u8)
    }
}

impl TryFrom<Date> for NaiveDate {
    type Error = ConversionError;

    /// Fails for a date with a zone and outside `NaiveDate`'s years (about ±262 000).
    fn try_from(d: Date) -> Result<Self, ConversionError> {
        no_zone(d.tz, DATE, NAIVE_DATE)?;
        let (month, day) = (u32::from(d.month), u32::from(d.day));
        NaiveDate::from_ymd_opt(d.year, month, day).ok_or_else(|| range(DATE, NAIVE_DATE, d))
    }
}

impl TryFrom<NaiveTime> for Time {
    type Error = ConversionError;

    /// The same time without zone; fails for a leap second.
    fn try_from(t: NaiveTime) -> Result<Self, ConversionError> {
        let (h, m, s, n) = (t.hour(), t.minute(), t.second(), t.nanosecond());
        time_no_leap(NAIVE_TIME, h, m, s, n)
    }
}

impl TryFrom<Time> for NaiveTime {
    type Error = ConversionError;

    /// Fails for a time with a zone and for `24:00:00`.
    fn try_from(t: Time) -> Result<Self, ConversionError> {
        no_zone(t.tz, TIME, NAIVE_TIME)?;
        not_end_of_day(&t, NAIVE_TIME)?;
        naive_time(t)
    }
}

/// A time from another crate, refusing a leap second (`nanos` of 10⁹ or more, which
/// `chrono` uses for `23:59:60`).
fn time_no_leap(
    from: &'static str,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
) -> Result<Time, ConversionError> {
    if nanos >= 1_000_000_000 {
        let why = "a leap second (second 60) has no xs:time";
        return Err(ConversionError::new(from, TIME, why));
    }
    let small = |v: u32| u8::try_from(v).unwrap_or(u8::MAX);
    Ok(convert::time(
        small(hour),
        small(minute),
        small(second),
        nanos,
    ))
}

fn naive_time(t: Time) -> Result<NaiveTime, ConversionError> {
    let (h, m, s) = (t.hour.into(), t.minute.into(), t.second.into());
    NaiveTime::from_hms_nano_opt(h, m, s, t.nanos).ok_or_else(|| range(TIME, NAIVE_TIME, t))
}

fn naive(v: &DateTime, to: &'static str) -> Result<NaiveDateTime, ConversionError> {
    let (date, time) = normalized(v, to)?;
    let date = NaiveDate::from_ymd_opt(date.year, date.month.into(), date.day.into());
    let date = date.ok_or_else(|| range(DATE_TIME, to, v))?;
    Ok(NaiveDateTime::new(date, naive_time(time)?))
}

impl TryFrom<NaiveDateTime> for DateTime {
    type Error = ConversionError;

    /// The same date and time without zone; fails for a leap second.
    fn try_from(v: NaiveDateTime) -> Result<Self, ConversionError> {
        let time = Time::try_from(v.time())
            .map_err(|e| ConversionError::new(NAIVE_DATE_TIME, DATE_TIME, e.reason))?;
        Ok(convert::date_time(v.date().into(), time))
    }
}

impl TryFrom<DateTime> for NaiveDateTime {
    type Error = ConversionError;

    /// Fails for a value with a zone and outside `NaiveDateTime`'s years; `T24:00:00` becomes
    /// the next day's midnight.
    fn try_from(v: DateTime) -> Result<Self, ConversionError> {
        no_zone(v.tz, DATE_TIME, NAIVE_DATE_TIME)?;
        naive(&v, NAIVE_DATE_TIME)
    }
}

impl TryFrom<chrono::DateTime<FixedOffset>> for DateTime {
    type Error = ConversionError;

    /// The local date and time with a numeric zone; fails for a leap second and for an
    /// offset that is not whole minutes or beyond ±14:00.
    fn try_from(v: chrono::DateTime<FixedOffset>) -> Result<Self, ConversionError> {
        let tz = TimeZone::try_from(*v.offset())
            .map_err(|e| ConversionError::new(FIXED_DATE_TIME, DATE_TIME, e.reason))?;
        let local = DateTime::try_from(v.naive_local())
            .map_err(|e| ConversionError::new(FIXED_DATE_TIME, DATE_TIME, e.reason))?;
        Ok(local.with_tz(tz))
    }
}

impl TryFrom<DateTime> for chrono::DateTime<FixedOffset> {
    type Error = ConversionError;

    /// Fails for a value without zone (it is no instant) and out of `chrono`'s range.
    fn try_from(v: DateTime) -> Result<Self, ConversionError> {
        let offset = FixedOffset::from(needs_zone(v.tz, FIXED_DATE_TIME)?);
        let local = naive(&v, FIXED_DATE_TIME)?;
        let utc = local.checked_sub_offset(offset);
        let utc = utc.ok_or_else(|| range(DATE_TIME, FIXED_DATE_TIME, v))?;
        Ok(Self::from_naive_utc_and_offset(utc, offset))
    }
}

impl TryFrom<chrono::DateTime<Utc>> for DateTime {
    type Error = ConversionError;

    /// The UTC date and time with the zone `Z`; fails for a leap second.
    fn try_from(v: chrono::DateTime<Utc>) -> Result<Self, ConversionError> {
        let local = DateTime::try_from(v.naive_utc())
            .map_err(|e| ConversionError::new(UTC_DATE_TIME, DATE_TIME, e.reason))?;
        Ok(local.with_tz(TimeZone::UTC))
    }
}

impl TryFrom<DateTime> for chrono::DateTime<Utc> {
    type Error = ConversionError;

    /// The same instant in UTC; fails for a value without zone and out of `chrono`'s range.
    fn try_from(v: DateTime) -> Result<Self, ConversionError> {
        needs_zone(v.tz, UTC_DATE_TIME)?;
        let fixed = chrono::DateTime::<FixedOffset>::try_from(v)
            .map_err(|e| ConversionError::new(DATE_TIME, UTC_DATE_TIME, e.reason))?;
        Ok(fixed.to_utc())
    }
}

impl TryFrom<FixedOffset> for TimeZone {
    type Error = ConversionError;

    /// A numeric zone (`+00:00` for 0); fails for an offset that is not whole minutes or is
    /// beyond ±14:00.
    fn try_from(o: FixedOffset) -> Result<Self, ConversionError> {
        convert::zone(FIXED_OFFSET, o.local_minus_utc())
    }
}

impl From<TimeZone> for FixedOffset {
    /// The same offset (`Z` is 0).
    fn from(z: TimeZone) -> Self {
        let secs = i32::from(z.minutes) * 60;
        // Within ±14:00, far inside FixedOffset's ±24:00.
        FixedOffset::east_opt(secs).unwrap_or(chrono::Offset::fix(&Utc))
    }
}

impl From<TimeDelta> for Duration {
    /// The same length in days, hours, minutes and seconds (a day being 86 400 s in XSD),
    /// negative when the delta is.
    fn from(d: TimeDelta) -> Self {
        from_signed_parts(d.num_seconds(), d.subsec_nanos())
    }
}

impl TryFrom<Duration> for TimeDelta {
    type Error = ConversionError;

    /// Fails for years or months (no fixed length) and beyond `TimeDelta`'s range.
    fn try_from(d: Duration) -> Result<Self, ConversionError> {
        let (secs, nanos) = signed_parts(&d, TIME_DELTA)?;
        let whole = TimeDelta::try_seconds(secs).ok_or_else(|| range(DURATION, TIME_DELTA, d))?;
        whole
            .checked_add(&TimeDelta::nanoseconds(nanos.into()))
            .ok_or_else(|| range(DURATION, TIME_DELTA, d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> DateTime {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn naive_round_trips() {
        for s in ["2000-02-29", "0000-01-01", "-0044-03-15", "262142-12-31"] {
            let d: Date = s.parse().unwrap();
            let n = NaiveDate::try_from(d).unwrap();
            assert_eq!(Date::from(n), d, "{s}");
        }
        for s in ["00:00:00", "23:59:59.999999999", "12:30:00.5"] {
            let t: Time = s.parse().unwrap();
            assert_eq!(Time::try_from(NaiveTime::try_from(t).unwrap()), Ok(t));
        }
        let v = dt("1999-12-31T23:59:59.000001");
        let n = NaiveDateTime::try_from(v).unwrap();
        assert_eq!(
            DateTime::try_from(n).map(|v| v.to_string()).unwrap(),
            v.to_string()
        );
        let end = NaiveDateTime::try_from(dt("1999-12-31T24:00:00")).unwrap();
        assert_eq!(end.to_string(), "2000-01-01 00:00:00");
    }

    #[test]
    fn naive_refusals() {
        let e = NaiveDate::try_from("262144-01-01".parse::<Date>().unwrap()).unwrap_err();
        assert!(
            e.to_string().contains("outside chrono::NaiveDate's range"),
            "{e}"
        );
        let e = NaiveDate::try_from("2000-01-01Z".parse::<Date>().unwrap()).unwrap_err();
        assert!(e.to_string().contains("with_tz(None)"), "{e}");
        assert!(NaiveTime::try_from("24:00:00".parse::<Time>().unwrap()).is_err());
        assert!(NaiveDateTime::try_from(dt("2000-01-01T00:00:00+01:00")).is_err());
        let leap = NaiveTime::from_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap();
        let e = Time::try_from(leap).unwrap_err();
        assert!(e.reason.contains("leap second"), "{e}");
    }

    #[test]
    fn zoned_round_trips() {
        for s in [
            "2026-11-24T20:56:46.418574-01:30",
            "2000-01-01T00:00:00+00:00",
        ] {
            let v = dt(s);
            let c = chrono::DateTime::<FixedOffset>::try_from(v).unwrap();
            let local = NaiveDateTime::try_from(v.with_tz(None)).unwrap();
            assert_eq!(c.naive_local(), local, "{s}");
            assert_eq!(
                c.offset().local_minus_utc(),
                i32::from(v.tz().unwrap().minutes()) * 60
            );
            assert_eq!(DateTime::try_from(c), Ok(v));
        }
        let v = dt("2000-01-01T01:00:00+01:00");
        let utc = chrono::DateTime::<Utc>::try_from(v).unwrap();
        assert_eq!(
            DateTime::try_from(utc).map(|v| v.to_string()).unwrap(),
            "2000-01-01T00:00:00Z"
        );
        assert!(chrono::DateTime::<FixedOffset>::try_from(dt("2000-01-01T00:00:00")).is_err());
        let odd = FixedOffset::east_opt(30).unwrap();
        assert!(TimeZone::try_from(odd).is_err());
        assert!(TimeZone::try_from(FixedOffset::east_opt(15 * 3600).unwrap()).is_err());
        let z = TimeZone::offset(-840).unwrap();
        assert_eq!(TimeZone::try_from(FixedOffset::from(z)), Ok(z));
    }

    #[test]
    fn deltas() {
        for s in [
            "PT0S",
            "P1DT2H3M4.5S",
            "-PT0.000000001S",
            "-P10675199DT2H48M5.807S",
        ] {
            let d: Duration = s.parse().unwrap();
            let t = TimeDelta::try_from(d).unwrap();
            assert_eq!(Duration::from(t).to_string(), s);
        }
        assert!(TimeDelta::try_from("P1M".parse::<Duration>().unwrap()).is_err());
        assert!(TimeDelta::try_from("P999999999999D".parse::<Duration>().unwrap()).is_err());
        assert_eq!(
            Duration::from(TimeDelta::MIN).to_string(),
            "-P106751991167DT7H12M55.807S"
        );
    }
}
