//! `cargo xtask bench [http|soap|queue]`: the performance figures the issues ask for, each
//! against a reference measured in the same run.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cargo;

mod clients;

/// Runs the benches named in `args` (all when none).
pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("http") => http(root, &args[1..]),
        Some("soap") => cargo(
            &["bench", "-p", "rpclib-protocol-soap", "--bench", "soap"],
            &[],
        ),
        Some("queue") => queue(),
        None => {
            http(root, &[])?;
            cargo(
                &["bench", "-p", "rpclib-protocol-soap", "--bench", "soap"],
                &[],
            )?;
            queue()
        }
        Some(other) => bail!("unknown bench `{other}`: expected http, soap or queue"),
    }
}

/// The queue bench on SQLite and on each server backend that can be had (PostgreSQL,
/// MariaDB/MySQL: the test databases, provided or started).
fn queue() -> Result<()> {
    crate::databases::with_test_databases(|env| {
        let mut features = Vec::new();
        let mut vars = Vec::new();
        for (test_var, feature, bench_var) in [
            ("RPCLIB_TEST_PG_URL", "postgres", "RPCLIB_BENCH_PG_URL"),
            ("RPCLIB_TEST_MYSQL_URL", "mysql", "RPCLIB_BENCH_MYSQL_URL"),
        ] {
            if let Some((_, url)) = env.iter().find(|(k, _)| *k == test_var) {
                features.push(feature);
                vars.push((bench_var, *url));
            }
        }
        let features = features.join(",");
        let mut args = vec!["bench", "-p", "rpclib-transport-dbqueue"];
        if !features.is_empty() {
            args.extend(["--features", features.as_str()]);
        }
        args.extend(["--bench", "queue"]);
        cargo(&args, &vars)
    })
}

/// A child process that is killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(program: &Path, args: &[&str]) -> Result<Server> {
        let mut child = Command::new(program)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", program.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|a| a.strip_suffix('/'))
            .with_context(|| format!("unexpected first line from {}: {line:?}", program.display()))?
            .to_owned();
        Ok(Server { child, addr })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// User + system CPU time of a process, in clock ticks.
fn cpu_ticks(pid: u32) -> Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may contain spaces: fields start after the closing parenthesis.
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .context("malformed stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11).context("no utime")?.parse()?;
    let stime: u64 = fields.get(12).context("no stime")?.parse()?;
    Ok(utime + stime)
}

/// Peak resident set size of a process, in KiB.
fn peak_rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .context("no VmHWM")?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .context("no value")?
        .parse()?)
}

fn clock_ticks_per_second() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// Posts `body` once and returns the response's size, checking it is a 200.
fn response_size(addr: &str, body: &[u8]) -> Result<usize> {
    let mut s = TcpStream::connect(addr)?;
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )?;
    s.write_all(body)?;
    let mut reply = Vec::new();
    s.read_to_end(&mut reply)?;
    let text = String::from_utf8_lossy(&reply);
    if !text.starts_with("HTTP/1.1 200") {
        bail!(
            "the bench service did not answer 200: {}",
            text.lines().next().unwrap_or("")
        );
    }
    let (_, body) = text.split_once("\r\n\r\n").context("no body")?;
    Ok(body.len())
}

struct Run {
    rps: f64,
    p50_us: u64,
    p99_us: u64,
    /// Open loop: the 99th percentile of how late the load generator sent requests after they
    /// were due (its own delay, included in the latencies).
    late_p99_us: u64,
    cpu_us_per_request: f64,
}

