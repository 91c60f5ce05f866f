//! Our async client driving the bench server, for `cargo xtask bench http --client`: N
//! concurrent calls in a closed loop (each task calls again as soon as its reply arrived) for a
//! fixed time, through the typed client `#[service]` generates and [`AsyncHttpClient`]. The
//! arguments of each workload are read from its request file (`examples/data/bench/`), so the
//! calls carry what the server bench's raw requests carry. Prints one line:
//! `requests=.. seconds=.. rps=.. errors=.. cpu_ticks=..` (`cpu_ticks`: this process's user +
//! system CPU time, from `/proc/self/stat`, in clock ticks). The first failed call, if any, is
//! described on stderr (`first error: ..`), so that `cargo xtask interop`, which runs it
//! against gSOAP's and node-soap's bench servers, can say what went wrong.
//!
//! Run: `cargo run --release -p rpclib-examples --example bench_client -- --url
//! http://127.0.0.1:8000/ --workload w1 --connections 32 --seconds 3`

#![allow(clippy::print_stdout, clippy::print_stderr)] // its output lines are the point

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use rpclib_core::{Application, Service};
use rpclib_examples::bench::{BenchService, BenchServiceClient, Person, TNS};
use rpclib_protocol_soap::Soap11;
use rpclib_transport_http::{AsyncHttpClient, HttpClientConfig};

const USAGE: &str = "usage: bench_client --url URL --workload w1|w2|w3 [--data DIR] \
                     [--connections N] [--seconds S]";

/// The arguments of one workload's call.
#[derive(Clone)]
enum Workload {
    W1(String),
    W2(Vec<i32>),
    W3(Vec<Person>),
}

/// Reads the call's arguments out of a workload's request file.
fn workload(name: &str, data: &std::path::Path) -> Result<Workload> {
    let path = data.join(format!("{name}-request.xml"));
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let doc = roxmltree::Document::parse(&text).with_context(|| path.display().to_string())?;
    let named = |n: roxmltree::Node<'_, '_>, name: &str| is_named(n, name);
    let text_of = |n: roxmltree::Node<'_, '_>| n.text().unwrap_or("").to_owned();
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        child_text(n, name).with_context(|| format!("{}: no {name} element", path.display()))
    };
    Ok(match name {
        "w1" => {
            let s = doc
                .descendants()
                .find(|n| named(*n, "s"))
                .context("no s element")?;
            Workload::W1(text_of(s))
        }
        "w2" => Workload::W2(
            doc.descendants()
                .filter(|n| named(*n, "int"))
                .map(|n| text_of(n).parse::<i32>().context("an int"))
                .collect::<Result<_>>()?,
        ),
        "w3" => Workload::W3(
            doc.descendants()
                .filter(|n| named(*n, "Person"))
                .map(|p| {
                    Ok(Person {
                        name: child(p, "name")?,
                        age: child(p, "age")?.parse().context("an age")?,
                        email: child(p, "email")?,
                        tags: p
                            .children()
                            .filter(|c| named(*c, "tags"))
                            .flat_map(|t| t.children())
                            .filter(|c| named(*c, "string"))
                            .map(text_of)
                            .collect(),
                    })
                })
                .collect::<Result<_>>()?,
        ),
        other => bail!("unknown workload {other:?}\n{USAGE}"),
    })
}

/// Whether `n` is the bench namespace's element `name`.
fn is_named(n: roxmltree::Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(TNS)
}

/// The text of `n`'s child element `name`.
fn child_text(n: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    n.children()
        .find(|c| is_named(*c, name))
        .map(|c| c.text().unwrap_or("").to_owned())
}

/// This process's user + system CPU time, in clock ticks.
fn cpu_ticks() -> Result<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    let rest = stat
        .rsplit_once(')')
        .map(|(_, r)| r)
        .context("malformed stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11).context("no utime")?.parse()?;
    let stime: u64 = fields.get(12).context("no stime")?.parse()?;
    Ok(utime + stime)
}

type Client = BenchServiceClient<rpclib_core::RemoteClient<AsyncHttpClient, rpclib_core::Async>>;

/// One call; `Ok(true)` when the echo came back whole (compared by size, to keep the check's
/// cost out of the measure; the first call of each task compares everything).
async fn call(client: &Client, work: &Workload, full: bool) -> Result<bool> {
    Ok(match work {
        Workload::W1(s) => {
            let got = client.echo_string(s.clone()).await?;
            if full {
                got == *s
            } else {
                got.len() == s.len()
            }
        }
        Workload::W2(v) => {
            let got = client.echo_integer_array(v.clone()).await?;
            if full {
                got == *v
            } else {
                got.len() == v.len()
            }
        }
        Workload::W3(v) => {
            let got = client.echo_people(v.clone()).await?;
            if full {
                got == *v
            } else {
                got.len() == v.len()
            }
        }
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let mut url = None;
    let mut name = None;
    let mut data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/bench"));
    let mut connections = 32usize;
    let mut seconds = 3.0f64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--url" => url = Some(value()?),
            "--workload" => name = Some(value()?),
            "--data" => data = PathBuf::from(value()?),
            "--connections" => connections = value()?.parse().context("--connections")?,
            "--seconds" => seconds = value()?.parse().context("--seconds")?,
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    let url = url.context(USAGE)?;
    let work = workload(&name.context(USAGE)?, &data)?;
    let app: Arc<Application> = Application::builder("Application", TNS)
        .declare(BenchService::descriptor())
        .protocol(Soap11::new())
        .build()?;
    // The bench server sends plain replies; keep the client's request as the raw load's.
    let config = HttpClientConfig {
        accept_compressed: false,
        pool_max_idle_per_host: connections,
        ..HttpClientConfig::default()
    };
    let transport = AsyncHttpClient::with_config(&url, config)?;
    let client = Arc::new(BenchServiceClient::new(transport.caller(Arc::clone(&app))));
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let cpu_before = cpu_ticks()?;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (client, work) = (Arc::clone(&client), work.clone());
        tasks.spawn(async move {
            let (mut requests, mut errors) = (0u64, 0u64);
            let mut first = true;
            let mut first_error = None;
            while Instant::now() < deadline {
                match call(&client, &work, first).await {
                    Ok(true) => requests += 1,
                    Ok(false) => {
                        errors += 1;
                        first_error.get_or_insert_with(|| "the echo differs".to_owned());
                    }
                    Err(e) => {
                        errors += 1;
                        first_error.get_or_insert_with(|| format!("{e:#}"));
                    }
                }
                first = false;
            }
            (requests, errors, first_error)
        });
    }
    let (mut requests, mut errors) = (0u64, 0u64);
    let mut first_error = None;
    while let Some(done) = tasks.join_next().await {
        let (r, e, first) = done.context("a client task panicked")?;
        requests += r;
        errors += e;
        first_error = first_error.or(first);
    }
    if let Some(e) = &first_error {
        eprintln!("first error: {e}");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu = cpu_ticks()? - cpu_before;
    println!(
        "requests={requests} seconds={elapsed:.3} rps={:.1} errors={errors} cpu_ticks={cpu}",
        requests as f64 / elapsed
    );
    Ok(())
}
