//! A fresh database per test on every backend at hand: SQLite always; PostgreSQL and
//! MariaDB/MySQL when `RPCLIB_TEST_PG_URL` / `RPCLIB_TEST_MYSQL_URL` name a server and the
//! crate was built with the feature.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

#[allow(unused_imports)]
use rpclib_transport_dbqueue::diesel::{
    self, Connection, RunQueryDsl, connection::SimpleConnection,
};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDb {
    pub backend: &'static str,
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Dir(PathBuf),
    #[allow(dead_code)]
    Server {
        admin: String,
        name: String,
    },
}

fn loud(line: &str) {
    eprintln!("\n!!!!!!!! {line} !!!!!!!!\n");
}

/// Every backend this run can test, each with a fresh database for `test`.
pub fn databases(test: &str) -> Vec<TestDb> {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = format!("rpclib_q_{test}_{}_{n}", std::process::id());
    let mut out = vec![sqlite(&name)];
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    for (var, backend, built) in [
        ("RPCLIB_TEST_PG_URL", "postgres", cfg!(feature = "postgres")),
        ("RPCLIB_TEST_MYSQL_URL", "mysql", cfg!(feature = "mysql")),
    ] {
        match (std::env::var(var).ok().filter(|v| !v.is_empty()), built) {
            (Some(admin), true) => out.push(server(backend, &admin, &name)),
            (Some(_), false) => {
                loud(&format!(
                    "{var} is set but this test binary was built without the `{backend}` feature: {backend} NOT TESTED"
                ));
                assert!(!ci, "{backend} requested but not built");
            }
            (None, true) => {
                loud(&format!(
                    "{backend} feature built but {var} is not set: {backend} NOT TESTED"
                ));
                assert!(
                    !ci,
                    "{var} must be set under CI=true when the feature is on"
                );
            }
            (None, false) => {}
        }
    }
    out
}

fn sqlite(name: &str) -> TestDb {
    let dir = std::env::temp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}", dir.join("queue.db").display());
    TestDb {
        backend: "sqlite",
        url,
        cleanup: Cleanup::Dir(dir),
    }
}

/// `scheme://authority/old?query` with `db` as the path.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let (scheme, rest) = base.split_once("://").expect("a URL with a scheme");
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{db}{query}")
}

fn server(backend: &'static str, admin: &str, name: &str) -> TestDb {
    admin_exec(backend, admin, &format!("CREATE DATABASE {name}"));
    TestDb {
        backend,
        url: with_database(admin, name),
        cleanup: Cleanup::Server {
            admin: admin.to_owned(),
            name: name.to_owned(),
        },
    }
}

fn admin_exec(backend: &str, admin: &str, sql: &str) {
    match backend {
        #[cfg(feature = "postgres")]
        "postgres" => diesel::PgConnection::establish(admin)
            .expect("connect to RPCLIB_TEST_PG_URL")
            .batch_execute(sql)
            .expect(sql),
        #[cfg(feature = "mysql")]
        "mysql" => diesel::MysqlConnection::establish(admin)
            .expect("connect to RPCLIB_TEST_MYSQL_URL")
            .batch_execute(sql)
            .expect(sql),
        other => panic!("no {other} support built: {admin} {sql}"),
    }
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

impl TestDb {
    /// Runs statements on a connection of the test's own.
    pub fn exec(&self, sql: &str) {
        match self.backend {
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let path = self.url.trim_start_matches("sqlite://");
                let mut c = diesel::SqliteConnection::establish(path).expect("sqlite");
                c.batch_execute("PRAGMA busy_timeout = 10000")
                    .expect("pragma");
                c.batch_execute(sql).expect(sql)
            }
            other => admin_exec(other, &self.url, sql),
        }
    }

    /// `sql` must select one BIGINT column named `n`.
    pub fn count(&self, sql: &str) -> i64 {
        let q = diesel::sql_query(sql);
        match self.backend {
            #[cfg(feature = "sqlite")]
            "sqlite" => {
                let path = self.url.trim_start_matches("sqlite://");
                let mut c = diesel::SqliteConnection::establish(path).expect("sqlite");
                q.get_result::<Count>(&mut c).expect(sql).n
            }
            #[cfg(feature = "postgres")]
            "postgres" => {
                let mut c = diesel::PgConnection::establish(&self.url).expect("pg");
                q.get_result::<Count>(&mut c).expect(sql).n
            }
            #[cfg(feature = "mysql")]
            "mysql" => {
                let mut c = diesel::MysqlConnection::establish(&self.url).expect("mysql");
                q.get_result::<Count>(&mut c).expect(sql).n
            }
            other => panic!("no {other} support built"),
        }
    }

    /// Has the server close every other connection to the test's database (PostgreSQL:
    /// `pg_terminate_backend`, waiting for each to end; MySQL: `KILL`, then waiting until the
    /// process list no longer shows them). SQLite has no server: a no-op.
    pub fn drop_other_connections(&self) {
        match self.backend {
            #[cfg(feature = "postgres")]
            "postgres" => self.exec(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            ),
            #[cfg(feature = "mysql")]
            "mysql" => {
                let others = "SELECT CAST(id AS SIGNED) AS n FROM information_schema.processlist \
                              WHERE db = DATABASE() AND id <> CONNECTION_ID()";
                let mut c = diesel::MysqlConnection::establish(&self.url).expect("mysql");
                let ids = diesel::sql_query(others)
                    .load::<Count>(&mut c)
                    .expect(others);
                for id in &ids {
                    // A connection may end by itself meanwhile: then KILL finds no thread.
                    let _ = c.batch_execute(&format!("KILL {}", id.n));
                }
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
                loop {
                    let left = diesel::sql_query(others)
                        .load::<Count>(&mut c)
                        .expect(others);
                    if !left.iter().any(|l| ids.iter().any(|i| i.n == l.n)) {
                        break;
                    }
                    assert!(std::time::Instant::now() < deadline, "KILL took over 5 s");
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            }
            _ => {}
        }
    }

    /// The table handlers write exactly-once effects into.
    pub fn create_effects_table(&self) {
        self.exec(
            "CREATE TABLE test_effects (worker_id BIGINT NOT NULL, task_id BIGINT NOT NULL, \
             PRIMARY KEY (worker_id, task_id))",
        );
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Server { admin, name } => {
                let sql = if self.backend == "postgres" {
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                } else {
                    format!("DROP DATABASE IF EXISTS {name}")
                };
                if !std::thread::panicking() {
                    admin_exec(self.backend, admin, &sql);
                }
            }
        }
    }
}
