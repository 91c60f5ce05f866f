//! The load driver of `cargo xtask soak`: mixed, partly hostile traffic against the bench
//! example server on loopback for a fixed time, checking every answer.
//!
//! Kinds of request, each on its own connections:
//! - `valid-w1|w2|w3`: the W1-W3 request files of the bench spec, and calls of the same
//!   operations with random values; every reply's values must equal the request's;
//! - hostile envelopes (malformed XML, DOCTYPE, wrong envelope namespace, no Body, unknown
//!   operation, wrong lexical value, too deep nesting, invalid UTF-8, empty body, undefined
//!   entity; a SOAP 1.2 call of an unknown operation): each must get its documented fault
//!   code (SOAP 1.1 `faultcode` or SOAP 1.2 `Code/Value`), with status 500 (400 for a SOAP 1.2
//!   `Sender` fault);
//! - `oversized` (with and without Content-Length): 413 and `Client.RequestTooLong`;
//! - `slow-headers`: headers trickled byte by byte: the connection must be cut off (closed,
//!   or 408) at the header timeout;
//! - `slow-body`: a body trickled byte by byte: 408 `Client.RequestTimeout` at the request
//!   timeout. Either counts as `*-late` when it came more than 1 s after the limit, and
//!   fails when it came later than three times the limit plus 2 s (never cut off);
//! - `dropped`: connections closed mid-headers, mid-body, or before reading the reply.
//!
//! Prints one `kind count` line per kind, then `total`, `failures`; exits 1 on any failure.
//!
//! Run: `cargo run --release -p rpclib-examples --example soak -- --addr 127.0.0.1:8000
//! --seconds 60 --specs examples/data/bench --max-body-bytes 262144
//! --header-timeout-ms 2000 --request-timeout-ms 3000`

#![allow(clippy::print_stdout)] // the counts are the output

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const TNS: &str = "urn:rpclib:bench";

#[derive(Debug, Clone)]
struct Args {
    addr: String,
    seconds: u64,
    specs: PathBuf,
    connections: usize,
    slow_connections: usize,
    max_body: usize,
    header_timeout: Duration,
    request_timeout: Duration,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        addr: String::new(),
        seconds: 60,
        specs: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/bench")),
        connections: 32,
        slow_connections: 6,
        max_body: 256 * 1024,
        header_timeout: Duration::from_millis(2000),
        request_timeout: Duration::from_millis(3000),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut v = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => a.addr = v()?,
            "--seconds" => a.seconds = v()?.parse().context("--seconds")?,
            "--specs" => a.specs = PathBuf::from(v()?),
            "--connections" => a.connections = v()?.parse().context("--connections")?,
            "--slow-connections" => {
                a.slow_connections = v()?.parse().context("--slow-connections")?;
            }
            "--max-body-bytes" => a.max_body = v()?.parse().context("--max-body-bytes")?,
            "--header-timeout-ms" => {
                a.header_timeout = Duration::from_millis(v()?.parse().context("header timeout")?);
            }
            "--request-timeout-ms" => {
                a.request_timeout = Duration::from_millis(v()?.parse().context("request timeout")?);
            }
            other => bail!("unknown argument {other:?}"),
        }
    }
    if a.addr.is_empty() {
        bail!("--addr HOST:PORT is required");
    }
    Ok(a)
}

/// A tiny deterministic generator (xorshift), one per thread.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

// ---------------------------------------------------------------------------------------
// A minimal reader for the server's replies: the leaves (path of local names, text) and the
// fault code. The replies are machine-written; anything it cannot read is a failure.

fn unescape(s: &str) -> Result<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').context("an unterminated reference")? + at;
        let name = &rest[at + 1..end];
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16)?
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse()?
                } else {
                    bail!("an unknown entity &{name};")
                };
                char::from_u32(code).context("an invalid character reference")?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// The leaves of an XML document: (local names from the root, text).
