//! Database URLs: which backend, and how to reach it.

#[cfg(feature = "sqlite")]
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::backend::Backend;
use crate::error::{QueueError, redact};

/// Where the queue lives, parsed from a URL.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A SQLite file.
    #[cfg(feature = "sqlite")]
    SqliteFile(PathBuf),
    /// A SQLite in-memory database, shared by the connections of this process under a
    /// unique name (SQLite's `memdb` VFS: real locking, unlike shared-cache mode).
    #[cfg(feature = "sqlite")]
    SqliteMemory(String),
    /// A PostgreSQL URL.
    #[cfg(feature = "postgres")]
    Postgres(String),
    /// A MySQL/MariaDB URL (`mysql://`).
    #[cfg(feature = "mysql")]
    Mysql(String),
}

static MEMORY_DBS: AtomicU64 = AtomicU64::new(0);

impl Target {
    /// Parses `sqlite::memory:`, `sqlite://PATH`, `sqlite:PATH`, a plain path,
    /// `postgres://…`/`postgresql://…`, or `mysql://…`/`mariadb://…`.
    pub(crate) fn parse(url: &str) -> Result<Target, QueueError> {
        let invalid = |reason: &str| QueueError::InvalidUrl {
            url: redact(url),
            reason: reason.to_owned(),
        };
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            return Ok(Target::Postgres(url.to_owned()));
            #[cfg(not(feature = "postgres"))]
            return Err(QueueError::BackendNotBuilt("postgres"));
        }
        if lower.starts_with("mysql://") || lower.starts_with("mariadb://") {
            #[cfg(feature = "mysql")]
            return Ok(Target::Mysql(match url.split_once("://") {
                Some((_, rest)) => format!("mysql://{rest}"),
                None => url.to_owned(),
            }));
            #[cfg(not(feature = "mysql"))]
            return Err(QueueError::BackendNotBuilt("mysql"));
        }
        let path =
            if lower == "sqlite::memory:" || lower == ":memory:" || lower == "sqlite://:memory:" {
                None
            } else if let Some(rest) = url.strip_prefix("sqlite://") {
                Some(rest)
            } else if let Some(rest) = url.strip_prefix("sqlite:") {
                Some(rest)
            } else if url.contains("://") {
                return Err(invalid(
                    "expected sqlite://PATH, sqlite::memory:, postgres://… or mysql://…",
                ));
            } else {
                Some(url)
            };
        #[cfg(feature = "sqlite")]
        {
            match path {
                None => {
                    let n = MEMORY_DBS.fetch_add(1, Ordering::Relaxed);
                    Ok(Target::SqliteMemory(format!(
                        "file:/rpclib-queue-{}-{n}?vfs=memdb",
                        std::process::id()
                    )))
                }
                Some("") => Err(invalid("empty SQLite path")),
                Some(p) => Ok(Target::SqliteFile(PathBuf::from(p))),
            }
        }
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = (path, invalid, &MEMORY_DBS, Ordering::Relaxed);
            Err(QueueError::BackendNotBuilt("sqlite"))
        }
    }

    /// The backend.
    pub(crate) fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "sqlite")]
            Target::SqliteFile(_) | Target::SqliteMemory(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Target::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            Target::Mysql(_) => Backend::Mysql,
        }
    }

    /// What diesel's `establish` takes.
    pub(crate) fn connection_string(&self) -> String {
        match self {
            #[cfg(feature = "sqlite")]
            Target::SqliteFile(p) => p.to_string_lossy().into_owned(),
            #[cfg(feature = "sqlite")]
            Target::SqliteMemory(uri) => uri.clone(),
            #[cfg(feature = "postgres")]
            Target::Postgres(u) => u.clone(),
            #[cfg(feature = "mysql")]
            Target::Mysql(u) => u.clone(),
        }
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;

    #[test]
    fn sqlite_forms() {
        assert!(matches!(
            Target::parse("sqlite::memory:"),
            Ok(Target::SqliteMemory(_))
        ));
        let a = Target::parse(":memory:")
            .map(|t| t.connection_string())
            .ok();
        let b = Target::parse(":memory:")
            .map(|t| t.connection_string())
            .ok();
        assert_ne!(a, b, "each in-memory queue is its own database");
        for url in ["sqlite:///tmp/q.db", "sqlite:/tmp/q.db", "/tmp/q.db"] {
            match Target::parse(url) {
                Ok(Target::SqliteFile(p)) => assert_eq!(p, PathBuf::from("/tmp/q.db")),
                other => panic!("{url}: {other:?}"),
            }
        }
        assert!(Target::parse("redis://x").is_err());
        assert!(Target::parse("sqlite://").is_err());
    }
}