/// One run of the load generator against `server`: closed loop, or open loop at `rate`
/// requests per second.
#[allow(clippy::too_many_arguments)]
fn load(
    loadgen: &Path,
    server: &Server,
    body: &Path,
    connections: usize,
    seconds: f64,
    ticks: u64,
    rate: Option<f64>,
) -> Result<Run> {
    let before = cpu_ticks(server.pid())?;
    let mut command = Command::new(loadgen);
    command
        .args(["--addr", &server.addr, "--body"])
        .arg(body)
        .args([
            "--connections",
            &connections.to_string(),
            "--seconds",
            &seconds.to_string(),
        ]);
    if let Some(rate) = rate {
        command.args(["--rate", &format!("{rate:.0}")]);
    }
    let output = command.output().context("cannot run the load generator")?;
    let after = cpu_ticks(server.pid())?;
    let line = String::from_utf8_lossy(&output.stdout).into_owned();
    let field = |name: &str| -> Result<f64> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .with_context(|| format!("no {name} in {line:?}"))?
            .parse::<f64>()
            .with_context(|| format!("bad {name} in {line:?}"))
    };
    let requests = field("requests")?;
    if field("errors")? > 0.0 {
        bail!("the load generator saw errors: {line}");
    }
    let cpu_seconds = (after - before) as f64 / ticks as f64;
    Ok(Run {
        rps: field("rps")?,
        p50_us: field("p50_us")? as u64,
        p99_us: field("p99_us")? as u64,
        late_p99_us: field("late_p99_us")? as u64,
        cpu_us_per_request: if requests > 0.0 {
            cpu_seconds * 1e6 / requests
        } else {
            0.0
        },
    })
}

/// The open-loop loads, as fractions of each server's closed-loop maximum.
const OPEN_LOOP_LOADS: [f64; 2] = [0.5, 0.8];