fn leaves(xml: &str) -> Result<Vec<(Vec<String>, String)>> {
    let mut out = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut had_child = false;
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<?") {
            rest = &rest[rest.find("?>").context("an unterminated declaration")? + 2..];
            continue;
        }
        let gt = rest.find('>').context("an unterminated tag")?;
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().context("an unbalanced end tag")?;
            if local(name.trim()) != open {
                bail!("</{name}> closes <{open}>");
            }
            if !had_child {
                let mut path = stack.clone();
                path.push(open);
                out.push((path, unescape(&text)?));
            }
            had_child = true;
            text.clear();
        } else {
            let empty = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name = local(tag.split_whitespace().next().context("an empty tag")?).to_owned();
            text.clear();
            if empty {
                let mut path = stack.clone();
                path.push(name);
                out.push((path, String::new()));
                had_child = true;
            } else {
                stack.push(name);
                had_child = false;
            }
        }
    }
    if !stack.is_empty() {
        bail!("unclosed elements {stack:?}");
    }
    Ok(out)
}

/// The leaves under `Envelope/Body/<operation element>/<argument or result element>`, with
/// the path below that.
fn payload(xml: &str) -> Result<Vec<(Vec<String>, String)>> {
    Ok(leaves(xml)?
        .into_iter()
        .filter(|(p, _)| p.len() >= 4 && p[1] == "Body")
        .map(|(p, t)| (p[4..].to_vec(), t))
        .collect())
}

/// The fault's code: SOAP 1.1 `faultcode`, or SOAP 1.2 `Fault/Code/Value` (the top-level
/// code, not a subcode's), without its prefix.
fn fault_code(xml: &str) -> Option<String> {
    leaves(xml)
        .ok()?
        .into_iter()
        .find(|(p, _)| match p.as_slice() {
            [.., last] if last == "faultcode" => true,
            [.., fault, code, value] => fault == "Fault" && code == "Code" && value == "Value",
            _ => false,
        })
        .map(|(_, t)| local(&t).to_owned())
}

// ---------------------------------------------------------------------------------------
// Requests.

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><soapenv:Envelope xmlns:soapenv=\"{SOAP11}\" \
         xmlns:tns=\"{TNS}\"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    )
}

const CHARS: &[&str] = &[
    "a", "b", "Z", "0", "9", " ", "<", ">", "&", "\"", "'", "é", "漢", "😀", "-", "\t",
];

fn random_string(rng: &mut Rng, max: u64) -> String {
    let n = 1 + rng.below(max);
    (0..n)
        .map(|_| CHARS[rng.below(CHARS.len() as u64) as usize])
        .collect()
}

fn random_w1(rng: &mut Rng) -> String {
    envelope(&format!(
        "<tns:echo_string><tns:s>{}</tns:s></tns:echo_string>",
        escape(&random_string(rng, 200))
    ))
}

fn random_w2(rng: &mut Rng) -> String {
    let n = 1 + rng.below(1000);
    let ints: String = (0..n)
        .map(|_| format!("<tns:int>{}</tns:int>", rng.next() as i32))
        .collect();
    envelope(&format!(
        "<tns:echo_integer_array><tns:values>{ints}</tns:values></tns:echo_integer_array>"
    ))
}

fn random_w3(rng: &mut Rng) -> String {
    let n = 1 + rng.below(40);
    let people: String = (0..n)
        .map(|_| {
            let tags: String = (0..1 + rng.below(4))
                .map(|_| {
                    format!(
                        "<tns:string>{}</tns:string>",
                        escape(&random_string(rng, 12))
                    )
                })
                .collect();
            format!(
                "<tns:Person><tns:name>{}</tns:name><tns:age>{}</tns:age><tns:email>{}</tns:email>\
                 <tns:tags>{tags}</tns:tags></tns:Person>",
                escape(&random_string(rng, 30)),
                rng.next() as i32,
                escape(&random_string(rng, 30)),
            )
        })
        .collect();
    envelope(&format!(
        "<tns:echo_people><tns:people>{people}</tns:people></tns:echo_people>"
    ))
}

