//! [`QueueError`]: what can go wrong talking to the queue's database.

/// A failure of the queue: the database, the pool, the schema, or a misuse.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueueError {
    /// The database URL is not one this build understands.
    #[error("invalid database URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given (without its password).
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The URL names a backend whose cargo feature is not enabled.
    #[error("this build has no {0} support: enable the `{0}` feature of rpclib-transport-dbqueue")]
    BackendNotBuilt(&'static str),
    /// A connection could not be established.
    #[error("cannot connect to the queue's database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    /// A statement failed.
    #[error("queue database error: {0}")]
    Database(#[from] diesel::result::Error),
    /// No pooled connection could be had.
    #[error("queue connection pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// The schema could not be created or upgraded.
    #[error("queue schema migration failed: {0}")]
    Migration(String),
    /// Another consumer holds this worker id.
    #[error("worker {0} is held by another consumer")]
    WorkerBusy(i64),
    /// The worker's position was moved (reset or removed) while it ran a task; the consumer
    /// rolls back and resumes from the new position.
    #[error("worker {0} was moved or removed while it ran a task")]
    PositionMoved(i64),
    /// A [`TaskTransaction`](crate::TaskTransaction) was used after its task ended.
    #[error("the transaction of task {0} is over")]
    TransactionOver(i64),
    /// No such worker is registered.
    #[error("worker {0} is not registered")]
    UnknownWorker(i64),
    /// A reset named a task that is not stored (PostgreSQL: its place in the order is
    /// unknown).
    #[error("task {0} is not stored: cannot place a worker after it")]
    UnknownTask(crate::position::TaskId),
    /// A payload is larger than the queue accepts.
    #[error("payload of {size} bytes exceeds the queue's limit of {max} bytes")]
    PayloadTooLarge {
        /// The payload's size.
        size: usize,
        /// The configured limit.
        max: usize,
    },
    /// A lock file could not be opened (SQLite worker locks).
    #[error("worker lock file: {0}")]
    Io(#[from] std::io::Error),
}

/// Strips a password from a URL before it is shown.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact("postgres://u:secret@h:5/db"),
            "postgres://u:***@h:5/db"
        );
        assert_eq!(redact("sqlite://x.db"), "sqlite://x.db");
        assert_eq!(redact("/tmp/x.db"), "/tmp/x.db");
    }
}
