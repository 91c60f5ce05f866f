-- The position's second half, as on PostgreSQL (where it is the task's transaction id). This
-- backend keeps the counter (ids in commit order), so it is always 0 here.
ALTER TABLE rpclib_queue_workers ADD COLUMN last_task_xid BIGINT NOT NULL DEFAULT 0;
