//! The reverse direction for the bench contract: our `bench_client` (the typed async client
//! `#[service]` generates, over `AsyncHttpClient`) against gSOAP's server of the contract
//! (`xtask/interop/gsoap/bench_server.cpp` on the skeleton soapcpp2 generates from
//! `bench_service.h`; column `ours->gSOAP`) and against node-soap serving our bench WSDL
//! (`xtask/interop/node_bench_server.js`; rows `bench.*` of the `ours->node` column). Each
//! workload (W1-W3) is one row: a short closed loop on a few connections, every call's echo
//! checked, passing only if no call failed.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::Result;

use super::process;
use super::report::{Results, Status, WSDL_ROW};
use super::reverse::{NODE_SERVER, node_server, serve};

/// The column of `bench_client` against gSOAP's bench server.
pub(crate) const GSOAP_SERVER: &str = "ours->gSOAP";
/// The workloads, with the operation each one calls.
const WORKLOADS: [(&str, &str); 3] = [
    ("w1", "echo_string"),
    ("w2", "echo_integer_array"),
    ("w3", "echo_people"),
];
/// How long each workload runs, on how many connections: enough for keep-alive, concurrent
/// connections and many calls on each, little enough to keep the run short.
const SECONDS: &str = "1";
const CONNECTIONS: &str = "4";
const CLIENT_LIMIT: Duration = Duration::from_secs(120);

/// `requests=.. errors=..` out of `bench_client`'s line.
fn counts(stdout: &str) -> Option<(u64, u64)> {
    let line = stdout.lines().find(|l| l.starts_with("requests="))?;
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|f| f.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
    };
    Some((field("requests")?, field("errors")?))
}

/// Whether a run passed, and what to say about it.
fn judge(output: &process::Output) -> (Status, String) {
    match counts(&output.stdout) {
        Some((requests, 0)) if requests > 0 && output.success() => {
            (Status::Pass, format!("{requests} calls"))
        }
        Some((requests, errors)) => {
            let first = output
                .stderr
                .lines()
                .find_map(|l| l.strip_prefix("first error: "))
                .unwrap_or("no error described");
            (
                Status::Fail,
                format!("{errors} failed call(s) of {}: {first}", requests + errors),
            )
        }
        None => (
            Status::Fail,
            format!("no result line ({})", output.failure_summary()),
        ),
    }
}

/// Runs `bench_client` for each workload against `url`, into `column`.
fn drive(
    examples: &Path,
    url: &str,
    column: &str,
    log: &str,
    out: &Path,
    results: &mut Results,
) -> Result<()> {
    for (workload, op) in WORKLOADS {
        eprintln!("xtask interop: bench_client {workload} against {url} ({column})");
        let output = process::run(
            Command::new(examples.join("bench_client")).args([
                "--url",
                url,
                "--workload",
                workload,
                "--connections",
                CONNECTIONS,
                "--seconds",
                SECONDS,
            ]),
            CLIENT_LIMIT,
        )?;
        super::save_log(out, &format!("{log}-{workload}"), &output)?;
        let (status, detail) = judge(&output);
        results.set(column, &format!("bench.{op}"), status, &detail);
    }
    Ok(())
}

/// `bench_client` against gSOAP's bench server (`server`, built by
/// [`gsoap::build_bench_server`](super::gsoap::build_bench_server)).
pub(crate) fn gsoap(
    server: &Path,
    examples: &Path,
    out: &Path,
    results: &mut Results,
) -> Result<()> {
    let (port, _server) = serve(
        out,
        "gsoap-bench-server.log",
        "gSOAP's bench server",
        |port| {
            let mut cmd = Command::new(server);
            cmd.arg(port.to_string());
            cmd
        },
    )?;
    results.set(
        GSOAP_SERVER,
        &format!("bench.{WSDL_ROW}"),
        Status::NotExpressible,
        "gSOAP serves the contract from its own header: no WSDL of ours read",
    );
    drive(
        examples,
        &format!("http://127.0.0.1:{port}/"),
        GSOAP_SERVER,
        "bench_client-gsoap",
        out,
        results,
    )
}

/// `bench_client` against node-soap serving our bench WSDL, into the `ours->node` column.
pub(crate) fn node(
    scripts: &Path,
    node_modules: &Path,
    bench_wsdl: &Path,
    examples: &Path,
    out: &Path,
    results: &mut Results,
) -> Result<()> {
    let (port, _server) = serve(
        out,
        "node-bench-server.log",
        "node-soap's bench server",
        |port| {
            node_server(
                scripts,
                "node_bench_server.js",
                node_modules,
                bench_wsdl,
                port,
            )
        },
    )?;
    results.set(
        NODE_SERVER,
        &format!("bench.{WSDL_ROW}"),
        Status::Pass,
        "node-soap served our bench WSDL",
    );
    drive(
        examples,
        &format!("http://127.0.0.1:{port}/"),
        NODE_SERVER,
        "bench_client-node",
        out,
        results,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_from_the_result_line() {
        let line = "requests=12 seconds=1.001 rps=12.0 errors=3 cpu_ticks=4\n";
        assert_eq!(counts(line), Some((12, 3)));
        assert_eq!(counts("nothing\n"), None);
        assert_eq!(counts("requests=x errors=0\n"), None);
    }
}
