//! The client table of `cargo xtask bench http`: clients driving the rpclib bench server, the
//! CPU each spends per call next to the server's, measured in the same rounds and the same
//! run. Our async client (`bench_client`: the typed client over `AsyncHttpClient`, many calls
//! in flight on one thread), and, as references, zeep (`xtask/interop/zeep_bench_client.py`)
//! and gSOAP (`xtask/interop/gsoap/bench_load.cpp`, on the proxy wsdl2h + soapcpp2 generate
//! from our bench WSDL, `-O2`), both synchronous, one call at a time on one kept-alive
//! connection. Every client prints the same line (`requests=.. rps=.. errors=..
//! cpu_ticks=..`, its own CPU during the loop, from `/proc/self/stat`); the server's CPU is
//! read from `/proc/<pid>/stat` around each run. zeep and gSOAP are provisioned as `cargo
//! xtask interop` provisions them (`target/interop/`); one that cannot be had is reported as
//! not measured, with the reason, and does not stop the bench.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use super::{Server, cpu_ticks, median};
use crate::interop::gsoap::{self, GsoapService};

/// A client to measure.
enum Client {
    /// Our `bench_client`, with `connections` calls in flight.
    Ours { binary: PathBuf, specs: PathBuf },
    /// zeep's load loop, run by the venv's Python from the scripts' directory.
    Zeep { python: PathBuf, scripts: PathBuf },
    /// gSOAP's load loop.
    Gsoap { binary: PathBuf },
}

impl Client {
    fn label(&self) -> &'static str {
        match self {
            Client::Ours { .. } => "rpclib async",
            Client::Zeep { .. } => "zeep",
            Client::Gsoap { .. } => "gSOAP",
        }
    }

    /// Calls in flight.
    fn in_flight(&self, connections: usize) -> usize {
        match self {
            Client::Ours { .. } => connections,
            Client::Zeep { .. } | Client::Gsoap { .. } => 1,
        }
    }

    fn command(&self, url: &str, workload: &str, connections: usize, seconds: f64) -> Command {
        let seconds = seconds.to_string();
        match self {
            Client::Ours { binary, specs } => {
                let mut cmd = Command::new(binary);
                cmd.args(["--url", url, "--workload", workload, "--data"])
                    .arg(specs)
                    .args(["--connections", &connections.to_string()])
                    .args(["--seconds", &seconds]);
                cmd
            }
            Client::Zeep { python, scripts } => {
                let mut cmd = Command::new(python);
                cmd.arg(scripts.join("zeep_bench_client.py"))
                    .args([url, workload, &seconds])
                    .current_dir(scripts)
                    .env("PYTHONDONTWRITEBYTECODE", "1");
                cmd
            }
            Client::Gsoap { binary } => {
                let mut cmd = Command::new(binary);
                cmd.args([url, workload, &seconds]);
                cmd
            }
        }
    }
}

/// One run's figures.
struct Run {
    rps: f64,
    client_us: f64,
    server_us: f64,
}

/// Runs `client` once against `server`.
fn run_once(
    client: &Client,
    server: &Server,
    workload: &str,
    connections: usize,
    seconds: f64,
    ticks: u64,
) -> Result<Run> {
    let url = format!("http://{}/", server.addr);
    let before = cpu_ticks(server.pid())?;
    let output = client
        .command(&url, workload, connections, seconds)
        .output()
        .with_context(|| format!("cannot run the {} client", client.label()))?;
    let after = cpu_ticks(server.pid())?;
    let line = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!(
            "the {} client failed ({}): {line}{stderr}",
            client.label(),
            output.status
        );
    }
    let field = |name: &str| -> Result<f64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .with_context(|| format!("no {name} in {line:?}"))?
            .parse::<f64>()
            .with_context(|| format!("bad {name} in {line:?}"))
    };
    if field("errors")? > 0.0 {
        bail!("the {} client saw errors: {line}{stderr}", client.label());
    }
    let requests = field("requests")?.max(1.0);
    Ok(Run {
        rps: field("rps")?,
        client_us: field("cpu_ticks")? / ticks as f64 * 1e6 / requests,
        server_us: (after - before) as f64 / ticks as f64 * 1e6 / requests,
    })
}

