//! Where a worker starts, and where a reset puts it.

use std::fmt;

/// A task's id. On SQLite and MySQL/MariaDB ids are gapless and handed out in commit order;
/// on PostgreSQL they come from a sequence: unique and increasing within one enqueue, but
/// neither gapless nor in commit order (see the crate's "Guarantees").
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

/// A worker's position: the last task it finished, as a point in the queue's one total order
/// `(xid, id)`.
///
/// On PostgreSQL `xid` is the enqueueing transaction's 64-bit id (`pg_current_xact_id()`);
/// elsewhere it is always 0 and the order is the id order. Rows enqueued before the
/// PostgreSQL upgrade carry `xid = 0`, so they come first, in id order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Pos {
    pub(crate) xid: i64,
    pub(crate) id: i64,
}

impl Pos {
    /// Before every task.
    pub(crate) const START: Pos = Pos { xid: 0, id: 0 };
}
