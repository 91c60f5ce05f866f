//! A closed-loop HTTP/1.1 load generator for `cargo xtask bench http`: N keep-alive
//! connections, each sending the same POST as soon as the previous reply arrived, for a fixed
//! time. Prints one line: `requests=.. seconds=.. rps=.. p50_us=.. p99_us=.. errors=..`.
//!
//! Run: `cargo run --release -p rpclib-examples --example loadgen -- --addr 127.0.0.1:8000
//! --body request.xml --connections 32 --seconds 5`

#![allow(clippy::print_stdout)] // its output line is the point

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

struct Stats {
    latencies_us: Vec<u32>,
    errors: u64,
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

fn connection(addr: String, request: Arc<Vec<u8>>, stop: Arc<AtomicBool>) -> Stats {
    let mut stats = Stats {
        latencies_us: Vec::with_capacity(100_000),
        errors: 0,
    };
    let mut buf = Vec::new();
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
            let started = Instant::now();
            if writer.write_all(&request).is_err() {
                stats.errors += 1;
                continue 'reconnect;
            }
            match read_response(&mut reader, &mut buf) {
                Ok(200) => stats
                    .latencies_us
                    .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32),
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

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let (mut addr, mut body_file, mut connections, mut seconds) =
        (String::new(), String::new(), 32usize, 5.0f64);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().context("--addr HOST:PORT")?,
            "--body" => body_file = args.next().context("--body FILE")?,
            "--connections" => connections = args.next().context("--connections N")?.parse()?,
            "--seconds" => seconds = args.next().context("--seconds S")?.parse()?,
            other => bail!("unknown argument {other:?}"),
        }
    }
    let body = std::fs::read(&body_file).with_context(|| format!("cannot read {body_file}"))?;
    let mut request = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: \"\"\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let request = Arc::new(request);
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (addr, request, stop) = (addr.clone(), Arc::clone(&request), Arc::clone(&stop));
            std::thread::spawn(move || connection(addr, request, stop))
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let s = w
            .join()
            .map_err(|_| anyhow::anyhow!("a load thread panicked"))?;
        all.extend(s.latencies_us);
        errors += s.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "requests={} seconds={elapsed:.3} rps={:.0} p50_us={} p99_us={} errors={errors}",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
    Ok(())
}
