//! The three database backends behind one code path: [`DbConnection`], the dispatch macro,
//! and [`Dialect`], the handful of statements that differ between engines.
//!
//! Everything else (the queue's reads and writes) is written once in [`crate::store`] and
//! instantiated for each connection type by a macro, so the backends cannot drift apart.

use std::fmt;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::result::QueryResult;

use crate::error::QueueError;

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!("enable at least one of the features `sqlite`, `postgres`, `mysql`");

/// The database engine a queue lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// SQLite: a file, or an in-memory database shared by one process.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    Mysql,
}

impl Backend {
    /// The backend's name, as in the cargo feature.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A diesel connection to the queue's database, of whichever backend the URL named.
///
/// A handler that opts into writing in the consumer's transaction gets one from
/// [`TaskTransaction::with`](crate::TaskTransaction::with) and matches on it to reach the
/// concrete diesel connection.
#[non_exhaustive]
pub enum DbConnection {
    /// SQLite.
    #[cfg(feature = "sqlite")]
    Sqlite(diesel::SqliteConnection),
    /// PostgreSQL.
    #[cfg(feature = "postgres")]
    Postgres(diesel::PgConnection),
    /// MySQL or MariaDB.
    #[cfg(feature = "mysql")]
    Mysql(diesel::MysqlConnection),
}

impl DbConnection {
    /// The backend.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "sqlite")]
            DbConnection::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            DbConnection::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            DbConnection::Mysql(_) => Backend::Mysql,
        }
    }

    /// Runs SQL statements without results (e.g. an `INSERT` with literal values).
    pub fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        with_conn!(self.as_mut(), c => c.batch_execute(sql))
    }

    pub(crate) fn as_mut(&mut self) -> ConnMut<'_> {
        match self {
            #[cfg(feature = "sqlite")]
            DbConnection::Sqlite(c) => ConnMut::Sqlite(c),
            #[cfg(feature = "postgres")]
            DbConnection::Postgres(c) => ConnMut::Postgres(c),
            #[cfg(feature = "mysql")]
            DbConnection::Mysql(c) => ConnMut::Mysql(c),
        }
    }
}

impl fmt::Debug for DbConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DbConnection")
            .field(&self.backend())
            .finish()
    }
}

/// A borrowed connection of any backend: what the dispatch macro matches on, so that owned
/// and pooled connections share the code.
pub(crate) enum ConnMut<'a> {
    #[cfg(feature = "sqlite")]
    Sqlite(&'a mut diesel::SqliteConnection),
    #[cfg(feature = "postgres")]
    Postgres(&'a mut diesel::PgConnection),
    #[cfg(feature = "mysql")]
    Mysql(&'a mut diesel::MysqlConnection),
}

/// Runs `$body` with `$c` bound to the concrete diesel connection in a [`ConnMut`]: the body
/// is compiled once per backend.
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            #[cfg(feature = "sqlite")]
            $crate::backend::ConnMut::Sqlite($c) => $body,
            #[cfg(feature = "postgres")]
            $crate::backend::ConnMut::Postgres($c) => $body,
            #[cfg(feature = "mysql")]
            $crate::backend::ConnMut::Mysql($c) => $body,
        }
    };
}
pub(crate) use with_conn;

/// What differs between engines: write transactions, row locks, session locks, wake-ups and
/// migrations. Implemented for each diesel connection type.
pub(crate) trait Dialect:
    Connection<TransactionManager = AnsiTransactionManager> + Sized
{
    /// Starts a transaction that will write. SQLite takes the write lock at once
    /// (`BEGIN IMMEDIATE`) so that two writers never deadlock upgrading a read lock.
    fn begin_write(&mut self) -> QueryResult<()> {
        AnsiTransactionManager::begin_transaction(self)
    }

    /// Commits the innermost transaction (or releases the innermost savepoint).
    fn commit(&mut self) -> QueryResult<()> {
        AnsiTransactionManager::commit_transaction(self)
    }

    /// Rolls back the innermost transaction (or savepoint).
    fn rollback(&mut self) -> QueryResult<()> {
        AnsiTransactionManager::rollback_transaction(self)
    }

    /// Opens a savepoint inside the current transaction.
    fn savepoint(&mut self) -> QueryResult<()> {
        AnsiTransactionManager::begin_transaction(self)
    }

    /// Whether a transaction is open.
    fn in_transaction(&mut self) -> bool {
        AnsiTransactionManager::transaction_manager_status_mut(self)
            .transaction_depth()
            .ok()
            .flatten()
            .is_some()
    }

    /// Runs `f` in a write transaction; commits on success, rolls back on error.
    fn write_transaction<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> QueryResult<T>,
    ) -> QueryResult<T> {
        self.begin_write()?;
        match f(self) {
            Ok(value) => match self.commit() {
                Ok(()) => Ok(value),
                Err(e) => {
                    // diesel leaves the transaction open when COMMIT itself fails.
                    if self.in_transaction() {
                        let _ = self.rollback();
                    }
                    Err(e)
                }
            },
            Err(e) => {
                if self.in_transaction() {
                    let _ = self.rollback();
                }
                Err(e)
            }
        }
    }

    /// The worker's position, locked until the transaction ends (`FOR UPDATE` on servers;
    /// on SQLite the write transaction already excludes every other writer).
    fn locked_position(&mut self, worker: i64) -> QueryResult<Option<i64>>;

    /// Enqueues in one statement where the engine can (PostgreSQL: update the counter, insert
    /// and notify in one round trip, its own transaction); `None`: use the portable path.
    /// With `hold`, the statement runs in an explicit transaction and `hold` runs before
    /// the commit.
    fn insert_tasks_at_once(
        &mut self,
        payloads: &[&[u8]],
        now: i64,
        hold: Option<&mut (dyn FnMut() + '_)>,
    ) -> Option<QueryResult<i64>> {
        let _ = (payloads, now, hold);
        None
    }

    /// Wakes listening consumers when the current transaction commits (PostgreSQL only).
    fn notify_tasks(&mut self) -> QueryResult<()> {
        Ok(())
    }

    /// Subscribes this connection to new-task notifications (PostgreSQL only).
    fn listen(&mut self) -> QueryResult<()> {
        Ok(())
    }

    /// Whether a new-task notification arrived since the last call (never blocks).
    fn take_notifications(&mut self) -> QueryResult<bool> {
        Ok(false)
    }

    /// Tries to take the session lock of `worker` (servers only: SQLite uses lock files).
    fn try_worker_lock(&mut self, worker: i64) -> QueryResult<bool>;

    /// Releases the session lock of `worker`.
    fn release_worker_lock(&mut self, worker: i64) -> QueryResult<()>;

    /// Creates or upgrades the queue's tables, serialised against concurrent migrators.
    fn migrate(&mut self) -> Result<(), QueueError>;
}

