//! [`Queue`]: the handle producers, consumers and operators share.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use rpclib_core::Application;

use crate::LOG_TARGET;
use crate::backend::{Backend, with_conn};
use crate::consumer::ConsumerBuilder;
use crate::error::QueueError;
use crate::lock::WorkerLock;
use crate::notify::Notifier;
use crate::position::{ResetTo, StartFrom, TaskId};
use crate::producer::Producer;
use crate::status::{FailedTask, QueueStatus, WorkerStatus};
use crate::storage::{ConnectOptions, SqliteSync, Storage};
use crate::store::{ResetOutcome, Store, now_ms};
use crate::wake::PgWaker;

/// The default cap on a task's payload: 4 MiB.
pub const DEFAULT_MAX_PAYLOAD: usize = 4 * 1024 * 1024;

/// A database-backed fan-out queue: every registered worker runs every task, all in the same
/// order (id order on SQLite and MySQL; commit-horizon order on PostgreSQL, see the crate's
/// "Guarantees").
///
/// Cheap to clone; clones share the connection pool and the in-process wake-up, so a
/// producer and a consumer made from one handle wake each other without polling.
#[derive(Clone)]
pub struct Queue {
    inner: Arc<Inner>,
}

struct Inner {
    storage: Storage,
    notifier: Notifier,
    /// PostgreSQL: wakes consumers of other processes after producers commit.
    pg_waker: Option<PgWaker>,
    max_payload: usize,
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("storage", &self.inner.storage)
            .field("max_payload", &self.inner.max_payload)
            .finish_non_exhaustive()
    }
}

/// Configures and opens a [`Queue`].
#[derive(Debug, Clone)]
pub struct QueueBuilder {
    url: String,
    options: ConnectOptions,
    max_payload: usize,
}

impl QueueBuilder {
    /// Connections in the pool producers and operations share (default 8).
    pub fn pool_size(mut self, size: u32) -> Self {
        self.options.pool_size = size;
        self
    }

    /// How long to wait for a pooled connection (default 10 s).
    pub fn connection_timeout(mut self, timeout: Duration) -> Self {
        self.options.connection_timeout = timeout;
        self
    }

    /// SQLite: how long a writer waits for its turn, at the process's write gate and then
    /// among the processes writing to the file (together), and then for the write lock
    /// against writers that take no turns (default 10 s each; see the crate's
    /// `docs/queue.md`, "SQLite's writers take turns").
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.options.busy_timeout = timeout;
        self
    }

    /// SQLite: durability of commits (default [`SqliteSync::Full`]).
    pub fn sqlite_sync(mut self, sync: SqliteSync) -> Self {
        self.options.sqlite_sync = sync;
        self
    }

    /// The largest payload producers may enqueue and consumers will parse (default
    /// [`DEFAULT_MAX_PAYLOAD`]).
    pub fn max_payload(mut self, bytes: usize) -> Self {
        self.max_payload = bytes;
        self
    }

    /// Connects, and creates or upgrades the queue's tables (embedded migrations).
    pub fn open(self) -> Result<Queue, QueueError> {
        let storage = Storage::open(&self.url, self.options)?;
        let pg_waker = (storage.backend() == Backend::Postgres)
            .then(|| PgWaker::new(storage.target().connection_string()));
        Ok(Queue {
            inner: Arc::new(Inner {
                storage,
                notifier: Notifier::default(),
                pg_waker,
                max_payload: self.max_payload,
            }),
        })
    }
}

impl Queue {
    /// Opens the queue at `url` with default settings: `sqlite::memory:`, `sqlite://PATH`
    /// (or a plain path), `postgres://…` or `mysql://…` (the last two with the cargo features
    /// of the same names).
    pub fn open(url: &str) -> Result<Queue, QueueError> {
        Queue::builder(url).open()
    }

    /// Configures a queue at `url`.
    pub fn builder(url: &str) -> QueueBuilder {
        QueueBuilder {
            url: url.to_owned(),
            options: ConnectOptions::default(),
            max_payload: DEFAULT_MAX_PAYLOAD,
        }
    }

    /// The backend.
    pub fn backend(&self) -> Backend {
        self.inner.storage.backend()
    }

    /// The payload cap.
    pub fn max_payload(&self) -> usize {
        self.inner.max_payload
    }

