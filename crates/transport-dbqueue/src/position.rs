//! Where a worker starts, and where a reset puts it.

use std::fmt;

/// A task's id: gapless, in the order tasks were committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub i64);

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a worker that registers for the first time starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StartFrom {
    /// From the first retained task (rpclib's behaviour).
    #[default]
    First,
    /// From the tail: only tasks enqueued after registration.
    Tail,
}

/// Where [`Queue::reset_worker`](crate::Queue::reset_worker) puts a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetTo {
    /// Before the first retained task: everything retained runs again.
    Start,
    /// After the last task: everything pending is skipped.
    Tail,
    /// Right after this task: the next task it runs is the one after it.
    After(TaskId),
}
