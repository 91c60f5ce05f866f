//! The raw ceilings of the queue bench, shared with `examples/consume_cost.rs`: plain diesel
//! statements on tables of the same shape as the queue's, with no pipeline.

use std::sync::atomic::{AtomicU64, Ordering};

use rpclib_transport_dbqueue::diesel::connection::SimpleConnection;
use rpclib_transport_dbqueue::diesel::{self, prelude::*};

use super::workload::payload;

diesel::table! {
    bench_raw_tasks (id) {
        id -> BigInt,
        data -> Binary,
    }
}

diesel::table! {
    bench_raw_pos (worker) {
        worker -> BigInt,
        pos -> BigInt,
    }
}

/// The plain-diesel ceilings of one backend.
pub trait Raw: Send {
    fn setup(&mut self, rows: usize);
    fn insert_one(&mut self, data: &[u8]);
    fn insert_batch(&mut self, data: &[u8], n: usize);
    /// Lock the worker's row, read the next `n` tasks, move the position, commit; how many.
    fn step(&mut self, worker: i64, n: i64) -> usize;
}

macro_rules! raw_impl {
    ($conn:ty, $begin:expr, $locked:expr) => {
        impl Raw for $conn {
            fn setup(&mut self, rows: usize) {
                self.batch_execute("DELETE FROM bench_raw_tasks; DELETE FROM bench_raw_pos;")
                    .unwrap();
                let data = payload();
                let mut id = 0i64;
                while (id as usize) < rows {
                    let chunk: Vec<_> = (0..1000.min(rows - id as usize))
                        .map(|_| {
                            id += 1;
                            (
                                bench_raw_tasks::id.eq(id),
                                bench_raw_tasks::data.eq(data.clone()),
                            )
                        })
                        .collect();
                    diesel::insert_into(bench_raw_tasks::table)
                        .values(chunk)
                        .execute(self)
                        .unwrap();
                }
                for w in 1..=3i64 {
                    diesel::insert_into(bench_raw_pos::table)
                        .values((bench_raw_pos::worker.eq(w), bench_raw_pos::pos.eq(0i64)))
                        .execute(self)
                        .unwrap();
                }
            }

            fn insert_one(&mut self, data: &[u8]) {
                let begin: fn(&mut Self) -> QueryResult<()> = $begin;
                begin(self).unwrap();
                diesel::insert_into(bench_raw_tasks::table)
                    .values((
                        bench_raw_tasks::id.eq(next_raw_id()),
                        bench_raw_tasks::data.eq(data),
                    ))
                    .execute(self)
                    .unwrap();
                self.batch_execute("COMMIT").unwrap();
            }

            fn insert_batch(&mut self, data: &[u8], n: usize) {
                let begin: fn(&mut Self) -> QueryResult<()> = $begin;
                begin(self).unwrap();
                let rows: Vec<_> = (0..n)
                    .map(|_| {
                        (
                            bench_raw_tasks::id.eq(next_raw_id()),
                            bench_raw_tasks::data.eq(data),
                        )
                    })
                    .collect();
                diesel::insert_into(bench_raw_tasks::table)
                    .values(rows)
                    .execute(self)
                    .unwrap();
                self.batch_execute("COMMIT").unwrap();
            }

            fn step(&mut self, worker: i64, n: i64) -> usize {
                let begin: fn(&mut Self) -> QueryResult<()> = $begin;
                let locked: fn(&mut Self, i64) -> QueryResult<i64> = $locked;
                begin(self).unwrap();
                let pos = locked(self, worker).unwrap();
                let tasks: Vec<(i64, Vec<u8>)> = bench_raw_tasks::table
                    .filter(bench_raw_tasks::id.gt(pos))
                    .order(bench_raw_tasks::id)
                    .limit(n)
                    .load(self)
                    .unwrap();
                // At the end of the backlog start over: the ceiling needs tasks, not new ones.
                let to = tasks.last().map_or(0, |(last, _)| *last);
                diesel::update(bench_raw_pos::table.find(worker))
                    .set(bench_raw_pos::pos.eq(to))
                    .execute(self)
                    .unwrap();
                self.batch_execute("COMMIT").unwrap();
                tasks.len().max(1)
            }
        }
    };
}

static RAW_ID: AtomicU64 = AtomicU64::new(10_000_000);

fn next_raw_id() -> i64 {
    RAW_ID.fetch_add(1, Ordering::Relaxed) as i64
}

raw_impl!(
    diesel::SqliteConnection,
    |c| c.batch_execute("BEGIN IMMEDIATE"),
    |c, w| bench_raw_pos::table
        .find(w)
        .select(bench_raw_pos::pos)
        .first(c)
);

#[cfg(feature = "mysql")]
raw_impl!(
    diesel::MysqlConnection,
    |c| c.batch_execute("BEGIN"),
    |c, w| bench_raw_pos::table
        .find(w)
        .select(bench_raw_pos::pos)
        .for_update()
        .first(c)
);

#[cfg(feature = "postgres")]
raw_impl!(
    diesel::PgConnection,
    |c| c.batch_execute("BEGIN"),
    |c, w| bench_raw_pos::table
        .find(w)
        .select(bench_raw_pos::pos)
        .for_update()
        .first(c)
);

/// The raw tables on SQLite.
pub const SQLITE_DDL: &str = "CREATE TABLE IF NOT EXISTS bench_raw_tasks (id INTEGER PRIMARY KEY, data BLOB NOT NULL); \
     CREATE TABLE IF NOT EXISTS bench_raw_pos (worker BIGINT PRIMARY KEY, pos BIGINT NOT NULL);";

/// A raw connection to the SQLite file at `path`, with the queue's own settings: WAL,
/// durable commits, a busy timeout.
pub fn sqlite_raw(path: &str) -> diesel::SqliteConnection {
    let mut c = diesel::SqliteConnection::establish(path).unwrap();
    c.batch_execute(
        "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;",
    )
    .unwrap();
    c
}
