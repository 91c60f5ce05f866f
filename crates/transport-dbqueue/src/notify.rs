//! In-process wake-up: a producer and a consumer sharing a [`Queue`](crate::Queue) handle
//! need no database round trip to learn that a task arrived.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// A counter of commits, and a condition variable to wait for the next one.
#[derive(Debug, Default)]
pub(crate) struct Notifier {
    seq: Mutex<u64>,
    cv: Condvar,
}

impl Notifier {
    /// Called after a producer committed.
    pub(crate) fn notify(&self) {
        let mut seq = self.seq.lock().unwrap_or_else(|p| p.into_inner());
        *seq = seq.wrapping_add(1);
        self.cv.notify_all();
    }

    /// The current count.
    pub(crate) fn seq(&self) -> u64 {
        *self.seq.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until the count differs from `seen` or `timeout` passes; returns the count.
    pub(crate) fn wait(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.seq.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = self
            .cv
            .wait_timeout_while(guard, timeout, |seq| *seq == seen)
            .unwrap_or_else(|p| p.into_inner());
        *guard
    }
}
