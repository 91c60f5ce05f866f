//! The lexical forms: parsing (`FromStr`) and printing (`Display`) of the temporal types.

use std::fmt;
use std::str::FromStr;

use super::{
    Date, DateTime, Duration, Res, Time, TimeZone, ensure, make_date, make_time, min_frac_digits,
};
use crate::model::LexicalError;

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        self.pos += usize::from(hit);
        hit
    }

    fn expect(&mut self, c: u8, what: &str) -> Res<()> {
        ensure(self.eat(c), || {
            format!("expected '{}' {what}", char::from(c))
        })
    }

    fn digits(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.s.get(start..self.pos).unwrap_or_default()
    }

    fn two(&mut self, what: &str) -> Res<u8> {
        match *self.digits() {
            [a, b] => Ok((a - b'0') * 10 + (b - b'0')),
            _ => Err(format!("{what} must be exactly two digits")),
        }
    }

    fn end(&self) -> Res<()> {
        ensure(self.pos == self.s.len(), || {
            "unexpected characters at the end".into()
        })
    }
}

fn number(digits: &[u8], what: &str) -> Res<u64> {
    let step = |acc: u64, &b: &u8| acc.checked_mul(10)?.checked_add(u64::from(b - b'0'));
    digits
        .iter()
        .try_fold(0, step)
        .ok_or_else(|| format!("{what} is too large"))
}

fn fraction(c: &mut Cursor<'_>) -> Res<(u32, u8)> {
    if !c.eat(b'.') {
        return Ok((0, 0));
    }
    let d = c.digits();
    ensure(!d.is_empty(), || "'.' must be followed by a digit".into())?;
    let n = d.len();
    ensure(n <= 9, || {
        format!("{n} fractional digits; more than 9 are not supported")
    })?;
    let v = d
        .iter()
        .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'));
    Ok((v * 10u32.pow(9 - n as u32), n as u8))
}

fn date_parts(c: &mut Cursor<'_>) -> Res<Date> {
    let negative = c.eat(b'-');
    let d = c.digits();
    ensure(d.len() >= 4, || {
        "year must have at least four digits".into()
    })?;
    let padded = d.len() > 4 && d.first() == Some(&b'0');
    ensure(!padded, || {
        "a year of over four digits must not start with 0".into()
    })?;
    let year = i64::try_from(number(d, "year")?)
        .ok()
        .and_then(|y| i32::try_from(if negative { -y } else { y }).ok())
        .ok_or("year is out of range")?;
    c.expect(b'-', "after the year")?;
    let month = c.two("month")?;
    c.expect(b'-', "after the month")?;
    make_date(year, month, c.two("day")?)
}

fn time_parts(c: &mut Cursor<'_>) -> Res<Time> {
    let hour = c.two("hour")?;
    c.expect(b':', "after the hour")?;
    let minute = c.two("minute")?;
    c.expect(b':', "after the minute")?;
    let second = c.two("second")?;
    let (nanos, frac_digits) = fraction(c)?;
    make_time(hour, minute, second, nanos, frac_digits)
}

/// Parses an optional zone that must end the text.
fn zone(c: &mut Cursor<'_>) -> Res<Option<TimeZone>> {
    let tz = match c.bump() {
        None => None,
        Some(b'Z') => Some(TimeZone::UTC),
        Some(sign @ (b'+' | b'-')) => {
            let h = i16::from(c.two("zone hour")?);
            c.expect(b':', "in the zone")?;
            let m = i16::from(c.two("zone minute")?);
            let total = h * 60 + m;
            let ok = m < 60 && total <= TimeZone::MAX_OFFSET_MINUTES;
            ensure(ok, || "zone must be within -14:00..+14:00".into())?;
            Some(TimeZone {
                minutes: if sign == b'-' { -total } else { total },
                z: false,
            })
        }
        Some(_) => return Err("expected the end, 'Z' or a ±hh:mm zone".into()),
    };
    c.end()?;
    Ok(tz)
}

/// Parses duration components with designators `des` in order until the end or `T`:
/// values, whether any was written, and the seconds' fraction.
fn components(c: &mut Cursor<'_>, des: [u8; 3], frac: bool) -> Res<([u64; 3], bool, u32, u8)> {
    let (mut vals, mut next, mut any, mut nanos, mut fd) = ([0u64; 3], 0, false, 0, 0);
    while !matches!(c.peek(), None | Some(b'T')) {
        let digits = c.digits();
        ensure(!digits.is_empty(), || "expected a number".into())?;
        let v = number(digits, "duration component")?;
        let (n, f) = if frac { fraction(c)? } else { (0, 0) };
        let got = c.bump();
        let slot = (next..3)
            .find(|&i| des.get(i).copied() == got)
            .ok_or("components must be Y, M, D, T, H, M, S in order, each at most once")?;
        ensure(f == 0 || slot == 2, || {
            "only seconds may have a fraction".into()
        })?;
        if let Some(place) = vals.get_mut(slot) {
            *place = v;
        }
        (next, any) = (slot + 1, true);
        if slot == 2 {
            (nanos, fd) = (n, f);
        }
    }
    Ok((vals, any, nanos, fd))
}

