//! The backlog rows of the queue bench: the cost of a consume step with 1,000 and with
//! 1,000,000 tasks stored ahead of the worker, the enqueue-to-start latency of an up-to-date
//! worker while another is 1,000,000 tasks behind and consuming, and the worst enqueue and
//! consume step while 1,000,000 processed tasks are pruned.
//!
//! Backlogs are written in one SQL statement per 100,000 rows (a recursive CTE on SQLite,
//! `generate_series` on PostgreSQL, a cross join of digits on MySQL/MariaDB), not by a loop
//! of enqueues: a million rows take seconds.
//!
//! `RPCLIB_BENCH_ONLY=backlog` runs only these rows.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use rpclib_core::{Application, Event, MethodContext};
use rpclib_transport_dbqueue::{Queue, QueueTransport, Shutdown, StartFrom};

use super::{BenchService, Target, exec, payload, protocol, smoke};

/// Rows per fill statement.
const FILL_CHUNK: usize = 100_000;

/// The big backlog.
fn big() -> usize {
    if smoke() { 3_000 } else { 1_000_000 }
}

/// The small backlog (and the tasks each measured round runs).
fn small() -> usize {
    if smoke() { 200 } else { 1_000 }
}

/// Measured rounds per backlog and mode (the best is kept).
fn rounds() -> usize {
    if smoke() { 1 } else { 5 }
}

/// What the listener of the bench application watches: worker 1's task starts (counted, to
/// stop its consumer after a number of tasks, and timed, for the longest gap between two),
/// and worker 2's (sent, for the latency samples).
#[derive(Default)]
struct Probe {
    seen: AtomicU64,
    limit: AtomicU64,
    /// Worker 1's first and latest task start since [`Probe::arm`].
    first: Mutex<Option<Instant>>,
    last: Mutex<Option<Instant>>,
    stop: Mutex<Option<Shutdown>>,
    /// (last start, longest gap) of worker 1, while set.
    gaps: Mutex<Option<(Option<Instant>, Duration)>>,
    starts: Mutex<Option<mpsc::Sender<Instant>>>,
}

impl Probe {
    fn on_call(&self, worker: i64) {
        let now = Instant::now();
        if worker == 2 {
            if let Some(tx) = self.starts.lock().unwrap().as_ref() {
                let _ = tx.send(now);
            }
            return;
        }
        let n = self.seen.fetch_add(1, Ordering::Relaxed) + 1;
        if n == 1 {
            *self.first.lock().unwrap() = Some(now);
        }
        *self.last.lock().unwrap() = Some(now);
        if n == self.limit.load(Ordering::Relaxed)
            && let Some(s) = self.stop.lock().unwrap().as_ref()
        {
            s.trigger();
        }
        if let Some((last, longest)) = self.gaps.lock().unwrap().as_mut() {
            if let Some(last) = last {
                *longest = (*longest).max(now - *last);
            }
            *last = Some(now);
        }
    }

    /// Arms the count: worker 1's consumer stops after `limit` tasks.
    fn arm(&self, limit: u64, stop: Shutdown) {
        self.seen.store(0, Ordering::Relaxed);
        self.limit.store(limit, Ordering::Relaxed);
        *self.first.lock().unwrap() = None;
        *self.last.lock().unwrap() = None;
        *self.stop.lock().unwrap() = Some(stop);
    }
}

/// The bench application; with `read_replies`, a `method_return_string` listener reads
/// every reply (so the consumer writes each one, as it did before it skipped unread replies).
fn app(probe: &Arc<Probe>, read_replies: bool) -> Arc<Application> {
    let probe = Arc::clone(probe);
    let mut builder = Application::builder("Bench", "urn:bench");
    if read_replies {
        builder = builder.add_listener(Event::MethodReturnString, |ctx: &mut MethodContext| {
            std::hint::black_box(ctx.out_string.len());
        });
    }
    builder
        .service(BenchService {
            hits: Arc::new(AtomicU64::new(0)),
        })
        .add_listener(Event::MethodCall, move |ctx: &mut MethodContext| {
            if let Some(t) = ctx.transport::<QueueTransport>() {
                probe.on_call(t.consumer_id);
            }
        })
        .protocol(protocol::LineProtocol)
        .build()
        .unwrap()
}

