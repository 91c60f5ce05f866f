//! Our JSON-RPC 2.0 client against a server we did not write: the `jsonrpc_client` example
//! (rpclib's typed clients with `JsonRpc`, over HTTP) against `xtask/interop/jsonrpc_server.py`,
//! PyPI's `jsonrpcserver` serving the operations of the bench and hello contracts under the
//! same names. Column `ours->jsonrpcserver`, rows `jsonrpc-server.<case>`. Also runs alone:
//! `cargo xtask interop jsonrpc-server` (seconds, once the venv is made).

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::process;
use super::provision;
use super::report::{Results, Status};
use super::reverse::serve;

/// The column.
pub(crate) const COLUMN: &str = "ours->jsonrpcserver";
/// The rows' service.
pub(crate) const SERVICE: &str = "jsonrpc-server";
/// The cases `jsonrpc_client` reports, in its order.
pub(crate) const CASES: [&str; 9] = [
    "echo_string",
    "echo_integer_array",
    "echo_people",
    "say_hello",
    "invalid_params",
    "application_error",
    "internal_error",
    "http_error_status",
    "positional",
];
const CLIENT_LIMIT: Duration = Duration::from_secs(120);

/// Starts the Python server with the venv's `python`, runs `jsonrpc_client` (from
/// `examples`) against it, and records each case.
pub(crate) fn run(
    python: &Path,
    scripts: &Path,
    examples: &Path,
    out: &Path,
    results: &mut Results,
) -> Result<()> {
    let (port, _server) = serve(
        out,
        "jsonrpc-server.log",
        "jsonrpcserver's server",
        |port| {
            let mut cmd = Command::new(python);
            cmd.arg(scripts.join("jsonrpc_server.py"))
                .arg(port.to_string())
                .env("PYTHONDONTWRITEBYTECODE", "1");
            cmd
        },
    )?;
    eprintln!("xtask interop: running jsonrpc_client against jsonrpcserver on port {port}");
    let output = process::run(
        Command::new(examples.join("jsonrpc_client"))
            .args(["--url", &format!("http://127.0.0.1:{port}/")]),
        CLIENT_LIMIT,
    )?;
    super::save_log(out, "jsonrpc_client-jsonrpcserver", &output)?;
    let mut seen = Vec::new();
    for line in output.stdout.lines() {
        let (status, case, detail) = match line.split_once(' ') {
            Some(("PASS", case)) => (Status::Pass, case, ""),
            Some(("FAIL", rest)) => {
                let (case, why) = rest.split_once(": ").unwrap_or((rest, ""));
                (Status::Fail, case, why)
            }
            _ => continue,
        };
        if !CASES.contains(&case) {
            results.fail_general(COLUMN, format!("unknown case reported: {line}"));
            continue;
        }
        seen.push(case.to_owned());
        results.set(COLUMN, &format!("{SERVICE}.{case}"), status, detail);
    }
    for case in CASES {
        if !seen.iter().any(|s| s == case) {
            results.set(
                COLUMN,
                &format!("{SERVICE}.{case}"),
                Status::Fail,
                &format!(
                    "not reported by jsonrpc_client ({})",
                    output.failure_summary()
                ),
            );
        }
    }
    Ok(())
}

/// `cargo xtask interop jsonrpc-server`: this check alone, with its own table.
pub(crate) fn alone(root: &Path) -> Result<()> {
    let started = Instant::now();
    let out = crate::target_dir()?.join("interop");
    fs::create_dir_all(out.join("logs")).context("cannot create target/interop")?;
    let python = provision::jsonrpcserver_venv(&out.join("jsonrpcserver-venv"))?;
    crate::cargo(
        &[
            "build",
            "--release",
            "-p",
            "rpclib-examples",
            "--example",
            "jsonrpc_client",
        ],
        &[],
    )?;
    let examples = crate::target_dir()?.join("release").join("examples");
    let mut results = Results::default();
    results.add_client(COLUMN);
    results.add_rows(SERVICE, &CASES);
    run(
        &python,
        &root.join("xtask").join("interop"),
        &examples,
        &out,
        &mut results,
    )?;
    super::print_table(&results.render());
    let failures = results.failures();
    eprintln!(
        "xtask interop jsonrpc-server: {} in {:.1} s",
        if failures == 0 {
            "all passed"
        } else {
            "FAILED"
        },
        started.elapsed().as_secs_f64()
    );
    if failures > 0 {
        bail!("{failures} check(s) failed");
    }
    Ok(())
}
