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
//! - **No skipped task.** Ids come from a one-row counter updated inside the producer's
//!   transaction, so they are handed out in commit order: a consumer that sees task `n`
//!   sees every task below it (PostgreSQL and MySQL otherwise commit ids out of order and
//!   an `id > last` reader steps over late commits). Ids are gapless too, so a worker's lag
//!   is `head - position`.
//! - **Crash safety.** A consumer commits its position after each task (or each batch, see
//!   [`ConsumerBuilder::batch_size`]); killed at any instant, it resumes at the first task it
//!   had not committed, so only the task (batch) in flight can run twice. Handlers can write
//!   in the consumer's transaction ([`TaskTransaction`]) for exactly-once effects.
//! - **One consumer per worker id**, across processes, for its whole run (a session lock;
//!   see [`Consumer`]). No transaction stays open while a consumer is idle.
//! - **Failures are recorded** (task, worker, error, time) with the position update, and the
//!   consumer moves on.
//! - **Prompt wake-up**: LISTEN/NOTIFY on PostgreSQL, polling from 1 ms backing off to 20 ms
//!   elsewhere, and an in-process wake-up between a producer and a consumer of one [`Queue`].
//!
//! Operations ([`Queue::status`], [`Queue::prune`], [`Queue::reset_worker`],
//! [`Queue::failed_tasks`], [`Queue::remove_worker`]) are also a CLI: `rpclib-dbqueue`.

#![forbid(unsafe_code)]

mod backend;
mod consumer;
mod error;
mod executor;
mod idle;
mod lock;
#[cfg(feature = "sqlite")]
mod memory_lock;
mod notify;
mod position;
mod producer;
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
