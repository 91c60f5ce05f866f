//! Waiting for work without holding a transaction: LISTEN/NOTIFY on PostgreSQL, short
//! adaptive polling elsewhere, and the in-process wake-up everywhere.

use std::time::{Duration, Instant};

use crate::backend::{Backend, Dialect, with_conn};
use crate::error::QueueError;
use crate::notify::Notifier;
use crate::session::{SharedSession, lock};
use crate::shutdown::Shutdown;

/// Polling settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PollOptions {
    /// First poll interval after work was seen.
    pub(crate) min: Duration,
    /// Longest poll interval (SQLite, MySQL).
    pub(crate) max: Duration,
    /// How often a PostgreSQL consumer checks its notifications (no round trip: it only
    /// reads what the socket already holds).
    pub(crate) notify_tick: Duration,
    /// How often a PostgreSQL consumer polls the table anyway (a missed notification).
    pub(crate) notify_fallback: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        PollOptions {
            min: Duration::from_millis(1),
            max: Duration::from_millis(20),
            notify_tick: Duration::from_millis(1),
            notify_fallback: Duration::from_secs(1),
        }
    }
}

/// Upper bound on one sleep, so that a shutdown is seen promptly.
const SHUTDOWN_CHECK: Duration = Duration::from_millis(50);

/// The adaptive wait of one consumer.
#[derive(Debug)]
pub(crate) struct Idle {
    options: PollOptions,
    interval: Duration,
    seen: u64,
}

impl Idle {
    pub(crate) fn new(options: PollOptions, notifier: &Notifier) -> Idle {
        Idle {
            options,
            interval: options.min,
            seen: notifier.seq(),
        }
    }

    /// Work was found: poll fast again next time.
    pub(crate) fn reset(&mut self) {
        self.interval = self.options.min;
    }

    /// Waits until work may be there (or a shutdown). `blocked`: tasks are committed but
    /// wait behind the snapshot horizon (PostgreSQL), so poll as the other backends do: the
    /// transaction holding the horizon back sends no notification when it ends.
    pub(crate) fn wait(
        &mut self,
        backend: Backend,
        blocked: bool,
        session: &SharedSession,
        notifier: &Notifier,
        shutdown: &Shutdown,
    ) -> Result<(), QueueError> {
        let start = Instant::now();
        let listen = backend == Backend::Postgres && !blocked;
        let (limit, tick) = if listen {
            (self.options.notify_fallback, self.options.notify_tick)
        } else {
            let limit = self.interval;
            self.interval = (self.interval * 2).min(self.options.max);
            (limit, SHUTDOWN_CHECK)
        };
        loop {
            if shutdown.is_triggered() {
                return Ok(());
            }
            if listen {
                let mut s = lock(session);
                if with_conn!(s.conn.as_mut(), c => c.take_notifications())? {
                    return Ok(());
                }
            }
            let elapsed = start.elapsed();
            if elapsed >= limit {
                return Ok(());
            }
            let seq = notifier.wait(self.seen, tick.min(limit - elapsed));
            if seq != self.seen {
                self.seen = seq;
                return Ok(());
            }
        }
    }
}
