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
use crate::position::Pos;
use crate::prune::Pacing;
use crate::store::Fetched;
use crate::write_gate::{Gate, GatePass};

/// One prune chunk's outcome.
#[derive(Debug)]
pub(crate) struct PruneStep {
    /// Tasks deleted.
    pub(crate) deleted: u64,
    /// Where the next chunk starts; `None`: the prune is done.
    pub(crate) next: Option<Pos>,
}

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
    /// Starts a transaction that will write, after waiting for this writer's turn at the
    /// database's write gate (SQLite; see [`crate::write_gate`]). The pass holds the gate:
    /// drop it after the `COMMIT` or `ROLLBACK`. Inside an open transaction this opens a
    /// savepoint and takes no turn (the outermost transaction holds the gate).
    fn begin_write(&mut self, gate: &Gate) -> QueryResult<GatePass> {
        if self.in_transaction() {
            AnsiTransactionManager::begin_transaction(self)?;
            return Ok(GatePass::nested());
        }
        let pass = gate.enter()?;
        self.begin_write_ungated()?;
        Ok(pass)
    }

    /// The statement that starts a write transaction; only [`Dialect::begin_write`] calls it.
    /// SQLite takes the write lock at once (`BEGIN IMMEDIATE`) so that two writers never
    /// deadlock upgrading a read lock.
    fn begin_write_ungated(&mut self) -> QueryResult<()> {
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
    /// The gate's pass is dropped after the transaction ends.
    fn write_transaction<T>(
        &mut self,
        gate: &Gate,
        f: impl FnOnce(&mut Self) -> QueryResult<T>,
    ) -> QueryResult<T> {
        let _pass = self.begin_write(gate)?;
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
    fn locked_position(&mut self, worker: i64) -> QueryResult<Option<Pos>>;

    /// Enqueues in one statement where the engine can (PostgreSQL: ids from the sequence,
    /// the transaction id stamped by the column default, one round trip, its own
    /// transaction; no counter, so concurrent producers never wait for each other); `None`:
    /// use the portable path (the counter). With `hold`, the statement runs in an explicit
    /// transaction and `hold` runs before the commit. Returns the ids in payload order.
    fn insert_tasks_at_once(
        &mut self,
        gate: &Gate,
        payloads: &[&[u8]],
        now: i64,
        hold: Option<&mut (dyn FnMut() + '_)>,
    ) -> Option<QueryResult<Vec<i64>>> {
        let _ = (gate, payloads, now, hold);
        None
    }

    /// MySQL: the counter's update and the inserts in one write transaction, the ids
    /// computed by the server from the counter's new value (`LAST_INSERT_ID(expr)`), so no
    /// read of the counter is made while its row is locked; the ids are read after the
    /// commit. `None`: the portable path (update, read, insert). Returns the ids in payload
    /// order.
    fn insert_tasks_counted(
        &mut self,
        gate: &Gate,
        payloads: &[&[u8]],
        now: i64,
        hold: Option<&mut (dyn FnMut() + '_)>,
    ) -> Option<QueryResult<Vec<i64>>> {
        let _ = (gate, payloads, now, hold);
        None
    }

    /// PostgreSQL: the tasks after `after` in `(xid, id)` order whose transactions are all
    /// below the horizon of the statement's snapshot; `None`: read in id order (the counter
    /// made ids final in commit order).
    fn fetch_below_horizon(&mut self, after: Pos, limit: i64) -> Option<QueryResult<Fetched>> {
        let _ = (after, limit);
        None
    }

    /// PostgreSQL: the last value of the id sequence; `None`: read the counter.
    fn sequence_head(&mut self) -> Option<QueryResult<i64>> {
        None
    }

    /// PostgreSQL: `(horizon, 0)`, before every task not yet final; `None`: after the
    /// counter's value.
    fn horizon_tail(&mut self) -> Option<QueryResult<Pos>> {
        None
    }

    /// PostgreSQL: the position of a stored task (`Some(None)` if it is not stored); `None`:
    /// ids are the order, any id will do.
    fn position_of_task(&mut self, id: i64) -> Option<QueryResult<Option<Pos>>> {
        let _ = id;
        None
    }

    /// PostgreSQL: how many stored tasks come after `pos` (ids have gaps, so the lag is
    /// counted); `None`: subtract.
    fn count_after(&mut self, pos: Pos) -> Option<QueryResult<i64>> {
        let _ = pos;
        None
    }

    /// PostgreSQL: deletes up to `chunk` tasks after `after` and up to `through` in the
    /// queue's `(xid, id)` order; `None`: delete an id range (see [`Store::prune`]).
    ///
    /// [`Store::prune`]: crate::store::Store::prune
    fn prune_chunk_in_order(
        &mut self,
        after: Pos,
        through: Pos,
        chunk: i64,
    ) -> Option<QueryResult<PruneStep>> {
        let _ = (after, through, chunk);
        None
    }

    /// How prune chunks are paced on this engine.
    fn prune_pacing(&self) -> Pacing {
        Pacing::SERVER
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
    fn migrate(&mut self, gate: &Gate) -> Result<(), QueueError>;
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
        fn begin_write_ungated(&mut self) -> QueryResult<()> {
            AnsiTransactionManager::begin_transaction_sql(self, "BEGIN IMMEDIATE")
        }

        fn locked_position(&mut self, worker: i64) -> QueryResult<Option<Pos>> {
            // `get_result`, not `first`: the key finds at most one row, and `first`'s bound
            // `LIMIT 1` makes SQLite prepare the statement again at every call.
            let row: Option<(i64, i64)> = w::table
                .find(worker)
                .select((w::last_task_xid, w::last_task_id))
                .get_result(self)
                .optional()?;
            Ok(row.map(|(xid, id)| Pos { xid, id }))
        }

        fn prune_pacing(&self) -> Pacing {
            Pacing::SINGLE_WRITER
        }

        fn try_worker_lock(&mut self, _worker: i64) -> QueryResult<bool> {
            Ok(true)
        }

        fn release_worker_lock(&mut self, _worker: i64) -> QueryResult<()> {
            Ok(())
        }

        fn migrate(&mut self, gate: &Gate) -> Result<(), QueueError> {
            // BEGIN IMMEDIATE serialises concurrent migrators; diesel runs each migration in a
            // savepoint inside it.
            let mut failure = None;
            let result = self.write_transaction(gate, |c| {
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

    /// A position read with raw SQL.
    #[derive(QueryableByName)]
    struct PosRow {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        xid: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }

    /// A task as the horizon read returns it.
    #[derive(QueryableByName)]
    struct TaskRow {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        xid: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::Binary)]
        data: Vec<u8>,
    }
    use crate::schema::rpclib_queue_workers as w;
    use diesel::PgConnection;
    use diesel::pg::Pg;
    use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
    use diesel::sql_types::{Array, BigInt, Binary};
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
    /// The enqueue statement as diesel runs it: prepared once per connection and cached
    /// (a `sql_query` is sent unprepared, so the server would parse and plan it at every
    /// enqueue). Rows are produced in payload order and `nextval` is evaluated after that
    /// order is fixed, so sorting the returned ids restores it. The id comes from the
    /// sequence and the xid from the column default (`pg_current_xact_id()`): no row every
    /// producer must lock, so producers commit side by side (group commit).
    ///
    /// No `NOTIFY` here: PostgreSQL serializes the commits of every transaction that
    /// notified (a database-wide lock taken at pre-commit, held until the commit is
    /// flushed), which would make producers wait for each other again. Consumers are woken
    /// by [`crate::wake::PgWaker`] after the commit instead.
    struct InsertAtOnce<'a> {
        payloads: &'a [&'a [u8]],
        now: i64,
    }

    /// The statement cache's key for [`InsertAtOnce`]: its SQL never varies.
    struct InsertAtOnceId;

    impl QueryId for InsertAtOnce<'_> {
        type QueryId = InsertAtOnceId;
        const HAS_STATIC_QUERY_ID: bool = true;
    }

    impl QueryFragment<Pg> for InsertAtOnce<'_> {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
            out.push_sql("INSERT INTO rpclib_queue_tasks (data, enqueued_at) SELECT p.data, ");
            out.push_bind_param::<BigInt, _>(&self.now)?;
            out.push_sql(" FROM unnest(");
            out.push_bind_param::<Array<Binary>, _>(self.payloads)?;
            out.push_sql("::bytea[]) WITH ORDINALITY AS p(data, ord) ORDER BY p.ord RETURNING id");
            Ok(())
        }
    }

    impl Query for InsertAtOnce<'_> {
        type SqlType = BigInt;
    }

    impl RunQueryDsl<PgConnection> for InsertAtOnce<'_> {}
    /// The horizon of the statement's snapshot: every transaction with a smaller id has
    /// ended, so the tasks below it are final. 64-bit (epoch and xid), so it never wraps.
    const HORIZON: &str = "pg_snapshot_xmin(pg_current_snapshot())::text::int8";
    /// Final tasks after a position, in the queue's order (index `(xid, id)`; the horizon
    /// is an init-plan, computed once, so both bounds drive the index scan).
    const FETCH: &str = "\
        SELECT t.xid, t.id, t.data FROM rpclib_queue_tasks t \
        WHERE t.xid < (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::int8) \
          AND (t.xid, t.id) > ($1, $2) \
        ORDER BY t.xid, t.id LIMIT $3";
    /// Whether any committed task follows a position, final or not.
    const ANY_AFTER: &str = "\
        SELECT EXISTS (SELECT 1 FROM rpclib_queue_tasks t WHERE (t.xid, t.id) > ($1, $2))\
        ::int4::int8 AS flag";
    /// The last task of a prune chunk: the `$5 + 1`-th after `($1, $2)`, up to `($3, $4)`.
    const PRUNE_BOUND: &str = "\
        SELECT t.xid, t.id FROM rpclib_queue_tasks t \
        WHERE (t.xid, t.id) > ($1, $2) AND (t.xid, t.id) <= ($3, $4) \
        ORDER BY t.xid, t.id OFFSET $5 LIMIT 1";
    /// A prune chunk: the tasks after `($1, $2)` up to `($3, $4)`.
    const PRUNE_RANGE: &str = "\
        DELETE FROM rpclib_queue_tasks t \
        WHERE (t.xid, t.id) > ($1, $2) AND (t.xid, t.id) <= ($3, $4)";
    /// Advisory lock key serialising migrators (any constant unlikely to clash).
    const MIGRATION_LOCK: i64 = 0x7270_636c_6962_7100;
    /// The key of a worker's session lock: per database, like PostgreSQL advisory locks.
    const WORKER_KEY: &str = "hashtextextended('rpclib_queue_worker:' || $1, 0)";

    /// A prune chunk on PostgreSQL (see [`Dialect::prune_chunk_in_order`]).
    trait PgPrune {
        fn prune_pg_chunk(
            &mut self,
            after: Pos,
            through: Pos,
            chunk: i64,
        ) -> QueryResult<PruneStep>;
    }

    impl PgPrune for PgConnection {
        fn prune_pg_chunk(
            &mut self,
            after: Pos,
            through: Pos,
            chunk: i64,
        ) -> QueryResult<PruneStep> {
            // The chunk's last task (an index-only scan of the chunk's own range), then one
            // range delete on the `(xid, id)` index.
            let bound: Option<PosRow> = diesel::sql_query(PRUNE_BOUND)
                .bind::<BigInt, _>(after.xid)
                .bind::<BigInt, _>(after.id)
                .bind::<BigInt, _>(through.xid)
                .bind::<BigInt, _>(through.id)
                .bind::<BigInt, _>(chunk.max(1) - 1)
                .get_result(self)
                .optional()?;
            let upto = bound.as_ref().map_or(through, |b| Pos {
                xid: b.xid,
                id: b.id,
            });
            let n = diesel::sql_query(PRUNE_RANGE)
                .bind::<BigInt, _>(after.xid)
                .bind::<BigInt, _>(after.id)
                .bind::<BigInt, _>(upto.xid)
                .bind::<BigInt, _>(upto.id)
                .execute(self)?;
            Ok(PruneStep {
                deleted: n as u64,
                next: bound.filter(|_| upto != through).map(|_| upto),
            })
        }
    }

    impl Dialect for PgConnection {
        fn locked_position(&mut self, worker: i64) -> QueryResult<Option<Pos>> {
            let row: Option<(i64, i64)> = w::table
                .find(worker)
                .select((w::last_task_xid, w::last_task_id))
                .for_update()
                .first(self)
                .optional()?;
            Ok(row.map(|(xid, id)| Pos { xid, id }))
        }

        fn insert_tasks_at_once(
            &mut self,
            gate: &Gate,
            payloads: &[&[u8]],
            now: i64,
            hold: Option<&mut (dyn FnMut() + '_)>,
        ) -> Option<QueryResult<Vec<i64>>> {
            let run = |c: &mut Self| -> QueryResult<Vec<i64>> {
                let mut ids: Vec<i64> = InsertAtOnce { payloads, now }.load(c)?;
                ids.sort_unstable();
                Ok(ids)
            };
            Some(match hold {
                None => run(self),
                Some(hold) => self.write_transaction(gate, |c| {
                    let first = run(c)?;
                    hold();
                    Ok(first)
                }),
            })
        }

        fn fetch_below_horizon(&mut self, after: Pos, limit: i64) -> Option<QueryResult<Fetched>> {
            Some((|| {
                let rows: Vec<TaskRow> = diesel::sql_query(FETCH)
                    .bind::<BigInt, _>(after.xid)
                    .bind::<BigInt, _>(after.id)
                    .bind::<BigInt, _>(limit)
                    .load(self)?;
                if !rows.is_empty() {
                    return Ok(Fetched {
                        tasks: rows
                            .into_iter()
                            .map(|r| {
                                (
                                    Pos {
                                        xid: r.xid,
                                        id: r.id,
                                    },
                                    r.data,
                                )
                            })
                            .collect(),
                        blocked: false,
                    });
                }
                let any: Flag = diesel::sql_query(ANY_AFTER)
                    .bind::<BigInt, _>(after.xid)
                    .bind::<BigInt, _>(after.id)
                    .get_result(self)?;
                Ok(Fetched {
                    tasks: Vec::new(),
                    blocked: any.flag != 0,
                })
            })())
        }

        fn sequence_head(&mut self) -> Option<QueryResult<i64>> {
            Some(
                diesel::sql_query(
                    "SELECT COALESCE(pg_sequence_last_value('rpclib_queue_tasks_id_seq'), 0)::int8 \
                     AS flag",
                )
                .get_result::<Flag>(self)
                .map(|r| r.flag),
            )
        }

        fn horizon_tail(&mut self) -> Option<QueryResult<Pos>> {
            // The last final task, or `(horizon, 0)` when none is stored: both are after
            // every final task and before every task not yet final (those have xids at or
            // above the horizon), so both name the same place in the order.
            let sql = format!(
                "WITH h AS (SELECT {HORIZON} AS x) \
                 SELECT COALESCE(t.xid, h.x) AS xid, COALESCE(t.id, 0) AS id FROM h \
                 LEFT JOIN LATERAL (SELECT xid, id FROM rpclib_queue_tasks WHERE xid < h.x \
                 ORDER BY xid DESC, id DESC LIMIT 1) t ON true"
            );
            Some(
                diesel::sql_query(sql)
                    .get_result::<PosRow>(self)
                    .map(|r| Pos {
                        xid: r.xid,
                        id: r.id,
                    }),
            )
        }

        fn position_of_task(&mut self, id: i64) -> Option<QueryResult<Option<Pos>>> {
            Some(
                diesel::sql_query("SELECT xid AS flag FROM rpclib_queue_tasks WHERE id = $1")
                    .bind::<BigInt, _>(id)
                    .get_result::<Flag>(self)
                    .optional()
                    .map(|r| r.map(|r| Pos { xid: r.flag, id })),
            )
        }

        fn count_after(&mut self, pos: Pos) -> Option<QueryResult<i64>> {
            Some(
                diesel::sql_query(
                    "SELECT count(*)::int8 AS flag FROM rpclib_queue_tasks \
                     WHERE (xid, id) > ($1, $2)",
                )
                .bind::<BigInt, _>(pos.xid)
                .bind::<BigInt, _>(pos.id)
                .get_result::<Flag>(self)
                .map(|r| r.flag),
            )
        }

        fn prune_chunk_in_order(
            &mut self,
            after: Pos,
            through: Pos,
            chunk: i64,
        ) -> Option<QueryResult<PruneStep>> {
            Some(self.prune_pg_chunk(after, through, chunk))
        }

        fn prune_pacing(&self) -> Pacing {
            Pacing::SNAPSHOT_HORIZON
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

        fn migrate(&mut self, _gate: &Gate) -> Result<(), QueueError> {
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
    use crate::cached::BumpCounterRemembered;
    use crate::schema::rpclib_queue_tasks as t;
    use crate::schema::rpclib_queue_workers as w;
    use diesel::MysqlConnection;
    use diesel::expression::is_aggregate;
    use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
    use diesel::mysql::Mysql;
    use diesel::query_builder::{AstPass, QueryFragment, QueryId};
    use diesel::sql_types::BigInt;
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/mysql");
    /// Rows per multi-row `INSERT`: under the bound-parameter limit.
    const INSERT_CHUNK: usize = 1000;

    /// `LAST_INSERT_ID() - back`: the id of the payload `back` places before the last, as
    /// the server computes it. A query fragment of its own with a static query id, so that
    /// the insert stays a statement diesel prepares once and caches (raw SQL would be
    /// prepared at every call: one more round trip, under the counter's lock).
    #[derive(Debug, Clone, Copy)]
    struct RememberedIdMinus {
        back: i64,
    }

    /// `CAST(LAST_INSERT_ID() AS SIGNED)`: the last id handed out to this session, as the
    /// client reads it (the function itself returns an unsigned integer).
    #[derive(Debug, Clone, Copy)]
    struct RememberedId;

    macro_rules! last_insert_id_expr {
        ($ty:ty, $self_:ident, $out:ident => $body:expr) => {
            impl QueryId for $ty {
                type QueryId = $ty;
                const HAS_STATIC_QUERY_ID: bool = true;
            }
            impl Expression for $ty {
                type SqlType = BigInt;
            }
            impl<QS> AppearsOnTable<QS> for $ty {}
            impl<QS> SelectableExpression<QS> for $ty {}
            impl ValidGrouping<()> for $ty {
                type IsAggregate = is_aggregate::Never;
            }
            impl QueryFragment<Mysql> for $ty {
                fn walk_ast<'b>(&'b $self_, mut $out: AstPass<'_, 'b, Mysql>) -> QueryResult<()> {
                    $body
                }
            }
        };
    }

    last_insert_id_expr!(RememberedIdMinus, self, out => {
        out.push_sql("LAST_INSERT_ID() - ");
        out.push_bind_param::<BigInt, _>(&self.back)
    });
    last_insert_id_expr!(RememberedId, self, out => {
        out.push_sql("CAST(LAST_INSERT_ID() AS SIGNED)");
        Ok(())
    });

    /// GET_LOCK names are server-wide: qualify them with the database, hashed to fit the
    /// 64-character limit.
    const WORKER_KEY: &str = "SHA1(CONCAT(COALESCE(DATABASE(), ''), ':rpclib_queue_worker:', ?))";
    const MIGRATION_KEY: &str = "SHA1(CONCAT(COALESCE(DATABASE(), ''), ':rpclib_queue_migrate'))";

    impl Dialect for MysqlConnection {
        fn insert_tasks_counted(
            &mut self,
            gate: &Gate,
            payloads: &[&[u8]],
            now: i64,
            hold: Option<&mut (dyn FnMut() + '_)>,
        ) -> Option<QueryResult<Vec<i64>>> {
            let n = i64::try_from(payloads.len()).unwrap_or(i64::MAX);
            Some((|| {
                self.write_transaction(gate, |c| {
                    // Locks the counter row until the commit; the session remembers the new
                    // value, the id of the last payload.
                    // A statement diesel caches (see `cached`): the DSL's update was
                    // prepared, one more round trip, at every enqueue.
                    BumpCounterRemembered { n }.execute(c)?;
                    let mut back = n;
                    for chunk in payloads.chunks(INSERT_CHUNK) {
                        if let [data] = chunk {
                            back -= 1;
                            // One row, the common case: a statement of fixed shape, which
                            // diesel prepares once per connection and caches.
                            diesel::insert_into(t::table)
                                .values((
                                    t::id.eq(RememberedIdMinus { back }),
                                    t::data.eq(*data),
                                    t::enqueued_at.eq(now),
                                ))
                                .execute(c)?;
                            continue;
                        }
                        let rows: Vec<_> = chunk
                            .iter()
                            .map(|data| {
                                back -= 1;
                                (
                                    t::id.eq(RememberedIdMinus { back }),
                                    t::data.eq(*data),
                                    t::enqueued_at.eq(now),
                                )
                            })
                            .collect();
                        diesel::insert_into(t::table).values(rows).execute(c)?;
                    }
                    if let Some(hold) = hold {
                        hold();
                    }
                    Ok(())
                })?;
                // After the commit, so the counter row is not held for this round trip.
                let last: i64 = diesel::select(RememberedId).get_result(self)?;
                Ok((last - n + 1..=last).collect())
            })())
        }

        fn locked_position(&mut self, worker: i64) -> QueryResult<Option<Pos>> {
            let row: Option<(i64, i64)> = w::table
                .find(worker)
                .select((w::last_task_xid, w::last_task_id))
                .for_update()
                .first(self)
                .optional()?;
            Ok(row.map(|(xid, id)| Pos { xid, id }))
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

        fn migrate(&mut self, _gate: &Gate) -> Result<(), QueueError> {
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

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::write_gate::Gate;

    /// A transaction opened inside another (a savepoint) must not wait for the gate its
    /// outer transaction holds: it would wait for itself until the timeout.
    #[test]
    fn a_nested_write_transaction_takes_no_second_turn() {
        let gate = Gate::of_database("/test/nested", None, Duration::from_millis(100));
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        c.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        let inner = c.write_transaction(&gate, |c| {
            c.batch_execute("INSERT INTO t VALUES (1)")?;
            c.write_transaction(&gate, |c| c.batch_execute("INSERT INTO t VALUES (2)"))
        });
        assert!(inner.is_ok(), "{inner:?}");
        assert!(!c.in_transaction());
        // Both turns are over: the gate is free.
        drop(gate.enter().unwrap());
        let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "(SELECT count(*) FROM t)",
        ))
        .get_result(&mut c)
        .unwrap();
        assert_eq!(n, 2);
    }

    /// A failed transaction gives its turn back after its rollback.
    #[test]
    fn a_failed_write_transaction_releases_the_gate() {
        let gate = Gate::of_database("/test/failed", None, Duration::from_millis(100));
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        let failed = c.write_transaction(&gate, |c| c.batch_execute("NOT SQL"));
        assert!(failed.is_err());
        assert!(!c.in_transaction());
        drop(gate.enter().unwrap());
    }
}
