//! `cargo bench -p rpclib-transport-dbqueue --bench queue` (PostgreSQL too with
//! `--features postgres` and `RPCLIB_BENCH_PG_URL` or `RPCLIB_TEST_PG_URL` naming a server
//! where it may create a database; MySQL/MariaDB likewise with `--features mysql` and
//! `RPCLIB_BENCH_MYSQL_URL` or `RPCLIB_TEST_MYSQL_URL`): the queue's rates and wake-up
//! latency beside the raw ceilings measured in the same run with plain diesel statements on
//! the same database.
//!
//! Producer scaling, per backend: `producers N: queue X/s, raw Y/s, Z.ZZx` for N = 1, 8, 16
//! concurrent producers, one task per transaction, against N clients running plain
//! single-row insert transactions (the raw ceiling), in alternating rounds.
//!
//! Rows: enqueue (single, batches of 100), one worker consuming with a commit per task and
//! with batches of 100, three workers fanning out, and the enqueue-to-start latency of an
//! idle consumer with a queue handle of its own (what a consumer in another process sees).
//! The raw ceilings: a single-row insert and commit; a batch of 100 rows; the consumer's
//! lock-read-update-commit step (per task, per 100, and three workers at once).
//!
//! Backlog rows, per backend (`queue_parts/backlog.rs`; alone with
//! `RPCLIB_BENCH_ONLY=backlog`): the consume rate with 1,000 and with 1,000,000 tasks stored
//! ahead of the worker, an idle worker's enqueue-to-start latency while another is 1,000,000
//! tasks behind, and the worst enqueue and consume step while 1,000,000 processed tasks are
//! pruned, against the same window without a prune.
#![allow(missing_docs, unreachable_pub, clippy::print_stdout)]

#[path = "../tests/support/protocol.rs"]
mod protocol;

#[path = "queue_parts/backlog.rs"]
mod backlog;

#[path = "queue_parts/workload.rs"]
mod workload;

#[path = "queue_parts/raw.rs"]
mod raw;

use std::sync::atomic::AtomicU64;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rpclib_transport_dbqueue::diesel::connection::SimpleConnection;
use rpclib_transport_dbqueue::diesel::{self, prelude::*};
use rpclib_transport_dbqueue::{Queue, Shutdown, StartFrom};

use raw::Raw;
use workload::{BenchService, Started, app, payload};

/// How long each rate is measured.
/// Whether this is a smoke run (`cargo test --benches` passes no `--bench`): tiny budgets that
/// prove the bench works without spending CI minutes measuring a debug build.
fn smoke() -> bool {
    static SMOKE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *SMOKE.get_or_init(|| !std::env::args().any(|a| a == "--bench"))
}

/// Time spent per measured rate.
fn budget() -> Duration {
    if smoke() {
        Duration::from_millis(40)
    } else {
        Duration::from_millis(1500)
    }
}
/// Alternating rounds per comparison.
const ROUNDS: usize = 4;
/// Latency samples.
fn sample_count() -> usize {
    if smoke() { 10 } else { 200 }
}