/// A hostile request and the fault code it must get (HTTP 500, but see [`fault_status`]).
fn hostile(rng: &mut Rng) -> (&'static str, Vec<u8>, &'static str) {
    let ok = "<tns:echo_string><tns:s>x</tns:s></tns:echo_string>";
    match rng.below(10) {
        0 => (
            "bad-malformed",
            envelope("<tns:echo_string><tns:s>x</tns:echo_string>").into_bytes(),
            "Client.XMLSyntaxError",
        ),
        1 => (
            "bad-doctype",
            format!(
                "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \
                 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \
                 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>{}",
                envelope("<tns:echo_string><tns:s>&lol3;</tns:s></tns:echo_string>")
                    .trim_start_matches("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
            )
            .into_bytes(),
            "Client.XMLSyntaxError",
        ),
        2 => (
            "bad-envelope-namespace",
            format!(
                "<e:Envelope xmlns:e=\"urn:not-soap\" xmlns:tns=\"{TNS}\"><e:Body>{ok}</e:Body></e:Envelope>"
            )
            .into_bytes(),
            "VersionMismatch",
        ),
        // The bench server speaks SOAP 1.2 too (on the same URL): a bad 1.2 call gets a 1.2
        // fault, `Sender` with HTTP 400.
        3 => (
            "bad-soap12-operation",
            format!(
                "<e:Envelope xmlns:e=\"{SOAP12}\" xmlns:tns=\"{TNS}\"><e:Body><tns:no_such_operation/></e:Body></e:Envelope>"
            )
            .into_bytes(),
            "Sender",
        ),
        4 => (
            "bad-missing-body",
            format!("<e:Envelope xmlns:e=\"{SOAP11}\"><e:Header/></e:Envelope>").into_bytes(),
            "Client.InvalidEnvelope",
        ),
        5 => (
            "bad-unknown-operation",
            envelope("<tns:no_such_operation/>").into_bytes(),
            "Client.MethodNotFound",
        ),
        6 => (
            "bad-lexical-value",
            envelope(
                "<tns:echo_integer_array><tns:values><tns:int>1</tns:int><tns:int>ten</tns:int>\
                 </tns:values></tns:echo_integer_array>",
            )
            .into_bytes(),
            "Client.ValidationError",
        ),
        7 => (
            "bad-too-deep",
            format!(
                "<soapenv:Envelope xmlns:soapenv=\"{SOAP11}\" xmlns:tns=\"{TNS}\"><soapenv:Header>\
                 <x:h xmlns:x=\"urn:x\">{}{}</x:h></soapenv:Header><soapenv:Body>{ok}</soapenv:Body>\
                 </soapenv:Envelope>",
                "<a>".repeat(300),
                "</a>".repeat(300)
            )
            .into_bytes(),
            "Client.LimitExceeded",
        ),
        8 => {
            let mut b = envelope(ok).into_bytes();
            let at = b.len() - 50;
            b.insert(at, 0xFF);
            ("bad-invalid-utf8", b, "Client.XMLSyntaxError")
        }
        _ => {
            if rng.below(2) == 0 {
                ("bad-empty-body", Vec::new(), "Client.XMLSyntaxError")
            } else {
                (
                    "bad-undefined-entity",
                    envelope("<tns:echo_string><tns:s>&xxe;</tns:s></tns:echo_string>")
                        .into_bytes(),
                    "Client.XMLSyntaxError",
                )
            }
        }
    }
}

fn post_head(len: Option<usize>) -> String {
    let length = match len {
        Some(n) => format!("Content-Length: {n}\r\n"),
        None => "Transfer-Encoding: chunked\r\n".to_owned(),
    };
    format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; charset=utf-8\r\n\
         SOAPAction: \"\"\r\n{length}\r\n"
    )
}

/// Reads one response: (status, body).
fn read_response(reader: &mut BufReader<TcpStream>) -> Result<(u16, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        bail!("the connection closed before a response");
    }
    let status: u16 = line
        .split(' ')
        .nth(1)
        .context("no status")?
        .parse()
        .with_context(|| format!("a bad status line {line:?}"))?;
    let mut length = None;
    let mut chunked = false;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = Some(v.trim().parse::<usize>()?);
            } else if k.eq_ignore_ascii_case("transfer-encoding")
                && v.trim().eq_ignore_ascii_case("chunked")
            {
                chunked = true;
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).context("a bad chunk size")?;
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk)?;
            chunk.truncate(n);
            body.extend_from_slice(&chunk);
            if n == 0 {
                break;
            }
        }
    } else {
        body.resize(length.unwrap_or(0), 0);
        reader.read_exact(&mut body)?;
    }
    Ok((status, body))
}

