//! The write gate of SQLite (src/write_gate.rs): writers of one process take turns in
//! arrival order, so a writer committing back to back cannot starve another; a wait is
//! bounded by the busy timeout and fails as SQLite's own does. Processes take turns too
//! (src/process_turn.rs): a writer process committing back to back cannot starve another.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use rpclib_transport_dbqueue::{Queue, SqliteSync, TaskId};

use support::db::{TestDb, databases};

fn sqlite(test: &str) -> TestDb {
    let _ = env_logger::builder().is_test(true).try_init();
    databases(test)
        .into_iter()
        .find(|d| d.backend == "sqlite")
        .expect("SQLite is always tested")
}

/// One thread enqueues back to back, holding SQLite's write lock almost all the time; a
/// second queue opened on the same file (under another spelling of its path) enqueues
/// every 10 ms. SQLite's busy handler alone lets the second wait seconds (it sleeps up to
/// 100 ms between looks and the first re-takes the lock within microseconds); behind the
/// gate it waits for at most the transaction in progress.
#[test]
fn a_writer_committing_back_to_back_cannot_starve_another() {
    let db = sqlite("gate_fair");
    let hog_queue = open_durable(&db.url);
    // The same file through `dir/./queue.db`: the gate is keyed by the canonical path.
    let path = db.url.trim_start_matches("sqlite://");
    let (dir, file) = path.rsplit_once('/').unwrap();
    let other = open_durable(&format!("sqlite://{dir}/./{file}"));

    let stop = Arc::new(AtomicBool::new(false));
    let hogged = Arc::new(AtomicU64::new(0));
    let hog = {
        let (stop, hogged) = (stop.clone(), hogged.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                hog_queue.enqueue_raw(&[b"hog"]).unwrap();
                hogged.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    while hogged.load(Ordering::Relaxed) < 100 {
        thread::yield_now();
    }
    let mut worst = Duration::ZERO;
    let mut failures = Vec::new();
    let started = Instant::now();
    let mut done = 0;
    while done < 40 && started.elapsed() < Duration::from_secs(20) {
        let t0 = Instant::now();
        if let Err(e) = other.enqueue_raw(&[b"polite"]) {
            failures.push(e.to_string());
        }
        worst = worst.max(t0.elapsed());
        done += 1;
        thread::sleep(Duration::from_millis(10));
    }
    stop.store(true, Ordering::Relaxed);
    hog.join().unwrap();
    eprintln!(
        "{done} polite enqueues, worst wait {worst:?}, against {} back-to-back ones",
        hogged.load(Ordering::Relaxed)
    );
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(done, 40, "starved: only {done} enqueues in 20 s");
    // Generous for a loaded machine: without the gate the wait is seconds.
    assert!(worst < Duration::from_millis(1000), "worst wait {worst:?}");
}

/// A writer that waits for the gate while this thread holds it (a handler enqueueing from
/// inside its consumer's transaction, here an enqueue inside another's) gets SQLite's own
/// error after the busy timeout, not a deadlock; the holder then commits, and the failed
/// enqueue stored nothing.
#[test]
fn a_wait_for_the_gate_times_out_as_sqlites_own_wait() {
    let db = sqlite("gate_timeout");
    let timeout = Duration::from_millis(300);
    let queue = Queue::builder(&db.url)
        .busy_timeout(timeout)
        .open()
        .unwrap();
    let mut inner = None;
    let outer = queue
        .__enqueue_raw_holding(&[b"outer"], || {
            let t0 = Instant::now();
            inner = Some((queue.enqueue_raw(&[b"inner"]), t0.elapsed()));
        })
        .unwrap();
    assert_eq!(outer, vec![TaskId(1)]);
    let (result, waited) = inner.unwrap();
    let text = result.unwrap_err().to_string();
    assert!(text.contains("database is locked"), "{text}");
    assert!(waited >= timeout, "gave up after {waited:?}");
    assert!(waited < timeout * 10, "waited {waited:?}");
    // Nothing partial was stored; the gate is free again.
    assert_eq!(queue.enqueue_raw(&[b"next"]).unwrap(), vec![TaskId(2)]);
    assert_eq!(queue.status().unwrap().stored, 2);
}

/// The variable that makes `child_hog` a hog: the database URL.
const HOG_URL: &str = "RPCLIB_QUEUE_HOG_URL";
/// The file whose appearance stops the hog.
const HOG_STOP: &str = "RPCLIB_QUEUE_HOG_STOP";

/// Opens a queue whose every commit waits for its flush with SQLite's lock held: a writer in
/// a loop leaves the lock free only for the microseconds between two transactions.
fn open_durable(url: &str) -> Queue {
    Queue::builder(url)
        .busy_timeout(Duration::from_secs(5))
        .sqlite_sync(SqliteSync::Full)
        .open()
        .unwrap()
}

/// The hog of [`a_writer_process_committing_back_to_back_cannot_starve_another`], run in a
/// process of its own (this test binary, `--exact child_hog`); without its variable it does
/// nothing. Enqueues one task per commit, back to back, until the stop file appears (60 s at
/// most), then writes how many it enqueued into the stop file's sibling `count`.
#[test]
fn child_hog() {
    let Ok(url) = std::env::var(HOG_URL) else {
        return;
    };
    let _ = env_logger::builder().is_test(true).try_init();
    let stop = std::path::PathBuf::from(std::env::var(HOG_STOP).unwrap());
    let queue = open_durable(&url);
    let started = Instant::now();
    let mut n = 0u64;
    while !stop.exists() && started.elapsed() < Duration::from_secs(60) {
        queue.enqueue_raw(&[b"hog"]).unwrap();
        n += 1;
    }
    std::fs::write(stop.with_file_name("count"), n.to_string()).unwrap();
}

/// A process enqueues back to back (the hog); this one enqueues every 10 ms, 40 times. Against
/// SQLite's busy handler alone the polite process waits seconds, or hits the busy timeout (the
/// hog takes the lock again within microseconds, and the handler sleeps up to 100 ms between
/// looks). With the processes' turnstile each polite enqueue waits for at most the hog's
/// transaction in progress and one more; the bound asserted, 1 s, is generous for a loaded
/// machine (a durable commit takes milliseconds).
#[test]
fn a_writer_process_committing_back_to_back_cannot_starve_another() {
    let db = sqlite("process_fair");
    let polite = open_durable(&db.url);
    let path = db.url.trim_start_matches("sqlite://");
    let dir = Path::new(path).parent().unwrap();
    let stop = dir.join("stop");
    let mut hog = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_hog", "--nocapture", "--test-threads=1"])
        .env(HOG_URL, &db.url)
        .env(HOG_STOP, &stop)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Until the hog is at it (reads take no turn).
    let deadline = Instant::now() + Duration::from_secs(30);
    while polite.status().unwrap().head < 100 {
        assert!(Instant::now() < deadline, "the hog never started");
        thread::sleep(Duration::from_millis(5));
    }
    let mut waits = Vec::new();
    let mut failures = Vec::new();
    let started = Instant::now();
    while waits.len() < 40 && started.elapsed() < Duration::from_secs(20) {
        let t0 = Instant::now();
        if let Err(e) = polite.enqueue_raw(&[b"polite"]) {
            failures.push(e.to_string());
        }
        waits.push(t0.elapsed());
        thread::sleep(Duration::from_millis(10));
    }
    std::fs::write(&stop, b"").unwrap();
    assert!(hog.wait().unwrap().success());
    let hogged: u64 = std::fs::read_to_string(dir.join("count"))
        .unwrap()
        .parse()
        .unwrap();
    waits.sort();
    let worst = waits.last().copied().unwrap_or_default();
    eprintln!(
        "{} polite enqueues, median wait {:?}, worst {worst:?}, against {hogged} back-to-back ones in another process",
        waits.len(),
        waits[waits.len() / 2],
    );
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(
        waits.len(),
        40,
        "starved: only {} enqueues in 20 s",
        waits.len()
    );
    assert!(worst < Duration::from_millis(1000), "worst wait {worst:?}");
    assert!(hogged >= 100, "the hog was held back: {hogged}");
}