/// Empties the queue's tables (TRUNCATE where there is one: no dead rows left behind).
fn empty(t: &Target) {
    let sql = match t.name {
        "postgres" => "TRUNCATE rpclib_queue_tasks, rpclib_queue_workers, rpclib_queue_failures;",
        "mysql" => {
            "TRUNCATE rpclib_queue_tasks; TRUNCATE rpclib_queue_workers; \
             TRUNCATE rpclib_queue_failures; UPDATE rpclib_queue_counter SET last_id = 0;"
        }
        _ => {
            "DELETE FROM rpclib_queue_tasks; DELETE FROM rpclib_queue_workers; \
             DELETE FROM rpclib_queue_failures; UPDATE rpclib_queue_counter SET last_id = 0;"
        }
    };
    exec(t, sql);
}

/// Appends `n` tasks (the bench payload) after the stored ones, in SQL.
fn fill(t: &Target, n: usize) {
    // The payload is ASCII without quotes: safe as a literal.
    let text = String::from_utf8(payload()).unwrap();
    assert!(!text.contains('\''));
    let mut left = n;
    while left > 0 {
        let k = left.min(FILL_CHUNK);
        let sql = match t.name {
            "postgres" => format!(
                "INSERT INTO rpclib_queue_tasks (data, enqueued_at) \
                 SELECT convert_to('{text}', 'UTF8'), 0 FROM generate_series(1, {k});"
            ),
            "mysql" => {
                let digits = "(SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL \
                              SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 \
                              UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)";
                format!(
                    "BEGIN; \
                     INSERT INTO rpclib_queue_tasks (id, data, enqueued_at) \
                     SELECT c.last_id + s.i, '{text}', 0 FROM rpclib_queue_counter c \
                     JOIN (SELECT 1 + a.d + 10 * b.d + 100 * e.d + 1000 * f.d + 10000 * g.d \
                     AS i FROM {digits} a, {digits} b, {digits} e, {digits} f, {digits} g) s \
                     ON s.i <= {k} WHERE c.id = 1; \
                     UPDATE rpclib_queue_counter SET last_id = last_id + {k} WHERE id = 1; \
                     COMMIT;"
                )
            }
            _ => format!(
                "BEGIN IMMEDIATE; \
                 WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {k}) \
                 INSERT INTO rpclib_queue_tasks (id, data, enqueued_at) \
                 SELECT (SELECT last_id FROM rpclib_queue_counter WHERE id = 1) + i, \
                 CAST('{text}' AS BLOB), 0 FROM s; \
                 UPDATE rpclib_queue_counter SET last_id = last_id + {k} WHERE id = 1; \
                 COMMIT;"
            ),
        };
        exec(t, &sql);
        left -= k;
    }
    settle(t);
}

/// Writes a fill's pages out before anything is timed: otherwise the kernel's write-back of
/// hundreds of megabytes (or PostgreSQL's next checkpoint) lands in the measured fsyncs.
fn settle(t: &Target) {
    match t.name {
        "postgres" => exec(t, "CHECKPOINT"),
        "mysql" => {}
        _ => {
            exec(t, "PRAGMA wal_checkpoint(TRUNCATE)");
            if let Ok(f) = std::fs::File::open(&t.url) {
                let _ = f.sync_all();
            }
        }
    }
}

