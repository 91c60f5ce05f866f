//! The protocol work of the bench workloads in process, per format, against the floor the
//! issue sets for JSON: `serde_json` parsing the request into a `Value` and writing the
//! response `Value` back, with nothing else. Each line is one workload and format: the
//! pipeline's time per call (`get_in_object`, `get_out_object_blocking`, `get_out_string` on a
//! fresh context: reading, validating, calling the echo method, writing) and, for JSON, the
//! floor and the ratio. Each figure is the fastest of `--rounds` short batches (about
//! `--batch-us` each): on a shared machine the fastest short batch is the one that ran
//! unpreempted, so the figures and their ratios hold under load.
//!
//! Run: `cargo run --release -p rpclib-examples --example format_work -- [--batch-us 2000]
//! [--rounds 300] [--workloads w1,w2,w3]`
//!
//! For instruction counts, `--profile FORMAT --iterations N` (FORMAT is `soap`, `json`,
//! `msgpack` or `floor`, the serde_json floor of the JSON request) runs that one call exactly
//! N times on the first workload given, and prints nothing: two runs under
//! `valgrind --tool=callgrind` with different N give the instructions per call (their
//! difference over the difference of N), free of the set-up cost, which both runs share.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rpclib_core::Application;
use rpclib_examples::bench;
use rpclib_examples::server::soap_app;
use rpclib_protocol_json::JsonDocument;
use rpclib_protocol_msgpack::MsgPack;

/// One call through the application's pipeline; the reply's bytes.
fn call(app: &Arc<Application>, request: &[u8]) -> Result<Vec<u8>> {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    if let Some(fault) = ctx.error() {
        bail!("the call failed: {fault}");
    }
    let reply = ctx.out_string.concat();
    ctx.close();
    Ok(reply)
}

/// Times `f` in short batches, `rounds` times, and keeps the fastest batch's time per call,
/// in µs: on a shared machine a short batch often runs unpreempted, a long one never does.
/// A batch lasts about `batch_us`.
fn best_us(rounds: u32, batch_us: f64, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let start = Instant::now();
    f()?;
    let one = start.elapsed().as_secs_f64() * 1e6;
    let per_batch = (batch_us / one.max(0.01)).clamp(1.0, 100_000.0) as u32;
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..per_batch {
            f()?;
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e6 / f64::from(per_batch));
    }
    Ok(best)
}

/// Runs one format's call (or the serde_json floor, `floor`) on `workload` exactly
/// `iterations` times, for counting instructions under callgrind.
fn run_profile(
    apps: &[(&str, &str, Arc<Application>)],
    data: &std::path::Path,
    workload: &str,
    format: &str,
    iterations: u32,
) -> Result<()> {
    let app_format = if format == "floor" { "json" } else { format };
    let Some((_, ext, app)) = apps.iter().find(|(f, _, _)| *f == app_format) else {
        bail!("--profile takes soap, json, msgpack or floor, not {format:?}");
    };
    let path = data.join(format!("{workload}-request.{ext}"));
    let request =
        std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    // Both the call and the floor need the reply: made once, in the set-up every run shares.
    let reply = call(app, &request)?;
    if format == "floor" {
        let response: serde_json::Value = serde_json::from_slice(&reply)?;
        for _ in 0..iterations {
            let parsed: serde_json::Value = serde_json::from_slice(black_box(&request))?;
            black_box(parsed);
            black_box(serde_json::to_vec(black_box(&response))?);
        }
    } else {
        for _ in 0..iterations {
            black_box(call(app, black_box(&request))?);
        }
    }
    Ok(())
}

#[allow(clippy::print_stdout)] // the table is this program's output
fn main() -> Result<()> {
    let (mut batch_us, mut rounds) = (2000.0f64, 300u32);
    let mut workloads = vec!["w1".to_owned(), "w2".to_owned(), "w3".to_owned()];
    let mut profile: Option<(String, u32)> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--batch-us" => batch_us = args.next().context("--batch-us US")?.parse()?,
            "--rounds" => rounds = args.next().context("--rounds R")?.parse()?,
            "--workloads" => {
                workloads = args
                    .next()
                    .context("--workloads w1,w2,w3")?
                    .split(',')
                    .map(str::to_owned)
                    .collect();
            }
            "--profile" => {
                let format = args.next().context("--profile soap|json|msgpack|floor")?;
                profile = Some((format, profile.map_or(0, |(_, n)| n)));
            }
            "--iterations" => {
                let n = args.next().context("--iterations N")?.parse()?;
                profile = Some((profile.map(|(f, _)| f).unwrap_or_default(), n));
            }
            other => bail!("unknown argument {other:?}"),
        }
    }
    let data: PathBuf = [env!("CARGO_MANIFEST_DIR"), "data", "bench"]
        .iter()
        .collect();
    let apps = [
        ("soap", "xml", soap_app(bench::builder())?),
        (
            "json",
            "json",
            bench::builder().protocol(JsonDocument::new()).build()?,
        ),
        (
            "msgpack",
            "msgpack",
            bench::builder().protocol(MsgPack::new()).build()?,
        ),
    ];
    if let Some((format, iterations)) = profile {
        let workload = workloads.first().context("--workloads names none")?;
        return run_profile(&apps, &data, workload, &format, iterations);
    }
    println!(
        "| workload | format | request bytes | pipeline µs/call | serde_json floor µs | pipeline / floor |"
    );
    println!("|---|---|---|---|---|---|");
    for workload in &workloads {
        for (format, ext, app) in &apps {
            let path = data.join(format!("{workload}-request.{ext}"));
            let request =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let reply = call(app, &request)?;
            let work = best_us(rounds, batch_us, || {
                black_box(call(app, black_box(&request))?);
                Ok(())
            })?;
            let (floor, ratio) = if *format == "json" {
                // The floor: the same request parsed, the same reply written, by serde_json.
                let response: serde_json::Value = serde_json::from_slice(&reply)?;
                let floor = best_us(rounds, batch_us, || {
                    let parsed: serde_json::Value = serde_json::from_slice(black_box(&request))?;
                    black_box(parsed);
                    black_box(serde_json::to_vec(black_box(&response))?);
                    Ok(())
                })?;
                (format!("{floor:.2}"), format!("{:.2}x", work / floor))
            } else {
                ("-".to_owned(), "-".to_owned())
            };
            println!(
                "| {workload} | {format} | {} | {work:.2} | {floor} | {ratio} |",
                request.len()
            );
        }
    }
    Ok(())
}