/// zeep's interpreter and the scripts' directory, provisioned as the interop run does.
fn zeep(root: &Path) -> Result<Client> {
    let venv = crate::target_dir()?.join("interop").join("venv");
    let python = crate::interop::provision::python_venv(&venv)?;
    Ok(Client::Zeep {
        python,
        scripts: root.join("xtask").join("interop"),
    })
}

/// gSOAP's load client, generated from the WSDL `server` publishes.
fn gsoap_client(root: &Path, server: &Server) -> Result<Client> {
    let url = format!("http://{}/", server.addr);
    let svc = GsoapService {
        name: "bench",
        url: &url,
        proxy: "BenchServiceProxy",
        client_source: "bench_load.cpp",
        soap_version: "1.1",
        optimize: true,
    };
    let dir = crate::target_dir()?
        .join("interop")
        .join("gsoap")
        .join("bench-load");
    let built = gsoap::build(
        &svc,
        &dir,
        &root.join("xtask").join("interop").join("gsoap"),
    )?;
    Ok(Client::Gsoap {
        binary: built.binary,
    })
}

/// Prints the client table.
#[allow(clippy::too_many_arguments)]
pub(super) fn table(
    root: &Path,
    bin: &Path,
    specs: &Path,
    workloads: &[String],
    connections: usize,
    seconds: f64,
    rounds: usize,
    ticks: u64,
) -> Result<()> {
    let mut clients = vec![Ok(Client::Ours {
        binary: bin.join("bench_client"),
        specs: specs.to_owned(),
    })];
    clients.push(zeep(root));
    {
        // wsdl2h reads the WSDL from a running server.
        let server = Server::start(&bin.join("bench"), &["--port", "0"])?;
        clients.push(gsoap_client(root, &server));
    }
    eprintln!(
        "\nClient bench: clients against the rpclib bench server (blocking methods), {rounds} rounds of {seconds} s each, alternating; medians. CPU per call from /proc: the client process's own (its loop only), the server's around the same run."
    );
    eprintln!(
        "| workload | client | calls in flight | req/s | client CPU µs/call | server CPU µs/call | client / server | client / rpclib's |"
    );
    eprintln!("|---|---|---|---|---|---|---|---|");
    let mut unavailable = Vec::new();
    let usable: Vec<&Client> = clients
        .iter()
        .zip(["rpclib async", "zeep", "gSOAP"])
        .filter_map(|(c, label)| match c {
            Ok(c) => Some(c),
            Err(e) => {
                unavailable.push(format!("{label}: not measured: {e:#}"));
                None
            }
        })
        .collect();
    for workload in workloads {
        let server = Server::start(&bin.join("bench"), &["--port", "0"])?;
        let mut runs: Vec<Vec<Run>> = usable.iter().map(|_| Vec::new()).collect();
        for round in 0..rounds {
            for k in 0..usable.len() {
                let i = (k + round) % usable.len();
                runs[i].push(run_once(
                    usable[i],
                    &server,
                    workload,
                    connections,
                    seconds,
                    ticks,
                )?);
            }
        }
        let medians: Vec<(f64, f64, f64)> = runs
            .iter()
            .map(|r| {
                (
                    median(r.iter().map(|x| x.rps).collect()),
                    median(r.iter().map(|x| x.client_us).collect()),
                    median(r.iter().map(|x| x.server_us).collect()),
                )
            })
            .collect();
        let ours = medians.first().map_or(f64::NAN, |m| m.1);
        for (client, (rps, c, s)) in usable.iter().zip(&medians) {
            eprintln!(
                "| {workload} | {} | {} | {rps:.0} | {c:.1} | {s:.1} | {:.2}x | {:.2}x |",
                client.label(),
                client.in_flight(connections),
                c / s,
                c / ours
            );
        }
    }
    for line in unavailable {
        eprintln!("{line}");
    }
    Ok(())
}
