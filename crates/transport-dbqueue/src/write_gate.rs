//! A fair (first come, first served) write gate per SQLite database, taken by every write
//! transaction of this process's connections before `BEGIN IMMEDIATE` and released after its
//! `COMMIT` or `ROLLBACK`.
//!
//! Why: SQLite's busy handler (`PRAGMA busy_timeout`) sleeps 1, 2, 5, 10 ... up to 100 ms
//! between retries, and a writer that commits back to back (a consumer with a commit per
//! task) takes the lock again within microseconds of releasing it. A waiting writer then
//! almost never finds the lock free when it looks: an enqueue waited seconds, and a prune
//! chunk waited out the whole busy timeout and failed. Behind the gate the writers of one
//! process queue in arrival order and each gets the lock as soon as the one before it is
//! done. Writers in other processes do not see the gate; for a database file, a writer that
//! has passed its process's gate then takes its process's turn among the processes writing
//! to the file (see [`crate::process_turn`]), so processes take turns too.
//!
//! One gate serves one database: a process-wide registry maps the database's canonical path
//! (or an in-memory database's name) to it, through weak references, so every connection of
//! every [`Queue`](crate::Queue) opened on the same file in this process shares it, and it
//! goes away with the last of them.
//!
//! A wait on the gate is bounded by the queue's busy timeout and then fails exactly as
//! SQLite's own wait would, with "database is locked": a handler that enqueues through the
//! pool while its consumer's transaction (which holds the gate) is open gets that error, as
//! without the gate, instead of waiting forever. A waiter that gives up leaves the line
//! without holding up those behind it.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, Weak};
use std::time::{Duration, Instant};

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::LOG_TARGET;
use crate::process_turn::ProcessTurn;

/// The text of SQLite's `SQLITE_BUSY`, which a wait on the gate that times out also gives.
const LOCKED: &str = "database is locked";

/// `timeout` from now, or as far as the clock goes (a busy timeout of `Duration::MAX` must not
/// overflow `Instant`).
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(Duration::from_secs(u64::from(u32::MAX))))
        .unwrap_or(now)
}

/// The line of one database's writers.
#[derive(Debug, Default)]
struct WriteGate {
    state: Mutex<Line>,
    /// Signalled whenever the holder leaves or a waiter gives up.
    turn: Condvar,
    /// A database file's turn among processes, taken by the holder of the gate.
    process: Option<ProcessTurn>,
    /// Whether taking the turn has failed once (and been logged).
    turn_failed: AtomicBool,
}

/// Who holds the gate and who waits for it, in arrival order.
#[derive(Debug, Default)]
struct Line {
    held: bool,
    next_ticket: u64,
    waiting: VecDeque<u64>,
}

