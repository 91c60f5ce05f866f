//! The queue's reads and writes, written once and compiled for every backend.

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::result::QueryResult;

use crate::backend::{Dialect, PruneStep};
use crate::cached::{BumpCounter, MovePosition};
use crate::position::{Pos, ResetTo, StartFrom, TaskId};
use crate::prune::Pacer;
use crate::schema::{
    rpclib_queue_counter as counter, rpclib_queue_failures as f, rpclib_queue_tasks as t,
    rpclib_queue_workers as w,
};
use crate::status::FailedTask;
use crate::write_gate::Gate;

/// Rows per multi-row `INSERT`: under every engine's bound-parameter limit.
const INSERT_CHUNK: usize = 1000;

/// Unix time in milliseconds.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A failure to record with the position update.
#[derive(Debug, Clone)]
pub(crate) struct NewFailure {
    pub(crate) task_id: i64,
    pub(crate) error: String,
}

/// Tasks read after a position.
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    /// In the queue's order.
    pub(crate) tasks: Vec<(Pos, Vec<u8>)>,
    /// PostgreSQL: none could be read, but committed tasks wait behind the snapshot horizon
    /// (a transaction that began before they committed is still open): poll, since no
    /// notification will say when that transaction ends.
    pub(crate) blocked: bool,
}

/// How a reset ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ResetOutcome {
    /// The worker is now at this position.
    Moved(Pos),
    /// No such worker.
    UnknownWorker,
    /// PostgreSQL: the task to reset after is not stored, so its place in the order is
    /// unknown.
    UnknownTask,
}

/// The raw parts of a status report.
#[derive(Debug)]
pub(crate) struct StatusParts {
    pub(crate) head: i64,
    pub(crate) stored: i64,
    pub(crate) oldest: Option<i64>,
    /// (worker, last task, registered, updated, lag)
    pub(crate) workers: Vec<(i64, i64, i64, i64, i64)>,
    /// (worker, failures)
    pub(crate) failures: Vec<(i64, i64)>,
}

/// The queue's statements.
pub(crate) trait Store: Dialect {
    /// Enqueues payloads in one transaction; returns their ids, in payload order.
    ///
    /// SQLite, MySQL: the counter row is updated first and stays locked until commit, so ids
    /// are handed out in commit order: a consumer that sees id `n` committed sees every id
    /// below it. PostgreSQL: see [`Dialect::insert_tasks_at_once`].
    ///
    /// `hold` runs inside the transaction, after the inserts (tests hold the transaction
    /// open with it).
    fn insert_tasks(
        &mut self,
        gate: &Gate,
        payloads: &[&[u8]],
        now: i64,
        hold: Option<&mut dyn FnMut()>,
    ) -> QueryResult<Vec<i64>>;
    /// Up to `limit` tasks after `after`, in the queue's order, all final (no task can
    /// commit before them later).
    fn fetch_tasks(&mut self, after: Pos, limit: i64) -> QueryResult<Fetched>;
    /// The last id handed out.
    fn head(&mut self) -> QueryResult<i64>;
    /// The position after every task that is final now.
    fn tail(&mut self) -> QueryResult<Pos>;
    /// Registers `worker` if it is not yet; returns its position.
    fn register_worker(
        &mut self,
        gate: &Gate,
        worker: i64,
        start: StartFrom,
        now: i64,
    ) -> QueryResult<Pos>;
    /// Inside an open transaction: records failures and moves the position.
    fn advance(
        &mut self,
        worker: i64,
        to: Pos,
        failures: &[NewFailure],
        now: i64,
    ) -> QueryResult<()>;
    /// Everything a status report needs.
    fn status_parts(&mut self) -> QueryResult<StatusParts>;
    /// Deletes the tasks every registered worker has finished, in paced chunks (see
    /// [`crate::prune`]); returns how many.
    /// Each chunk takes its turn at the write gate.
    fn prune(&mut self, gate: &Gate) -> QueryResult<u64>;
    /// One prune chunk in id order (SQLite, MySQL/MariaDB: gapless ids in commit order):
    /// the ids after `after`, up to `through`, about `chunk` of them, in one statement. It
    /// starts at the oldest id after `after`, so it never walks over rows an earlier chunk
    /// deleted (InnoDB keeps them until purge).
    fn prune_id_range(&mut self, after: i64, through: i64, chunk: i64) -> QueryResult<PruneStep>;
    /// Moves a worker; `None` if it is not registered.
    fn reset(
        &mut self,
        gate: &Gate,
        worker: i64,
        to: ResetTo,
        now: i64,
    ) -> QueryResult<ResetOutcome>;
    /// Recorded failures, newest first.
    fn failures(&mut self, worker: Option<i64>, limit: i64) -> QueryResult<Vec<FailedTask>>;
    /// Deletes a worker's row; whether it existed.
    fn delete_worker(&mut self, gate: &Gate, worker: i64) -> QueryResult<bool>;
    /// One task's payload.
    fn task(&mut self, id: i64) -> QueryResult<Option<Vec<u8>>>;
}