/// A keep-alive connection, reopened when needed.
struct Conn {
    addr: String,
    io: Option<(TcpStream, BufReader<TcpStream>)>,
}

impl Conn {
    fn open(addr: &str) -> Result<(TcpStream, BufReader<TcpStream>)> {
        let s = TcpStream::connect(addr).with_context(|| format!("connecting to {addr}"))?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        let r = BufReader::with_capacity(64 * 1024, s.try_clone()?);
        Ok((s, r))
    }

    fn call(&mut self, body: &[u8]) -> Result<(u16, Vec<u8>)> {
        for attempt in 0..2 {
            if self.io.is_none() {
                self.io = Some(Conn::open(&self.addr)?);
            }
            let (w, r) = self.io.as_mut().context("connected")?;
            let mut request = post_head(Some(body.len())).into_bytes();
            request.extend_from_slice(body);
            let sent = w.write_all(&request);
            let answer = sent
                .map_err(anyhow::Error::from)
                .and_then(|()| read_response(r));
            match answer {
                Ok(a) => return Ok(a),
                // A keep-alive connection the server closed meanwhile: once more on a new one.
                Err(e) if attempt == 0 => {
                    self.io = None;
                    let _ = e;
                }
                Err(e) => return Err(e),
            }
        }
        bail!("unreachable")
    }
}

// ---------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    counts: BTreeMap<&'static str, u64>,
    failures: Vec<String>,
}

type Shared = Arc<Mutex<Tally>>;

fn count(t: &Shared, kind: &'static str) {
    *t.lock()
        .unwrap_or_else(|p| p.into_inner())
        .counts
        .entry(kind)
        .or_default() += 1;
}

fn fail(t: &Shared, kind: &str, why: String) {
    let mut t = t.lock().unwrap_or_else(|p| p.into_inner());
    *t.counts.entry("FAILED").or_default() += 1;
    if t.failures.len() < 50 {
        t.failures.push(format!("{kind}: {why}"));
    }
}

fn check_valid(request: &str, status: u16, reply: &[u8]) -> Result<()> {
    let reply = std::str::from_utf8(reply).context("the reply is not UTF-8")?;
    if status != 200 {
        bail!("status {status}: {reply:.300}");
    }
    let want = payload(request)?;
    let got = payload(reply)?;
    if want != got {
        let first = want
            .iter()
            .zip(&got)
            .find(|(a, b)| a != b)
            .map(|(a, b)| format!("{a:?} != {b:?}"));
        bail!(
            "values differ: sent {} leaves, got {} ({})",
            want.len(),
            got.len(),
            first.unwrap_or_default()
        );
    }
    if want.is_empty() {
        bail!("no values in {request:.200}");
    }
    Ok(())
}

/// The HTTP status a fault with `code` comes with: SOAP 1.2 `Sender` faults are 400, every
/// other fault 500.
fn fault_status(code: &str) -> u16 {
    if code == "Sender" { 400 } else { 500 }
}

fn check_fault(expected: &str, want_status: u16, status: u16, reply: &[u8]) -> Result<()> {
    let reply = String::from_utf8_lossy(reply);
    let code = fault_code(&reply);
    if status != want_status || code.as_deref() != Some(expected) {
        bail!("want {want_status} {expected}, got {status} {code:?}: {reply:.300}");
    }
    Ok(())
}

/// Valid and hostile calls on one keep-alive connection, and oversized bodies.
fn mixed_worker(args: Args, files: Arc<Vec<String>>, stop: Arc<AtomicBool>, t: Shared, seed: u64) {
    let mut rng = Rng(seed);
    let mut conn = Conn {
        addr: args.addr.clone(),
        io: None,
    };
    while !stop.load(Ordering::Relaxed) {
        let pick = rng.below(100);
        if pick < 55 {
            let (kind, request): (&'static str, String) = match rng.below(6) {
                0 => ("valid-w1", files[0].clone()),
                1 => ("valid-w2", files[1].clone()),
                2 => ("valid-w3", files[2].clone()),
                3 => ("valid-w1", random_w1(&mut rng)),
                4 => ("valid-w2", random_w2(&mut rng)),
                _ => ("valid-w3", random_w3(&mut rng)),
            };
            match conn
                .call(request.as_bytes())
                .and_then(|(s, r)| check_valid(&request, s, &r))
            {
                Ok(()) => count(&t, kind),
                Err(e) => fail(&t, kind, format!("{e:#}")),
            }
        } else if pick < 95 {
            let (kind, body, code) = hostile(&mut rng);
            match conn
                .call(&body)
                .and_then(|(s, r)| check_fault(code, fault_status(code), s, &r))
            {
                Ok(()) => count(&t, kind),
                Err(e) => fail(&t, kind, format!("{e:#}")),
            }
        } else {
            let chunked = rng.below(2) == 0;
            let kind = if chunked {
                "oversized-chunked"
            } else {
                "oversized-declared"
            };
            match oversized(&args, chunked) {
                Ok(()) => count(&t, kind),
                Err(e) => fail(&t, kind, format!("{e:#}")),
            }
        }
    }
}