    pub(crate) fn storage(&self) -> &Storage {
        &self.inner.storage
    }

    pub(crate) fn notifier(&self) -> &Notifier {
        &self.inner.notifier
    }

    /// A producer: a [`Caller`](rpclib_core::Caller) that enqueues the calls of any typed
    /// client of `app`'s services and returns their task ids.
    pub fn producer(&self, app: Arc<Application>) -> Producer {
        Producer::new(self.clone(), app)
    }

    /// A consumer running `app`'s methods as worker `worker_id`.
    pub fn consumer(&self, app: Arc<Application>, worker_id: i64) -> ConsumerBuilder {
        ConsumerBuilder::new(self.clone(), app, worker_id)
    }

    /// Enqueues serialized requests in one transaction; durable when this returns.
    pub fn enqueue_raw<P: AsRef<[u8]>>(&self, payloads: &[P]) -> Result<Vec<TaskId>, QueueError> {
        self.enqueue_inner(payloads, None)
    }

    /// [`enqueue_raw`](Self::enqueue_raw), running `hold` inside the transaction before it
    /// commits: for tests of late commits.
    #[doc(hidden)]
    pub fn __enqueue_raw_holding<P: AsRef<[u8]>>(
        &self,
        payloads: &[P],
        mut hold: impl FnMut(),
    ) -> Result<Vec<TaskId>, QueueError> {
        self.enqueue_inner(payloads, Some(&mut hold))
    }

    fn enqueue_inner<P: AsRef<[u8]>>(
        &self,
        payloads: &[P],
        hold: Option<&mut dyn FnMut()>,
    ) -> Result<Vec<TaskId>, QueueError> {
        let max = self.inner.max_payload;
        let slices: Vec<&[u8]> = payloads.iter().map(AsRef::as_ref).collect();
        if let Some(big) = slices.iter().find(|p| p.len() > max) {
            return Err(QueueError::PayloadTooLarge {
                size: big.len(),
                max,
            });
        }
        if slices.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.inner.storage.get()?;
        let now = now_ms();
        let gate = self.inner.storage.gate();
        let ids = with_conn!(conn.as_mut(), c => c.insert_tasks(gate, &slices, now, hold))?;
        // Producers skip the pool's health check on a connection that just worked: a round
        // trip per enqueue otherwise.
        conn.succeeded();
        drop(conn);
        self.inner.notifier.notify();
        if let Some(waker) = &self.inner.pg_waker {
            waker.committed();
        }
        log::trace!(target: LOG_TARGET, "enqueued tasks {ids:?}");
        Ok(ids.into_iter().map(TaskId).collect())
    }

    /// Every worker's position and lag, and the failure count.
    pub fn status(&self) -> Result<QueueStatus, QueueError> {
        let mut conn = self.inner.storage.get()?;
        let parts = with_conn!(conn.as_mut(), c => c.status_parts())?;
        let failed_of = |w: i64| {
            parts
                .failures
                .iter()
                .find(|(id, _)| *id == w)
                .map_or(0, |(_, n)| *n)
        };
        Ok(QueueStatus {
            backend: self.backend(),
            head: parts.head,
            oldest: parts.oldest.map(TaskId),
            stored: parts.stored,
            failed: parts.failures.iter().map(|(_, n)| n).sum(),
            workers: parts
                .workers
                .iter()
                .map(
                    |&(worker_id, last, registered_at, updated_at, lag)| WorkerStatus {
                        worker_id,
                        last_task_id: last,
                        lag,
                        failed: failed_of(worker_id),
                        registered_at,
                        updated_at,
                    },
                )
                .collect(),
        })
    }

    /// Registers a worker before its consumer first runs (so that [`prune`](Self::prune)
    /// keeps its tasks); returns its position (the last task it is past; on PostgreSQL 0
    /// for a worker starting at the tail). Does nothing to a registered worker.
    pub fn register_worker(&self, worker: i64, start: StartFrom) -> Result<i64, QueueError> {
        let mut conn = self.inner.storage.get()?;
        let now = now_ms();
        let gate = self.inner.storage.gate();
        Ok(with_conn!(conn.as_mut(), c => c.register_worker(gate, worker, start, now))?.id)
    }

