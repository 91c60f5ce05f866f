-- rpclib-transport-dbqueue schema (MySQL / MariaDB, InnoDB). Ids come from the counter row,
-- never from AUTO_INCREMENT, so that they are gapless and handed out in commit order.
CREATE TABLE rpclib_queue_tasks (
    id BIGINT NOT NULL PRIMARY KEY,
    data LONGBLOB NOT NULL,
    enqueued_at BIGINT NOT NULL
) ENGINE = InnoDB;

CREATE TABLE rpclib_queue_counter (
    id INTEGER NOT NULL PRIMARY KEY,
    last_id BIGINT NOT NULL
) ENGINE = InnoDB;
INSERT INTO rpclib_queue_counter (id, last_id) VALUES (1, 0);

-- last_task_id = 0 means "nothing processed yet": no foreign key to a task, so the row is
-- valid before the first task exists.
CREATE TABLE rpclib_queue_workers (
    worker_id BIGINT NOT NULL PRIMARY KEY,
    last_task_id BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
) ENGINE = InnoDB;

CREATE TABLE rpclib_queue_failures (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    task_id BIGINT NOT NULL,
    worker_id BIGINT NOT NULL,
    error MEDIUMTEXT NOT NULL,
    failed_at BIGINT NOT NULL,
    INDEX rpclib_queue_failures_worker (worker_id, task_id)
) ENGINE = InnoDB;
