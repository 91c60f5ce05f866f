//! The queue's tables, as diesel sees them (the SQL lives in `migrations/<backend>/`).
//!
//! Times are Unix milliseconds in `BIGINT` columns: the same type on every backend, and no
//! date-time crate in the public API.

diesel::table! {
    /// One row per enqueued call: the serialized request.
    rpclib_queue_tasks (id) {
        /// SQLite, MySQL: gapless, assigned from the counter row in commit order. PostgreSQL:
        /// from the sequence `rpclib_queue_tasks_id_seq` (the column also holds `xid`, the
        /// enqueueing transaction's id, read with raw SQL only).
        id -> BigInt,
        /// The serialized request (e.g. a SOAP envelope).
        data -> Binary,
        /// When the task was enqueued (Unix ms).
        enqueued_at -> BigInt,
    }
}

diesel::table! {
    /// A single row (`id = 1`) holding the last task id handed out (SQLite, MySQL; PostgreSQL
    /// has none since the xid migration).
    rpclib_queue_counter (id) {
        /// Always 1.
        id -> Integer,
        /// The last task id handed out (and committed, once visible).
        last_id -> BigInt,
    }
}

diesel::table! {
    /// One row per registered worker: its position.
    rpclib_queue_workers (worker_id) {
        /// The worker id.
        worker_id -> BigInt,
        /// The last task this worker finished (0: none).
        last_task_id -> BigInt,
        /// PostgreSQL: that task's `xid` (the position is `(last_task_xid, last_task_id)`
        /// in the queue's order); 0 elsewhere.
        last_task_xid -> BigInt,
        /// When the worker was registered (Unix ms).
        registered_at -> BigInt,
        /// When the position last moved (Unix ms).
        updated_at -> BigInt,
    }
}

diesel::table! {
    /// Tasks a worker could not run: the request did not parse or the method failed.
    rpclib_queue_failures (id) {
        /// Row id.
        id -> BigInt,
        /// The failed task.
        task_id -> BigInt,
        /// The worker it failed on.
        worker_id -> BigInt,
        /// What went wrong.
        error -> Text,
        /// When (Unix ms).
        failed_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    rpclib_queue_tasks,
    rpclib_queue_counter,
    rpclib_queue_workers,
    rpclib_queue_failures,
);
