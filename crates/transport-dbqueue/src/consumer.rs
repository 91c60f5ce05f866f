//! The consumer: a server transport that runs every task of the queue, in id order, as one
//! worker.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rpclib_core::{Application, ContextCloseGuard, Fault, InterfaceDocument};

use crate::LOG_TARGET;
use crate::backend::{Dialect, with_conn};
use crate::error::QueueError;
use crate::executor::Executor;
use crate::idle::{Idle, PollOptions};
use crate::lock::WorkerLock;
use crate::position::{Pos, StartFrom, TaskId};
use crate::queue::Queue;
use crate::session::{CommitOutcome, SessionConn, SharedSession, lock};
use crate::shutdown::Shutdown;
use crate::store::{NewFailure, Store, now_ms};
use crate::task::run_task;
use crate::transport::transport_info;

/// What a consumer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConsumerStats {
    /// Tasks run and committed (failed ones included).
    pub processed: u64,
    /// Of those, the ones that failed (and were recorded).
    pub failed: u64,
}

/// Configures a [`Consumer`].
pub struct ConsumerBuilder {
    queue: Queue,
    app: Arc<Application>,
    worker: i64,
    start: StartFrom,
    batch: usize,
    fetch: usize,
    poll: PollOptions,
    wait_for_lock: bool,
    shutdown: Shutdown,
    runtime: Option<tokio::runtime::Handle>,
}

impl fmt::Debug for ConsumerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsumerBuilder")
            .field("worker", &self.worker)
            .field("start", &self.start)
            .field("batch", &self.batch)
            .finish_non_exhaustive()
    }
}

impl ConsumerBuilder {
    pub(crate) fn new(queue: Queue, app: Arc<Application>, worker: i64) -> Self {
        ConsumerBuilder {
            queue,
            app,
            worker,
            start: StartFrom::First,
            batch: 1,
            fetch: 64,
            poll: PollOptions::default(),
            wait_for_lock: true,
            shutdown: Shutdown::new(),
            runtime: None,
        }
    }

    /// Where a worker that was never registered starts (default: the first retained task).
    pub fn start_from(mut self, start: StartFrom) -> Self {
        self.start = start;
        self
    }

    /// Tasks per commit (default 1, rpclib's behaviour). With `n > 1` a consumer killed
    /// mid-batch runs the batch's uncommitted tasks (at most `n`) again after its restart;
    /// failures and the handlers' own writes through [`TaskTransaction`] commit with the
    /// batch.
    ///
    /// [`TaskTransaction`]: crate::TaskTransaction
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch = n.max(1);
        self
    }

    /// Tasks read per query (default 64; at least the batch size): bounds memory and keeps
    /// the cost per task flat whatever the backlog.
    pub fn fetch_size(mut self, n: usize) -> Self {
        self.fetch = n.max(1);
        self
    }

    /// Longest poll interval on SQLite and MySQL when idle (default 20 ms; polling starts at
    /// 1 ms after work and doubles).
    pub fn max_poll_interval(mut self, interval: Duration) -> Self {
        self.poll.max = interval.max(self.poll.min);
        self
    }

    /// PostgreSQL: how often the table is polled although no notification came (default 1 s).
    pub fn notify_fallback(mut self, interval: Duration) -> Self {
        self.poll.notify_fallback = interval;
        self
    }

    /// Whether to wait while another consumer holds this worker id (default), or fail with
    /// [`QueueError::WorkerBusy`].
    pub fn wait_for_lock(mut self, wait: bool) -> Self {
        self.wait_for_lock = wait;
        self
    }

    /// The flag that stops the consumer after its current task (see
    /// [`Shutdown::on_signals`]).
    pub fn shutdown(mut self, shutdown: Shutdown) -> Self {
        self.shutdown = shutdown;
        self
    }

    /// Runs the methods (and call wrappers) of the tasks on this tokio runtime: an `async fn`
    /// method that uses the application's resources bound to a runtime (a connection pool,
    /// an HTTP client) needs its calls driven by that runtime. The consumer's thread blocks on
    /// each call in turn (`Handle::block_on`), so tasks still run one after the other, each
    /// inside its transaction. It must be a multi-threaded runtime (a current-thread one
    /// drives its timers and sockets only from its own `block_on`), and [`Consumer::run`] must
    /// not be called from one of its worker threads (use a thread of its own, or
    /// `spawn_blocking`).
    ///
    /// Default: a single-threaded runtime owned by the consumer, created when it starts
    /// serving and driven only while a call runs; enough for async methods that bring their
    /// own resources.
    pub fn runtime(mut self, handle: tokio::runtime::Handle) -> Self {
        self.runtime = Some(handle);
        self
    }

    /// The consumer.
    pub fn build(self) -> Consumer {
        Consumer {
            fetch: self.fetch.max(self.batch),
            queue: self.queue,
            app: self.app,
            worker: self.worker,
            start: self.start,
            batch: self.batch,
            poll: self.poll,
            wait_for_lock: self.wait_for_lock,
            shutdown: self.shutdown,
            runtime: self.runtime,
            stats: Mutex::new(ConsumerStats::default()),
        }
    }
}

