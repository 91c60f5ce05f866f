//! The queue's `UPDATE` statements on its hot paths, written as query fragments with a static
//! query id so that each connection prepares them once and then reuses them.
//!
//! Why: diesel never caches an `UPDATE … SET` built with its DSL (its changeset may vary
//! between calls, so the statement is marked unsafe to cache) and prepares it at every call.
//! On SQLite that was about 26,000 instructions per statement: a producer's counter bump at
//! every enqueue and a consumer's position update at every commit (a third of a write
//! transaction's own instructions with a commit per task). On a server it is one more
//! round trip. These statements never vary, so their SQL is fixed here.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::sql_types::{BigInt, HasSqlType};
use diesel::{RunQueryDsl, serialize::ToSql};

use crate::position::Pos;

/// Moves a worker's position: `UPDATE rpclib_queue_workers SET last_task_id, last_task_xid,
/// updated_at WHERE worker_id`.
#[derive(Debug)]
pub(crate) struct MovePosition {
    pub(crate) worker: i64,
    pub(crate) to: Pos,
    pub(crate) now: i64,
}

/// Hands out `n` ids: `UPDATE rpclib_queue_counter SET last_id = last_id + n WHERE id = 1`.
#[derive(Debug)]
pub(crate) struct BumpCounter {
    pub(crate) n: i64,
}

impl QueryId for MovePosition {
    type QueryId = MovePosition;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl QueryId for BumpCounter {
    type QueryId = BumpCounter;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for MovePosition
where
    DB: Backend + HasSqlType<BigInt>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE rpclib_queue_workers SET last_task_id = ");
        out.push_bind_param::<BigInt, _>(&self.to.id)?;
        out.push_sql(", last_task_xid = ");
        out.push_bind_param::<BigInt, _>(&self.to.xid)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<BigInt, _>(&self.now)?;
        out.push_sql(" WHERE worker_id = ");
        out.push_bind_param::<BigInt, _>(&self.worker)
    }
}

impl<DB> QueryFragment<DB> for BumpCounter
where
    DB: Backend + HasSqlType<BigInt>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE rpclib_queue_counter SET last_id = last_id + ");
        out.push_bind_param::<BigInt, _>(&self.n)?;
        out.push_sql(" WHERE id = 1");
        Ok(())
    }
}

impl<C> RunQueryDsl<C> for MovePosition {}
impl<C> RunQueryDsl<C> for BumpCounter {}

/// MySQL/MariaDB: hands out `n` ids and remembers the last one for the session, which the
/// inserts then read on the server: `UPDATE rpclib_queue_counter SET last_id =
/// LAST_INSERT_ID(last_id + n) WHERE id = 1`. Prepared at every call, it was one more round
/// trip with the counter row locked.
#[cfg(feature = "mysql")]
#[derive(Debug)]
pub(crate) struct BumpCounterRemembered {
    pub(crate) n: i64,
}

#[cfg(feature = "mysql")]
impl QueryId for BumpCounterRemembered {
    type QueryId = BumpCounterRemembered;
    const HAS_STATIC_QUERY_ID: bool = true;
}

#[cfg(feature = "mysql")]
impl QueryFragment<diesel::mysql::Mysql> for BumpCounterRemembered {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::mysql::Mysql>) -> QueryResult<()> {
        out.push_sql("UPDATE rpclib_queue_counter SET last_id = LAST_INSERT_ID(last_id + ");
        out.push_bind_param::<BigInt, _>(&self.n)?;
        out.push_sql(") WHERE id = 1");
        Ok(())
    }
}

#[cfg(feature = "mysql")]
impl<C> RunQueryDsl<C> for BumpCounterRemembered {}
