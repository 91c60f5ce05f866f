//! The pool's connection manager: diesel's, except that a checkout closely following a
//! successful enqueue on the same connection skips the health check.
//!
//! r2d2 tests every connection it hands out (`SELECT 1`, a round trip). For producers that
//! doubles the round trips of an enqueue, and on a busy server the ping is as costly as the
//! insert. A connection that just served a statement is almost certainly alive, so, as
//! HikariCP does, the check is skipped when the connection's last use succeeded less than
//! [`FRESH`] ago. What can slip through: a connection the server dropped within that window
//! (a restart) fails the one call that finds it dead, with a clear error, and is then checked
//! and replaced at its next checkout, since a failed call does not mark it fresh.

use std::time::{Duration, Instant};

use diesel::r2d2::{ConnectionManager, Error, ManageConnection, R2D2Connection};

/// How long after a success a connection is handed out unchecked.
pub(crate) const FRESH: Duration = Duration::from_millis(500);

/// A pooled connection and when a caller last reported a success on it.
pub(crate) struct Checked<C> {
    pub(crate) conn: C,
    /// Taken (reset) at each checkout: only a success reported during this checkout makes
    /// the next one skip the check.
    ok_at: Option<Instant>,
}

impl<C> Checked<C> {
    /// The caller's statements succeeded: the next checkout within [`FRESH`] needs no check.
    pub(crate) fn succeeded(&mut self) {
        self.ok_at = Some(Instant::now());
    }
}

/// diesel's connection manager, with the check skipped for fresh connections.
#[derive(Debug)]
pub(crate) struct Manager<C: R2D2Connection + 'static>(ConnectionManager<C>);

impl<C: R2D2Connection + 'static> Manager<C> {
    pub(crate) fn new(url: String) -> Self {
        Manager(ConnectionManager::new(url))
    }
}

impl<C: R2D2Connection + Send + 'static> ManageConnection for Manager<C> {
    type Connection = Checked<C>;
    type Error = Error;

    fn connect(&self) -> Result<Checked<C>, Error> {
        Ok(Checked {
            conn: self.0.connect()?,
            ok_at: None,
        })
    }

    fn is_valid(&self, conn: &mut Checked<C>) -> Result<(), Error> {
        match conn.ok_at.take() {
            Some(at) if at.elapsed() < FRESH => Ok(()),
            _ => self.0.is_valid(&mut conn.conn),
        }
    }

    fn has_broken(&self, conn: &mut Checked<C>) -> bool {
        self.0.has_broken(&mut conn.conn)
    }
}
