//! What the operations API reports.

use crate::backend::Backend;
use crate::position::TaskId;

/// The state of a queue: its tasks and every registered worker.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueueStatus {
    /// The backend.
    pub backend: Backend,
    /// The last task id handed out (0: none yet). On PostgreSQL the sequence's last value:
    /// possibly not committed yet, and not the last task in the queue's order.
    pub head: i64,
    /// The oldest task still stored, if any.
    pub oldest: Option<TaskId>,
    /// How many tasks are stored.
    pub stored: i64,
    /// Recorded failures, all workers together.
    pub failed: i64,
    /// Every registered worker, by id.
    pub workers: Vec<WorkerStatus>,
}

/// One worker's position.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStatus {
    /// The worker id.
    pub worker_id: i64,
    /// The last task it finished (0: none).
    pub last_task_id: i64,
    /// How many tasks it has still to run: `head - last_task_id` on SQLite and MySQL (gapless
    /// ids); on PostgreSQL the stored tasks after its position, counted (committed ones,
    /// including those still held back by an older open transaction).
    pub lag: i64,
    /// Its recorded failures.
    pub failed: i64,
    /// When it registered (Unix ms).
    pub registered_at: i64,
    /// When its position last moved (Unix ms).
    pub updated_at: i64,
}

/// A task a worker could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FailedTask {
    /// The task.
    pub task_id: TaskId,
    /// The worker.
    pub worker_id: i64,
    /// What went wrong (the fault, or why the payload was refused).
    pub error: String,
    /// When (Unix ms).
    pub failed_at: i64,
}