/// A one-column result of raw SQL.
#[derive(QueryableByName)]
#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
struct Flag {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    flag: i64,
}

#[cfg(feature = "sqlite")]
mod sqlite_dialect {
    use super::*;
    use crate::schema::rpclib_queue_workers as w;
    use diesel::SqliteConnection;
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

    impl Dialect for SqliteConnection {
        fn begin_write(&mut self) -> QueryResult<()> {
            AnsiTransactionManager::begin_transaction_sql(self, "BEGIN IMMEDIATE")
        }

        fn locked_position(&mut self, worker: i64) -> QueryResult<Option<i64>> {
            w::table
                .find(worker)
                .select(w::last_task_id)
                .first(self)
                .optional()
        }

        fn try_worker_lock(&mut self, _worker: i64) -> QueryResult<bool> {
            Ok(true)
        }

        fn release_worker_lock(&mut self, _worker: i64) -> QueryResult<()> {
            Ok(())
        }

        fn migrate(&mut self) -> Result<(), QueueError> {
            // BEGIN IMMEDIATE serialises concurrent migrators; diesel runs each migration in a
            // savepoint inside it.
            let mut failure = None;
            let result = self.write_transaction(|c| {
                c.run_pending_migrations(MIGRATIONS)
                    .map(|_| ())
                    .map_err(|e| {
                        failure = Some(e.to_string());
                        diesel::result::Error::RollbackTransaction
                    })
            });
            match (result, failure) {
                (_, Some(message)) => Err(QueueError::Migration(message)),
                (Err(e), None) => Err(e.into()),
                (Ok(()), None) => Ok(()),
            }
        }
    }
}

#[cfg(feature = "postgres")]
mod pg_dialect {
    use super::*;
    use crate::schema::rpclib_queue_workers as w;
    use diesel::PgConnection;
    use diesel::sql_types::{Array, BigInt, Binary};
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
    /// The counter update, the inserts and the notification in one statement: one round
    /// trip, and its own transaction. The counter row stays locked until it commits, as in
    /// the portable path, so ids are still handed out in commit order. Returns the first id.
    const INSERT_AT_ONCE: &str = "\
        WITH c AS (UPDATE rpclib_queue_counter SET last_id = last_id + $3 WHERE id = 1 \
                   RETURNING last_id), \
             ins AS (INSERT INTO rpclib_queue_tasks (id, data, enqueued_at) \
                     SELECT c.last_id - $3 + p.ord, p.data, $2 \
                     FROM c, unnest($1::bytea[]) WITH ORDINALITY AS p(data, ord) RETURNING 1), \
             n AS (SELECT pg_notify('rpclib_queue', '')) \
        SELECT (c.last_id - $3 + 1)::int8 AS flag FROM c, n";
    /// Advisory lock key serialising migrators (any constant unlikely to clash).
    const MIGRATION_LOCK: i64 = 0x7270_636c_6962_7100;
    /// The key of a worker's session lock: per database, like PostgreSQL advisory locks.
    const WORKER_KEY: &str = "hashtextextended('rpclib_queue_worker:' || $1, 0)";

    impl Dialect for PgConnection {
        fn locked_position(&mut self, worker: i64) -> QueryResult<Option<i64>> {
            w::table
                .find(worker)
                .select(w::last_task_id)
                .for_update()
                .first(self)
                .optional()
        }

