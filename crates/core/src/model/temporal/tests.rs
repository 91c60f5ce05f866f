//! Parsing, printing and the checked constructors.

use std::fmt;
use std::str::FromStr;

use super::*;
use proptest::prelude::*;

/// Each `|`-separated input must parse and print back as `want` (or as itself).
fn prints<T: FromStr<Err = LexicalError> + fmt::Display>(list: &str, want: Option<&str>) {
    for s in list.split('|') {
        let got = s.parse::<T>().map(|v| v.to_string());
        assert_eq!(got.as_deref(), Ok(want.unwrap_or(s)), "{s:?}");
    }
}

/// Each `|`-separated input must be rejected.
fn rejects<T: FromStr<Err = LexicalError> + fmt::Debug>(list: &str, type_name: &str) {
    for s in list.split('|') {
        let r = s.parse::<T>();
        assert_eq!(
            r.as_ref().err().map(|e| e.type_name),
            Some(type_name),
            "{s:?}: {r:?}"
        );
    }
}

#[test]
fn valid_inputs_print_back_as_given() {
    prints::<Date>(
        "2000-02-29|1999-12-31Z|-0044-03-15+05:30|0000-01-01|12345-06-07-14:00|\
        2026-11-24+00:00|-2147483648-12-31|2147483647-01-01",
        None,
    );
    prints::<Time>(
        "00:00:00|23:59:59.999999999|12:00:00.5Z|24:00:00|24:00:00.000|\
        01:02:03.000100-03:00|10:00:00.000000000+14:00",
        None,
    );
    prints::<DateTime>(
        "2026-11-24T20:56:46.418574|2000-01-01T01:01:01.000100|\
        2000-01-01T24:00:00Z|-2147483648-01-01T00:00:00+14:00|0001-12-31T23:59:59.1-14:00",
        None,
    );
    prints::<Duration>(
        "P1Y2M3DT4H5M6.5S|-P1D|P1DT2H3M4.500000S|PT0S|PT0.000S|-PT0S|PT1M|P1M|\
        P18446744073709551615Y|PT18446744073709551615.999999999S",
        None,
    );
    prints::<TimeZone>("Z|+00:00|-14:00|+05:30|-00:01", None);
}

#[test]
fn inputs_that_print_differently() {
    prints::<Date>(" \t2000-01-01\r\n|2000-01-01", Some("2000-01-01"));
    prints::<Date>("2000-01-01-00:00", Some("2000-01-01+00:00"));
    prints::<Duration>("P0D|PT0H|P0Y0M0DT0H0M0S|\nP0Y\t", Some("PT0S"));
    prints::<Duration>("P0Y1D|P1DT0H0M|P1DT0S| P1D ", Some("P1D"));
    prints::<DateTime>("-0000-01-01T00:00:00", Some("0000-01-01T00:00:00"));
}

#[test]
fn invalid_inputs_are_errors() {
    let long = "9".repeat(400);
    rejects::<Date>(
        &format!(
            "|  |2000-13-01|1900-02-29|2001-02-29|2000-04-31|2000-00-10|\
        2000-01-00|99-01-01|02000-01-01|2000-1-01|2000-01-01+14:01|2000-01-01+15:00|\
        2000-01-01+05:60|2000-01-01T|2000-01-01 Z|２０００-01-01|-2147483649-01-01|2147483648-01-01|\
        {long}-01-01|2000-01-01é|+2000-01-01|2000-01-01+05|2000-01-01+05:00:00"
        ),
        "date",
    );
    rejects::<Time>(
        "25:00:00|24:00:00.1|24:01:00|24:00:01|23:60:00|23:59:60|12:00|12:00:00.|\
        12:00:00,5|1:00:00|12:00:00+5:00|12:00:00z|12:00:00.é|12:00:00.1234567890|12:00:00Z+01:00",
        "time",
    );
    rejects::<DateTime>(
        "2000-01-01|2000-01-01 12:00:00|2000-01-01T25:00:00|2000-02-30T00:00:00|\
        2000-01-01T00:00:00ZZ|2000-01-01t00:00:00|T00:00:00",
        "dateTime",
    );
    rejects::<Duration>(
        &format!(
            "|P|PT|-P|P1DT|P1S|PT1D|P1M1Y|P1Y1Y|PT1.5M|P1.5D|PT.5S|PT1.S|1D|\
        P-1D|PT1S1M|pT1S|P1DT1HT|PT1.0000000001S|P{long}D|P18446744073709551616Y|Pé|P1D2|P T1S|--P1D"
        ),
        "duration",
    );
    rejects::<TimeZone>("|z|+14:01|-14:30|+1:00|UTC|+0500", "timezone");
    let reason = "12:00:00.1234567890"
        .parse::<Time>()
        .err()
        .map(|e| e.reason);
    assert!(reason.is_some_and(|r| r.contains("more than 9")));
}