    /// Deletes the tasks every registered worker has finished; returns how many. With no
    /// registered worker, deletes nothing.
    ///
    /// Safe to run while producers and consumers work: it deletes in chunks of one statement
    /// each (its own transaction), sized to take about 10 ms on SQLite (whose one write lock
    /// a chunk holds) and on PostgreSQL (where a chunk's transaction holds back the snapshot
    /// horizon, and with it the tasks enqueued meanwhile), 100 ms on MySQL/MariaDB (where it
    /// locks only rows nobody else touches), and rests between chunks at least as long as the
    /// chunk took (at least 20 ms on SQLite, 10 ms on PostgreSQL), which gives writers waiting
    /// for SQLite's write lock their chance and consumers time to catch up. A
    /// big prune therefore takes about twice the time of its deletes. On SQLite each chunk
    /// takes its turn at the database's write gate with the producers and consumers of this
    /// process (first come, first served), then its process's turn among the processes
    /// writing to the file, so it waits for at most the writers ahead of it; a writer that
    /// takes no turns (another program on the file) can still starve it past the busy
    /// timeout, and it then fails with [`QueueError::Database`] (the chunks deleted so far
    /// stay deleted; run it again).
    pub fn prune(&self) -> Result<u64, QueueError> {
        let mut conn = self.inner.storage.get()?;
        let gate = self.inner.storage.gate();
        let n = with_conn!(conn.as_mut(), c => c.prune(gate))?;
        log::info!(target: LOG_TARGET, "pruned {n} tasks");
        Ok(n)
    }

    /// Moves a worker's position; returns the new position (the last task it is past; on
    /// PostgreSQL 0 for the tail). A running consumer of that worker notices at its next
    /// commit and continues from there.
    ///
    /// On PostgreSQL, [`ResetTo::After`] needs the task to be stored (its place in the
    /// order is its transaction's id): [`QueueError::UnknownTask`] otherwise.
    pub fn reset_worker(&self, worker: i64, to: ResetTo) -> Result<i64, QueueError> {
        let mut conn = self.inner.storage.get()?;
        let now = now_ms();
        let gate = self.inner.storage.gate();
        let pos = match with_conn!(conn.as_mut(), c => c.reset(gate, worker, to, now))? {
            ResetOutcome::Moved(pos) => pos,
            ResetOutcome::UnknownWorker => return Err(QueueError::UnknownWorker(worker)),
            ResetOutcome::UnknownTask => {
                let task = match to {
                    ResetTo::After(task) => task,
                    ResetTo::Start | ResetTo::Tail => TaskId(0),
                };
                return Err(QueueError::UnknownTask(task));
            }
        };
        log::info!(target: LOG_TARGET, "worker {worker} reset to after task {} (xid {})", pos.id, pos.xid);
        Ok(pos.id)
    }

    /// Recorded failures, newest first: of one worker, or of all.
    pub fn failed_tasks(
        &self,
        worker: Option<i64>,
        limit: usize,
    ) -> Result<Vec<FailedTask>, QueueError> {
        let mut conn = self.inner.storage.get()?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Ok(with_conn!(conn.as_mut(), c => c.failures(worker, limit))?)
    }

    /// A stored task's payload.
    pub fn task_payload(&self, task: TaskId) -> Result<Option<Vec<u8>>, QueueError> {
        let mut conn = self.inner.storage.get()?;
        Ok(with_conn!(conn.as_mut(), c => c.task(task.0))?)
    }

    /// Unregisters a worker (its recorded failures stay). Fails with
    /// [`QueueError::WorkerBusy`] while a consumer runs as that worker.
    pub fn remove_worker(&self, worker: i64) -> Result<(), QueueError> {
        let storage = &self.inner.storage;
        let mut conn = storage.get()?;
        let lock = WorkerLock::try_acquire(storage, conn.as_mut(), worker)?
            .ok_or(QueueError::WorkerBusy(worker))?;
        let gate = storage.gate();
        let deleted = with_conn!(conn.as_mut(), c => c.delete_worker(gate, worker));
        let released = lock.release(conn.as_mut());
        if !deleted? {
            return Err(QueueError::UnknownWorker(worker));
        }
        released?;
        log::info!(target: LOG_TARGET, "worker {worker} removed");
        Ok(())
    }
}