        fn insert_tasks_at_once(
            &mut self,
            payloads: &[&[u8]],
            now: i64,
            hold: Option<&mut (dyn FnMut() + '_)>,
        ) -> Option<QueryResult<i64>> {
            let n = i64::try_from(payloads.len()).unwrap_or(i64::MAX);
            let run = |c: &mut Self| -> QueryResult<i64> {
                let row: Flag = diesel::sql_query(INSERT_AT_ONCE)
                    .bind::<Array<Binary>, _>(payloads)
                    .bind::<BigInt, _>(now)
                    .bind::<BigInt, _>(n)
                    .get_result(c)?;
                Ok(row.flag)
            };
            Some(match hold {
                None => run(self),
                Some(hold) => self.write_transaction(|c| {
                    let first = run(c)?;
                    hold();
                    Ok(first)
                }),
            })
        }

        fn notify_tasks(&mut self) -> QueryResult<()> {
            // Delivered at commit; several in one transaction fold into one.
            self.batch_execute("NOTIFY rpclib_queue")
        }

        fn listen(&mut self) -> QueryResult<()> {
            self.batch_execute("LISTEN rpclib_queue")
        }

        fn take_notifications(&mut self) -> QueryResult<bool> {
            let mut any = false;
            for n in self.notifications_iter() {
                n?;
                any = true;
            }
            Ok(any)
        }

        fn try_worker_lock(&mut self, worker: i64) -> QueryResult<bool> {
            let sql = format!("SELECT pg_try_advisory_lock({WORKER_KEY})::int4::int8 AS flag");
            let row: Flag = diesel::sql_query(sql)
                .bind::<BigInt, _>(worker)
                .get_result(self)?;
            Ok(row.flag != 0)
        }

        fn release_worker_lock(&mut self, worker: i64) -> QueryResult<()> {
            let sql = format!("SELECT pg_advisory_unlock({WORKER_KEY})::int4::int8 AS flag");
            diesel::sql_query(sql)
                .bind::<BigInt, _>(worker)
                .get_result::<Flag>(self)
                .map(|_| ())
        }

        fn migrate(&mut self) -> Result<(), QueueError> {
            self.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = self
                .run_pending_migrations(MIGRATIONS)
                .map(|_| ())
                .map_err(|e| QueueError::Migration(e.to_string()));
            let unlocked =
                self.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
            result?;
            unlocked.map_err(Into::into)
        }
    }
}

#[cfg(feature = "mysql")]
mod mysql_dialect {
    use super::*;
    use crate::schema::rpclib_queue_workers as w;
    use diesel::MysqlConnection;
    use diesel::sql_types::BigInt;
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/mysql");
    /// GET_LOCK names are server-wide: qualify them with the database, hashed to fit the
    /// 64-character limit.
    const WORKER_KEY: &str = "SHA1(CONCAT(COALESCE(DATABASE(), ''), ':rpclib_queue_worker:', ?))";
    const MIGRATION_KEY: &str = "SHA1(CONCAT(COALESCE(DATABASE(), ''), ':rpclib_queue_migrate'))";

    impl Dialect for MysqlConnection {
        fn locked_position(&mut self, worker: i64) -> QueryResult<Option<i64>> {
            w::table
                .find(worker)
                .select(w::last_task_id)
                .for_update()
                .first(self)
                .optional()
        }

        fn try_worker_lock(&mut self, worker: i64) -> QueryResult<bool> {
            let sql =
                format!("SELECT CAST(COALESCE(GET_LOCK({WORKER_KEY}, 0), 0) AS SIGNED) AS flag");
            let row: Flag = diesel::sql_query(sql)
                .bind::<BigInt, _>(worker)
                .get_result(self)?;
            Ok(row.flag != 0)
        }

        fn release_worker_lock(&mut self, worker: i64) -> QueryResult<()> {
            let sql =
                format!("SELECT CAST(COALESCE(RELEASE_LOCK({WORKER_KEY}), 0) AS SIGNED) AS flag");
            diesel::sql_query(sql)
                .bind::<BigInt, _>(worker)
                .get_result::<Flag>(self)
                .map(|_| ())
        }

        fn migrate(&mut self) -> Result<(), QueueError> {
            // DDL commits implicitly in MySQL, so a transaction cannot serialise migrators.
            let sql = format!(
                "SELECT CAST(COALESCE(GET_LOCK({MIGRATION_KEY}, 60), 0) AS SIGNED) AS flag"
            );
            let got: Flag = diesel::sql_query(sql).get_result(self)?;
            if got.flag == 0 {
                return Err(QueueError::Migration(
                    "timed out waiting for another migrator".to_owned(),
                ));
            }
            let result = self
                .run_pending_migrations(MIGRATIONS)
                .map(|_| ())
                .map_err(|e| QueueError::Migration(e.to_string()));
            let released = diesel::sql_query(format!(
                "SELECT CAST(COALESCE(RELEASE_LOCK({MIGRATION_KEY}), 0) AS SIGNED) AS flag"
            ))
            .get_result::<Flag>(self);
            result?;
            released.map(|_| ()).map_err(Into::into)
        }
    }
}
