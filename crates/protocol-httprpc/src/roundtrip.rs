//! Property tests: a value of every model type a form carries, written as form keys (from
//! core's reference value tree), percent-encoded, read back through the form reader: the
//! same value.

use std::cell::Cell;
use std::fmt::Write as _;

use proptest::prelude::*;
use rpclib_core::model::value::{Value, to_value};
use rpclib_core::model::{
    AnyXml, BigInt, ByteArray, Date, DateTime, Decimal, Duration, HexBinary, Lexical, Model, Time,
};
use rpclib_core::{ComplexModel, SimpleEnum};

use crate::form::Pairs;
use crate::limits::Limits;
use crate::read::FormReader;
use crate::urlencoded;

#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:p")]
enum Colour {
    Red,
    #[model(name = "dark-blue")]
    DarkBlue,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:p")]
struct Inner {
    label: String,
    n: Option<i64>,
    flags: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:p")]
struct All {
    flag: bool,
    tiny: i8,
    short: u16,
    int: i32,
    long: i64,
    ulong: u64,
    double: f64,
    single: f32,
    dec: Decimal,
    text: String,
    maybe: Option<String>,
    bytes: ByteArray,
    hex: HexBinary,
    day: Date,
    stamp: DateTime,
    clock: Time,
    span: Duration,
    huge: BigInt,
    xml: AnyXml,
    colour: Colour,
    texts: Vec<String>,
    #[model(unwrapped)]
    loose: Vec<u32>,
    inner: Inner,
    inners: Vec<Inner>,
    grid: Vec<Vec<i16>>,
}

/// Writes `value` at `key` as form pairs: fields as `key.name`, items as `key[i]` (simple
/// items alternate with repeated keys, which a form may use too).
fn flatten(key: &str, value: &Value, repeat: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Nil => {}
        Value::Simple(text) | Value::Any(text) => out.push((key.to_owned(), text.clone())),
        Value::Complex(fields) => {
            for (name, v) in fields {
                let k = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                flatten(&k, v, repeat, out);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Simple(text) if repeat => out.push((key.to_owned(), text.clone())),
                    _ => flatten(&format!("{key}[{i}]"), item, repeat, out),
                }
            }
        }
    }
}

/// Percent-encodes everything but unreserved characters (spaces as `%20` or `+`).
fn encode(text: &str, plus: bool) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'~' => out.push(b as char),
            b' ' if plus => out.push('+'),
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

fn read_back<T: Model>(query: &str) -> Result<T, String> {
    let mut pairs = Pairs::new(Limits::default().max_keys(100_000));
    urlencoded::parse_into(&mut pairs, query.as_bytes(), "the query string")
        .map_err(|f| f.string)?;
    let root = pairs.into_root();
    let located = Cell::new(false);
    let mut reader = FormReader::root(&root, &located);
    T::deserialize(&mut reader).map_err(|e| e.to_string())
}

fn lexical<T: Lexical>(text: String) -> T {
    T::parse_lexical(&text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

prop_compose! {
    fn inner()(label in ".{0,8}", n in any::<Option<i64>>(), flags in prop::collection::vec(any::<bool>(), 0..3)) -> Inner {
        Inner { label, n, flags }
    }
}

prop_compose! {
    fn temporal()(y in 1i32..9999, m in 1u32..=12, d in 1u32..=28, h in 0u32..24, mi in 0u32..60,
                  s in 0u32..60, frac in 0u32..1000, tz in -14i32..=14) -> (Date, DateTime) {
        let zone = if tz == 0 { "Z".to_owned() } else { format!("{tz:+03}:00") };
        (
            lexical(format!("{y:04}-{m:02}-{d:02}")),
            lexical(format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{frac:03}{zone}")),
        )
    }
}

prop_compose! {
    fn all()(
        flag in any::<bool>(), tiny in any::<i8>(), short in any::<u16>(), int in any::<i32>(),
        long in any::<i64>(), ulong in any::<u64>(),
        double in any::<f64>().prop_filter("not NaN", |x| !x.is_nan()),
        single in any::<f32>().prop_filter("not NaN", |x| !x.is_nan()),
        (units, cents) in (any::<i64>(), 0u32..100),
        text in any::<String>(), maybe in any::<Option<String>>(),
        bytes in prop::collection::vec(any::<u8>(), 0..16),
        hex in prop::collection::vec(any::<u8>(), 0..8),
        (day, stamp) in temporal(),
        (hh, mm, ss) in (0u32..24, 0u32..60, 0u32..60),
        (days, hours) in (0u32..1000, 0u32..24),
        huge in "-?[1-9][0-9]{0,40}",
        xml_text in "[a-z &<>\"']{0,12}",
        dark in any::<bool>(),
        texts in prop::collection::vec(".{0,4}", 0..4),
        loose in prop::collection::vec(any::<u32>(), 0..4),
        inner in inner(),
        inners in prop::collection::vec(inner(), 0..3),
        // An empty array inside an array has no form (no key would carry it).
        grid in prop::collection::vec(prop::collection::vec(any::<i16>(), 1..3), 0..3),
    ) -> All {
        All {
            flag, tiny, short, int, long, ulong, double, single,
            dec: lexical(format!("{units}.{cents:02}")),
            text, maybe,
            bytes: ByteArray::from(bytes), hex: HexBinary::from(hex),
            day, stamp,
            clock: lexical(format!("{hh:02}:{mm:02}:{ss:02}")),
            span: lexical(format!("P{days}DT{hours}H")),
            huge: lexical(huge),
            xml: AnyXml::new(format!("<a>{}</a>", xml_text.replace('&', "&amp;").replace('<', "&lt;"))),
            colour: if dark { Colour::DarkBlue } else { Colour::Red },
            texts, loose, inner, inners, grid,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_type_round_trips(value in all(), repeat in any::<bool>(), plus in any::<bool>()) {
        let tree = to_value(&value).expect("writes");
        let mut pairs = Vec::new();
        flatten("", &tree, repeat, &mut pairs);
        let query = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k, plus), encode(v, plus)))
            .collect::<Vec<_>>()
            .join("&");
        let back: All = read_back(&query).map_err(|e| TestCaseError::fail(format!("{e}\n{query}")))?;
        prop_assert_eq!(back, value);
    }

    /// Any query string: a value or an error, never a panic.
    #[test]
    fn any_query_reads_or_fails(query in ".{0,200}") {
        let _ = read_back::<All>(&query);
    }
}
