DROP TABLE rpclib_queue_failures;
DROP TABLE rpclib_queue_workers;
DROP TABLE rpclib_queue_counter;
DROP TABLE rpclib_queue_tasks;
