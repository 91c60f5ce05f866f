//! Connections: the r2d2 pool that producers and operations share, and the dedicated
//! connections consumers own.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{CustomizeConnection, Pool, PooledConnection};

use crate::LOG_TARGET;
use crate::backend::{Backend, ConnMut, DbConnection, Dialect, with_conn};
use crate::error::{QueueError, redact};
use crate::pool::{Checked, Manager};
use crate::target::Target;
use crate::write_gate::Gate;

/// How SQLite commits reach the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SqliteSync {
    /// `synchronous = FULL`: a task is on disk when the enqueue returns (the default).
    #[default]
    Full,
    /// `synchronous = NORMAL`: in WAL mode, a power loss can lose the last commits (never
    /// corrupt the database); several times faster per commit.
    Normal,
}

/// Connection settings.
#[derive(Debug, Clone)]
pub(crate) struct ConnectOptions {
    pub(crate) pool_size: u32,
    pub(crate) connection_timeout: Duration,
    pub(crate) busy_timeout: Duration,
    pub(crate) sqlite_sync: SqliteSync,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            pool_size: 8,
            connection_timeout: Duration::from_secs(10),
            busy_timeout: Duration::from_secs(10),
            sqlite_sync: SqliteSync::Full,
        }
    }
}

/// Applies the per-connection settings SQLite needs for several connections to work
/// together: WAL (files only), a busy timeout, and the chosen durability.
#[derive(Debug, Clone)]
struct SqliteSetup(String);

impl SqliteSetup {
    fn new(target: &Target, options: &ConnectOptions) -> SqliteSetup {
        let mut sql = format!(
            "PRAGMA busy_timeout = {};",
            options.busy_timeout.as_millis()
        );
        #[cfg(feature = "sqlite")]
        if matches!(target, Target::SqliteFile(_)) {
            sql.push_str("PRAGMA journal_mode = WAL;");
        }
        let _ = target;
        sql.push_str(match options.sqlite_sync {
            SqliteSync::Full => "PRAGMA synchronous = FULL;",
            SqliteSync::Normal => "PRAGMA synchronous = NORMAL;",
        });
        SqliteSetup(sql)
    }
}

