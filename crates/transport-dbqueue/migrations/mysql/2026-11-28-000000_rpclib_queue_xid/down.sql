ALTER TABLE rpclib_queue_workers DROP COLUMN last_task_xid;
