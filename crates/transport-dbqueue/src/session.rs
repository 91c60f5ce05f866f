//! A consumer's connection and the state of its open transaction, shared with the handler
//! of the running task (see [`TaskTransaction`](crate::TaskTransaction)).
//!
//! The transaction opens lazily: when a handler first asks for it, or when the position is
//! written after the task (or the batch). It then locks the worker's row and checks that the
//! position is still the one the tasks were read after, so a reset that happened meanwhile
//! is noticed and never overwritten. No transaction is open while the consumer is idle.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::backend::{DbConnection, Dialect, with_conn};
use crate::error::QueueError;
use crate::position::Pos;
use crate::store::{NewFailure, Store, now_ms};
use crate::write_gate::{Gate, GatePass};

/// A consumer's connection and transaction state.
#[derive(Debug)]
pub(crate) struct SessionConn {
    pub(crate) conn: DbConnection,
    /// The database's write gate (see [`crate::write_gate`]).
    gate: Gate,
    /// Held from the transaction's `BEGIN` until its `COMMIT` or `ROLLBACK`.
    pass: Option<GatePass>,
    pub(crate) worker: i64,
    /// The position the open transaction must find (the last committed one).
    pub(crate) expected: Pos,
    /// The task being run (handlers' transactions are valid only during it).
    pub(crate) current_task: Option<i64>,
    outer: bool,
    savepoint: bool,
    moved: bool,
}

/// How a chunk's commit ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CommitOutcome {
    /// The position is now `last`.
    Committed,
    /// The position was moved by someone else: rolled back.
    Moved,
}

/// The shared handle.
pub(crate) type SharedSession = Arc<Mutex<SessionConn>>;

pub(crate) fn lock(session: &SharedSession) -> MutexGuard<'_, SessionConn> {
    session.lock().unwrap_or_else(|p| p.into_inner())
}

impl SessionConn {
    pub(crate) fn new(conn: DbConnection, gate: Gate, worker: i64, position: Pos) -> SessionConn {
        SessionConn {
            conn,
            gate,
            pass: None,
            worker,
            expected: position,
            current_task: None,
            outer: false,
            savepoint: false,
            moved: false,
        }
    }

    /// Opens the transaction if it is not open; whether the position is still ours.
    pub(crate) fn ensure_transaction(&mut self) -> Result<bool, QueueError> {
        if self.outer {
            return Ok(!self.moved);
        }
        let gate = &self.gate;
        let pass = with_conn!(self.conn.as_mut(), c => c.begin_write(gate))?;
        self.pass = Some(pass);
        self.outer = true;
        let worker = self.worker;
        let pos = with_conn!(self.conn.as_mut(), c => c.locked_position(worker))?;
        self.moved = pos != Some(self.expected);
        Ok(!self.moved)
    }

    /// For a handler: the transaction, with a savepoint around the task's own writes so that
    /// a failed task leaves none behind.
    pub(crate) fn enter_for_handler(&mut self, task: i64) -> Result<&mut DbConnection, QueueError> {
        if self.current_task != Some(task) {
            return Err(QueueError::TransactionOver(task));
        }
        if !self.ensure_transaction()? {
            return Err(QueueError::PositionMoved(self.worker));
        }
        if !self.savepoint {
            with_conn!(self.conn.as_mut(), c => c.savepoint())?;
            self.savepoint = true;
        }
        Ok(&mut self.conn)
    }

    /// After a task: keeps the handler's writes if it succeeded, drops them if not. Returns
    /// an error text if the writes could not be kept (the task then counts as failed).
    pub(crate) fn end_task(&mut self, failed: bool) -> Result<Option<String>, QueueError> {
        self.current_task = None;
        if !self.savepoint {
            return Ok(None);
        }
        self.savepoint = false;
        if failed {
            with_conn!(self.conn.as_mut(), c => c.rollback())?;
            return Ok(None);
        }
        match with_conn!(self.conn.as_mut(), c => c.commit()) {
            Ok(()) => Ok(None),
            Err(e) => {
                with_conn!(self.conn.as_mut(), c => c.rollback())?;
                Ok(Some(format!("the task's own database writes failed: {e}")))
            }
        }
    }

    /// The database's write gate, for writes on this connection outside the transaction.
    pub(crate) fn gate(&self) -> Gate {
        self.gate.clone()
    }

    /// Whether the open transaction found the position moved.
    pub(crate) fn is_moved(&self) -> bool {
        self.moved
    }

    /// Records `failures`, moves the position to `last` and commits.
    pub(crate) fn commit(
        &mut self,
        last: Pos,
        failures: &[NewFailure],
    ) -> Result<CommitOutcome, QueueError> {
        let result = self.commit_inner(last, failures);
        if result.is_err() {
            self.abandon();
        }
        result
    }

    fn commit_inner(
        &mut self,
        last: Pos,
        failures: &[NewFailure],
    ) -> Result<CommitOutcome, QueueError> {
        if !self.ensure_transaction()? {
            self.abandon();
            return Ok(CommitOutcome::Moved);
        }
        let worker = self.worker;
        let now = now_ms();
        with_conn!(self.conn.as_mut(), c => c.advance(worker, last, failures, now))?;
        with_conn!(self.conn.as_mut(), c => c.commit())?;
        self.pass = None;
        self.outer = false;
        self.moved = false;
        self.expected = last;
        Ok(CommitOutcome::Committed)
    }

    /// Rolls back whatever is open (best effort: a broken connection is dropped by the
    /// caller anyway).
    pub(crate) fn abandon(&mut self) {
        if self.outer || self.savepoint {
            with_conn!(self.conn.as_mut(), c => {
                while c.in_transaction() {
                    if c.rollback().is_err() {
                        break;
                    }
                }
            });
        }
        // After the rollback: the next writer in line may begin at once.
        self.pass = None;
        self.outer = false;
        self.savepoint = false;
        self.moved = false;
        self.current_task = None;
    }
}
