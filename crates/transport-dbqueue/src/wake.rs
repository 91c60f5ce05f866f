//! Waking PostgreSQL consumers in other processes without making producers wait for each
//! other.
//!
//! A `NOTIFY` in the producer's own transaction would serialize producers again: PostgreSQL
//! takes one database-wide lock in the pre-commit of every transaction that notified and
//! holds it until that commit is flushed, so notifying producers commit one at a time. So a
//! producer only records that it committed, and one thread per [`Queue`](crate::Queue)
//! sends the `NOTIFY`, in a transaction of its own, on a connection of its own. Commits that
//! land while a notification is under way fold into the next one: at most one `NOTIFY`
//! transaction is in flight per process, and every commit is followed by a notification
//! sent after it. Its commits do not wait for the disk (`synchronous_commit = off`): a
//! notification needs no durability, and a flush per notification would cost the producers'
//! own commits.

use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use crate::LOG_TARGET;

/// What the producers and the waker thread share.
#[derive(Debug, Default)]
struct State {
    /// A commit happened that no notification sent yet followed.
    pending: bool,
    /// The queue handle is gone: notify what is pending, then stop.
    closed: bool,
    /// The thread runs (started at the first commit).
    started: bool,
}

/// Sends the notifications for one queue handle's producers.
#[derive(Debug)]
pub(crate) struct PgWaker {
    shared: Arc<(Mutex<State>, Condvar)>,
    url: String,
}

impl PgWaker {
    /// A waker for the database at `url` (a libpq connection string); the thread and its
    /// connection start at the first commit.
    pub(crate) fn new(url: String) -> PgWaker {
        PgWaker {
            shared: Arc::default(),
            url,
        }
    }

    /// After a producer committed: a notification will be sent after this call.
    pub(crate) fn committed(&self) {
        let (lock, cv) = &*self.shared;
        let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
        state.pending = true;
        if !state.started {
            state.started = true;
            let shared = Arc::clone(&self.shared);
            let url = self.url.clone();
            let spawned = thread::Builder::new()
                .name("rpclib-dbqueue-notify".into())
                .spawn(move || run(&shared, &url));
            if let Err(e) = spawned {
                // Consumers still poll the table every `notify_fallback`.
                log::error!(target: LOG_TARGET, "cannot start the notification thread: {e}");
                state.started = false;
            }
        }
        cv.notify_one();
    }
}

impl Drop for PgWaker {
    fn drop(&mut self) {
        let (lock, cv) = &*self.shared;
        lock.lock().unwrap_or_else(|p| p.into_inner()).closed = true;
        cv.notify_one();
    }
}

#[cfg(feature = "postgres")]
fn run(shared: &(Mutex<State>, Condvar), url: &str) {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;
    use std::time::Duration;

    let (lock, cv) = shared;
    let mut conn: Option<diesel::PgConnection> = None;
    let mut backoff = Duration::from_millis(50);
    loop {
        {
            let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
            while !state.pending && !state.closed {
                state = cv.wait(state).unwrap_or_else(|p| p.into_inner());
            }
            if !state.pending {
                return;
            }
            state.pending = false;
        }
        let sent = match conn.as_mut() {
            Some(c) => c
                .batch_execute("NOTIFY rpclib_queue")
                .map_err(|e| e.to_string()),
            None => diesel::PgConnection::establish(url)
                .map_err(|e| e.to_string())
                .and_then(|mut c| {
                    // A `NOTIFY` gets a transaction id, so its commit would wait for a WAL
                    // flush of its own; a notification needs no durability (listeners lose
                    // their connections in a crash anyway), so do not wait for the disk.
                    let r = c.batch_execute("SET synchronous_commit = off; NOTIFY rpclib_queue");
                    conn = Some(c);
                    r.map_err(|e| e.to_string())
                }),
        };
        match sent {
            Ok(()) => backoff = Duration::from_millis(50),
            Err(e) => {
                // Consumers poll the table every `notify_fallback` anyway; try again soon.
                log::warn!(target: LOG_TARGET, "sending the new-task notification: {e}");
                conn = None;
                let mut state = lock.lock().unwrap_or_else(|p| p.into_inner());
                state.pending = true;
                if state.closed {
                    return;
                }
                drop(state);
                thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(2));
            }
        }
    }
}

#[cfg(not(feature = "postgres"))]
fn run(_shared: &(Mutex<State>, Condvar), _url: &str) {}
