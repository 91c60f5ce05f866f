//! W1-W3 of `docs/contracts/bench-service.md`: full SOAP work (parse, dispatch, deserialize,
//! call an echo, serialize) next to the floor (one plain quick-xml `Reader` pass over the
//! request plus writing the expected response bytes into a buffer).
//!
//! `cargo bench -p rpclib-protocol-soap --bench soap`; a ratio table is printed at the end.
#![allow(missing_docs, clippy::print_stdout, unreachable_pub)]

#[path = "../tests/common/bench_service.rs"]
mod bench_service;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::Criterion;
use quick_xml::Reader;
use quick_xml::events::Event;
use rpclib_core::Application;
use rpclib_protocol_soap::Soap11;

struct Workload {
    id: &'static str,
    request: Vec<u8>,
    response: Vec<u8>,
}

fn workloads() -> Vec<Workload> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/data/bench");
    ["w1", "w2", "w3"]
        .into_iter()
        .map(|id| {
            let read = |name: String| {
                std::fs::read(format!("{dir}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
            };
            Workload {
                id,
                request: read(format!("{id}-request.xml")),
                response: read(format!("{id}-response-spyne.xml")),
            }
        })
        .collect()
}

fn app() -> Arc<Application> {
    Application::builder("BenchService", "urn:rpclib:bench")
        .service(bench_service::BenchService)
        .protocol(Soap11::new())
        .build()
        .expect("valid application")
}

fn full(app: &Arc<Application>, request: &[u8]) -> usize {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    assert!(ctx.error().is_none());
    ctx.out_string.iter().map(Vec::len).sum()
}

fn floor(request: &[u8], response: &[u8]) -> usize {
    let mut reader = Reader::from_reader(request);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => {
                black_box(&e);
                events += 1;
            }
        }
    }
    let mut out = Vec::with_capacity(response.len());
    out.extend_from_slice(response);
    events + black_box(out).len()
}

/// Time per call: the fastest of several batches, so that other load on a shared machine
/// (which only ever adds time) disturbs the figure as little as possible.
fn per_op(mut f: impl FnMut() -> usize) -> Duration {
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < Duration::from_millis(100) {
        black_box(f());
        n += 1;
    }
    let batch = n.max(10);
    (0..15)
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
    let app = app();
    let workloads = workloads();
    // `SOAP_PHASES=1` prints the time of each pipeline stage.
    if std::env::var("SOAP_PHASES").is_ok() {
        for w in &workloads {
            let mut t = [Duration::ZERO; 4];
            let n = 2000u32;
            for _ in 0..n {
                let a = Instant::now();
                let mut ctx = app.new_context();
                ctx.in_string = vec![w.request.clone()];
                app.get_in_object(&mut ctx);
                let b = Instant::now();
                app.get_out_object_blocking(&mut ctx);
                let c = Instant::now();
                app.get_out_string(&mut ctx);
                let d = Instant::now();
                drop(ctx);
                let e = Instant::now();
                for (slot, took) in t.iter_mut().zip([b - a, c - b, d - c, e - d]) {
                    *slot += took;
                }
            }
            let us = t.map(|d| d.as_secs_f64() * 1e6 / f64::from(n));
            println!(
                "{}: in {:.1} out_object {:.1} out_string {:.1} drop {:.1}",
                w.id, us[0], us[1], us[2], us[3]
            );
        }
        return;
    }
    // `SOAP_PROFILE=w2` loops over one workload's full work, for a profiler: for 5 s, or
    // exactly `SOAP_PROFILE_ITERS` times (repeatable instruction counts under callgrind).
    // `SOAP_PROFILE_FLOOR=1` loops over the floor instead, for the ratio of the two counts.
    if let Ok(id) = std::env::var("SOAP_PROFILE") {
        let iters: Option<u32> = std::env::var("SOAP_PROFILE_ITERS")
            .ok()
            .and_then(|n| n.parse().ok());
        let floor_only = std::env::var("SOAP_PROFILE_FLOOR").is_ok();
        if let Some(w) = workloads.iter().find(|w| w.id == id) {
            let start = Instant::now();
            let mut done = 0u32;
            while iters.map_or(start.elapsed() < Duration::from_secs(5), |n| done < n) {
                if floor_only {
                    black_box(floor(&w.request, &w.response));
                } else {
                    black_box(full(&app, &w.request));
                }
                done += 1;
            }
        }
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    for w in &workloads {
        let mut group = c.benchmark_group(w.id);
        group.bench_function("full", |b| b.iter(|| full(&app, black_box(&w.request))));
        group.bench_function("floor", |b| {
            b.iter(|| floor(black_box(&w.request), &w.response))
        });
        group.finish();
    }
    c.final_summary();

    println!("\nper call, fastest of 15 batches (other load on the machine only adds time):");
    println!(
        "{:<4} {:>12} {:>12} {:>7}",
        "", "full (us)", "floor (us)", "ratio"
    );
    for w in &workloads {
        let f = per_op(|| full(&app, &w.request)).as_secs_f64() * 1e6;
        let fl = per_op(|| floor(&w.request, &w.response)).as_secs_f64() * 1e6;
        println!("{:<4} {f:>12.2} {fl:>12.2} {:>7.2}", w.id, f / fl);
    }
}