fn parse_with<T>(
    type_name: &'static str,
    s: &str,
    f: impl FnOnce(&mut Cursor<'_>) -> Res<T>,
) -> Result<T, LexicalError> {
    let t = s.trim_matches([' ', '\t', '\r', '\n']);
    let mut c = Cursor {
        s: t.as_bytes(),
        pos: 0,
    };
    let r = if t.is_empty() {
        Err("empty value".into())
    } else {
        f(&mut c)
    };
    r.map_err(|r| LexicalError::new(type_name, t, r))
}

fn write_tz(f: &mut fmt::Formatter<'_>, tz: Option<TimeZone>) -> fmt::Result {
    tz.map_or(Ok(()), |z| write!(f, "{z}"))
}

fn write_frac(f: &mut fmt::Formatter<'_>, nanos: u32, frac_digits: u8) -> fmt::Result {
    let nanos = nanos.min(999_999_999);
    let digits = frac_digits.min(9).max(min_frac_digits(nanos));
    if digits == 0 {
        return Ok(());
    }
    let v = nanos / 10u32.pow(9 - u32::from(digits));
    write!(f, ".{v:0width$}", width = usize::from(digits))
}

impl FromStr for TimeZone {
    type Err = LexicalError;
    fn from_str(s: &str) -> Result<Self, LexicalError> {
        parse_with("timezone", s, |c| {
            zone(c)?.ok_or_else(|| "expected a zone".into())
        })
    }
}

impl FromStr for Date {
    type Err = LexicalError;
    fn from_str(s: &str) -> Result<Self, LexicalError> {
        parse_with("date", s, |c| Ok(date_parts(c)?.with_tz(zone(c)?)))
    }
}

impl FromStr for Time {
    type Err = LexicalError;
    fn from_str(s: &str) -> Result<Self, LexicalError> {
        parse_with("time", s, |c| Ok(time_parts(c)?.with_tz(zone(c)?)))
    }
}

impl FromStr for DateTime {
    type Err = LexicalError;
    fn from_str(s: &str) -> Result<Self, LexicalError> {
        parse_with("dateTime", s, |c| {
            let date = date_parts(c)?;
            c.expect(b'T', "between date and time")?;
            let time = time_parts(c)?;
            Ok(Self {
                date,
                time,
                tz: zone(c)?,
            })
        })
    }
}

impl FromStr for Duration {
    type Err = LexicalError;
    fn from_str(s: &str) -> Result<Self, LexicalError> {
        parse_with("duration", s, |c| {
            let mut d = Self {
                negative: c.eat(b'-'),
                ..Self::ZERO
            };
            c.expect(b'P', "to start a duration")?;
            let (date_vals, date_any, _, _) = components(c, *b"YMD", false)?;
            [d.years, d.months, d.days] = date_vals;
            if c.eat(b'T') {
                let (vals, any, nanos, fd) = components(c, *b"HMS", true)?;
                ensure(any, || "'T' must be followed by H, M or S".into())?;
                ([d.hours, d.minutes, d.seconds], d.nanos, d.frac_digits) = (vals, nanos, fd);
            } else {
                ensure(date_any, || {
                    "a duration needs at least one component".into()
                })?;
            }
            c.end()?;
            Ok(d)
        })
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.z {
            return f.write_str("Z");
        }
        let m = self.minutes;
        let (sign, a) = (if m < 0 { '-' } else { '+' }, m.unsigned_abs());
        write!(f, "{sign}{:02}:{:02}", a / 60, a % 60)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sign, y) = (
            if self.year < 0 { "-" } else { "" },
            self.year.unsigned_abs(),
        );
        write!(f, "{sign}{y:04}-{:02}-{:02}", self.month, self.day)?;
        write_tz(f, self.tz)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}:{:02}", self.hour, self.minute, self.second)?;
        write_frac(f, self.nanos, self.frac_digits)?;
        write_tz(f, self.tz)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, time) = (self.date.with_tz(None), self.time.with_tz(self.tz));
        write!(f, "{date}T{time}")
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.negative { "-P" } else { "P" })?;
        let secs = self.seconds > 0 || self.nanos > 0 || self.frac_digits > 0;
        let time = self.hours > 0 || self.minutes > 0 || secs;
        if !time && (self.years | self.months | self.days) == 0 {
            return f.write_str("T0S");
        }
        for (v, d) in [(self.years, 'Y'), (self.months, 'M'), (self.days, 'D')] {
            if v > 0 {
                write!(f, "{v}{d}")?;
            }
        }
        if time {
            f.write_str("T")?;
        }
        for (v, d) in [(self.hours, 'H'), (self.minutes, 'M')] {
            if v > 0 {
                write!(f, "{v}{d}")?;
            }
        }
        if secs {
            write!(f, "{}", self.seconds)?;
            write_frac(f, self.nanos, self.frac_digits)?;
            f.write_str("S")?;
        }
        Ok(())
    }
}