macro_rules! impl_store {
    ($conn:ty) => {
        impl Store for $conn {
            fn insert_tasks(
                &mut self,
                gate: &Gate,
                payloads: &[&[u8]],
                now: i64,
                mut hold: Option<&mut dyn FnMut()>,
            ) -> QueryResult<Vec<i64>> {
                if let Some(result) =
                    self.insert_tasks_at_once(gate, payloads, now, hold.as_deref_mut())
                {
                    return result;
                }
                if let Some(result) =
                    self.insert_tasks_counted(gate, payloads, now, hold.as_deref_mut())
                {
                    return result;
                }
                let n = i64::try_from(payloads.len()).unwrap_or(i64::MAX);
                self.write_transaction(gate, |c| {
                    // Statements diesel caches: the DSL's `update` and `first` (a bound
                    // `LIMIT 1`) were prepared again at every enqueue on SQLite.
                    BumpCounter { n }.execute(c)?;
                    let last: i64 = counter::table
                        .find(1)
                        .select(counter::last_id)
                        .get_result(c)?;
                    let first = last - n + 1;
                    let mut id = first;
                    for chunk in payloads.chunks(INSERT_CHUNK) {
                        if let [data] = chunk {
                            // One row, the common case: a statement of fixed shape, which
                            // diesel prepares once per connection and caches. A multi-row
                            // insert is prepared at every call: on MySQL one more round trip,
                            // made while the counter row is locked.
                            diesel::insert_into(t::table)
                                .values((t::id.eq(id), t::data.eq(*data), t::enqueued_at.eq(now)))
                                .execute(c)?;
                            id += 1;
                            continue;
                        }
                        let rows: Vec<_> = chunk
                            .iter()
                            .map(|data| {
                                let row = (t::id.eq(id), t::data.eq(*data), t::enqueued_at.eq(now));
                                id += 1;
                                row
                            })
                            .collect();
                        diesel::insert_into(t::table).values(rows).execute(c)?;
                    }
                    if let Some(hold) = hold {
                        hold();
                    }
                    Ok((first..=last).collect())
                })
            }

            fn fetch_tasks(&mut self, after: Pos, limit: i64) -> QueryResult<Fetched> {
                if let Some(result) = self.fetch_below_horizon(after, limit) {
                    return result;
                }
                // Ids are gapless in commit order here, so the next `limit` tasks are usually
                // the ids `after + 1 ..= after + limit`: read as a range, without `LIMIT`.
                // SQLite re-prepares a statement whose `LIMIT` is a bound parameter each time
                // it is bound again (about 40,000 instructions, a third of a 100-task read).
                // The range's rows are always the first ones after `after` (a prefix of what
                // the `LIMIT` read gives); it finds none only where there is a gap (tasks
                // pruned below the first retained one) or no task, and then the `LIMIT` read
                // decides.
                let upto = after.id.saturating_add(limit.max(1));
                let mut rows: Vec<(i64, Vec<u8>)> = t::table
                    .filter(t::id.gt(after.id).and(t::id.le(upto)))
                    .order(t::id)
                    .select((t::id, t::data))
                    .load(self)?;
                if rows.is_empty() {
                    rows = t::table
                        .filter(t::id.gt(after.id))
                        .order(t::id)
                        .limit(limit)
                        .select((t::id, t::data))
                        .load(self)?;
                }
                Ok(Fetched {
                    tasks: rows
                        .into_iter()
                        .map(|(id, data)| (Pos { xid: 0, id }, data))
                        .collect(),
                    blocked: false,
                })
            }

            fn head(&mut self) -> QueryResult<i64> {
                if let Some(result) = self.sequence_head() {
                    return result;
                }
                counter::table.find(1).select(counter::last_id).first(self)
            }

            fn tail(&mut self) -> QueryResult<Pos> {
                if let Some(result) = self.horizon_tail() {
                    return result;
                }
                // Every id up to the counter's committed value is committed.
                Ok(Pos {
                    xid: 0,
                    id: self.head()?,
                })
            }

            fn register_worker(
                &mut self,
                gate: &Gate,
                worker: i64,
                start: StartFrom,
                now: i64,
            ) -> QueryResult<Pos> {
                // Two workers registering at once can deadlock on InnoDB: each `FOR UPDATE` on
                // its missing row takes a gap lock, then each insert waits for the other's. The
                // server rolls one back (a serialization failure); registering is idempotent,
                // so that one simply tries again.
                let mut attempt = 0u64;
                loop {
                    let result = self.write_transaction(gate, |c| {
                        if let Some(pos) = c.locked_position(worker)? {
                            return Ok(pos);
                        }
                        let pos = match start {
                            StartFrom::First => Pos::START,
                            StartFrom::Tail => c.tail()?,
                        };
                        diesel::insert_into(w::table)
                            .values((
                                w::worker_id.eq(worker),
                                w::last_task_id.eq(pos.id),
                                w::last_task_xid.eq(pos.xid),
                                w::registered_at.eq(now),
                                w::updated_at.eq(now),
                            ))
                            .execute(c)?;
                        Ok(pos)
                    });
                    match result {
                        Err(diesel::result::Error::DatabaseError(
                            diesel::result::DatabaseErrorKind::SerializationFailure,
                            _,
                        )) if attempt < 5 => {
                            attempt += 1;
                            std::thread::sleep(std::time::Duration::from_millis(10 * attempt));
                        }
                        other => return other,
                    }
                }
            }

            fn advance(
                &mut self,
                worker: i64,
                to: Pos,
                failures: &[NewFailure],
                now: i64,
            ) -> QueryResult<()> {
                if !failures.is_empty() {
                    let rows: Vec<_> = failures
                        .iter()
                        .map(|x| {
                            (
                                f::task_id.eq(x.task_id),
                                f::worker_id.eq(worker),
                                f::error.eq(x.error.as_str()),
                                f::failed_at.eq(now),
                            )
                        })
                        .collect();
                    diesel::insert_into(f::table).values(rows).execute(self)?;
                }
                // A statement diesel caches (see `cached`): one per commit.
                MovePosition { worker, to, now }.execute(self)?;
                Ok(())
            }

            fn status_parts(&mut self) -> QueryResult<StatusParts> {
                let head = self.head()?;
                let (stored, oldest): (i64, Option<i64>) =
                    t::table.select((count_star(), min(t::id))).first(self)?;
                let rows: Vec<(i64, i64, i64, i64, i64)> = w::table
                    .order(w::worker_id)
                    .select((
                        w::worker_id,
                        w::last_task_id,
                        w::last_task_xid,
                        w::registered_at,
                        w::updated_at,
                    ))
                    .load(self)?;
                let mut workers = Vec::with_capacity(rows.len());
                for (worker, id, xid, registered, updated) in rows {
                    let lag = match self.count_after(Pos { xid, id }) {
                        Some(counted) => counted?,
                        // Gapless ids: the lag is a subtraction.
                        None => (head - id).max(0),
                    };
                    workers.push((worker, id, registered, updated, lag));
                }
                let failures = f::table
                    .group_by(f::worker_id)
                    .select((f::worker_id, count_star()))
                    .load(self)?;
                Ok(StatusParts {
                    head,
                    stored,
                    oldest,
                    workers,
                    failures,
                })
            }

            fn prune(&mut self, gate: &Gate) -> QueryResult<u64> {
                let first: Option<(i64, i64)> = w::table
                    .order((w::last_task_xid, w::last_task_id))
                    .select((w::last_task_xid, w::last_task_id))
                    .first(self)
                    .optional()?;
                let Some((xid, id)) = first else {
                    return Ok(0);
                };
                let through = Pos { xid, id };
                let mut pacer = Pacer::new(self.prune_pacing());
                let mut after = Pos::START;
                let mut deleted = 0u64;
                loop {
                    // A chunk's delete is a write of its own (autocommit): it waits for its
                    // turn like any transaction. The pacer times the chunk, not the wait.
                    let pass = gate.enter()?;
                    let started = Instant::now();
                    let chunk = pacer.chunk();
                    let step = match self.prune_chunk_in_order(after, through, chunk) {
                        Some(step) => step?,
                        None => self.prune_id_range(after.id, through.id, chunk)?,
                    };
                    drop(pass);
                    deleted += step.deleted;
                    let Some(next) = step.next else {
                        return Ok(deleted);
                    };
                    after = next;
                    pacer.rest_after(started.elapsed());
                }
            }

            fn prune_id_range(
                &mut self,
                after: i64,
                through: i64,
                chunk: i64,
            ) -> QueryResult<PruneStep> {
                let oldest: Option<i64> = t::table
                    .filter(t::id.gt(after))
                    .select(min(t::id))
                    .first(self)?;
                let Some(oldest) = oldest.filter(|&o| o <= through) else {
                    return Ok(PruneStep {
                        deleted: 0,
                        next: None,
                    });
                };
                let upto = through.min(oldest.saturating_add(chunk.max(1) - 1));
                let n = diesel::delete(t::table.filter(t::id.ge(oldest).and(t::id.le(upto))))
                    .execute(self)?;
                Ok(PruneStep {
                    deleted: n as u64,
                    next: (upto < through).then_some(Pos { xid: 0, id: upto }),
                })
            }

            fn reset(
                &mut self,
                gate: &Gate,
                worker: i64,
                to: ResetTo,
                now: i64,
            ) -> QueryResult<ResetOutcome> {
                self.write_transaction(gate, |c| {
                    if c.locked_position(worker)?.is_none() {
                        return Ok(ResetOutcome::UnknownWorker);
                    }
                    let pos = match to {
                        ResetTo::Start => Pos::START,
                        ResetTo::Tail => c.tail()?,
                        ResetTo::After(TaskId(id)) => match c.position_of_task(id) {
                            Some(found) => match found? {
                                Some(pos) => pos,
                                None => return Ok(ResetOutcome::UnknownTask),
                            },
                            // Gapless ids in commit order: any id is a place in the order.
                            None => Pos {
                                xid: 0,
                                id: id.max(0),
                            },
                        },
                    };
                    diesel::update(w::table.find(worker))
                        .set((
                            w::last_task_id.eq(pos.id),
                            w::last_task_xid.eq(pos.xid),
                            w::updated_at.eq(now),
                        ))
                        .execute(c)?;
                    Ok(ResetOutcome::Moved(pos))
                })
            }

            fn failures(
                &mut self,
                worker: Option<i64>,
                limit: i64,
            ) -> QueryResult<Vec<FailedTask>> {
                let mut q = f::table
                    .select((f::task_id, f::worker_id, f::error, f::failed_at))
                    .order(f::id.desc())
                    .limit(limit)
                    .into_boxed();
                if let Some(worker) = worker {
                    q = q.filter(f::worker_id.eq(worker));
                }
                let rows: Vec<(i64, i64, String, i64)> = q.load(self)?;
                Ok(rows
                    .into_iter()
                    .map(|(task_id, worker_id, error, failed_at)| FailedTask {
                        task_id: TaskId(task_id),
                        worker_id,
                        error,
                        failed_at,
                    })
                    .collect())
            }

            fn delete_worker(&mut self, gate: &Gate, worker: i64) -> QueryResult<bool> {
                let _pass = gate.enter()?;
                let n = diesel::delete(w::table.find(worker)).execute(self)?;
                Ok(n > 0)
            }

            fn task(&mut self, id: i64) -> QueryResult<Option<Vec<u8>>> {
                t::table.find(id).select(t::data).first(self).optional()
            }
        }
    };
}

#[cfg(feature = "sqlite")]
impl_store!(diesel::SqliteConnection);
#[cfg(feature = "postgres")]
impl_store!(diesel::PgConnection);
#[cfg(feature = "mysql")]
impl_store!(diesel::MysqlConnection);
