-- rpclib-transport-dbqueue schema (PostgreSQL). Ids come from the counter row, never from a
-- sequence, so that they are gapless and handed out in commit order.
CREATE TABLE rpclib_queue_tasks (
    id BIGINT PRIMARY KEY,
    data BYTEA NOT NULL,
    enqueued_at BIGINT NOT NULL
);

CREATE TABLE rpclib_queue_counter (
    id INTEGER PRIMARY KEY,
    last_id BIGINT NOT NULL
);
INSERT INTO rpclib_queue_counter (id, last_id) VALUES (1, 0);

-- last_task_id = 0 means "nothing processed yet": no foreign key to a task, so the row is
-- valid before the first task exists.
CREATE TABLE rpclib_queue_workers (
    worker_id BIGINT PRIMARY KEY,
    last_task_id BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE rpclib_queue_failures (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL,
    worker_id BIGINT NOT NULL,
    error TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX rpclib_queue_failures_worker ON rpclib_queue_failures (worker_id, task_id);