/// Runs `op` (which does some units of work and returns how many) for `budget`; units per
/// second.
fn rate_for(budget: Duration, mut op: impl FnMut() -> usize) -> f64 {
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < budget {
        n += op();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn rate(op: impl FnMut() -> usize) -> f64 {
    rate_for(budget(), op)
}

/// The machine is shared: measure the queue and its ceiling in alternating rounds and keep
/// the best of each, so that a burst of load elsewhere hits both alike.
fn compare(mut ours: impl FnMut() -> usize, mut raw: impl FnMut() -> usize) -> Row {
    let round = budget() / ROUNDS as u32;
    let (mut best_ours, mut best_raw) = (0f64, 0f64);
    for _ in 0..ROUNDS {
        best_ours = best_ours.max(rate_for(round, &mut ours));
        best_raw = best_raw.max(rate_for(round, &mut raw));
    }
    Row {
        ours: best_ours,
        raw: best_raw,
    }
}

/// One backend under test.
struct Target {
    name: &'static str,
    url: String,
    raw: Box<dyn Fn() -> Box<dyn Raw>>,
    ddl: &'static str,
    cleanup: Box<dyn Fn()>,
}

struct Row {
    ours: f64,
    raw: f64,
}

struct Results {
    rows: Vec<(&'static str, Row)>,
    latency: (f64, f64, f64),
    producers: Vec<(usize, Row)>,
}

fn reset_queue_tables(t: &Target) {
    let sql = if t.name == "postgres" {
        // No counter on PostgreSQL: the sequence hands out the ids.
        "DELETE FROM rpclib_queue_tasks; DELETE FROM rpclib_queue_workers; \
         DELETE FROM rpclib_queue_failures;"
    } else {
        "DELETE FROM rpclib_queue_tasks; DELETE FROM rpclib_queue_workers; \
         DELETE FROM rpclib_queue_failures; UPDATE rpclib_queue_counter SET last_id = 0;"
    };
    exec(t, sql);
}

fn exec(t: &Target, sql: &str) {
    match t.name {
        "postgres" => {
            #[cfg(feature = "postgres")]
            diesel::PgConnection::establish(&t.url)
                .unwrap()
                .batch_execute(sql)
                .unwrap();
        }
        "mysql" => {
            #[cfg(feature = "mysql")]
            diesel::MysqlConnection::establish(&t.url)
                .unwrap()
                .batch_execute(sql)
                .unwrap();
        }
        _ => {
            let mut c = diesel::SqliteConnection::establish(&t.url).unwrap();
            c.batch_execute("PRAGMA busy_timeout = 10000").unwrap();
            c.batch_execute(sql).unwrap();
        }
    }
}

/// A raw-insert client of the producer-scaling rows, with its payload.
type RawClient = (Box<dyn Raw>, Arc<[u8]>);

/// Client counts of the producer-scaling rows.
const PRODUCERS: [usize; 3] = [1, 8, 16];

/// Runs `op` on one thread per state for `round`; total operations per second, and the
/// states back.
fn rate_parallel<S: Send + 'static>(
    round: Duration,
    states: Vec<S>,
    op: fn(&mut S) -> usize,
) -> (f64, Vec<S>) {
    let start = Instant::now();
    let handles: Vec<_> = states
        .into_iter()
        .map(|mut s| {
            thread::spawn(move || {
                let mut n = 0usize;
                while start.elapsed() < round {
                    n += op(&mut s);
                }
                (n, s)
            })
        })
        .collect();
    let mut total = 0usize;
    let mut back = Vec::new();
    for h in handles {
        let (n, s) = h.join().unwrap();
        total += n;
        back.push(s);
    }
    (total as f64 / start.elapsed().as_secs_f64(), back)
}

/// Concurrent producers, one task per transaction, against as many clients inserting rows
/// in single-row transactions; alternating rounds, best of each kept.
fn producer_scaling(t: &Target) -> Vec<(usize, Row)> {
    let rounds = if smoke() { 1 } else { 6 };
    let round = if smoke() {
        Duration::from_millis(40)
    } else {
        Duration::from_millis(800)
    };
    let data: Arc<[u8]> = payload().into();
    let mut out = Vec::new();
    for n in PRODUCERS {
        reset_queue_tables(t);
        let queue = Queue::builder(&t.url)
            .pool_size(u32::try_from(n).unwrap())
            .open()
            .unwrap();
        let mut producers: Vec<(Queue, Arc<[u8]>)> =
            (0..n).map(|_| (queue.clone(), Arc::clone(&data))).collect();
        let mut raws: Vec<RawClient> = (0..n)
            .map(|_| {
                let mut r = (t.raw)();
                r.setup(0);
                (r, Arc::clone(&data))
            })
            .collect();
        // An unmeasured round each first: the pool connects lazily.
        let warm = round / 4;
        producers = rate_parallel(warm, producers, |(q, d)| {
            q.enqueue_raw(&[&d[..]]).unwrap();
            1
        })
        .1;
        raws = rate_parallel(warm, raws, |(c, d)| {
            c.insert_one(d);
            1
        })
        .1;
        let (mut best_ours, mut best_raw) = (0f64, 0f64);
        for _ in 0..rounds {
            let (r, back) = rate_parallel(round, producers, |(q, d)| {
                q.enqueue_raw(&[&d[..]]).unwrap();
                1
            });
            producers = back;
            best_ours = best_ours.max(r);
            let (r, back) = rate_parallel(round, raws, |(c, d)| {
                c.insert_one(d);
                1
            });
            raws = back;
            best_raw = best_raw.max(r);
        }
        out.push((
            n,
            Row {
                ours: best_ours,
                raw: best_raw,
            },
        ));
    }
    out
}

/// `RPCLIB_BENCH_ONLY=producers`: only the producer-scaling rows.
fn producers_only() -> bool {
    std::env::var("RPCLIB_BENCH_ONLY").is_ok_and(|v| v == "producers")
}

/// `RPCLIB_BENCH_ONLY=backlog`: only the backlog and pruning rows (see `backlog.rs`).
fn backlog_only() -> bool {
    std::env::var("RPCLIB_BENCH_ONLY").is_ok_and(|v| v == "backlog")
}

fn measure(t: &Target) -> Results {
    if producers_only() {
        let _ = Queue::open(&t.url).unwrap();
        exec(t, t.ddl);
        let producers = producer_scaling(t);
        (t.cleanup)();
        return Results {
            rows: Vec::new(),
            latency: (0.0, 0.0, 0.0),
            producers,
        };
    }
    let hits = Arc::new(AtomicU64::new(0));
    let started: Started = Arc::new(Mutex::new(None));
    let app = app(&hits, &started, false);
    let queue = Queue::open(&t.url).unwrap();
    exec(t, t.ddl);
    let data = payload();
    let mut rows = Vec::new();

    // Enqueue, single.
    reset_queue_tables(t);
    let mut raw = (t.raw)();
    raw.setup(0);
    let row = compare(
        || {
            queue.enqueue_raw(&[&data]).unwrap();
            1
        },
        || {
            raw.insert_one(&data);
            1
        },
    );
    rows.push(("enqueue, one task per commit (tasks/s)", row));

    // Enqueue, batches of 100.
    let batch: Vec<&[u8]> = (0..100).map(|_| data.as_slice()).collect();
    let row = compare(
        || {
            queue.enqueue_raw(&batch).unwrap();
            100
        },
        || {
            raw.insert_batch(&data, 100);
            100
        },
    );
    rows.push(("enqueue, batches of 100 (tasks/s)", row));

    // Consume: fill a backlog big enough for the budget, then time one worker.
    let backlog = |n: usize| {
        reset_queue_tables(t);
        let mut left = n;
        while left > 0 {
            let k = left.min(1000);
            let chunk: Vec<&[u8]> = (0..k).map(|_| data.as_slice()).collect();
            queue.enqueue_raw(&chunk).unwrap();
            left -= k;
        }
    };
    let consume = |batch: usize, workers: i64, n: usize| -> f64 {
        backlog(n);
        let start = Instant::now();
        let handles: Vec<_> = (1..=workers)
            .map(|w| {
                let q = Queue::open(&t.url).unwrap();
                let c = q
                    .consumer(Arc::clone(&app), w)
                    .batch_size(batch)
                    .fetch_size(batch.max(64))
                    .build();
                thread::spawn(move || c.run_until_idle().unwrap().processed)
            })
            .collect();
        let total: u64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
        total as f64 / start.elapsed().as_secs_f64()
    };
    // Each comparison alternates: a queue run over a fresh backlog sized for about half a
    // second, then the raw step for as long; the best of each is kept.
    raw.setup(50_000);
    let half = budget() / ROUNDS as u32 * 2;
    let raw_rate_3 = |round: Duration| -> f64 {
        let raws: Vec<_> = (1..=3i64)
            .map(|w| {
                let mut r = (t.raw)();
                thread::spawn(move || rate_for(round, || r.step(w, 1)))
            })
            .collect();
        raws.into_iter().map(|h| h.join().unwrap()).sum()
    };
    let pg = t.name != "sqlite";
    let cases: [(&'static str, usize, i64, usize); 3] = [
        (
            "consume, 1 worker, commit per task (tasks/s)",
            1,
            1,
            if pg { 800 } else { 2500 },
        ),
        (
            "consume, 1 worker, batches of 100 (tasks/s)",
            100,
            1,
            60_000,
        ),
        (
            "fan-out, 3 workers, commit per task (runs/s)",
            1,
            3,
            if pg { 400 } else { 1000 },
        ),
    ];
    for (label, batch, workers, n) in cases {
        let (mut best_ours, mut best_raw) = (0f64, 0f64);
        for _ in 0..2 {
            best_ours = best_ours.max(consume(batch, workers, n));
            let r = if workers == 1 {
                rate_for(half, || raw.step(1, batch as i64))
            } else {
                raw_rate_3(half)
            };
            best_raw = best_raw.max(r);
        }
        rows.push((
            label,
            Row {
                ours: best_ours,
                raw: best_raw,
            },
        ));
    }

    // What the pipeline alone costs (parse, call, write the reply; no database): the
    // consumer's ceiling once commits are amortised.
    let pipeline = rate(|| {
        for _ in 0..100 {
            let mut ctx = app.new_context();
            ctx.in_string = vec![data.clone()];
            app.get_in_object(&mut ctx);
            app.get_out_object_blocking(&mut ctx);
            app.get_out_string(&mut ctx);
            ctx.close();
        }
        100
    });
    rows.push((
        "(pipeline alone, no database: tasks/s)",
        Row {
            ours: pipeline,
            raw: f64::NAN,
        },
    ));

    // Latency: an idle consumer with its own queue handle (no in-process wake-up).
    reset_queue_tables(t);
    let (tx, rx) = mpsc::channel();
    *started.lock().unwrap() = Some(tx);
    let shutdown = Shutdown::new();
    let own = Queue::open(&t.url).unwrap();
    own.register_worker(1, StartFrom::Tail).unwrap();
    let c = own
        .consumer(Arc::clone(&app), 1)
        .shutdown(shutdown.clone())
        .build();
    let consumer = thread::spawn(move || c.run().unwrap());
    thread::sleep(Duration::from_millis(200));
    let mut samples = Vec::with_capacity(sample_count());
    let mut commit_times = Vec::with_capacity(sample_count());
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..sample_count() {
        // Idle for 5 to 45 ms, so polling has backed off.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        thread::sleep(Duration::from_millis(5 + seed % 40));
        let t0 = Instant::now();
        queue.enqueue_raw(&[&data]).unwrap();
        commit_times.push(t0.elapsed());
        let at = rx.recv_timeout(Duration::from_secs(5)).unwrap();
        samples.push(at.duration_since(t0));
    }
    shutdown.trigger();
    consumer.join().unwrap();
    *started.lock().unwrap() = None;
    samples.sort();
    commit_times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let latency = (
        ms(samples[sample_count() / 2]),
        ms(samples[sample_count() * 99 / 100]),
        ms(commit_times[sample_count() / 2]),
    );
    drop(queue);
    let producers = producer_scaling(t);
    (t.cleanup)();
    Results {
        rows,
        latency,
        producers,
    }
}

fn sqlite_target() -> Target {
    let dir = std::env::temp_dir().join(format!("rpclib-queue-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bench.db").display().to_string();
    let p2 = path.clone();
    Target {
        name: "sqlite",
        url: path,
        raw: Box::new(move || Box::new(raw::sqlite_raw(&p2))),
        ddl: raw::SQLITE_DDL,
        cleanup: Box::new(move || {
            let _ = std::fs::remove_dir_all(&dir);
        }),
    }
}

#[cfg(feature = "postgres")]
fn pg_target() -> Option<Target> {
    let admin = std::env::var("RPCLIB_BENCH_PG_URL")
        .or_else(|_| std::env::var("RPCLIB_TEST_PG_URL"))
        .ok()
        .filter(|s| !s.is_empty())?;
    let name = format!("rpclib_bench_{}", std::process::id());
    let mut c = diesel::PgConnection::establish(&admin).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, _) = admin.split_once('?').unwrap_or((&admin, ""));
    let (scheme, rest) = base.split_once("://").unwrap();
    let authority = rest.split('/').next().unwrap_or(rest);
    let url = format!("{scheme}://{authority}/{name}");
    let u2 = url.clone();
    Some(Target {
        name: "postgres",
        url,
        raw: Box::new(move || Box::new(diesel::PgConnection::establish(&u2).unwrap())),
        ddl: "CREATE TABLE IF NOT EXISTS bench_raw_tasks (id BIGINT PRIMARY KEY, data BYTEA NOT NULL); \
              CREATE TABLE IF NOT EXISTS bench_raw_pos (worker BIGINT PRIMARY KEY, pos BIGINT NOT NULL);",
        cleanup: Box::new(move || {
            let mut c = diesel::PgConnection::establish(&admin).unwrap();
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }),
    })
}

#[cfg(feature = "mysql")]
fn mysql_target() -> Option<Target> {
    let admin = std::env::var("RPCLIB_BENCH_MYSQL_URL")
        .or_else(|_| std::env::var("RPCLIB_TEST_MYSQL_URL"))
        .ok()
        .filter(|s| !s.is_empty())?;
    let name = format!("rpclib_bench_{}", std::process::id());
    let mut c = diesel::MysqlConnection::establish(&admin).unwrap();
    c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    let (base, _) = admin.split_once('?').unwrap_or((&admin, ""));
    let (scheme, rest) = base.split_once("://").unwrap();
    let authority = rest.split('/').next().unwrap_or(rest);
    let url = format!("{scheme}://{authority}/{name}");
    let u2 = url.clone();
    Some(Target {
        name: "mysql",
        url,
        raw: Box::new(move || Box::new(diesel::MysqlConnection::establish(&u2).unwrap())),
        ddl: "CREATE TABLE IF NOT EXISTS bench_raw_tasks (id BIGINT PRIMARY KEY, data LONGBLOB NOT NULL) ENGINE = InnoDB; \
              CREATE TABLE IF NOT EXISTS bench_raw_pos (worker BIGINT PRIMARY KEY, pos BIGINT NOT NULL) ENGINE = InnoDB;",
        cleanup: Box::new(move || {
            let mut c = diesel::MysqlConnection::establish(&admin).unwrap();
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
        }),
    })
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: a smoke run.
    #[allow(unused_mut, clippy::useless_vec)] // the servers join with their features
    let mut targets = vec![sqlite_target()];
    #[cfg(feature = "postgres")]
    match pg_target() {
        Some(t) => targets.push(t),
        None => println!(
            "!!! PostgreSQL: set RPCLIB_BENCH_PG_URL (or RPCLIB_TEST_PG_URL) to include it"
        ),
    }
    #[cfg(not(feature = "postgres"))]
    println!("!!! PostgreSQL: built without the `postgres` feature");
    #[cfg(feature = "mysql")]
    match mysql_target() {
        Some(t) => targets.push(t),
        None => println!(
            "!!! MySQL/MariaDB: set RPCLIB_BENCH_MYSQL_URL (or RPCLIB_TEST_MYSQL_URL) to include it"
        ),
    }
    #[cfg(not(feature = "mysql"))]
    println!("!!! MySQL/MariaDB: built without the `mysql` feature");

    // The backlog rows first: `measure` drops each database when it is done with it.
    let backlog: Vec<_> = if producers_only() {
        Vec::new()
    } else {
        targets
            .iter()
            .map(|t| (t.name, backlog::measure(t)))
            .collect()
    };
    if backlog_only() {
        for t in &targets {
            (t.cleanup)();
        }
        backlog::print(&backlog);
        return;
    }
    let results: Vec<(&str, Results)> = targets.iter().map(|t| (t.name, measure(t))).collect();
    let payload = payload().len();
    if producers_only() {
        print_producers(&results);
        return;
    }
    println!(
        "\nrpclib-transport-dbqueue bench: {payload}-byte tasks, durable commits, 2-core machine"
    );
    let mut header = format!("{:<46}", "");
    for (name, _) in &results {
        let label = if *name == "sqlite" {
            "sqlite (file, WAL, sync=FULL)"
        } else {
            name
        };
        header.push_str(&format!(" | {label:^30}"));
    }
    println!("{header}");
    let mut sub = format!("{:<46}", "metric");
    for _ in &results {
        sub.push_str(&format!(" | {:>10} {:>10} {:>7}", "queue", "raw", "ratio"));
    }
    println!("{sub}");
    println!("{}", "-".repeat(sub.len()));
    let n_rows = results[0].1.rows.len();
    for i in 0..n_rows {
        let mut line = format!("{:<46}", results[0].1.rows[i].0);
        for (_, r) in &results {
            let row = &r.rows[i].1;
            if row.raw.is_nan() {
                line.push_str(&format!(" | {:>10.0} {:>10} {:>7}", row.ours, "", ""));
            } else {
                line.push_str(&format!(
                    " | {:>10.0} {:>10.0} {:>6.2}x",
                    row.ours,
                    row.raw,
                    row.ours / row.raw
                ));
            }
        }
        println!("{line}");
    }
    let mut line = format!("{:<46}", "idle consumer, enqueue-to-start p50/p99 (ms)");
    for (_, r) in &results {
        line.push_str(&format!(
            " | {:>5.2} / {:<6.2} (commit {:.2}){:>4}",
            r.latency.0, r.latency.1, r.latency.2, ""
        ));
    }
    println!("{line}");
    print_producers(&results);
    backlog::print(&backlog);
}

fn print_producers(results: &[(&str, Results)]) {
    for (name, r) in results {
        println!(
            "\nproducer scaling on {name} (one task per transaction; raw: single-row inserts):"
        );
        for (n, row) in &r.producers {
            println!(
                "producers {n}: queue {:.0}/s, raw {:.0}/s, {:.2}x",
                row.ours,
                row.raw,
                row.ours / row.raw
            );
        }
    }
}