impl<C: SimpleConnection> CustomizeConnection<Checked<C>, diesel::r2d2::Error> for SqliteSetup {
    fn on_acquire(&self, conn: &mut Checked<C>) -> Result<(), diesel::r2d2::Error> {
        conn.conn
            .batch_execute(&self.0)
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// A pool of one backend's connections.
enum DbPool {
    #[cfg(feature = "sqlite")]
    Sqlite(Pool<Manager<diesel::SqliteConnection>>),
    #[cfg(feature = "postgres")]
    Postgres(Pool<Manager<diesel::PgConnection>>),
    #[cfg(feature = "mysql")]
    Mysql(Pool<Manager<diesel::MysqlConnection>>),
}

/// A connection borrowed from the pool.
pub(crate) enum Pooled {
    #[cfg(feature = "sqlite")]
    Sqlite(PooledConnection<Manager<diesel::SqliteConnection>>),
    #[cfg(feature = "postgres")]
    Postgres(PooledConnection<Manager<diesel::PgConnection>>),
    #[cfg(feature = "mysql")]
    Mysql(PooledConnection<Manager<diesel::MysqlConnection>>),
}

impl Pooled {
    pub(crate) fn as_mut(&mut self) -> ConnMut<'_> {
        match self {
            #[cfg(feature = "sqlite")]
            Pooled::Sqlite(c) => ConnMut::Sqlite(&mut c.conn),
            #[cfg(feature = "postgres")]
            Pooled::Postgres(c) => ConnMut::Postgres(&mut c.conn),
            #[cfg(feature = "mysql")]
            Pooled::Mysql(c) => ConnMut::Mysql(&mut c.conn),
        }
    }

    /// Reports that the statements run on this connection succeeded: its next checkout
    /// within [`FRESH`](crate::pool::FRESH) skips the pool's health check (see
    /// [`crate::pool`]).
    pub(crate) fn succeeded(&mut self) {
        match self {
            #[cfg(feature = "sqlite")]
            Pooled::Sqlite(c) => c.succeeded(),
            #[cfg(feature = "postgres")]
            Pooled::Postgres(c) => c.succeeded(),
            #[cfg(feature = "mysql")]
            Pooled::Mysql(c) => c.succeeded(),
        }
    }
}

/// The queue's database: where it is, its pool, and how to open more connections.
pub(crate) struct Storage {
    target: Target,
    options: ConnectOptions,
    sqlite_setup: SqliteSetup,
    pool: DbPool,
    /// The write gate every write transaction on this database takes (SQLite; a no-op on
    /// servers), shared with every other queue opened on the same database in this process.
    gate: Gate,
    /// Keeps an in-memory SQLite database alive while the queue exists (it vanishes with
    /// its last connection).
    _keeper: Option<Mutex<DbConnection>>,
}

impl fmt::Debug for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Storage")
            .field("backend", &self.target.backend())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Storage {
    /// Connects, creates or upgrades the schema, and sets up the pool.
    pub(crate) fn open(url: &str, options: ConnectOptions) -> Result<Storage, QueueError> {
        let target = Target::parse(url)?;
        let sqlite_setup = SqliteSetup::new(&target, &options);
        let gate = gate_of(&target, &options);
        // The first connection's set-up takes a turn like a write (SQLite files): it may
        // create the file and switch it to WAL, which needs the file to itself. Untimed, a
        // process opening a new database while another creates it and writes back to back
        // waited out the busy timeout there now and then ("database is locked").
        let mut first = {
            let _pass = gate.enter()?;
            establish(&target, &sqlite_setup)?
        };
        with_conn!(first.as_mut(), c => c.migrate(&gate))?;
        log::debug!(target: LOG_TARGET, "queue schema ready in {}", redact(url));
        let conn_str = target.connection_string();
        // Lazy pool: the first connection already proved the URL, and `build` would block
        // for the whole timeout on a server that went away meanwhile.
        macro_rules! builder {
            () => {
                Pool::builder()
                    .max_size(options.pool_size.max(1))
                    .min_idle(Some(0))
                    .connection_timeout(options.connection_timeout)
            };
        }
        #[allow(unused_macros)] // only the server backends use it
        macro_rules! pool {
            ($variant:ident, $conn:ty) => {
                DbPool::$variant(
                    builder!().build_unchecked(Manager::<$conn>::new(conn_str.clone())),
                )
            };
        }
        let pool = match &target {
            #[cfg(feature = "sqlite")]
            Target::SqliteFile(_) | Target::SqliteMemory(_) => DbPool::Sqlite(
                builder!()
                    .connection_customizer(Box::new(sqlite_setup.clone()))
                    .build_unchecked(Manager::new(conn_str.clone())),
            ),
            #[cfg(feature = "postgres")]
            Target::Postgres(_) => pool!(Postgres, diesel::PgConnection),
            #[cfg(feature = "mysql")]
            Target::Mysql(_) => pool!(Mysql, diesel::MysqlConnection),
        };
        #[cfg(feature = "sqlite")]
        let keeper = matches!(target, Target::SqliteMemory(_)).then(|| Mutex::new(first));
        #[cfg(not(feature = "sqlite"))]
        let keeper = {
            drop(first);
            None
        };
        Ok(Storage {
            target,
            options,
            sqlite_setup,
            pool,
            gate,
            _keeper: keeper,
        })
    }

    pub(crate) fn backend(&self) -> Backend {
        self.target.backend()
    }

    pub(crate) fn target(&self) -> &Target {
        &self.target
    }

    /// The database's write gate: every write transaction takes it (see
    /// [`crate::write_gate`]).
    pub(crate) fn gate(&self) -> &Gate {
        &self.gate
    }

    /// A pooled connection.
    pub(crate) fn get(&self) -> Result<Pooled, QueueError> {
        Ok(match &self.pool {
            #[cfg(feature = "sqlite")]
            DbPool::Sqlite(p) => Pooled::Sqlite(p.get()?),
            #[cfg(feature = "postgres")]
            DbPool::Postgres(p) => Pooled::Postgres(p.get()?),
            #[cfg(feature = "mysql")]
            DbPool::Mysql(p) => Pooled::Mysql(p.get()?),
        })
    }

    /// A new connection of its own (a consumer's: it holds a session lock and listens).
    pub(crate) fn connect(&self) -> Result<DbConnection, QueueError> {
        establish(&self.target, &self.sqlite_setup)
    }
}

/// The write gate of the target's database: one per SQLite file (by canonical path) or
/// in-memory database (by name) in this process; none for servers.
fn gate_of(target: &Target, options: &ConnectOptions) -> Gate {
    let _ = options;
    match target {
        #[cfg(feature = "sqlite")]
        Target::SqliteFile(path) => {
            // Two spellings of one file must share a gate. A file not created yet keys by
            // its directory's canonical path and its name (what canonicalizing it will give
            // once it exists, unless it is a symbolic link); a path that does not resolve
            // at all, by its spelling.
            let key = std::fs::canonicalize(path)
                .or_else(|e| match (path.parent(), path.file_name()) {
                    (Some(dir), Some(name)) => {
                        let dir = if dir.as_os_str().is_empty() {
                            std::path::Path::new(".")
                        } else {
                            dir
                        };
                        std::fs::canonicalize(dir).map(|d| d.join(name))
                    }
                    _ => Err(e),
                })
                .unwrap_or_else(|_| path.clone());
            Gate::of_database(&key.to_string_lossy(), Some(&key), options.busy_timeout)
        }
        #[cfg(feature = "sqlite")]
        Target::SqliteMemory(name) => Gate::of_database(name, None, options.busy_timeout),
        #[allow(unreachable_patterns)] // with the sqlite feature alone
        _ => Gate::none(),
    }
}

fn establish(target: &Target, sqlite_setup: &SqliteSetup) -> Result<DbConnection, QueueError> {
    let url = target.connection_string();
    let _ = sqlite_setup;
    Ok(match target {
        #[cfg(feature = "sqlite")]
        Target::SqliteFile(_) | Target::SqliteMemory(_) => {
            let mut c = diesel::SqliteConnection::establish(&url)?;
            c.batch_execute(&sqlite_setup.0)?;
            DbConnection::Sqlite(c)
        }
        #[cfg(feature = "postgres")]
        Target::Postgres(_) => DbConnection::Postgres(diesel::PgConnection::establish(&url)?),
        #[cfg(feature = "mysql")]
        Target::Mysql(_) => DbConnection::Mysql(diesel::MysqlConnection::establish(&url)?),
    })
}