/// The open-loop rows of one workload: each server at each of [`OPEN_LOOP_LOADS`] of its own
/// closed-loop maximum (`max_rps`), `rounds` times, alternating like the closed-loop rounds;
/// medians, as table rows.
fn open_loop_rows(
    workload: &str,
    servers: &[&Server],
    labels: &[&str],
    max_rps: &[f64],
    rounds: usize,
    load: impl Fn(&Server, f64) -> Result<Run>,
) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for fraction in OPEN_LOOP_LOADS {
        let mut runs: Vec<Vec<Run>> = servers.iter().map(|_| Vec::new()).collect();
        for round in 0..rounds {
            for k in 0..servers.len() {
                let i = (k + round) % servers.len();
                runs[i].push(load(servers[i], fraction * max_rps[i])?);
            }
        }
        for (i, runs) in runs.iter().enumerate() {
            let m = |f: fn(&Run) -> f64| median(runs.iter().map(f).collect());
            out.push(format!(
                "| {workload} | {} | {:.0}% | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.1} |",
                labels[i],
                fraction * 100.0,
                fraction * max_rps[i],
                m(|r| r.rps),
                m(|r| r.p50_us as f64),
                m(|r| r.p99_us as f64),
                m(|r| r.late_p99_us as f64),
                m(|r| r.cpu_us_per_request),
            ));
        }
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// One server loaded by the HTTP bench.
struct Column {
    /// `rpclib blocking`, `rpclib async`, `baseline blocking`, with the execution if named.
    label: String,
    /// The execution mode asked for (`None`: the transport's default).
    execution: Option<String>,
    /// Whether this is the `--baseline-server` binary.
    baseline: bool,
    server: Server,
}

/// A comma-separated option value.
fn list(value: Option<&String>, flag: &str) -> Result<Vec<String>> {
    let v = value.with_context(|| format!("{flag} needs a value"))?;
    Ok(v.split(',').map(str::to_owned).collect())
}

fn http(root: &Path, args: &[String]) -> Result<()> {
    let mut seconds = 3.0;
    let mut rounds = 3;
    let mut connections = 32;
    let mut executions: Vec<Option<String>> = vec![None];
    let mut methods = vec!["blocking".to_owned(), "async".to_owned()];
    let mut workloads = vec!["w1".to_owned(), "w2".to_owned(), "w3".to_owned()];
    let mut baseline: Option<PathBuf> = None;
    let mut client_column = true;
    let mut open_loop = vec!["w1".to_owned()];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => seconds = it.next().context("--seconds S")?.parse()?,
            "--rounds" => rounds = it.next().context("--rounds N")?.parse()?,
            "--connections" => connections = it.next().context("--connections N")?.parse()?,
            "--execution" => {
                executions = list(it.next(), a)?.into_iter().map(Some).collect();
            }
            "--methods" => methods = list(it.next(), a)?,
            "--workloads" => workloads = list(it.next(), a)?,
            "--no-client" => client_column = false,
            "--open-loop" => {
                open_loop = list(it.next(), a)?;
                open_loop.retain(|w| w != "none");
            }
            "--baseline-server" => {
                baseline = Some(PathBuf::from(it.next().context("--baseline-server PATH")?));
            }
            other => bail!(
                "unknown option {other:?} (expected --seconds S, --rounds N, --connections N, \
                 --execution MODE[,MODE..], --methods blocking,async, --workloads w1,w2,w3, \
                 --baseline-server PATH, --no-client, --open-loop w1,w2,w3|none)"
            ),
        }
    }
    if let Some(m) = methods
        .iter()
        .find(|m| !matches!(m.as_str(), "blocking" | "async"))
    {
        bail!("--methods takes blocking and/or async, not {m:?}");
    }
    cargo(
        &[
            "build",
            "--release",
            "-p",
            "rpclib-examples",
            "--example",
            "bench",
            "--example",
            "http_ceiling",
            "--example",
            "loadgen",
            "--example",
            "bench_client",
            "--example",
            "bench_formats",
            "--example",
            "format_work",
        ],
        &[],
    )?;
    let bin = crate::target_dir()?.join("release/examples");
    let specs = root.join("examples/data/bench");
    let ticks = clock_ticks_per_second();
    let mut columns = Vec::new();
    for execution in &executions {
        let suffix = execution
            .as_ref()
            .map(|e| format!(", {e}"))
            .unwrap_or_default();
        let mut bench_args = vec!["--port", "0"];
        if let Some(e) = execution {
            bench_args.extend(["--execution", e.as_str()]);
        }
        if let Some(path) = &baseline {
            // Older bench servers know no `connection-thread`, their default already.
            let args: Vec<&str> = if execution.as_deref() == Some("connection-thread") {
                vec!["--port", "0"]
            } else {
                bench_args.clone()
            };
            columns.push(Column {
                label: format!("baseline blocking{suffix}"),
                execution: execution.clone(),
                baseline: true,
                server: Server::start(path, &args)?,
            });
        }
        for kind in &methods {
            let mut args = bench_args.clone();
            if kind == "async" {
                args.push("--async-methods");
            }
            columns.push(Column {
                label: format!("rpclib {kind}{suffix}"),
                execution: execution.clone(),
                baseline: false,
                server: Server::start(&bin.join("bench"), &args)?,
            });
        }
    }
    let first = &columns.first().context("nothing to measure")?.server;
    let mut rows = Vec::new();
    let mut open_rows = Vec::new();
    for workload in &workloads {
        let request: PathBuf = specs.join(format!("{workload}-request.xml"));
        let body = std::fs::read(&request)
            .with_context(|| format!("cannot read {}", request.display()))?;
        let size = response_size(&first.addr, &body)?;
        for c in &columns {
            let other = response_size(&c.server.addr, &body)?;
            if other != size {
                bail!(
                    "{}: {other} response bytes for {workload}, not {size} like {}",
                    c.label,
                    columns[0].label
                );
            }
        }
        let ceiling = Server::start(
            &bin.join("http_ceiling"),
            &["--port", "0", "--body-bytes", &size.to_string()],
        )?;
        let servers: Vec<&Server> = columns
            .iter()
            .map(|c| &c.server)
            .chain([&ceiling])
            .collect();
        let mut runs: Vec<Vec<Run>> = servers.iter().map(|_| Vec::new()).collect();
        for round in 0..rounds {
            // Each round starts with a different server, so that none always follows the
            // same neighbour.
            for k in 0..servers.len() {
                let i = (k + round) % servers.len();
                runs[i].push(load(
                    &bin.join("loadgen"),
                    servers[i],
                    &request,
                    connections,
                    seconds,
                    ticks,
                    None,
                )?);
            }
        }
        let summary = |runs: &[Run]| {
            let cpu = || runs.iter().map(|r| r.cpu_us_per_request);
            (
                median(runs.iter().map(|r| r.rps).collect()),
                median(runs.iter().map(|r| r.p99_us as f64).collect()),
                median(cpu().collect()),
                cpu().fold(f64::INFINITY, f64::min),
                cpu().fold(0.0, f64::max),
            )
        };
        let summaries: Vec<_> = runs.iter().map(|r| summary(r)).collect();
        if open_loop.contains(workload) {
            let labels: Vec<&str> = columns
                .iter()
                .map(|c| c.label.as_str())
                .chain(["bare hyper"])
                .collect();
            let max_rps: Vec<f64> = summaries.iter().map(|s| s.0).collect();
            let at_rate = |server: &Server, rate: f64| {
                load(
                    &bin.join("loadgen"),
                    server,
                    &request,
                    connections,
                    seconds,
                    ticks,
                    Some(rate),
                )
            };
            open_rows.extend(open_loop_rows(
                workload, &servers, &labels, &max_rps, rounds, at_rate,
            )?);
        }
        rows.push((
            workload.clone(),
            size,
            summaries,
            peak_rss_kib(ceiling.pid())?,
        ));
    }
    let rss: Vec<u64> = columns
        .iter()
        .map(|c| peak_rss_kib(c.server.pid()))
        .collect::<Result<_>>()?;
    eprintln!(
        "\nHTTP bench: {connections} keep-alive connections on loopback, {rounds} rounds of {seconds} s per server, alternating; medians (CPU: median, then the rounds' min-max)."
    );
    eprintln!(
        "| workload | response bytes | server | req/s | p99 µs | CPU µs/req | CPU min-max | peak RSS MiB | req/s vs ceiling | CPU vs ceiling | CPU vs baseline |"
    );
    eprintln!("|---|---|---|---|---|---|---|---|---|---|---|");
    for (w, size, summaries, ceil_rss) in rows {
        let ceil = summaries[columns.len()];
        for (i, c) in columns.iter().enumerate() {
            let s = summaries[i];
            let vs_baseline = columns
                .iter()
                .position(|b| b.baseline && b.execution == c.execution)
                .filter(|_| !c.baseline)
                .map_or("-".to_owned(), |b| format!("{:.2}x", s.2 / summaries[b].2));
            eprintln!(
                "| {w} | {size} | {} | {:.0} | {:.0} | {:.1} | {:.1}-{:.1} | {:.1} | {:.2}x | {:.2}x | {vs_baseline} |",
                c.label,
                s.0,
                s.1,
                s.2,
                s.3,
                s.4,
                rss[i] as f64 / 1024.0,
                s.0 / ceil.0,
                s.2 / ceil.2
            );
        }
        eprintln!(
            "| {w} | {size} | bare hyper | {:.0} | {:.0} | {:.1} | {:.1}-{:.1} | {:.1} | 1.00x | 1.00x | - |",
            ceil.0,
            ceil.1,
            ceil.2,
            ceil.3,
            ceil.4,
            ceil_rss as f64 / 1024.0
        );
    }
    if !open_rows.is_empty() {
        eprintln!(
            "\nOpen loop: requests due at a fixed rate ({OPEN_LOOP_LOADS:?} of each server's closed-loop req/s above) over {connections} connections, latency measured from the time each request was due; {rounds} rounds of {seconds} s per server and load, alternating; medians. `client late p99` is how late the load generator itself sent (part of every latency)."
        );
        eprintln!(
            "| workload | server | load | rate req/s | achieved req/s | p50 µs | p99 µs | client late p99 µs | CPU µs/req |"
        );
        eprintln!("|---|---|---|---|---|---|---|---|---|");
        for row in &open_rows {
            eprintln!("{row}");
        }
    }
    if client_column {
        clients::table(
            root,
            &bin,
            &specs,
            &workloads,
            connections,
            seconds,
            rounds,
            ticks,
        )?;
    }
    format_tables(
        &bin,
        &specs,
        &workloads,
        connections,
        seconds,
        rounds,
        ticks,
    )?;
    Ok(())
}