/// Runs rpclib's consumer loop as one worker: reads the tasks after its position in id
/// order, runs each through the application's pipeline (`get_in_object`, `get_out_object`,
/// `get_out_string`: only for a fault, or when the reply is read, see the crate's
/// "Guarantees"), records failures, and commits its position.
///
/// Blocking and `async fn` methods are both run to completion, one task after the other, each
/// inside its task's transaction: an async method is awaited on the consumer's runtime (see
/// [`ConsumerBuilder::runtime`]) while the consumer's thread waits for it.
///
/// At most one consumer per worker id runs at a time, across processes: a second one waits
/// (or fails, see [`ConsumerBuilder::wait_for_lock`]). A consumer killed at any moment
/// resumes after its restart at the first task it had not committed.
pub struct Consumer {
    queue: Queue,
    app: Arc<Application>,
    worker: i64,
    start: StartFrom,
    batch: usize,
    fetch: usize,
    poll: PollOptions,
    wait_for_lock: bool,
    shutdown: Shutdown,
    runtime: Option<tokio::runtime::Handle>,
    stats: Mutex<ConsumerStats>,
}

impl fmt::Debug for Consumer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consumer")
            .field("worker", &self.worker)
            .field("batch", &self.batch)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// An open session: the shared connection, and the worker lock it holds.
struct Session {
    shared: SharedSession,
    lock: WorkerLock,
}

/// Why a serving pass ended.
#[derive(Debug, PartialEq, Eq)]
enum Stop {
    Shutdown,
    Idle,
}

impl Consumer {
    /// The worker id.
    pub fn worker_id(&self) -> i64 {
        self.worker
    }

