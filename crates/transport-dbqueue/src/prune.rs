//! Pruning in small, paced chunks, so that producers and consumers never wait long for it.
//!
//! [`Queue::prune`](crate::Queue::prune) deletes the tasks every worker has run, in the
//! queue's order, one chunk per statement, each its own transaction. Each chunk starts where
//! the last one ended (keyset pagination): a chunk never walks over the rows or index entries
//! of the chunks deleted before it, which PostgreSQL and InnoDB keep until vacuum or purge.
//!
//! The chunk size adapts to a time target per statement, and the pruner rests between
//! chunks for as long as the chunk took (at least the backend's minimum): it takes at most
//! about half of the database's time, and on SQLite, whose one write lock a chunk holds,
//! the producers and consumers that queued at the write gate ([`crate::write_gate`]) while a
//! chunk ran go first after it, and the rest gives them time to. (Writers of other processes
//! only have SQLite's busy handler, which retries after 1, 2, 5, 10, 15, 20 ms and so on: one
//! that started waiting during a chunk of at most 10 ms retries within the 20 ms rest.)

use std::time::Duration;

/// How one backend paces its prune chunks.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pacing {
    /// How long one chunk's statement should take.
    pub(crate) target: Duration,
    /// The shortest rest after a chunk.
    pub(crate) min_rest: Duration,
}

impl Pacing {
    /// SQLite: a chunk holds the one write lock, so chunks are short and the rest is longer
    /// than a waiting writer's next retry.
    pub(crate) const SINGLE_WRITER: Pacing = Pacing {
        target: Duration::from_millis(10),
        min_rest: Duration::from_millis(20),
    };
    /// PostgreSQL: a chunk's transaction holds the snapshot horizon back while it runs, and
    /// with it every task enqueued meanwhile, on every queue of the server; so chunks are as
    /// short as SQLite's, and the rest gives consumers time to catch up.
    #[cfg(feature = "postgres")]
    pub(crate) const SNAPSHOT_HORIZON: Pacing = Pacing {
        target: Duration::from_millis(10),
        min_rest: Duration::from_millis(10),
    };
    /// MySQL/MariaDB: deletes lock only the deleted rows, which nobody else touches; the
    /// rest only bounds the pruner's share of the server's I/O.
    pub(crate) const SERVER: Pacing = Pacing {
        target: Duration::from_millis(100),
        min_rest: Duration::from_millis(1),
    };
}

/// Rows in the first chunk.
const FIRST_CHUNK: i64 = 1_000;
/// Bounds of the chunk size.
const MIN_CHUNK: i64 = 100;
const MAX_CHUNK: i64 = 50_000;

/// The adaptive chunk size and the rests between chunks.
#[derive(Debug)]
pub(crate) struct Pacer {
    pacing: Pacing,
    chunk: i64,
}

impl Pacer {
    pub(crate) fn new(pacing: Pacing) -> Pacer {
        Pacer {
            pacing,
            chunk: FIRST_CHUNK,
        }
    }

    /// Rows to delete in the next chunk.
    pub(crate) fn chunk(&self) -> i64 {
        self.chunk
    }

    /// Adapts the chunk size to how long the last chunk took, then rests.
    pub(crate) fn rest_after(&mut self, took: Duration) {
        self.adapt(took);
        std::thread::sleep(took.max(self.pacing.min_rest));
    }

    fn adapt(&mut self, took: Duration) {
        if took > self.pacing.target {
            self.chunk = (self.chunk / 2).max(MIN_CHUNK);
        } else if took < self.pacing.target / 2 {
            self.chunk = (self.chunk * 2).min(MAX_CHUNK);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chunk_follows_the_time_target_within_bounds() {
        let mut p = Pacer::new(Pacing::SINGLE_WRITER);
        assert_eq!(p.chunk(), FIRST_CHUNK);
        p.adapt(Duration::from_millis(2));
        assert_eq!(p.chunk(), 2 * FIRST_CHUNK);
        p.adapt(Duration::from_millis(7));
        assert_eq!(p.chunk(), 2 * FIRST_CHUNK, "within the target: unchanged");
        for _ in 0..20 {
            p.adapt(Duration::from_millis(50));
        }
        assert_eq!(p.chunk(), MIN_CHUNK);
        for _ in 0..20 {
            p.adapt(Duration::ZERO);
        }
        assert_eq!(p.chunk(), MAX_CHUNK);
    }
}