/// A body past the limit: 413 `Client.RequestTooLong`.
fn oversized(args: &Args, chunked: bool) -> Result<()> {
    let (mut w, mut r) = Conn::open(&args.addr)?;
    let size = args.max_body + 1 + args.max_body / 4;
    let filler = vec![b'x'; size];
    let head = post_head(if chunked { None } else { Some(size) });
    w.write_all(head.as_bytes())?;
    // The server may answer and close before the whole body is sent: write errors are fine.
    let writer = {
        let mut w2 = w.try_clone()?;
        std::thread::spawn(move || {
            if chunked {
                for piece in filler.chunks(16 * 1024) {
                    let mut c = format!("{:x}\r\n", piece.len()).into_bytes();
                    c.extend_from_slice(piece);
                    c.extend_from_slice(b"\r\n");
                    if w2.write_all(&c).is_err() {
                        return;
                    }
                }
                let _ = w2.write_all(b"0\r\n\r\n");
            } else {
                let _ = w2.write_all(&filler);
            }
        })
    };
    let answer = read_response(&mut r);
    let _ = w.shutdown(Shutdown::Both);
    let _ = writer.join();
    let (status, body) = answer?;
    check_fault("Client.RequestTooLong", 413, status, &body)
}

/// Slow senders and dropped connections.
fn slow_worker(args: Args, stop: Arc<AtomicBool>, t: Shared, seed: u64) {
    let mut rng = Rng(seed);
    while !stop.load(Ordering::Relaxed) {
        let (kind, result): (&'static str, Result<bool>) = match rng.below(5) {
            0 => ("slow-headers", slow_headers(&args)),
            1 => ("slow-body", slow_body(&args)),
            2 => (
                "dropped-in-headers",
                dropped(&args, 0, &mut rng).map(|()| false),
            ),
            3 => (
                "dropped-in-body",
                dropped(&args, 1, &mut rng).map(|()| false),
            ),
            _ => (
                "dropped-before-reply",
                dropped(&args, 2, &mut rng).map(|()| false),
            ),
        };
        match result {
            Ok(late) => {
                count(&t, kind);
                if late {
                    count(
                        &t,
                        if kind == "slow-body" {
                            "slow-body-late"
                        } else {
                            "slow-headers-late"
                        },
                    );
                }
            }
            Err(e) => fail(&t, kind, format!("{e:#}")),
        }
    }
}

/// How long past its limit a slow sender may still be cut off before it counts as never cut
/// off: on a saturated machine a timer fires late, which the soak reports (`*-late`) but
/// does not fail on.
fn hard_limit(limit: Duration) -> Duration {
    limit * 3 + Duration::from_secs(2)
}

/// Whether the server cut the connection (EOF, reset) or answered 408; `Ok(true)` if that
/// came later than `limit`.
fn expect_cut(r: &mut BufReader<TcpStream>, started: Instant, limit: Duration) -> Result<bool> {
    let outcome = read_response(r);
    let took = started.elapsed();
    if took > hard_limit(limit) {
        bail!("cut off after {took:?}, limit {limit:?}");
    }
    match outcome {
        Ok((408, _)) | Err(_) => Ok(took > limit),
        Ok((status, body)) => bail!("answered {status}: {:.200}", String::from_utf8_lossy(&body)),
    }
}