/// Runs worker 1 from its position for at most `limit` tasks; tasks per second between its
/// first and its last task's start (the session's setup and teardown left out).
fn run_worker_1(
    queue: &Queue,
    app: &Arc<Application>,
    probe: &Probe,
    batch: usize,
    limit: u64,
) -> f64 {
    let stop = Shutdown::new();
    probe.arm(limit, stop.clone());
    let stats = queue
        .consumer(Arc::clone(app), 1)
        .batch_size(batch)
        .fetch_size(batch.max(64))
        .shutdown(stop)
        .build()
        .run_until_idle()
        .unwrap();
    let first = probe.first.lock().unwrap().expect("no task ran");
    let last = probe.last.lock().unwrap().expect("no task ran");
    (stats.processed.max(2) - 1) as f64 / (last - first).as_secs_f64()
}

/// Enqueue-to-start p50 and p99 (ms), and how many samples.
type Latency = (f64, f64, usize);

/// Consume rates (tasks/s) with a small and a big backlog: (label, small, big).
type ConsumeRow = (&'static str, f64, f64);

/// The small-backlog rounds: a fresh backlog each, drained.
fn small_rounds(
    t: &Target,
    queue: &Queue,
    app: &Arc<Application>,
    probe: &Probe,
    batch: usize,
) -> f64 {
    let mut best = 0f64;
    for _ in 0..rounds() {
        empty(t);
        fill(t, small());
        queue.register_worker(1, StartFrom::First).unwrap();
        best = best.max(run_worker_1(queue, app, probe, batch, small() as u64));
    }
    best
}

/// The latency an idle worker 2 (its own queue handle, at the tail) sees from an enqueue's
/// call to its task's start: (p50, p99) in ms, and the samples taken. With `lagging`, worker 1 consumes its
/// backlog meanwhile, one commit per task.
fn latency(t: &Target, app: &Arc<Application>, probe: &Probe, lagging: bool) -> Latency {
    let producer = Queue::open(&t.url).unwrap();
    let (tx, rx) = mpsc::channel();
    *probe.starts.lock().unwrap() = Some(tx);
    let stop = Shutdown::new();
    let mut threads = Vec::new();
    if lagging {
        let q = Queue::open(&t.url).unwrap();
        let c = q
            .consumer(Arc::clone(app), 1)
            .shutdown(stop.clone())
            .build();
        probe.arm(u64::MAX, Shutdown::new());
        threads.push(thread::spawn(move || {
            c.run().unwrap();
        }));
    }
    let own = Queue::open(&t.url).unwrap();
    own.register_worker(2, StartFrom::Tail).unwrap();
    let c = own
        .consumer(Arc::clone(app), 2)
        .shutdown(stop.clone())
        .build();
    threads.push(thread::spawn(move || {
        c.run().unwrap();
    }));
    thread::sleep(Duration::from_millis(200));
    let data = payload();
    let count = if smoke() { 10 } else { 100 };
    let mut samples = Vec::with_capacity(count);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    // Bounded in time: on SQLite a consuming worker can starve the producer for seconds.
    let began = Instant::now();
    let budget = Duration::from_secs(if smoke() { 5 } else { 30 });
    while samples.len() < count && began.elapsed() < budget {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        thread::sleep(Duration::from_millis(5 + seed % 40));
        let t0 = Instant::now();
        // On SQLite the enqueue itself can wait out the busy timeout behind a consumer that
        // commits back to back: that sample is the timeout, and the task never came.
        if producer.enqueue_raw(&[&data]).is_err() {
            samples.push(t0.elapsed());
            continue;
        }
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(at) => samples.push(at.duration_since(t0)),
            Err(_) => {
                samples.push(t0.elapsed());
                break;
            }
        }
    }
    stop.trigger();
    for h in threads {
        h.join().unwrap();
    }
    *probe.starts.lock().unwrap() = None;
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = samples.len();
    (ms(samples[n / 2]), ms(samples[n * 99 / 100]), n)
}

