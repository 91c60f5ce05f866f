//! The HTTP/1.1 load generator of `cargo xtask bench http`: N keep-alive connections sending
//! the same POST for a fixed time. Prints one line:
//! `requests=.. seconds=.. rps=.. p50_us=.. p99_us=.. p999_us=.. errors=..`.
//!
//! Closed loop by default: each connection sends its next request as soon as the previous
//! reply arrived, which finds the highest rate but hides queueing delay (a slow reply delays
//! the next request instead of making it wait). `--rate R` makes it open loop: requests are
//! due at a fixed total rate (spread evenly over the connections), and each latency is
//! measured from the time its request was due, not the time it could be sent, so a request
//! held up behind a slow one counts the wait (the coordinated-omission correction).
//!
//! The request's headers follow the body file's extension: `.json` is sent as
//! `application/json`, `.msgpack` as `application/msgpack`, anything else as a SOAP 1.1
//! request (`text/xml` with an empty `SOAPAction`).
//!
//! Run: `cargo run --release -p rpclib-examples --example loadgen -- --addr 127.0.0.1:8000
//! --body request.xml --connections 32 --seconds 5 [--rate 20000]`

#![allow(clippy::print_stdout)] // its output line is the point

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

struct Stats {
    latencies_us: Vec<u32>,
    /// Open loop: how late each request went out after it was due (the client's own delay,
    /// a floor under the latencies: a sleeping thread wakes up late).
    late_us: Vec<u32>,
    errors: u64,
}

fn micros(d: Duration) -> u32 {
    d.as_micros().min(u32::MAX as u128) as u32
}

/// Reads one response; `Ok(status)`.
fn read_response(reader: &mut BufReader<TcpStream>, buf: &mut Vec<u8>) -> Result<u16> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.split(' ').nth(1).context("no status")?.parse()?;
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse()?;
        }
    }
    buf.resize(length, 0);
    reader.read_exact(buf)?;
    Ok(status)
}

/// When a connection's requests are due: `None` as fast as replies come (closed loop), or
/// every `interval` from `first` (open loop).
#[derive(Clone, Copy)]
struct Schedule {
    first: Instant,
    interval: Duration,
}

fn connection(
    addr: String,
    request: Arc<Vec<u8>>,
    stop: Arc<AtomicBool>,
    schedule: Option<Schedule>,
) -> Stats {
    let mut stats = Stats {
        latencies_us: Vec::with_capacity(100_000),
        late_us: Vec::new(),
        errors: 0,
    };
    let mut buf = Vec::new();
    let mut due = schedule.map(|s| s.first);
    'reconnect: while !stop.load(Ordering::Relaxed) {
        let Ok(stream) = TcpStream::connect(&addr) else {
            stats.errors += 1;
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let Ok(mut writer) = stream.try_clone() else {
            continue;
        };
        let mut reader = BufReader::with_capacity(64 * 1024, stream);
        while !stop.load(Ordering::Relaxed) {
            let started = match (due, schedule) {
                (Some(at), Some(s)) => {
                    let now = Instant::now();
                    if at > now {
                        std::thread::sleep(at - now);
                    }
                    stats.late_us.push(micros(at.elapsed()));
                    due = Some(at + s.interval);
                    at
                }
                _ => Instant::now(),
            };
            if writer.write_all(&request).is_err() {
                stats.errors += 1;
                continue 'reconnect;
            }
            match read_response(&mut reader, &mut buf) {
                Ok(200) => stats.latencies_us.push(micros(started.elapsed())),
                Ok(_) => stats.errors += 1,
                Err(_) => {
                    stats.errors += 1;
                    continue 'reconnect;
                }
            }
        }
    }
    stats
}

/// The headers naming the request's format, from the body file's extension.
fn format_headers(body_file: &str) -> &'static str {
    match std::path::Path::new(body_file)
        .extension()
        .and_then(|e| e.to_str())
    {
        Some("json") => "Content-Type: application/json\r\n",
        Some("msgpack") => "Content-Type: application/msgpack\r\n",
        _ => "Content-Type: text/xml; charset=utf-8\r\nSOAPAction: \"\"\r\n",
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut addr, mut body_file, mut connections, mut seconds) =
        (String::new(), String::new(), 32usize, 5.0f64);
    let mut rate: Option<f64> = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().context("--addr HOST:PORT")?,
            "--body" => body_file = args.next().context("--body FILE")?,
            "--connections" => connections = args.next().context("--connections N")?.parse()?,
            "--seconds" => seconds = args.next().context("--seconds S")?.parse()?,
            "--rate" => rate = Some(args.next().context("--rate R")?.parse()?),
            other => bail!("unknown argument {other:?}"),
        }
    }
    let body = std::fs::read(&body_file).with_context(|| format!("cannot read {body_file}"))?;
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\n{}Content-Length: {}\r\n\r\n",
        format_headers(&body_file),
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let request = Arc::new(request);
    if connections == 0 {
        bail!("--connections must be at least 1");
    }
    if rate.is_some_and(|r| !(r.is_finite() && r > 0.0)) {
        bail!("--rate must be a positive number of requests per second");
    }
    let stop = Arc::new(AtomicBool::new(false));
    // Open loop: the first requests are due once every connection had time to connect, one
    // connection after the other at the total rate, then each connection every
    // `connections / rate` seconds.
    let first = Instant::now() + Duration::from_millis(100);
    let started = if rate.is_some() {
        first
    } else {
        Instant::now()
    };
    let workers: Vec<_> = (0..connections)
        .map(|i| {
            let (addr, request, stop) = (addr.clone(), Arc::clone(&request), Arc::clone(&stop));
            let schedule = rate.map(|r| Schedule {
                first: first + Duration::from_secs_f64(i as f64 / r),
                interval: Duration::from_secs_f64(connections as f64 / r),
            });
            std::thread::spawn(move || connection(addr, request, stop, schedule))
        })
        .collect();
    if rate.is_some() {
        std::thread::sleep(first.saturating_duration_since(Instant::now()));
    }
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut late = Vec::new();
    let mut errors = 0;
    for w in workers {
        let s = w
            .join()
            .map_err(|_| anyhow::anyhow!("a load thread panicked"))?;
        all.extend(s.latencies_us);
        late.extend(s.late_us);
        errors += s.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    late.sort_unstable();
    let pct = |v: &[u32], p: f64| {
        v.get(((v.len() as f64 * p) as usize).min(v.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "requests={} seconds={elapsed:.3} rps={:.0} p50_us={} p99_us={} p999_us={} late_p50_us={} late_p99_us={} errors={errors}",
        all.len(),
        all.len() as f64 / elapsed,
        pct(&all, 0.50),
        pct(&all, 0.99),
        pct(&all, 0.999),
        pct(&late, 0.50),
        pct(&late, 0.99)
    );
    Ok(())
}
