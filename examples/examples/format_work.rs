//! The protocol work of the bench workloads in process, per format, against the floor the
//! issue sets for JSON: `serde_json` parsing the request into a `Value` and writing the
//! response `Value` back, with nothing else. Each line is one workload and format: the
//! pipeline's time per call (`get_in_object`, `get_out_object_blocking`, `get_out_string` on a
//! fresh context: reading, validating, calling the echo method, writing) and, for JSON, the
//! floor and the ratio. The best of `--rounds` rounds is kept (the machine may be shared:
//! compare the ratios).
//!
//! Run: `cargo run --release -p rpclib-examples --example format_work -- [--iterations N]
//! [--rounds R] [--workloads w1,w2,w3]`

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

/// The best time per iteration of `f`, in µs, over `rounds` rounds of `iterations`.
fn best_us(rounds: u32, iterations: u32, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        for _ in 0..iterations {
            f()?;
        }
        best = best.min(start.elapsed().as_secs_f64() * 1e6 / f64::from(iterations));
    }
    Ok(best)
}

#[allow(clippy::print_stdout)] // the table is this program's output
fn main() -> Result<()> {
    let (mut iterations, mut rounds) = (2000u32, 5u32);
    let mut workloads = vec!["w1".to_owned(), "w2".to_owned(), "w3".to_owned()];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--iterations" => iterations = args.next().context("--iterations N")?.parse()?,
            "--rounds" => rounds = args.next().context("--rounds R")?.parse()?,
            "--workloads" => {
                workloads = args
                    .next()
                    .context("--workloads w1,w2,w3")?
                    .split(',')
                    .map(str::to_owned)
                    .collect();
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
            let work = best_us(rounds, iterations, || {
                black_box(call(app, black_box(&request))?);
                Ok(())
            })?;
            let (floor, ratio) = if *format == "json" {
                // The floor: the same request parsed, the same reply written, by serde_json.
                let response: serde_json::Value = serde_json::from_slice(&reply)?;
                let floor = best_us(rounds, iterations, || {
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