#[test]
fn constructors() {
    assert!(Date::new(2000, 2, 29).is_ok() && Date::new(1900, 2, 29).is_err());
    let t = Time::new(1, 2, 3, 100_000).map(|t| t.to_string());
    assert_eq!(t.as_deref(), Ok("01:02:03.0001"));
    assert!(Time::new(24, 0, 0, 1).is_err() && Time::new(24, 0, 0, 0).is_ok());
    assert!(Time::with_fraction(1, 2, 3, 5, 3).is_err());
    assert!(Time::with_fraction(1, 2, 3, 0, 10).is_err());
    let t = Time::with_fraction(1, 2, 3, 500_000_000, 3).map(|t| t.with_tz(TimeZone::UTC));
    assert_eq!(t.map(|t| t.to_string()).as_deref(), Ok("01:02:03.500Z"));
    let d = Date::new(2026, 11, 24).map(|d| d.with_tz(off(-90)));
    let dt = d.and_then(|d| DateTime::new(d, Time::new(20, 56, 46, 0)?));
    assert_eq!(
        dt.map(|v| v.to_string()).as_deref(),
        Ok("2026-11-24T20:56:46-01:30")
    );
    let (d, t) = (Date::new(1, 1, 1), Time::new(0, 0, 0, 0));
    let clash = d.and_then(|d| DateTime::new(d.with_tz(TimeZone::UTC), t?.with_tz(off(0))));
    assert!(clash.is_err());
    assert!(TimeZone::offset(841).is_err() && TimeZone::offset(-840).is_ok());
    assert_eq!(TimeZone::UTC.minutes() + off(-90).minutes(), -90);
    assert!(Duration::default().is_zero() && Duration::default().to_string() == "PT0S");
}

#[test]
fn date_constructor_rejects() {
    for (y, m, d) in [
        (2001, 2, 29),
        (1900, 2, 29),
        (-1, 2, 29),
        (2000, 2, 30),
        (2000, 4, 31),
        (2000, 13, 1),
        (2000, 0, 1),
        (2000, 1, 0),
        (2000, 1, 32),
        (2000, 255, 255),
    ] {
        let r = Date::new(y, m, d);
        assert_eq!(r.map_err(|e| e.type_name), Err("date"), "{y}-{m}-{d}");
    }
    for (y, m, d) in [(2000, 2, 29), (0, 2, 29), (-4, 2, 29), (i32::MIN, 12, 31)] {
        assert!(Date::new(y, m, d).is_ok(), "{y}-{m}-{d}");
    }
    let d = Date::new(-44, 3, 15).map(|d| d.with_tz(off(330)));
    let parts = d.map(|d| (d.year(), d.month(), d.day(), d.tz()));
    assert_eq!(parts, Ok((-44, 3, 15, Some(off(330)))));
}

#[test]
fn time_constructor_rejects() {
    for (h, m, s, n) in [
        (24, 0, 1, 0),
        (24, 1, 0, 0),
        (24, 0, 0, 1),
        (25, 0, 0, 0),
        (23, 60, 0, 0),
        (23, 59, 60, 0),
        (0, 0, 0, 1_000_000_000),
        (0, 0, 0, u32::MAX),
    ] {
        let r = Time::new(h, m, s, n);
        assert_eq!(r.map_err(|e| e.type_name), Err("time"), "{h}:{m}:{s}.{n}");
    }
    assert!(Time::with_fraction(0, 0, 0, 0, 10).is_err());
    assert!(Time::with_fraction(0, 0, 0, 123_456_789, 8).is_err());
    assert!(Time::with_fraction(0, 0, 0, 120_000_000, 2).is_ok());
    let t = Time::with_fraction(23, 59, 59, 999_000_000, 6).map(|t| t.with_tz(TimeZone::UTC));
    let parts = t.map(|t| {
        let hms = (t.hour(), t.minute(), t.second());
        (hms, t.nanos(), t.frac_digits(), t.tz())
    });
    assert_eq!(
        parts,
        Ok(((23, 59, 59), 999_000_000, 6, Some(TimeZone::UTC)))
    );
    let end = Time::new(24, 0, 0, 0);
    assert!(end.is_ok_and(|t| t.is_end_of_day() && t.to_string() == "24:00:00"));
}