    /// What it did so far.
    pub fn stats(&self) -> ConsumerStats {
        *self.stats.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The shutdown flag.
    pub fn shutdown_handle(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// The application's interface document as served through the queue (its WSDL names
    /// the queue's [transport URI](crate::TRANSPORT_URI)).
    pub fn interface_document(&self) -> Result<Arc<InterfaceDocument>, Fault> {
        self.app.interface_document(&transport_info())
    }

    /// Serves until the shutdown flag is set, reconnecting (with back-off) when the database
    /// goes away. Errors only if the worker is busy and waiting was turned off.
    pub fn run(&self) -> Result<ConsumerStats, QueueError> {
        let mut backoff = Duration::from_millis(100);
        loop {
            match self.serve(false) {
                Ok(_) => return Ok(self.stats()),
                Err(e @ QueueError::WorkerBusy(_)) => return Err(e),
                Err(e) => {
                    log::error!(target: LOG_TARGET, "worker {}: {e}; reconnecting in {backoff:?}", self.worker);
                    if self.sleep(backoff) {
                        return Ok(self.stats());
                    }
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    /// Runs every task there is for this worker, then returns (or stops early on shutdown).
    /// On PostgreSQL that includes committed tasks held back by an older transaction that is
    /// still open: it waits for that transaction to end. Errors are returned, not retried.
    pub fn run_until_idle(&self) -> Result<ConsumerStats, QueueError> {
        self.serve(true)?;
        Ok(self.stats())
    }

    /// Sleeps up to `d`; whether a shutdown was asked meanwhile.
    fn sleep(&self, d: Duration) -> bool {
        let step = Duration::from_millis(20);
        let mut left = d;
        while !left.is_zero() {
            if self.shutdown.is_triggered() {
                return true;
            }
            let s = left.min(step);
            std::thread::sleep(s);
            left -= s;
        }
        self.shutdown.is_triggered()
    }

    fn serve(&self, until_idle: bool) -> Result<Stop, QueueError> {
        let Some(session) = self.open_session()? else {
            return Ok(Stop::Shutdown);
        };
        let executor = match &self.runtime {
            Some(handle) => Executor::Shared(handle.clone()),
            None => Executor::own()?,
        };
        let result = self.serve_session(&session, until_idle, &executor);
        let mut s = lock(&session.shared);
        if result.is_err() {
            s.abandon();
        } else if let Err(e) = session.lock.release(s.conn.as_mut()) {
            // The connection closes next, which releases it anyway.
            log::debug!(target: LOG_TARGET, "worker {}: releasing the lock: {e}", self.worker);
        }
        result
    }

    /// Connects, takes the worker lock (waiting if asked), listens, registers.
    fn open_session(&self) -> Result<Option<Session>, QueueError> {
        let storage = self.queue.storage();
        let mut conn = storage.connect()?;
        let mut said = false;
        let worker_lock = loop {
            if let Some(l) = WorkerLock::try_acquire(storage, conn.as_mut(), self.worker)? {
                break l;
            }
            if !self.wait_for_lock {
                return Err(QueueError::WorkerBusy(self.worker));
            }
            if !said {
                log::info!(target: LOG_TARGET, "worker {} is held by another consumer; waiting", self.worker);
                said = true;
            }
            if self.sleep(Duration::from_millis(100)) {
                return Ok(None);
            }
        };
        with_conn!(conn.as_mut(), c => c.listen())?;
        let (worker, start, now) = (self.worker, self.start, now_ms());
        let gate = storage.gate().clone();
        let position =
            with_conn!(conn.as_mut(), c => c.register_worker(&gate, worker, start, now))?;
        log::info!(target: LOG_TARGET, "worker {worker} starts after task {} (xid {})", position.id, position.xid);
        Ok(Some(Session {
            shared: Arc::new(Mutex::new(SessionConn::new(conn, gate, worker, position))),
            lock: worker_lock,
        }))
    }

    fn serve_session(
        &self,
        session: &Session,
        until_idle: bool,
        executor: &Executor,
    ) -> Result<Stop, QueueError> {
        let notifier = self.queue.notifier();
        let backend = self.queue.backend();
        let mut idle = Idle::new(self.poll, notifier);
        let fetch = i64::try_from(self.fetch).unwrap_or(i64::MAX);
        // The context of the last task, kept for the next (see `run_task`).
        let mut kept = None;
        loop {
            if self.shutdown.is_triggered() {
                return Ok(Stop::Shutdown);
            }
            let fetched = {
                let mut s = lock(&session.shared);
                let after = s.expected;
                with_conn!(s.conn.as_mut(), c => c.fetch_tasks(after, fetch))?
            };
            let tasks = fetched.tasks;
            if tasks.is_empty() {
                if until_idle && !fetched.blocked {
                    return Ok(Stop::Idle);
                }
                // Blocked: committed tasks wait for an older transaction to end; poll, as
                // no notification says when it does.
                idle.wait(
                    backend,
                    fetched.blocked,
                    &session.shared,
                    notifier,
                    &self.shutdown,
                )?;
                continue;
            }
            idle.reset();
            let mut tasks = tasks.into_iter().peekable();
            while tasks.peek().is_some() {
                let chunk: Vec<_> = tasks.by_ref().take(self.batch).collect();
                match self.process_chunk(&session.shared, chunk, executor, &mut kept)? {
                    ChunkEnd::Done => {}
                    ChunkEnd::Stopped => return Ok(Stop::Shutdown),
                    ChunkEnd::Moved => {
                        let mut s = lock(&session.shared);
                        let worker = self.worker;
                        let pos = with_conn!(s.conn.as_mut(), c => c.locked_position(worker))?;
                        match pos {
                            Some(p) => {
                                log::info!(target: LOG_TARGET, "worker {worker} was moved to after task {} (xid {})", p.id, p.xid);
                                s.expected = p;
                            }
                            None => {
                                // Removed while running: register again.
                                let now = now_ms();
                                let start = self.start;
                                let gate = s.gate();
                                s.expected = with_conn!(s.conn.as_mut(), c => c.register_worker(&gate, worker, start, now))?;
                                log::warn!(target: LOG_TARGET, "worker {worker} was removed while running; registered again");
                            }
                        }
                        break;
                    }
                }
            }
        }
    }

    /// Runs a chunk of tasks and commits them in one transaction.
    fn process_chunk(
        &self,
        session: &SharedSession,
        chunk: Vec<(Pos, Vec<u8>)>,
        executor: &Executor,
        kept: &mut Option<ContextCloseGuard>,
    ) -> Result<ChunkEnd, QueueError> {
        let max_payload = self.queue.max_payload();
        let mut failures = Vec::new();
        let mut last = None;
        let mut stopped = false;
        let mut ran = 0u64;
        for (pos, data) in chunk {
            let id = pos.id;
            lock(session).current_task = Some(id);
            let failure = run_task(
                &self.app,
                self.worker,
                TaskId(id),
                data,
                max_payload,
                session,
                executor,
                kept,
            );
            let mut s = lock(session);
            let write_failure = s.end_task(failure.is_some())?;
            if s.is_moved() {
                s.abandon();
                return Ok(ChunkEnd::Moved);
            }
            drop(s);
            if let Some(error) = failure.or(write_failure) {
                failures.push(NewFailure { task_id: id, error });
            }
            last = Some(pos);
            ran += 1;
            if self.shutdown.is_triggered() {
                stopped = true;
                break;
            }
        }
        let Some(last) = last else {
            return Ok(ChunkEnd::Done);
        };
        let outcome = lock(session).commit(last, &failures)?;
        if outcome == CommitOutcome::Moved {
            return Ok(ChunkEnd::Moved);
        }
        let mut stats = self.stats.lock().unwrap_or_else(|p| p.into_inner());
        stats.failed += failures.len() as u64;
        stats.processed += ran;
        drop(stats);
        Ok(if stopped {
            ChunkEnd::Stopped
        } else {
            ChunkEnd::Done
        })
    }
}

/// How a chunk ended.
#[derive(Debug)]
enum ChunkEnd {
    Done,
    Stopped,
    Moved,
}
