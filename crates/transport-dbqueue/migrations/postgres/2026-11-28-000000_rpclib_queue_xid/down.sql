-- Back to the counter. Only exact when every worker has consumed every task enqueued since
-- the upgrade (ids after it are not in commit order).
CREATE TABLE rpclib_queue_counter (
    id INTEGER PRIMARY KEY,
    last_id BIGINT NOT NULL
);
INSERT INTO rpclib_queue_counter (id, last_id)
SELECT 1, COALESCE((SELECT max(id) FROM rpclib_queue_tasks), 0);
ALTER TABLE rpclib_queue_workers DROP COLUMN last_task_xid;
ALTER TABLE rpclib_queue_tasks ALTER COLUMN id DROP DEFAULT;
DROP SEQUENCE rpclib_queue_tasks_id_seq;
DROP INDEX rpclib_queue_tasks_order;
ALTER TABLE rpclib_queue_tasks DROP COLUMN xid;
