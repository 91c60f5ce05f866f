//! What batch consume costs per task, in instructions, beside its raw ceiling: the queue
//! bench's "consume, 1 worker, batches of 100" row and its plain diesel read of the same
//! rows, on SQLite, made countable under callgrind (timed rates are noise on a loaded machine).
//!
//! ```text
//! consume_cost queue N    one worker consumes N pre-enqueued tasks, a commit per 100
//! consume_cost replies N  as `queue`, with a listener that reads every reply (so each is
//!                         written, as the consumer always did before it skipped unread ones)
//! consume_cost raw N      the bench's raw step reads the same N rows, 100 per transaction
//! consume_cost pipeline N the bench's "pipeline alone" row: N requests through the
//!                         application (parse, call, write the reply), no database
//! consume_cost enqueue N  the bench's single enqueue row: N enqueues of one task each
//! consume_cost fanout N   the bench's fan-out row: three workers (a queue handle each, as
//!                         in the bench) run N pre-enqueued tasks each, a commit per task
//! ```
//!
//! The last two count the write transaction's fixed costs (the write gate, the processes'
//! turn); for their system calls run them under `strace -f -c` as well.
//!
//! Only [`measured`] is meant to be counted; the set-up (enqueueing N tasks) is not:
//!
//! ```text
//! valgrind --tool=callgrind --toggle-collect='*consume_cost::measured*' \
//!     target/release/examples/consume_cost queue 2000
//! ```
//!
//! Run at two sizes and take (I(N2) - I(N1)) / (N2 - N1): the fixed costs (opening the
//! session, the runtime, the last empty fetch) cancel out.

#![allow(clippy::print_stdout, missing_docs, unreachable_pub)]

#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "../tests/support/protocol.rs"]
mod protocol;

#[allow(dead_code)]
#[path = "../benches/queue_parts/workload.rs"]
mod workload;

#[allow(dead_code)]
#[path = "../benches/queue_parts/raw.rs"]
mod raw;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use rpclib_transport_dbqueue::Queue;
use rpclib_transport_dbqueue::diesel::connection::SimpleConnection;

use raw::Raw;

/// Tasks per commit and per read, as in the bench's row.
const BATCH: usize = 100;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(n)) = (
        args.get(1),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: consume_cost queue|replies|raw|pipeline N");
        std::process::exit(2);
    };
    let dir = std::env::temp_dir().join(format!("rpclib-consume-cost-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cost.db").display().to_string();
    let queue = Queue::open(&path).unwrap();
    let done = match mode.as_str() {
        "queue" | "replies" => {
            let data = workload::payload();
            let mut left = n;
            while left > 0 {
                let k = left.min(1000);
                let chunk: Vec<&[u8]> = (0..k).map(|_| data.as_slice()).collect();
                queue.enqueue_raw(&chunk).unwrap();
                left -= k;
            }
            measured(Work::Queue(&queue, mode == "replies"))
        }
        "raw" => {
            let mut conn = raw::sqlite_raw(&path);
            conn.batch_execute(raw::SQLITE_DDL).unwrap();
            conn.setup(n);
            measured(Work::Raw(&mut conn, n))
        }
        "pipeline" => measured(Work::Pipeline(n)),
        "enqueue" => measured(Work::Enqueue(&queue, n)),
        "fanout" => {
            let data = workload::payload();
            let chunk: Vec<&[u8]> = (0..n.min(1000)).map(|_| data.as_slice()).collect();
            let mut left = n;
            while left > 0 {
                queue.enqueue_raw(&chunk[..left.min(chunk.len())]).unwrap();
                left -= left.min(chunk.len());
            }
            // Every worker runs every task: the count to check is per worker.
            measured(Work::FanOut(&path)) / 3
        }
        _ => {
            eprintln!("mode: queue, replies, raw, pipeline, enqueue or fanout");
            std::process::exit(2);
        }
    };
    drop(queue);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(done, n as u64, "every task read once");
    println!("{mode}: {done} tasks");
}

/// What [`measured`] runs.
enum Work<'a> {
    /// The queue's consumer, as the bench runs it; whether a listener reads the replies.
    Queue(&'a Queue, bool),
    /// The raw step over this many rows.
    Raw(
        &'a mut rpclib_transport_dbqueue::diesel::SqliteConnection,
        usize,
    ),
    /// The pipeline alone, this many times.
    Pipeline(usize),
    /// This many single-task enqueues.
    Enqueue(&'a Queue, usize),
    /// Three workers with a queue handle each on the database at this path, a commit per
    /// task.
    FanOut(&'a str),
}

/// The counted part: how many tasks it read.
#[inline(never)]
fn measured(work: Work<'_>) -> u64 {
    match work {
        Work::Queue(queue, read_replies) => {
            let app = workload::app(
                &Arc::new(AtomicU64::new(0)),
                &Arc::new(Mutex::new(None)),
                read_replies,
            );
            let consumer = queue
                .consumer(app, 1)
                .batch_size(BATCH)
                .fetch_size(BATCH)
                .build();
            consumer.run_until_idle().unwrap().processed
        }
        Work::Raw(conn, n) => {
            let mut read = 0;
            while read < n {
                read += conn.step(1, BATCH as i64);
            }
            read as u64
        }
        Work::Pipeline(n) => {
            let app = workload::app(
                &Arc::new(AtomicU64::new(0)),
                &Arc::new(Mutex::new(None)),
                false,
            );
            let data = workload::payload();
            for _ in 0..n {
                let mut ctx = app.new_context();
                ctx.in_string = vec![data.clone()];
                app.get_in_object(&mut ctx);
                app.get_out_object_blocking(&mut ctx);
                app.get_out_string(&mut ctx);
                ctx.close();
            }
            n as u64
        }
        Work::Enqueue(queue, n) => {
            let data = workload::payload();
            for _ in 0..n {
                queue.enqueue_raw(&[&data]).unwrap();
            }
            n as u64
        }
        Work::FanOut(path) => {
            let app = workload::app(
                &Arc::new(AtomicU64::new(0)),
                &Arc::new(Mutex::new(None)),
                false,
            );
            let workers: Vec<_> = (1..=3)
                .map(|w| {
                    let consumer = Queue::open(path)
                        .unwrap()
                        .consumer(Arc::clone(&app), w)
                        .build();
                    std::thread::spawn(move || consumer.run_until_idle().unwrap().processed)
                })
                .collect();
            workers.into_iter().map(|h| h.join().unwrap()).sum()
        }
    }
}
