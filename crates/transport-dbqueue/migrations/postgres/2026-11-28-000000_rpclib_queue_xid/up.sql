-- Producers that do not serialize: ids from a sequence, and each task stamped with its
-- enqueueing transaction's 64-bit id. Consumers read only tasks whose xid is below the xmin
-- of a snapshot (every such transaction has ended) and follow the order (xid, id).
--
-- Existing rows get xid = 0: they were all committed before this migration (it locks the
-- table), their ids are in commit order, so they sort first, in id order, and every existing
-- position (0, last_task_id) stays exact. Dropping the counter makes a producer of an older
-- version fail loudly instead of handing out ids that collide with the sequence's.
ALTER TABLE rpclib_queue_tasks ADD COLUMN xid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rpclib_queue_tasks ALTER COLUMN xid SET DEFAULT (pg_current_xact_id()::text::bigint);
CREATE INDEX rpclib_queue_tasks_order ON rpclib_queue_tasks (xid, id);

CREATE SEQUENCE rpclib_queue_tasks_id_seq OWNED BY rpclib_queue_tasks.id;
SELECT setval('rpclib_queue_tasks_id_seq',
              GREATEST(c.last_id, COALESCE((SELECT max(id) FROM rpclib_queue_tasks), 0), 1),
              GREATEST(c.last_id, COALESCE((SELECT max(id) FROM rpclib_queue_tasks), 0)) > 0)
FROM rpclib_queue_counter c WHERE c.id = 1;
ALTER TABLE rpclib_queue_tasks ALTER COLUMN id SET DEFAULT nextval('rpclib_queue_tasks_id_seq');
DROP TABLE rpclib_queue_counter;

ALTER TABLE rpclib_queue_workers ADD COLUMN last_task_xid BIGINT NOT NULL DEFAULT 0;
