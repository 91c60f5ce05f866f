//! The queue's part of a [`MethodContext`](rpclib_core::MethodContext), and its transport
//! URI.

use std::fmt;

use rpclib_core::TransportInfo;

use crate::backend::DbConnection;
use crate::error::QueueError;
use crate::position::TaskId;
use crate::session::{SharedSession, lock};

/// The URI the queue declares as its transport, e.g. in the SOAP binding of the WSDL of an
/// application served through it (rpclib's consumer declared one of its own too).
pub const TRANSPORT_URI: &str = "http://rpclib.dbqueue/";

/// The [`TransportInfo`] of the queue, for [`Application::interface_document`].
///
/// [`Application::interface_document`]: rpclib_core::Application::interface_document
pub fn transport_info() -> TransportInfo {
    TransportInfo {
        uri: TRANSPORT_URI.to_owned(),
    }
}

/// The transport part of a task's [`MethodContext`](rpclib_core::MethodContext): read it with
/// `ctx.transport::<QueueTransport>()`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct QueueTransport {
    /// The worker id of the consumer running the task.
    pub consumer_id: i64,
    /// The task.
    pub task_id: TaskId,
    transaction: TaskTransaction,
}

impl QueueTransport {
    pub(crate) fn new(consumer_id: i64, task_id: TaskId, session: SharedSession) -> Self {
        QueueTransport {
            consumer_id,
            task_id,
            transaction: TaskTransaction {
                session,
                task: task_id.0,
            },
        }
    }

    /// The consumer's transaction, for a handler that makes its own database writes
    /// exactly once (see [`TaskTransaction`]).
    pub fn transaction(&self) -> &TaskTransaction {
        &self.transaction
    }
}

/// The consumer's transaction, offered to the running task's handler: writes made through it
/// commit together with the worker's position, so they happen exactly once even if the
/// consumer is killed and the task runs again.
///
/// Writes of a task that fails (the method returns a fault, or a write fails) are rolled
/// back (a savepoint surrounds them) and the failure is recorded. Valid only while its task
/// runs. On SQLite the transaction holds the database's write lock, so producers wait while
/// the rest of the task runs: keep such tasks short.
///
/// ```no_run
/// # fn f(ctx: &rpclib_core::MethodContext) -> Result<(), Box<dyn std::error::Error>> {
/// use rpclib_transport_dbqueue::{DbConnection, QueueTransport};
///
/// if let Some(queue) = ctx.transport::<QueueTransport>() {
///     let sql = format!("INSERT INTO seen (task_id) VALUES ({})", queue.task_id);
///     queue.transaction().with(|conn: &mut DbConnection| conn.batch_execute(&sql))??;
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TaskTransaction {
    session: SharedSession,
    task: i64,
}

impl TaskTransaction {
    /// Runs `f` on the consumer's connection inside its transaction (opening it if needed).
    pub fn with<R>(&self, f: impl FnOnce(&mut DbConnection) -> R) -> Result<R, QueueError> {
        let mut session = lock(&self.session);
        let conn = session.enter_for_handler(self.task)?;
        Ok(f(conn))
    }
}

impl fmt::Debug for TaskTransaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskTransaction")
            .field("task", &self.task)
            .finish_non_exhaustive()
    }
}