/// The JSON and MessagePack columns: the bench service in each format (`bench_formats`,
/// the request files `w*-request.{json,msgpack}` beside the SOAP ones) loaded like the SOAP
/// server in the same alternating rounds, server CPU per request next to SOAP's; then the
/// in-process protocol work per format against the bare serde_json floor (`format_work`).
fn format_tables(
    bin: &Path,
    specs: &Path,
    workloads: &[String],
    connections: usize,
    seconds: f64,
    rounds: usize,
    ticks: u64,
) -> Result<()> {
    let formats = [
        ("SOAP", "xml"),
        ("JSON", "json"),
        ("MessagePack", "msgpack"),
    ];
    let servers = [
        Server::start(&bin.join("bench"), &["--port", "0"])?,
        Server::start(
            &bin.join("bench_formats"),
            &["--port", "0", "--protocol", "json"],
        )?,
        Server::start(
            &bin.join("bench_formats"),
            &["--port", "0", "--protocol", "msgpack"],
        )?,
    ];
    eprintln!(
        "\nFormats: the bench service (blocking methods) in each wire format, {connections} \
         keep-alive connections, {rounds} rounds of {seconds} s per server, alternating; medians."
    );
    eprintln!("| workload | format | request bytes | req/s | p99 µs | CPU µs/req | CPU vs SOAP |");
    eprintln!("|---|---|---|---|---|---|---|");
    for workload in workloads {
        let files: Vec<PathBuf> = formats
            .iter()
            .map(|(_, ext)| specs.join(format!("{workload}-request.{ext}")))
            .collect();
        let mut runs: Vec<Vec<Run>> = servers.iter().map(|_| Vec::new()).collect();
        for round in 0..rounds {
            for k in 0..servers.len() {
                let i = (k + round) % servers.len();
                runs[i].push(load(
                    &bin.join("loadgen"),
                    &servers[i],
                    &files[i],
                    connections,
                    seconds,
                    ticks,
                    None,
                )?);
            }
        }
        let cpu = |runs: &[Run]| median(runs.iter().map(|r| r.cpu_us_per_request).collect());
        let soap_cpu = cpu(&runs[0]);
        for (i, (name, _)) in formats.iter().enumerate() {
            let bytes = std::fs::metadata(&files[i])
                .with_context(|| format!("cannot read {}", files[i].display()))?
                .len();
            let c = cpu(&runs[i]);
            eprintln!(
                "| {workload} | {name} | {bytes} | {:.0} | {:.0} | {c:.1} | {:.2}x |",
                median(runs[i].iter().map(|r| r.rps).collect()),
                median(runs[i].iter().map(|r| r.p99_us as f64).collect()),
                c / soap_cpu
            );
        }
    }
    drop(servers);
    eprintln!(
        "\nProtocol work in process (format_work: read, validate, echo, write; the fastest of 300 short batches), \
         and the JSON floor: serde_json parsing the same request and writing the same reply."
    );
    let output = Command::new(bin.join("format_work"))
        .arg("--workloads")
        .arg(workloads.join(","))
        .output()
        .context("cannot run format_work")?;
    if !output.status.success() {
        bail!(
            "format_work failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    eprint!("{}", String::from_utf8_lossy(&output.stdout));
    Ok(())
}
