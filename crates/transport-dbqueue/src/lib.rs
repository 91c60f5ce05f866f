//! # rpclib-transport-dbqueue
//!
//! rpclib's database-backed fan-out queue, made production-grade: producers enqueue calls of
//! any typed client as serialized requests; every registered worker runs every task, in id
//! order, through the application's pipeline. Storage is diesel + r2d2 on SQLite (the
//! default, bundled: a file or in-memory), PostgreSQL (feature `postgres`) and MySQL/MariaDB
//! (feature `mysql`), with one code path and embedded migrations (tables `rpclib_queue_*`).
//!
//! ```no_run
//! # use std::sync::Arc;
//! # fn demo(app: Arc<rpclib_core::Application>) -> Result<(), Box<dyn std::error::Error>> {
//! use rpclib_transport_dbqueue::{Queue, QueueTransport, Shutdown};
//!
//! let queue = Queue::open("sqlite::memory:")?;
//! // A producer is a `Caller`: `AsyncServiceClient::new(queue.producer(app.clone()))`
//! // enqueues each call and returns its `TaskId`.
//! let _producer = queue.producer(Arc::clone(&app));
//! let consumer = queue
//!     .consumer(app, 1)
//!     .shutdown(Shutdown::on_signals()?)
//!     .build();
//! consumer.run()?; // until SIGINT/SIGTERM; handlers see `ctx.transport::<QueueTransport>()`
//! # Ok(()) }
//! ```
//!
//! ## Guarantees
//!
//! - **One order for every worker.** Every worker runs every task, all in the same order:
//!   id order on SQLite and MySQL/MariaDB; on PostgreSQL the order `(xid, id)`, where `xid`
//!   is the enqueueing transaction's id, so each producer's tasks keep the order it enqueued
//!   them in, and a batch runs in call order.
//! - **No skipped task.** SQLite and MySQL/MariaDB: ids come from a one-row counter updated
//!   inside the producer's transaction, so they are handed out in commit order and gapless:
//!   a consumer that sees task `n` sees every task below it, and a worker's lag is
//!   `head - position`. Producers wait for each other's commits there (SQLite has one writer
//!   anyway; InnoDB offers no snapshot horizon a reader could use instead).
//!   PostgreSQL: no counter, so producers commit side by side. Ids come from a sequence
//!   (unique, not gapless, not in commit order: lag is counted, not subtracted); each task
//!   stores its transaction's 64-bit id (`pg_current_xact_id()`, never wraps) and a consumer
//!   reads only tasks whose xid is below the xmin of its statement's snapshot: every such
//!   transaction has ended, so nothing can still commit among them, and a later read only
//!   adds tasks after everything read before. The cost: a write transaction that stays open
//!   anywhere in the cluster (any database, any application) holds back every task enqueued
//!   after it began until it ends; meanwhile consumers poll (1 ms backing off to 20 ms) and
//!   run nothing out of order.
//! - **Crash safety.** A consumer commits its position after each task (or each batch, see
//!   [`ConsumerBuilder::batch_size`]); killed at any instant, it resumes at the first task it
//!   had not committed, so only the task (batch) in flight can run twice. Handlers can write
//!   in the consumer's transaction ([`TaskTransaction`]) for exactly-once effects.
//! - **One consumer per worker id**, across processes, for its whole run (a session lock;
//!   see [`Consumer`]). No transaction stays open while a consumer is idle.
//! - **Failures are recorded** (task, worker, error, time) with the position update, and the
//!   consumer moves on.
//! - **No reply nobody reads.** A task's reply only goes to the debug log, so it is written
//!   (`get_out_string`) only when this crate's debug log is on or a `method_return_string` or
//!   `method_exception_string` listener would get it. A result the out-protocol cannot write
//!   fails the task only when the reply is written; a fault is always written and logged.
//! - **Prompt wake-up**: LISTEN/NOTIFY on PostgreSQL (the `NOTIFY` is sent after the
//!   producer's commit by one thread per [`Queue`], so notifying does not serialize
//!   producers), polling from 1 ms backing off to 20 ms elsewhere, and an in-process wake-up
//!   between a producer and a consumer of one [`Queue`].
//! - **Upgrades in place**: the embedded migrations take an existing queue's tasks and
//!   positions along (on PostgreSQL the stored tasks sort first, in id order). Stop every
//!   process of an older version first: on PostgreSQL its producers then fail on the
//!   missing counter table rather than enqueue out of order.
//!
//! Operations ([`Queue::status`], [`Queue::prune`], [`Queue::reset_worker`],
//! [`Queue::failed_tasks`], [`Queue::remove_worker`]) are also a CLI: `rpclib-dbqueue`.

#![forbid(unsafe_code)]

mod backend;
mod cached;
mod consumer;
mod error;
mod executor;
mod idle;
mod lock;
#[cfg(feature = "sqlite")]
mod memory_lock;
mod notify;
mod pool;
mod position;
mod process_turn;
mod producer;
mod prune;
mod queue;
mod schema;
mod session;
mod shutdown;
mod status;
mod storage;
mod store;
mod target;
mod task;
mod transport;
mod wake;
mod write_gate;

pub use backend::{Backend, DbConnection};
pub use consumer::{Consumer, ConsumerBuilder, ConsumerStats};
pub use error::QueueError;
pub use position::{ResetTo, StartFrom, TaskId};
pub use producer::{Batch, Producer};
pub use queue::{DEFAULT_MAX_PAYLOAD, Queue, QueueBuilder};
pub use shutdown::Shutdown;
pub use status::{FailedTask, QueueStatus, WorkerStatus};
pub use storage::SqliteSync;
pub use transport::{QueueTransport, TRANSPORT_URI, TaskTransaction, transport_info};

/// diesel, as this crate uses it (for handlers that write through [`TaskTransaction`]).
pub use diesel;

/// Log target of this crate.
pub(crate) const LOG_TARGET: &str = "rpclib_transport_dbqueue";
