//! Worker locks: at most one consumer per worker id, for as long as it runs.
//!
//! A row lock lasts one transaction, and consumers commit per task, so the lock that makes a
//! worker exclusive is a session lock: PostgreSQL's `pg_try_advisory_lock`, MySQL's
//! `GET_LOCK`, both held by the consumer's own connection (a lost connection loses the lock
//! and every statement with it). SQLite has no session locks: a file database uses an OS
//! lock on a file beside it (released by the kernel when the process dies, so a crashed
//! consumer never blocks its successor), an in-memory database an in-process registry (no
//! other process can open it).

use std::fmt;

use crate::backend::{ConnMut, Dialect, with_conn};
use crate::error::QueueError;
#[cfg(feature = "sqlite")]
use crate::memory_lock::MemoryLock;
use crate::storage::Storage;
#[cfg(feature = "sqlite")]
use crate::target::Target;

/// A held worker lock; dropping it releases the SQLite kinds.
pub(crate) enum WorkerLock {
    /// Held by a server connection's session.
    Session(i64),
    /// An OS lock on `<database>.rpclib-worker-<id>.lock`.
    #[cfg(feature = "sqlite")]
    File(#[allow(dead_code)] std::fs::File),
    /// An entry in the in-process registry.
    #[cfg(feature = "sqlite")]
    Memory(MemoryLock),
}

impl fmt::Debug for WorkerLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkerLock::Session(w) => write!(f, "WorkerLock::Session({w})"),
            #[cfg(feature = "sqlite")]
            WorkerLock::File(_) => f.write_str("WorkerLock::File"),
            #[cfg(feature = "sqlite")]
            WorkerLock::Memory(m) => write!(f, "WorkerLock::Memory({})", m.key.1),
        }
    }
}

impl WorkerLock {
    /// Takes the lock of `worker` if it is free; `conn` holds a session lock.
    pub(crate) fn try_acquire(
        storage: &Storage,
        conn: ConnMut<'_>,
        worker: i64,
    ) -> Result<Option<WorkerLock>, QueueError> {
        match storage.target() {
            #[cfg(feature = "sqlite")]
            Target::SqliteFile(path) => {
                let _ = conn;
                let mut name = path.clone().into_os_string();
                name.push(format!(".rpclib-worker-{worker}.lock"));
                let file = std::fs::File::options()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(false)
                    .open(&name)?;
                match file.try_lock() {
                    Ok(()) => Ok(Some(WorkerLock::File(file))),
                    Err(std::fs::TryLockError::WouldBlock) => Ok(None),
                    Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
                }
            }
            #[cfg(feature = "sqlite")]
            Target::SqliteMemory(name) => {
                let _ = conn;
                Ok(MemoryLock::try_new(name.clone(), worker).map(WorkerLock::Memory))
            }
            #[allow(unreachable_patterns)]
            _ => {
                let got = with_conn!(conn, c => c.try_worker_lock(worker))?;
                Ok(got.then_some(WorkerLock::Session(worker)))
            }
        }
    }

    /// Releases the lock now (a session lock on a pooled connection must not outlive its
    /// use).
    pub(crate) fn release(self, conn: ConnMut<'_>) -> Result<(), QueueError> {
        match self {
            WorkerLock::Session(worker) => {
                with_conn!(conn, c => c.release_worker_lock(worker))?;
                Ok(())
            }
            #[cfg(feature = "sqlite")]
            _ => Ok(()),
        }
    }
}