#[test]
fn zone_constructor_rejects() {
    for m in [841, -841, 854, i16::MAX, i16::MIN] {
        assert_eq!(
            TimeZone::offset(m).map_err(|e| e.type_name),
            Err("timezone")
        );
    }
    for m in [840, -840, 0, -1] {
        assert_eq!(TimeZone::offset(m).map(TimeZone::minutes), Ok(m));
    }
    assert!(TimeZone::UTC.is_z() && !off(0).is_z());
    assert_eq!(
        (TimeZone::UTC.to_string(), off(0).to_string()),
        ("Z".into(), "+00:00".into())
    );
}

#[test]
fn date_time_constructor() {
    let (d, t) = (Date::new(2000, 12, 31), Time::new(24, 0, 0, 0));
    let dt = d.and_then(|d| DateTime::new(d, t?.with_tz(off(60))));
    let parts = dt
        .as_ref()
        .map(|v| (v.date().tz(), v.time().tz(), v.tz(), v.to_string()));
    let want = (
        None,
        None,
        Some(off(60)),
        "2000-12-31T24:00:00+01:00".to_string(),
    );
    assert_eq!(parts.ok(), Some(want));
    // The end of the day is the next day's midnight.
    let next = dt.ok().and_then(|v| v.normalized());
    let next = next.map(|(d, t)| format!("{d}T{t}"));
    assert_eq!(next.as_deref(), Some("2001-01-01T00:00:00"));
    let last = Date::new(i32::MAX, 12, 31).and_then(|d| DateTime::new(d, Time::new(24, 0, 0, 0)?));
    assert!(last.is_ok_and(|v| v.normalized().is_none()));
    let v = "2000-01-01T00:00:00Z"
        .parse::<DateTime>()
        .map(|v| v.with_tz(None));
    assert_eq!(
        v.map(|v| v.to_string()).as_deref(),
        Ok("2000-01-01T00:00:00")
    );
}

#[test]
fn duration_constructors() {
    let d = Duration::ZERO.with_days(1).with_hours(2).with_seconds(3);
    assert_eq!(d.to_string(), "P1DT2H3S");
    for (n, fd) in [(1_000_000_000, 9), (u32::MAX, 9), (0, 10), (5, 8), (123, 6)] {
        assert_eq!(
            d.with_fraction(n, fd).map_err(|e| e.type_name),
            Err("duration")
        );
    }
    assert!(d.with_nanos(1_000_000_000).is_err());
    let d = d.with_negative(true).with_fraction(500_000_000, 3);
    assert_eq!(d.map(|d| d.to_string()).as_deref(), Ok("-P1DT2H3.500S"));
    let d = Duration::ZERO
        .with_nanos(1_000)
        .map(|d| (d.nanos(), d.frac_digits()));
    assert_eq!(d, Ok((1_000, 6)));
    let z = Duration::ZERO.with_negative(true);
    assert!(z.is_zero() && z.is_negative() && z.to_string() == "-PT0S");
    let all = Duration::ZERO.with_years(1).with_months(2).with_minutes(5);
    let got = (
        all.years(),
        all.months(),
        all.days(),
        all.hours(),
        all.minutes(),
        all.seconds(),
    );
    assert_eq!(got, (1, 2, 0, 0, 5, 0));
}

#[test]
fn std_duration() {
    let d = Duration::from(std::time::Duration::new(90_061, 5_000));
    assert_eq!(d.to_string(), "P1DT1H1M1.000005S");
    assert_eq!(
        std::time::Duration::try_from(d),
        Ok(std::time::Duration::new(90_061, 5_000))
    );
    let max = std::time::Duration::MAX;
    assert_eq!(std::time::Duration::try_from(Duration::from(max)), Ok(max));
    let bad = |s: &str| s.parse::<Duration>().map(std::time::Duration::try_from);
    assert!(bad("-PT1S").is_ok_and(|r| r.is_err()));
    assert!(bad("P1M").is_ok_and(|r| r.is_err()));
    assert!(bad("P1Y").is_ok_and(|r| r.is_err()));
    assert!(bad("PT18446744073709551615M").is_ok_and(|r| r.is_err()));
    assert!(bad("-PT0S").is_ok_and(|r| r == Ok(std::time::Duration::ZERO)));
    let e = bad("P1M").ok().and_then(|r| r.err()).map(|e| e.to_string());
    let want = "cannot convert rpclib Duration to std::time::Duration: years and months have no fixed length";
    assert_eq!(e.as_deref(), Some(want));
}

