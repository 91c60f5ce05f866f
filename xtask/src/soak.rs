//! `cargo xtask soak [--seconds N]`: the bench example server (release) under N seconds
//! (default 60) of mixed load from many loopback connections, driven by the `soak` example
//! (valid calls of every bench operation with their values checked, hostile envelopes with
//! their fault codes checked, oversized bodies, slow senders, dropped connections). Then:
//! the server is the same process (pid and start time) and still answers, and its resident
//! memory after the run is within 10% of where it settled after the warm-up.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Server limits for the soak: small enough that the slow and oversized cases end fast.
const MAX_BODY: &str = "262144";
const HEADER_TIMEOUT_MS: &str = "2000";
const REQUEST_TIMEOUT_MS: &str = "3000";
/// Allowed growth of resident memory over the settled figure.
const RSS_TOLERANCE: f64 = 0.10;

/// The bench server, killed when dropped.
struct ServerProcess {
    child: Child,
    addr: String,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let mut seconds = 60u64;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                let v = it.next().context("--seconds needs a value")?;
                seconds = v
                    .parse()
                    .with_context(|| format!("--seconds: not a number: {v:?}"))?;
            }
            other => bail!("soak: unknown argument {other:?} (--seconds N; or `soak queue`)"),
        }
    }
    if seconds < 10 {
        bail!("soak: --seconds must be at least 10 (warm-up included)");
    }
    crate::cargo(
        &[
            "build",
            "--release",
            "-p",
            "rpclib-examples",
            "--example",
            "bench",
            "--example",
            "soak",
        ],
        &[],
    )?;
    let examples = crate::target_dir()?.join("release").join("examples");
    let specs = root.join("examples/data/bench");
    if !specs.join("w1-request.xml").is_file() {
        bail!(
            "the bench request files are missing: {}",
            specs.join("w1-request.xml").display()
        );
    }
    let mut server = start_server(&examples.join("bench"))?;
    let pid = server.child.id();
    let started_at = start_time(pid)?;
    eprintln!(
        "xtask: soak: bench server pid {pid} on {}, {seconds} s of load",
        server.addr
    );

    let mut driver = Command::new(examples.join("soak"))
        .arg("--addr")
        .arg(&server.addr)
        .arg("--seconds")
        .arg(seconds.to_string())
        .arg("--specs")
        .arg(&specs)
        .args(["--max-body-bytes", MAX_BODY])
        .args(["--header-timeout-ms", HEADER_TIMEOUT_MS])
        .args(["--request-timeout-ms", REQUEST_TIMEOUT_MS])
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot start the soak driver")?;

    // Resident memory, sampled every 500 ms while the load runs.
    let warmup = Duration::from_secs((seconds / 5).max(10));
    let begun = Instant::now();
    let mut samples: Vec<(Duration, u64)> = Vec::new();
    let status = loop {
        if let Some(status) = driver.try_wait()? {
            break status;
        }
        if let Some(exit) = server.child.try_wait()? {
            let _ = driver.kill();
            bail!("the server exited during the soak ({exit})");
        }
        samples.push((begun.elapsed(), rss_kib(pid)?));
        std::thread::sleep(Duration::from_millis(500));
    };
    let mut report = String::new();
    if let Some(mut out) = driver.stdout.take() {
        out.read_to_string(&mut report)
            .context("reading the driver's counts")?;
    }
    eprintln!("xtask: soak: requests by kind\n{report}");
    if !status.success() {
        bail!("the soak driver found wrong answers ({status}); see FAIL lines above");
    }

    // The same process, still answering.
    std::thread::sleep(Duration::from_secs(2));
    if let Some(exit) = server.child.try_wait()? {
        bail!("the server exited ({exit})");
    }
    if start_time(pid)? != started_at {
        bail!("process {pid} is not the server that was started");
    }
    let wsdl = get(&server.addr, "/?wsdl").context("the server no longer answers")?;
    if !wsdl.contains("definitions") {
        bail!("the server's WSDL looks wrong after the soak: {wsdl:.200}");
    }

    let window: Vec<u64> = samples
        .iter()
        .filter(|(t, _)| *t <= warmup && *t + Duration::from_secs(3) >= warmup)
        .map(|(_, r)| *r)
        .collect();
    let settled = median(window).context("no memory sample at the end of the warm-up")?;
    let peak = samples.iter().map(|(_, r)| *r).max().unwrap_or(0);
    let last_loaded = samples.last().map_or(0, |(_, r)| *r);
    let after = rss_kib(pid)?;
    let growth = after as f64 / settled as f64 - 1.0;
    eprintln!(
        "xtask: soak: VmRSS settled after {} s warm-up {settled} KiB; at the end of the load \
         {last_loaded} KiB; peak {peak} KiB; after the run {after} KiB ({:+.1}%)",
        warmup.as_secs(),
        growth * 100.0
    );
    eprintln!("xtask: soak: server pid {pid} served throughout, never restarted");
    server.child.kill().ok();
    if growth > RSS_TOLERANCE {
        bail!(
            "resident memory grew {:.1}% (limit {:.0}%)",
            growth * 100.0,
            RSS_TOLERANCE * 100.0
        );
    }
    Ok(())
}

fn start_server(program: &Path) -> Result<ServerProcess> {
    let mut child = Command::new(program)
        .args(["--port", "0", "--max-body-bytes", MAX_BODY])
        .args(["--header-timeout-ms", HEADER_TIMEOUT_MS])
        .args(["--request-timeout-ms", REQUEST_TIMEOUT_MS])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .with_context(|| format!("cannot start {}", program.display()))?;
    let stdout = child.stdout.take().context("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .context("reading the server's first line")?;
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .and_then(|a| a.strip_suffix('/'))
        .map(str::to_owned);
    let server = ServerProcess {
        child,
        addr: addr.unwrap_or_default(),
    };
    if server.addr.is_empty() {
        bail!("unexpected first line from the server: {line:?}");
    }
    Ok(server)
}

/// A process's start time (clock ticks since boot): with the pid, its identity.
fn start_time(pid: u32) -> Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .with_context(|| format!("process {pid} is gone"))?;
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .context("malformed /proc stat")?;
    rest.split_whitespace()
        .nth(19)
        .context("no start time in /proc stat")?
        .parse()
        .context("malformed start time")
}

/// Resident memory now, in KiB.
fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("process {pid} is gone"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .context("no VmRSS in /proc status")?
        .parse()
        .context("malformed VmRSS")
}

fn median(mut v: Vec<u64>) -> Option<u64> {
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

/// A GET; the body as text, if the status is 200.
fn get(addr: &str, path: &str) -> Result<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut text = String::new();
    s.read_to_string(&mut text)?;
    if !text.starts_with("HTTP/1.1 200") {
        bail!("GET {path}: {:.200}", text);
    }
    Ok(text)
}
