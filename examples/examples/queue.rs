//! rpclib's queue example (`examples/queue.py`), on rpclib-transport-dbqueue: an
//! `AsyncService.sleep(integer)` whose calls a producer enqueues as SOAP 1.1 requests in a
//! database, and a consumer that runs them as one worker, printing
//! `This is worker id K, processing task id N.` from a `method_call` listener.
//!
//! ```text
//! cargo run -p rpclib-examples --example queue            # 10 tasks, one worker, in-memory SQLite
//! cargo run -p rpclib-examples --example queue -- --db /tmp/q.db --produce 5
//! cargo run -p rpclib-examples --example queue -- --db /tmp/q.db --consume --worker-id 1 --exit-when-idle
//! cargo run -p rpclib-examples --example queue -- --db /tmp/q.db --consume --worker-id 2 --exit-when-idle
//! ```
//!
//! Every worker runs every task (fan-out). Without `--exit-when-idle` a consumer waits for
//! new tasks until SIGINT or SIGTERM, then finishes its current task and exits. PostgreSQL
//! and MySQL URLs need the examples' feature of the same name:
//! `cargo run -p rpclib-examples --features postgres --example queue -- --db postgres://…`
//! (or `--features mysql` with `--db mysql://…`).
//!
//! rpclib's `sleep(integer)` slept `integer` seconds; here one unit is 20 ms (`--unit-ms`),
//! so the default run (sleeps 0 to 9) takes about a second instead of 45.
#![allow(clippy::print_stdout)] // an example program: its output is the point
#![allow(dead_code)] // the tests include this file as a module and call `run`

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rpclib_core::{Application, Event, MethodContext, service};
use rpclib_interface_wsdl::Wsdl11;
use rpclib_protocol_soap::Soap11;
use rpclib_transport_dbqueue::{Queue, QueueTransport, Shutdown};

/// Where the example writes its lines (stdout, or a buffer in the tests).
pub type Output = Arc<Mutex<dyn Write + Send>>;

fn say(out: &Output, line: &str) {
    let mut out = out.lock().unwrap_or_else(|p| p.into_inner());
    // A closed stdout (e.g. `| head`) must not stop the worker.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The worker service: it sleeps.
pub struct AsyncService {
    unit: Duration,
    out: Output,
}

impl std::fmt::Debug for AsyncService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncService")
            .field("unit", &self.unit)
            .finish_non_exhaustive()
    }
}

#[service(namespace = "rpclib.async")]
impl AsyncService {
    /// Sleeps `integer` units.
    #[rpc]
    fn sleep(&self, integer: u32) {
        let ms = self.unit.as_millis();
        say(&self.out, &format!("Sleeping for {integer} x {ms} ms..."));
        std::thread::sleep(self.unit * integer);
    }
}

/// The application, as rpclib built it: `Application([AsyncService], 'rpclib.async',
/// interface=Wsdl11(), in_protocol=Soap11(), out_protocol=Soap11())`, with the
/// `method_call` listener on the service.
pub fn application(unit: Duration, out: Output) -> Result<Arc<Application>> {
    let listener_out = Arc::clone(&out);
    Ok(Application::builder("AsyncService", "rpclib.async")
        .service_with(AsyncService { unit, out }, move |s| {
            s.add_listener(Event::MethodCall, move |ctx: &mut MethodContext| {
                if let Some(t) = ctx.transport::<QueueTransport>() {
                    say(
                        &listener_out,
                        &format!(
                            "This is worker id {}, processing task id {}.",
                            t.consumer_id, t.task_id
                        ),
                    );
                }
            });
        })
        .interface(Wsdl11::new())
        .protocol(Soap11::new())
        .build()?)
}

/// The command line.
#[derive(Debug, Clone)]
pub struct Args {
    db: String,
    produce: Option<u32>,
    consume: bool,
    worker_id: i64,
    exit_when_idle: bool,
    unit: Duration,
}

impl Args {
    /// Parses the flags (without the program name).
    pub fn parse(args: &[String]) -> Result<Args> {
        let mut out = Args {
            db: "sqlite::memory:".to_owned(),
            produce: None,
            consume: false,
            worker_id: 1,
            exit_when_idle: false,
            unit: Duration::from_millis(20),
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--db" => out.db = value()?.clone(),
                "--produce" => out.produce = Some(value()?.parse().context("--produce N")?),
                "--consume" => out.consume = true,
                "--worker-id" => out.worker_id = value()?.parse().context("--worker-id K")?,
                "--exit-when-idle" => out.exit_when_idle = true,
                "--unit-ms" => {
                    out.unit = Duration::from_millis(value()?.parse().context("--unit-ms MS")?)
                }
                other => bail!(
                    "unknown flag `{other}`\nflags: --db URL, --produce N, --consume, \
                     --worker-id K, --exit-when-idle, --unit-ms MS"
                ),
            }
        }
        let memory = out.db.contains(":memory:");
        if memory && (out.produce.is_some() != out.consume) {
            bail!("an in-memory queue vanishes with this process: give --db a file or a server");
        }
        Ok(out)
    }
}

/// Runs the example with `args`, writing to `out`.
pub fn run(args: &Args, out: Output) -> Result<()> {
    let app = application(args.unit, Arc::clone(&out))?;
    let queue = Queue::open(&args.db)?;
    let producer = AsyncServiceClient::new(queue.producer(Arc::clone(&app)));
    let consumer = queue
        .consumer(Arc::clone(&app), args.worker_id)
        .shutdown(Shutdown::on_signals()?)
        .build();

    if args.produce.is_none() && !args.consume {
        // rpclib's main: queue sleep(0)..sleep(9), then one worker consumes them.
        for i in 0..10 {
            producer.sleep(i)?;
        }
        let stats = consumer.run_until_idle()?;
        say(
            &out,
            &format!("worker {} ran {} tasks", args.worker_id, stats.processed),
        );
        return Ok(());
    }
    if let Some(n) = args.produce {
        let ids = queue.producer(Arc::clone(&app)).batch(|batch| {
            let client = AsyncServiceClient::new(batch);
            for _ in 0..n {
                client.sleep(0)?;
            }
            Ok(())
        })?;
        match (ids.first(), ids.last()) {
            (Some(a), Some(b)) => say(&out, &format!("queued tasks {a} to {b}")),
            _ => say(&out, "queued nothing"),
        }
    }
    if args.consume {
        let stats = if args.exit_when_idle {
            consumer.run_until_idle()?
        } else {
            consumer.run()?
        };
        say(
            &out,
            &format!("worker {} ran {} tasks", args.worker_id, stats.processed),
        );
    }
    Ok(())
}

fn main() -> Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out: Output = Arc::new(Mutex::new(std::io::stdout()));
    run(&Args::parse(&args)?, out)
}