/// A numeric zone known to be valid.
fn off(minutes: i16) -> TimeZone {
    TimeZone::offset(minutes).unwrap_or(TimeZone::UTC)
}

fn tz() -> impl Strategy<Value = Option<TimeZone>> {
    let offset = (-840i16..=840).prop_map(|m| TimeZone::offset(m).ok());
    prop_oneof![Just(None), Just(Some(TimeZone::UTC)), offset]
}

fn frac() -> impl Strategy<Value = (u32, u8)> {
    (0u8..=9, any::<u32>()).prop_map(|(fd, r)| {
        (
            (r % 10u32.pow(fd.into())) * 10u32.pow(9 - u32::from(fd)),
            fd,
        )
    })
}

fn date() -> impl Strategy<Value = Date> {
    let year = prop_oneof![-9999i32..=99999, any::<i32>()];
    (year, 1u8..=12, 1u8..=31, tz()).prop_filter_map("valid date", |(y, m, d, tz)| {
        Date::new(y, m, d.min(days_in_month(y, m)))
            .ok()
            .map(|d| d.with_tz(tz))
    })
}

fn time() -> impl Strategy<Value = Time> {
    let hour = prop_oneof![9 => 0u8..24, 1 => Just(24)];
    (hour, 0u8..60, 0u8..60, frac(), tz()).prop_filter_map(
        "valid time",
        |(h, m, s, (n, fd), tz)| {
            let (m, s, n) = if h == 24 { (0, 0, 0) } else { (m, s, n) };
            Time::with_fraction(h, m, s, n, fd)
                .ok()
                .map(|t| t.with_tz(tz))
        },
    )
}

fn duration() -> impl Strategy<Value = Duration> {
    let v = || prop_oneof![Just(0u64), 0u64..100, any::<u64>()];
    (any::<bool>(), [v(), v(), v(), v(), v(), v()], frac()).prop_filter_map(
        "valid fraction",
        |(negative, v, (nanos, fd))| {
            let [years, months, days, hours, minutes, seconds] = v;
            let d = Duration::ZERO
                .with_negative(negative)
                .with_years(years)
                .with_months(months)
                .with_days(days)
                .with_hours(hours)
                .with_minutes(minutes)
                .with_seconds(seconds);
            d.with_fraction(nanos, fd).ok()
        },
    )
}

fn round_trip<T>(v: T, eq: bool) -> Result<(), TestCaseError>
where
    T: FromStr<Err = LexicalError> + fmt::Display + PartialEq + fmt::Debug,
{
    let s = v.to_string();
    let back: T = s
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{s:?}: {e:?}")))?;
    if eq {
        prop_assert_eq!(&back, &v);
    }
    prop_assert_eq!(back.to_string(), s);
    Ok(())
}

proptest! {
    #[test]
    fn date_round_trip(d in date()) { round_trip(d, true)?; }

    #[test]
    fn time_round_trip(t in time()) { round_trip(t, true)?; }

    #[test]
    fn date_time_round_trip(d in date(), t in time(), z in tz()) {
        let v = DateTime::new(d.with_tz(None), t.with_tz(z));
        let v = v.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!((v.date(), v.tz()), (d.with_tz(None), z));
        round_trip(v, true)?;
    }

    #[test]
    fn duration_round_trip(d in duration()) {
        // A zero `-PT0S`/`PT0S` with frac_digits 0 is the only non-injective print; it
        // still parses back equal because an absent seconds component is 0 with 0 digits.
        round_trip(d, true)?;
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,40}", t in "[-+0-9PTYMDHSZ.: ]{0,30}") {
        for x in [&s, &t] {
            if let Ok(v) = x.parse::<Duration>() { round_trip(v, false)?; }
            if let Ok(v) = x.parse::<DateTime>() { round_trip(v, false)?; }
            if let Ok(v) = x.parse::<Date>() { round_trip(v, false)?; }
            if let Ok(v) = x.parse::<Time>() { round_trip(v, false)?; }
            if let Ok(v) = x.parse::<TimeZone>() { round_trip(v, true)?; }
        }
    }
}