fn slow_headers(args: &Args) -> Result<bool> {
    let (w, mut r) = Conn::open(&args.addr)?;
    let started = Instant::now();
    let head = post_head(Some(10));
    let limit = args.header_timeout + Duration::from_secs(1);
    // A byte every 200 ms, on a thread, until the server closes or the headers run out.
    let mut w2 = w.try_clone()?;
    let bytes = head.into_bytes();
    let trickle = std::thread::spawn(move || {
        for b in bytes.iter().take(bytes.len() - 2) {
            if w2.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let result = expect_cut(&mut r, started, limit);
    let _ = w.shutdown(Shutdown::Both);
    let _ = trickle.join();
    result
}

fn slow_body(args: &Args) -> Result<bool> {
    let (mut w, mut r) = Conn::open(&args.addr)?;
    let body = envelope("<tns:echo_string><tns:s>slow</tns:s></tns:echo_string>").into_bytes();
    w.write_all(post_head(Some(body.len())).as_bytes())?;
    let started = Instant::now();
    let limit = args.request_timeout + Duration::from_secs(1);
    let mut w2 = w.try_clone()?;
    let trickle = std::thread::spawn(move || {
        for b in &body {
            if w2.write_all(&[*b]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(150));
        }
    });
    let outcome = read_response(&mut r);
    let took = started.elapsed();
    let _ = w.shutdown(Shutdown::Both);
    let _ = trickle.join();
    if took > hard_limit(limit) {
        bail!("cut off after {took:?}, limit {limit:?}");
    }
    let (status, reply) = outcome?;
    check_fault("Client.RequestTimeout", 408, status, &reply)?;
    Ok(took > limit)
}

/// Opens a connection and closes it: mid-headers (0), mid-body (1), or right after the whole
/// request, without reading the reply (2).
fn dropped(args: &Args, stage: u8, rng: &mut Rng) -> Result<()> {
    let (mut w, _r) = Conn::open(&args.addr)?;
    let body = random_w3(rng).into_bytes();
    let head = post_head(Some(body.len())).into_bytes();
    match stage {
        0 => w.write_all(&head[..head.len() / 2])?,
        1 => {
            w.write_all(&head)?;
            w.write_all(&body[..body.len() / 2])?;
        }
        _ => {
            w.write_all(&head)?;
            w.write_all(&body)?;
        }
    }
    std::thread::sleep(Duration::from_millis(rng.below(50)));
    match w.shutdown(Shutdown::Both) {
        Err(e) if e.kind() != ErrorKind::NotConnected => Err(e.into()),
        _ => Ok(()),
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let files = ["w1", "w2", "w3"]
        .iter()
        .map(|w| {
            let p = args.specs.join(format!("{w}-request.xml"));
            std::fs::read_to_string(&p).with_context(|| format!("reading {}", p.display()))
        })
        .collect::<Result<Vec<_>>>()?;
    for f in &files {
        if payload(f)?.is_empty() {
            bail!("cannot read the values of a request file");
        }
    }
    let files = Arc::new(files);
    let stop = Arc::new(AtomicBool::new(false));
    let tally: Shared = Arc::default();
    let mut threads = Vec::new();
    for i in 0..args.connections {
        let (a, f, s, t) = (args.clone(), files.clone(), stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || {
            mixed_worker(a, f, s, t, 0x9E37_79B9_7F4A_7C15 ^ ((i as u64 + 1) * 7919));
        }));
    }
    for i in 0..args.slow_connections {
        let (a, s, t) = (args.clone(), stop.clone(), tally.clone());
        threads.push(std::thread::spawn(move || {
            slow_worker(a, s, t, 0xD1B5_4A32_D192_ED03 ^ ((i as u64 + 1) * 104_729));
        }));
    }
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(args.seconds));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let t = tally.lock().unwrap_or_else(|p| p.into_inner());
    let total: u64 = t
        .counts
        .iter()
        .filter(|(k, _)| **k != "FAILED" && !k.ends_with("-late"))
        .map(|(_, v)| v)
        .sum();
    for (kind, n) in &t.counts {
        println!("{kind:<24} {n}");
    }
    println!("{:<24} {total} in {elapsed:.0} s", "total");
    println!("{:<24} {}", "failures", t.failures.len());
    for f in &t.failures {
        println!("FAIL {f}");
    }
    if !t.failures.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
