//! What the conversions to and from `chrono`, `time` and `jiff` share: building values from
//! parts another crate has already checked, and the common refusals.

use super::{
    ConversionError, Date, DateTime, Duration, Time, TimeZone, days_in_month, min_frac_digits,
};

/// Names of this module's types in conversion errors.
pub(super) const DATE: &str = "rpclib Date";
pub(super) const TIME: &str = "rpclib Time";
pub(super) const DATE_TIME: &str = "rpclib DateTime";
pub(super) const TIME_ZONE: &str = "rpclib TimeZone";
pub(super) const DURATION: &str = "rpclib Duration";

/// A date from parts another crate guarantees valid; checked again all the same, an
/// impossible day becoming the last of its month rather than a panic or an invalid value.
pub(super) fn date(year: i32, month: u8, day: u8) -> Date {
    let month = month.clamp(1, 12);
    Date {
        year,
        month,
        day: day.clamp(1, days_in_month(year, month)),
        tz: None,
    }
}

/// A time from parts another crate guarantees valid (`0..=23`, `0..=59`, `0..=59`,
/// `nanos < 10⁹`), printed with the fewest fractional digits that show it; clamped like
/// [`date`].
pub(super) fn time(hour: u8, minute: u8, second: u8, nanos: u32) -> Time {
    let nanos = nanos.min(999_999_999);
    Time {
        hour: hour.min(23),
        minute: minute.min(59),
        second: second.min(59),
        nanos,
        frac_digits: min_frac_digits(nanos),
        tz: None,
    }
}

/// A date and time without zone.
pub(super) fn date_time(date: Date, time: Time) -> DateTime {
    DateTime {
        date,
        time,
        tz: None,
    }
}

/// A numeric zone from an offset in seconds east of UTC: whole minutes within ±14:00.
pub(super) fn zone(from: &'static str, seconds: i32) -> Result<TimeZone, ConversionError> {
    let err = |why: String| ConversionError::new(from, TIME_ZONE, why);
    if seconds % 60 != 0 {
        return Err(err(format!("offset of {seconds} s is not whole minutes")));
    }
    i16::try_from(seconds / 60)
        .ok()
        .and_then(|m| TimeZone::offset(m).ok())
        .ok_or_else(|| err(format!("offset of {seconds} s is beyond ±14:00")))
}

/// Refuses a value with a zone for a target without one.
pub(super) fn no_zone(
    tz: Option<TimeZone>,
    from: &'static str,
    to: &'static str,
) -> Result<(), ConversionError> {
    match tz {
        None => Ok(()),
        Some(z) => Err(ConversionError::new(
            from,
            to,
            format!(
                "the value has the zone {z}, which {to} cannot hold; drop it with with_tz(None) first"
            ),
        )),
    }
}

/// The zone a target that is an instant needs.
pub(super) fn needs_zone(
    tz: Option<TimeZone>,
    to: &'static str,
) -> Result<TimeZone, ConversionError> {
    tz.ok_or_else(|| {
        let why = "the value has no zone, so it is no instant";
        ConversionError::new(DATE_TIME, to, why)
    })
}

/// Refuses `24:00:00` for a time type that has no end of day.
pub(super) fn not_end_of_day(t: &Time, to: &'static str) -> Result<(), ConversionError> {
    if t.is_end_of_day() {
        let why = "24:00:00 (the end of the day) has no equivalent";
        return Err(ConversionError::new(TIME, to, why));
    }
    Ok(())
}

/// The date and time of a value, `T24:00:00` carried into the next day.
pub(super) fn normalized(v: &DateTime, to: &'static str) -> Result<(Date, Time), ConversionError> {
    v.normalized().ok_or_else(|| {
        let why = "24:00:00 of the last representable day has no next day";
        ConversionError::new(DATE_TIME, to, why)
    })
}

/// An out-of-range refusal.
pub(super) fn range(
    from: &'static str,
    to: &'static str,
    what: impl std::fmt::Display,
) -> ConversionError {
    ConversionError::new(from, to, format!("{what} is outside {to}'s range"))
}

/// A duration as whole seconds and nanoseconds of the same sign, for types that hold an
/// `i64` of seconds; an error for years, months or more than `i64` seconds.
pub(super) fn signed_parts(d: &Duration, to: &'static str) -> Result<(i64, i32), ConversionError> {
    if d.years != 0 || d.months != 0 {
        let why = "years and months have no fixed length";
        return Err(ConversionError::new(DURATION, to, why));
    }
    // At most about 1.6e33: far inside i128.
    let n = i128::try_from(d.day_time_nanos()).map_err(|_| range(DURATION, to, d))?;
    let n = if d.negative { -n } else { n };
    let secs = i64::try_from(n / 1_000_000_000).map_err(|_| range(DURATION, to, d))?;
    // |n % 10⁹| < 10⁹ fits an i32.
    let sub = i32::try_from(n % 1_000_000_000).map_err(|_| range(DURATION, to, d))?;
    Ok((secs, sub))
}

/// A duration from whole seconds and nanoseconds of the same sign (as `chrono`, `time` and
/// `jiff` give them).
pub(super) fn from_signed_parts(secs: i64, nanos: i32) -> Duration {
    let negative = secs < 0 || nanos < 0;
    Duration::from_day_time(negative, secs.unsigned_abs(), nanos.unsigned_abs())
}