/// One window of the prune measurement: a producer enqueuing one task per commit every
/// 2 ms and worker 1 consuming with a commit per task; with `prune`, a prune runs from the
/// window's start and the window lasts until it ends (at least `min`).
struct Window {
    enqueued: u64,
    /// Enqueues that failed (SQLite: the busy timeout ran out).
    enqueue_failures: u64,
    worst_enqueue: Duration,
    consumed: u64,
    worst_step: Duration,
    /// Tasks pruned (or the prune's error) and how long it took.
    pruned: Option<(Result<u64, String>, Duration)>,
}

fn window(t: &Target, app: &Arc<Application>, probe: &Probe, min: Duration, prune: bool) -> Window {
    let producer = Queue::open(&t.url).unwrap();
    let stop = Shutdown::new();
    let consumer_queue = Queue::open(&t.url).unwrap();
    let c = consumer_queue
        .consumer(Arc::clone(app), 1)
        .shutdown(stop.clone())
        .build();
    probe.arm(u64::MAX, Shutdown::new());
    let consumer = thread::spawn(move || c.run().unwrap().processed);
    // Let the consumer get going before the gaps count.
    thread::sleep(Duration::from_millis(300));
    *probe.gaps.lock().unwrap() = Some((None, Duration::ZERO));
    let seen_before = probe.seen.load(Ordering::Relaxed);
    let done = Arc::new(AtomicBool::new(false));
    let done2 = Arc::clone(&done);
    let producing = thread::spawn(move || {
        let data = payload();
        let (mut n, mut failed, mut worst) = (0u64, 0u64, Duration::ZERO);
        while !done2.load(Ordering::Relaxed) {
            let t0 = Instant::now();
            // A failure is SQLite's busy timeout (10 s) running out: counted, and its wait
            // is a stall like any other.
            match producer.enqueue_raw(&[&data]) {
                Ok(_) => n += 1,
                Err(_) => failed += 1,
            }
            worst = worst.max(t0.elapsed());
            thread::sleep(Duration::from_millis(2));
        }
        (n, failed, worst)
    });
    let start = Instant::now();
    let pruned = prune.then(|| {
        let q = Queue::open(&t.url).unwrap();
        let n = q.prune().map_err(|e| e.to_string());
        (n, start.elapsed())
    });
    if let Some(left) = min.checked_sub(start.elapsed()) {
        thread::sleep(left);
    }
    done.store(true, Ordering::Relaxed);
    let (enqueued, enqueue_failures, worst_enqueue) = producing.join().unwrap();
    let (_, worst_step) = probe.gaps.lock().unwrap().take().unwrap();
    let consumed = probe.seen.load(Ordering::Relaxed) - seen_before;
    stop.trigger();
    consumer.join().unwrap();
    Window {
        enqueued,
        enqueue_failures,
        worst_enqueue,
        consumed,
        worst_step,
        pruned,
    }
}

/// The backlog rows of one backend.
pub(super) struct BacklogResults {
    /// Batches of 100 (tasks/s): replies not written (nobody reads them), replies written.
    replies: (f64, f64),
    consume: Vec<ConsumeRow>,
    latency_alone: Latency,
    latency_behind: Latency,
    without_prune: Window,
    with_prune: Window,
}

