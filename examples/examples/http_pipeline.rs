//! The in-process HTTP pipeline of the bench service, for `valgrind --tool=callgrind`:
//! `RpcService::handle` on one workload's request (`examples/data/bench/`), a fixed number
//! of times on a current-thread runtime, without sockets or hyper. Two runs with different
//! counts give the instructions per request (their difference over the count difference),
//! free of the set-up cost.
//!
//! Run: `valgrind --tool=callgrind target/release/examples/http_pipeline --workload w2
//! --iterations 200 [--async-methods] [--execution inline|pool|in-place]`

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::Full;
use rpclib_examples::bench;
use rpclib_transport_http::{Execution, HttpConfig, RpcService};

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut workload, mut iterations, mut async_methods) = ("w1".to_owned(), 1000u32, false);
    // Inline: what a connection thread of `Server` does with a blocking method (the default
    // execution); an async method is awaited inline in every mode.
    let mut execution = Execution::Inline;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--workload" => workload = args.next().context("--workload w1|w2|w3")?,
            "--iterations" => iterations = args.next().context("--iterations N")?.parse()?,
            "--async-methods" => async_methods = true,
            "--execution" => {
                execution = match args.next().as_deref() {
                    Some("inline") => Execution::Inline,
                    Some("pool") => Execution::BlockingPool,
                    Some("in-place") => Execution::InPlace,
                    other => bail!("--execution takes inline, pool or in-place, not {other:?}"),
                }
            }
            other => bail!("unknown argument {other:?}"),
        }
    }
    let file: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "data/bench",
        &format!("{workload}-request.xml"),
    ]
    .iter()
    .collect();
    let body = Bytes::from(std::fs::read(&file).with_context(|| format!("{}", file.display()))?);
    let app = if async_methods {
        bench::async_app()?
    } else {
        bench::app()?
    };
    let config = HttpConfig {
        execution,
        ..HttpConfig::default()
    };
    let service = RpcService::with_config(app, config);
    // Multi-threaded only for `block_in_place`, which needs it.
    let runtime = if execution == Execution::InPlace {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    };
    runtime.block_on(async {
        for _ in 0..iterations {
            let request = hyper::Request::post("/")
                .header("content-type", "text/xml; charset=utf-8")
                .header("soapaction", "\"\"")
                .header("content-length", body.len())
                .body(Full::new(body.clone()))?;
            let response = service.handle(request).await;
            if response.status() != 200 {
                bail!("status {}", response.status());
            }
            std::hint::black_box(response);
        }
        Ok(())
    })
}
