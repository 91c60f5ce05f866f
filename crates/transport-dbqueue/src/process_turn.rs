//! The writers of different processes take turns too: two advisory file locks beside an
//! SQLite database file, taken by a writer after its process's [write gate](crate::write_gate)
//! and before `BEGIN IMMEDIATE`.
//!
//! Why two: an OS file lock (`flock`) is not first come, first served. A process that
//! unlocks and locks again at once (a consumer committing task after task, a producer in a
//! loop) can take it again before a waiting process has even been scheduled, exactly as with
//! SQLite's own lock. So the locks form a turnstile:
//!
//! - a writer takes the **line** lock, then the **turn** lock, then lets go of the line and
//!   writes; it lets go of the turn after its `COMMIT` or `ROLLBACK`;
//! - whoever waits for the turn holds the line, so the writer that just finished cannot take
//!   the turn again: it must first get the line, which the waiting process lets go only once
//!   it has the turn.
//!
//! Two processes writing back to back therefore alternate, one transaction each: no process
//! takes two turns in a row while another holds the line. With three or more, the processes
//! not yet in the line race for it each time it comes free (the locks are polled, and `flock`
//! is not first come, first served anyway), so one of them can lose that race several times
//! in a row: its wait is likely short but not bounded by a count of turns, only by the busy
//! timeout.
//!
//! A wait is bounded by the queue's busy timeout, like a wait at the gate, so locks are
//! tried, not waited on: a blocked try sleeps a little (from 10 µs, doubling, at most
//! 200 µs) and tries again. A process that dies lets go of both (the kernel drops its locks);
//! a process writing to the file without this crate (the `sqlite3` shell) does not see them,
//! and against it SQLite's lock decides, as before.
//!
//! The lock files are `<database>-line` and `<database>-turn`, empty, created on first use and
//! left in place (removing a lock file another process has open would split the line).

use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use crate::LOG_TARGET;

/// The longest sleep between two tries of a lock.
const MAX_PAUSE: Duration = Duration::from_micros(200);

/// The two lock files of one database, opened once per process (per [write
/// gate](crate::write_gate), which lets one writer of the process at a time come here).
#[derive(Debug)]
pub(crate) struct ProcessTurn {
    line: File,
    turn: File,
}

impl ProcessTurn {
    /// The lock files beside the database file `db`, created if missing. `None` (logged) if
    /// they cannot be opened: the process's writers then take turns only among themselves.
    pub(crate) fn beside(db: &Path) -> Option<ProcessTurn> {
        let open = |suffix: &str| {
            let mut name = OsString::from(db.as_os_str());
            name.push(suffix);
            OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(name)
        };
        match (open("-line"), open("-turn")) {
            (Ok(line), Ok(turn)) => Some(ProcessTurn { line, turn }),
            (Err(e), _) | (_, Err(e)) => {
                log::warn!(
                    target: LOG_TARGET,
                    "{}: cannot open the writers' lock files beside it ({e}); writers in other processes will not take turns with this one",
                    db.display()
                );
                None
            }
        }
    }

    /// Waits for this process's turn until `deadline`; whether it got it. The turn is held
    /// until [`give_back`](Self::give_back).
    pub(crate) fn take(&self, deadline: Instant) -> io::Result<bool> {
        if !lock_before(&self.line, deadline)? {
            return Ok(false);
        }
        let got = lock_before(&self.turn, deadline);
        // Holding the turn (or having given up), leave the line to the next process.
        let left = self.line.unlock();
        match (got, left) {
            (Ok(true), Err(e)) => {
                let _ = self.turn.unlock();
                Err(e)
            }
            (got, _) => got,
        }
    }

    /// Ends this process's turn.
    pub(crate) fn give_back(&self) {
        if let Err(e) = self.turn.unlock() {
            // Not expected for a lock this process holds; the file's close releases it.
            log::warn!(target: LOG_TARGET, "releasing the writers' turn: {e}");
        }
    }
}

/// Takes `file`'s exclusive lock, trying until `deadline`; whether it got it.
fn lock_before(file: &File, deadline: Instant) -> io::Result<bool> {
    let mut pause = Duration::from_micros(10);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(true),
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => return Err(e),
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(false);
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("rpclib-process-turn-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("queue.db")
    }

    #[test]
    fn a_turn_held_elsewhere_times_out_and_is_free_once_given_back() {
        let db = temp_db("timeout");
        // Two openings of the files stand for two processes: `flock` locks belong to the
        // open file, so they exclude each other as two processes' would.
        let (a, b) = (
            ProcessTurn::beside(&db).unwrap(),
            ProcessTurn::beside(&db).unwrap(),
        );
        assert!(a.take(Instant::now()).unwrap());
        let started = Instant::now();
        assert!(!b.take(started + Duration::from_millis(30)).unwrap());
        assert!(started.elapsed() >= Duration::from_millis(30));
        // The one that gave up left the line: the holder can come back after its turn...
        a.give_back();
        assert!(a.take(Instant::now()).unwrap());
        a.give_back();
        // ...and so can the other.
        assert!(b.take(Instant::now()).unwrap());
        b.give_back();
        assert!(db.with_file_name("queue.db-line").exists());
        assert!(db.with_file_name("queue.db-turn").exists());
        let _ = std::fs::remove_dir_all(db.parent().unwrap());
    }

    #[test]
    fn the_one_waiting_holds_the_line_so_the_holder_cannot_go_again() {
        let db = temp_db("alternate");
        let (a, b) = (
            ProcessTurn::beside(&db).unwrap(),
            ProcessTurn::beside(&db).unwrap(),
        );
        assert!(a.take(Instant::now()).unwrap());
        let waiter = thread::spawn(move || {
            let got = b.take(Instant::now() + Duration::from_secs(10)).unwrap();
            (got, b)
        });
        // Once b is in the line (holding it), a finishing its turn cannot take the next one.
        let deadline = Instant::now() + Duration::from_secs(10);
        while a.line.try_lock().is_ok() {
            a.line.unlock().unwrap();
            assert!(Instant::now() < deadline, "b never got in line");
            thread::sleep(Duration::from_millis(1));
        }
        a.give_back();
        // b holds the line until it has the turn, and the turn until it gives it back (after
        // the join below): a cannot go twice in a row.
        assert!(
            !a.take(Instant::now() + Duration::from_millis(20)).unwrap(),
            "a went twice in a row"
        );
        let (got, b) = waiter.join().unwrap();
        assert!(got);
        b.give_back();
        let _ = std::fs::remove_dir_all(db.parent().unwrap());
    }
}
