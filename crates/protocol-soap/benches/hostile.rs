//! Hostile shapes through [`check_well_formed`], about 1 MiB each, next to the reference: a
//! plain request of the W2 shape (`examples/data/bench/w2-request.xml`, its integer array
//! repeated to the same size). Reading must stay linear in the input: each case should cost at
//! most 3 times the reference per byte. Every case is read twice: with limits high enough that
//! the whole input is read (the cost of the shape itself) and with [`Limits::default`], where
//! the cases beyond a limit (attributes, namespace declarations) must be refused at once.
//!
//! `cargo bench -p rpclib-protocol-soap --bench hostile`; one line per case is printed at the
//! end: `case: X ms, Y.YYx the W2 reference (target <= 3x)`, the ratio being per byte (the
//! cases are cut to the reference's size, give or take one repeated unit).
#![allow(missing_docs, clippy::print_stdout, unreachable_pub)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use rpclib_protocol_soap::{Limits, check_well_formed};

/// The size every document is built to.
const SIZE: usize = 1 << 20;

struct Case {
    name: &'static str,
    doc: Vec<u8>,
    /// Whether the default limits refuse it.
    beyond_defaults: bool,
}

/// `head`, then `unit(i)` for i = 0, 1, ... until the document is `SIZE` long, then `tail`.
fn build(head: &str, unit: impl Fn(usize) -> String, tail: &str) -> Vec<u8> {
    let mut doc = String::with_capacity(SIZE + 1024);
    doc.push_str(head);
    let mut i = 0;
    while doc.len() + tail.len() < SIZE {
        doc.push_str(&unit(i));
        i += 1;
    }
    doc.push_str(tail);
    doc.into_bytes()
}

/// The W2 request with its array items repeated to `SIZE`.
fn reference() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/data/bench/w2-request.xml"
    );
    let w2 = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let open = "<tns:values>";
    let start = w2.find(open).expect("the W2 array") + open.len();
    let end = w2.find("</tns:values>").expect("the W2 array's end");
    let items: Vec<&str> = w2[start..end]
        .split_inclusive("</tns:int>")
        .filter(|s| !s.is_empty())
        .collect();
    build(
        &w2[..start],
        |i| items[i % items.len()].to_owned(),
        &w2[end..],
    )
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "many attributes",
            doc: build("<r", |i| format!(" a{i}=\"v\""), "/>"),
            beyond_defaults: true,
        },
        Case {
            name: "many namespace declarations",
            doc: build(
                "<r",
                |i| format!(" xmlns:p{i}=\"urn:n{i}\""),
                "><p0:a p1:b=\"1\"/></r>",
            ),
            beyond_defaults: true,
        },
        Case {
            name: "deep nesting (runs of depth 100)",
            doc: build(
                "<r xmlns:p=\"urn:p\">",
                |_| format!("{}{}", "<p:a>".repeat(100), "</p:a>".repeat(100)),
                "</r>",
            ),
            beyond_defaults: false,
        },
        Case {
            name: "many sibling elements",
            doc: build("<r>", |_| "<a/>".to_owned(), "</r>"),
            beyond_defaults: false,
        },
        Case {
            name: "many references in text",
            doc: build("<r>", |_| "&amp;&lt;&#60;&#x3C;&quot;".to_owned(), "</r>"),
            beyond_defaults: false,
        },
        Case {
            name: "many references in an attribute",
            doc: build("<r a=\"", |_| "&amp;&#60;&#x3C;".to_owned(), "\"/>"),
            beyond_defaults: false,
        },
        Case {
            name: "brackets in text",
            doc: build("<r>", |_| "]]]]]]]]".to_owned(), "</r>"),
            beyond_defaults: false,
        },
        Case {
            name: "dashes in a comment",
            doc: build("<r><!--", |_| "- - - - ".to_owned(), "--></r>"),
            beyond_defaults: false,
        },
        Case {
            name: "brackets in a CDATA section",
            doc: build("<r><![CDATA[", |_| "]]]]]]]]".to_owned(), "]]></r>"),
            beyond_defaults: false,
        },
    ]
}

/// Limits under which every case is read to its end.
fn unlimited() -> Limits {
    Limits::default()
        .max_input_bytes(usize::MAX)
        .max_attributes(usize::MAX)
        .max_elements(usize::MAX)
        .max_string_bytes(usize::MAX)
        .max_array_items(usize::MAX)
}

/// Time per call: the fastest of several batches, so that other load on a shared machine
/// (which only ever adds time) disturbs the figure as little as possible.
fn per_op(mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < Duration::from_millis(100) {
        black_box(f());
        n += 1;
    }
    let batch = n.clamp(3, 50);
    (0..10)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                black_box(f());
            }
            start.elapsed() / batch
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let reference = reference();
    let cases = cases();
    // Every verdict first: a refusal where a read to the end is expected makes the figures
    // meaningless.
    if let Err(e) = check_well_formed(&reference, Limits::default()) {
        panic!("the W2 reference is refused: {e}");
    }
    for case in &cases {
        if let Err(e) = check_well_formed(&case.doc, unlimited()) {
            panic!("{}: refused with high limits: {e}", case.name);
        }
        let default = check_well_formed(&case.doc, Limits::default());
        assert_eq!(
            default.is_err(),
            case.beyond_defaults,
            "{}: default limits gave {default:?}",
            case.name
        );
    }

    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let mut group = c.benchmark_group("hostile");
    group.bench_function("W2 reference", |b| {
        b.iter(|| check_well_formed(black_box(&reference), Limits::default()).is_ok())
    });
    for case in &cases {
        group.bench_function(format!("{} (high limits)", case.name), |b| {
            b.iter(|| check_well_formed(black_box(&case.doc), unlimited()).is_ok())
        });
        group.bench_function(format!("{} (default limits)", case.name), |b| {
            b.iter(|| check_well_formed(black_box(&case.doc), Limits::default()).is_ok())
        });
    }
    group.finish();
    c.final_summary();

    let per_byte = |d: Duration, len: usize| d.as_secs_f64() / len as f64;
    let t_ref = per_op(|| check_well_formed(&reference, Limits::default()).is_ok());
    let ref_per_byte = per_byte(t_ref, reference.len());
    println!(
        "\nper call, fastest of 10 batches (other load on the machine only adds time); \
         ratios per byte against the W2 reference ({} bytes, {:.2} ms):",
        reference.len(),
        t_ref.as_secs_f64() * 1e3
    );
    for case in &cases {
        for (label, limits) in [
            ("high limits", unlimited()),
            ("default limits", Limits::default()),
        ] {
            let t = per_op(|| check_well_formed(&case.doc, limits).is_ok());
            let ratio = per_byte(t, case.doc.len()) / ref_per_byte;
            let refused = if label == "default limits" && case.beyond_defaults {
                ", refused"
            } else {
                ""
            };
            println!(
                "{} ({label}{refused}): {:.3} ms, {ratio:.2}x the W2 reference (target <= 3x)",
                case.name,
                t.as_secs_f64() * 1e3
            );
        }
    }
}