pub(super) fn measure(t: &Target) -> BacklogResults {
    let probe = Arc::new(Probe::default());
    let app_replying = app(&probe, true);
    let app = app(&probe, false);
    let queue = Queue::open(&t.url).unwrap();

    // What not writing unread replies saves: batches of 100 over the small backlog, with and
    // without a listener that reads every reply, in alternating rounds.
    let (mut skipped, mut written) = (0f64, 0f64);
    for _ in 0..2 {
        skipped = skipped.max(small_rounds(t, &queue, &app, &probe, 100));
        written = written.max(small_rounds(t, &queue, &app_replying, &probe, 100));
    }

    // Consume rates: small backlog, big backlog, small again (the machine is shared: the
    // best of both small sets).
    let modes: [(&'static str, usize); 2] = [
        ("consume, commit per task (tasks/s)", 1),
        ("consume, batches of 100 (tasks/s)", 100),
    ];
    let mut small_best: Vec<f64> = modes
        .iter()
        .map(|&(_, batch)| small_rounds(t, &queue, &app, &probe, batch))
        .collect();
    empty(t);
    fill(t, big());
    queue.register_worker(1, StartFrom::First).unwrap();
    let big_best: Vec<f64> = modes
        .iter()
        .map(|&(_, batch)| {
            (0..rounds())
                .map(|_| run_worker_1(&queue, &app, &probe, batch, small() as u64))
                .fold(0f64, f64::max)
        })
        .collect();
    // Worker 1 is still about a million tasks behind: the latency of worker 2 meanwhile.
    let latency_behind = latency(t, &app, &probe, true);
    for (best, &(_, batch)) in small_best.iter_mut().zip(&modes) {
        *best = best.max(small_rounds(t, &queue, &app, &probe, batch));
    }
    empty(t);
    let latency_alone = latency(t, &app, &probe, false);
    let consume = modes
        .iter()
        .zip(small_best.iter().zip(&big_best))
        .map(|(&(label, _), (&s, &b))| (label, s, b))
        .collect();

    // Pruning: a million tasks every worker has run, then work for the consumer.
    empty(t);
    fill(t, big());
    queue.register_worker(1, StartFrom::Tail).unwrap();
    fill(t, if smoke() { 2_000 } else { 200_000 });
    let min = if smoke() {
        Duration::from_millis(300)
    } else {
        Duration::from_secs(5)
    };
    let without_prune = window(t, &app, &probe, min, false);
    let with_prune = window(t, &app, &probe, min, true);
    empty(t);
    BacklogResults {
        replies: (skipped, written),
        consume,
        latency_alone,
        latency_behind,
        without_prune,
        with_prune,
    }
}

pub(super) fn print(results: &[(&str, BacklogResults)]) {
    let small = small();
    let big = big();
    for (name, r) in results {
        println!(
            "\nbacklog on {name} ({small} vs {big} tasks stored ahead of the worker; {small} tasks per round):"
        );
        println!(
            "consume, batches of 100, backlog {small} (tasks/s): replies unread (not written) {:.0}, a listener reads them (written) {:.0}, {:.2}x",
            r.replies.0,
            r.replies.1,
            r.replies.0 / r.replies.1
        );
        for (label, s, b) in &r.consume {
            println!(
                "{label:<40} backlog {small}: {s:>8.0}, backlog {big}: {b:>8.0}, {:.2}x",
                b / s
            );
        }
        let (a, b) = (r.latency_alone, r.latency_behind);
        println!(
            "idle worker's enqueue-to-start p50/p99 (ms): alone {:.2} / {:.2} ({} samples), while another is {big} behind and consuming {:.2} / {:.2} ({} samples)",
            a.0, a.1, a.2, b.0, b.1, b.2
        );
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let (pruned, took) = r
            .with_prune
            .pruned
            .clone()
            .unwrap_or((Ok(0), Duration::ZERO));
        let pruned = match pruned {
            Ok(n) => format!("pruned {n} processed tasks"),
            Err(e) => format!("prune FAILED ({e})"),
        };
        println!(
            "{pruned} in {:.1} s while 1 producer (a task per commit every 2 ms) and 1 consumer (commit per task) run:",
            took.as_secs_f64()
        );
        for (label, w) in [
            ("without prune", &r.without_prune),
            ("during prune", &r.with_prune),
        ] {
            println!(
                "  {label:<14} worst enqueue {:>7.1} ms ({} enqueued, {} failed), worst consume step {:>7.1} ms ({} consumed)",
                ms(w.worst_enqueue),
                w.enqueued,
                w.enqueue_failures,
                ms(w.worst_step),
                w.consumed
            );
        }
    }
}