impl WriteGate {
    /// The state, also after a panic elsewhere: every change to it is a single step that
    /// leaves it consistent, so a poisoned lock is safe to use.
    fn line(&self) -> MutexGuard<'_, Line> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for this caller's turn, at most `timeout`; whether it got the gate.
    fn enter(&self, timeout: Duration) -> bool {
        let mut line = self.line();
        if !line.held && line.waiting.is_empty() {
            line.held = true;
            return true;
        }
        let ticket = line.next_ticket;
        line.next_ticket = line.next_ticket.wrapping_add(1);
        line.waiting.push_back(ticket);
        let deadline = deadline_after(timeout);
        loop {
            if !line.held && line.waiting.front() == Some(&ticket) {
                line.waiting.pop_front();
                line.held = true;
                // The next in line may have been woken with this one and gone back to sleep:
                // nothing to do for it until this holder leaves.
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                line.waiting.retain(|&t| t != ticket);
                drop(line);
                // If this waiter was first and the gate is free, the next one must look again.
                self.turn.notify_all();
                return false;
            }
            line = self
                .turn
                .wait_timeout(line, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn leave(&self) {
        self.line().held = false;
        self.turn.notify_all();
    }
}

/// The gate of a connection's database, with the time a writer waits for it; servers have
/// none (their locks are row locks, and their waits are queued by the server).
#[derive(Debug, Clone)]
pub(crate) struct Gate {
    gate: Option<Arc<WriteGate>>,
    timeout: Duration,
}

impl Gate {
    /// No gate: every `enter` passes at once.
    pub(crate) fn none() -> Gate {
        Gate {
            gate: None,
            timeout: Duration::ZERO,
        }
    }

    /// The gate of the SQLite database known as `key` (its canonical path, or an in-memory
    /// database's name) in this process, created if it has none yet. For a database `file`,
    /// the gate's holder also takes the process's turn among the processes writing to it.
    pub(crate) fn of_database(key: &str, file: Option<&Path>, timeout: Duration) -> Gate {
        static GATES: OnceLock<Mutex<HashMap<String, Weak<WriteGate>>>> = OnceLock::new();
        let mut gates = GATES
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let gate = match gates.get(key).and_then(Weak::upgrade) {
            Some(gate) => gate,
            None => {
                // Databases opened and closed over a process's life leave dead entries.
                gates.retain(|_, g| g.strong_count() > 0);
                let gate = Arc::new(WriteGate {
                    process: file.and_then(ProcessTurn::beside),
                    ..WriteGate::default()
                });
                gates.insert(key.to_owned(), Arc::downgrade(&gate));
                gate
            }
        };
        Gate {
            gate: Some(gate),
            timeout,
        }
    }

    /// Waits for this writer's turn (at most the busy timeout): at the gate, then among
    /// processes; the returned pass holds both until it is dropped. A timeout fails as
    /// SQLite's busy timeout does.
    pub(crate) fn enter(&self) -> Result<GatePass, DieselError> {
        let Some(gate) = &self.gate else {
            return Ok(GatePass(None));
        };
        let deadline = deadline_after(self.timeout);
        if !gate.enter(self.timeout) {
            return Err(locked());
        }
        let mut pass = GatePass(Some((Arc::clone(gate), false)));
        if let Some(process) = &gate.process {
            match process.take(deadline) {
                Ok(true) => {
                    if let Some((_, turn)) = pass.0.as_mut() {
                        *turn = true;
                    }
                }
                // Dropping the pass leaves the gate to the next writer of this process.
                Ok(false) => return Err(locked()),
                // The turn only makes waits fair; SQLite's lock still keeps writes apart.
                // Said once per gate: a file system without `flock` would fail every write.
                Err(e) => {
                    if !gate.turn_failed.swap(true, Ordering::Relaxed) {
                        log::warn!(target: LOG_TARGET, "the writers' turn among processes: {e}; writing without it (said once)")
                    }
                }
            }
        }
        Ok(pass)
    }

    /// Whether the two handles are the same gate (tests).
    #[cfg(test)]
    fn same_as(&self, other: &Gate) -> bool {
        match (&self.gate, &other.gate) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// SQLite's "database is locked", as a wait that timed out gives it.
fn locked() -> DieselError {
    DieselError::DatabaseError(DatabaseErrorKind::Unknown, Box::new(LOCKED.to_owned()))
}

/// A writer's turn at the gate, and whether it holds its process's turn too: released when
/// dropped (also while unwinding from a panic).
#[derive(Debug)]
#[must_use = "the gate is released when the pass is dropped"]
pub(crate) struct GatePass(Option<(Arc<WriteGate>, bool)>);

impl GatePass {
    /// A pass of no gate (a nested transaction: the outermost one holds the gate).
    pub(crate) fn nested() -> GatePass {
        GatePass(None)
    }
}

impl Drop for GatePass {
    fn drop(&mut self) {
        if let Some((gate, turn)) = self.0.take() {
            // The other processes first: this process's next writer takes the turn anew.
            if turn && let Some(process) = &gate.process {
                process.give_back();
            }
            gate.leave();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::thread;

    const LONG: Duration = Duration::from_secs(10);

    #[test]
    fn one_database_one_gate_and_it_goes_with_its_last_user() {
        let a = Gate::of_database("/test/one", None, LONG);
        let b = Gate::of_database("/test/one", None, LONG);
        let c = Gate::of_database("/test/other", None, LONG);
        assert!(a.same_as(&b));
        assert!(!a.same_as(&c));
        let weak = Arc::downgrade(a.gate.as_ref().unwrap());
        drop((a, b));
        assert!(weak.upgrade().is_none(), "no one holds the gate any more");
        let again = Gate::of_database("/test/one", None, LONG);
        assert!(again.gate.is_some());
    }

    #[test]
    fn writers_get_the_gate_in_arrival_order() {
        let gate = Gate::of_database("/test/order", None, LONG);
        let first = gate.enter().unwrap();
        let (tx, rx) = mpsc::channel();
        let mut waiters = Vec::new();
        for i in 0..5 {
            let (mine, tx) = (gate.clone(), tx.clone());
            waiters.push(thread::spawn(move || {
                let _pass = mine.enter().unwrap();
                tx.send(i).unwrap();
            }));
            // Arrival order: wait until this one is in line before starting the next.
            while gate.gate.as_ref().unwrap().line().waiting.len() < i + 1 {
                thread::yield_now();
            }
        }
        drop(first);
        for w in waiters {
            w.join().unwrap();
        }
        let order: Vec<usize> = rx.try_iter().collect();
        assert_eq!(order, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_wait_times_out_as_sqlite_does_and_leaves_the_line() {
        let gate = Gate::of_database("/test/timeout", None, Duration::from_millis(50));
        let held = gate.enter().unwrap();
        let started = Instant::now();
        let err = gate.enter().unwrap_err();
        assert!(started.elapsed() >= Duration::from_millis(50));
        assert!(
            matches!(
                err,
                DieselError::DatabaseError(DatabaseErrorKind::Unknown, _)
            ),
            "{err:?}"
        );
        assert_eq!(err.to_string(), "database is locked");
        assert!(gate.gate.as_ref().unwrap().line().waiting.is_empty());
        drop(held);
        // The timed-out waiter holds up nobody: the gate is free at once.
        drop(gate.enter().unwrap());
    }

    #[test]
    fn a_waiter_behind_one_that_gives_up_still_gets_its_turn() {
        let gate = Gate::of_database("/test/behind", None, LONG);
        let held = gate.enter().unwrap();
        let quick = Gate {
            timeout: Duration::from_millis(30),
            ..gate.clone()
        };
        let giving_up = thread::spawn(move || quick.enter().is_err());
        while gate.gate.as_ref().unwrap().line().waiting.is_empty() {
            thread::yield_now();
        }
        let patient = {
            let gate = gate.clone();
            thread::spawn(move || gate.enter().map(drop).is_ok())
        };
        assert!(giving_up.join().unwrap());
        drop(held);
        assert!(patient.join().unwrap());
    }

    #[test]
    fn a_holder_that_panics_releases_the_gate() {
        let gate = Gate::of_database("/test/panic", None, LONG);
        let g = gate.clone();
        let crashed = thread::spawn(move || {
            let _pass = g.enter().unwrap();
            panic!("the holder fails");
        })
        .join();
        assert!(crashed.is_err());
        let _pass = gate.enter().unwrap();
    }
}
