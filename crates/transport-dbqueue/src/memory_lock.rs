//! Worker locks of in-memory SQLite databases: no other process can open such a database,
//! so a registry in this process is enough.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// Worker ids held in this process's in-memory SQLite databases.
fn registry() -> &'static Mutex<HashSet<(String, i64)>> {
    static HELD: OnceLock<Mutex<HashSet<(String, i64)>>> = OnceLock::new();
    HELD.get_or_init(Default::default)
}

/// A worker id held in an in-memory database; released on drop.
#[derive(Debug)]
pub(crate) struct MemoryLock {
    pub(crate) key: (String, i64),
}

impl MemoryLock {
    pub(crate) fn try_new(db: String, worker: i64) -> Option<MemoryLock> {
        let key = (db, worker);
        let mut held = registry().lock().unwrap_or_else(|p| p.into_inner());
        held.insert(key.clone()).then_some(MemoryLock { key })
    }
}

impl Drop for MemoryLock {
    fn drop(&mut self) {
        let mut held = registry().lock().unwrap_or_else(|p| p.into_inner());
        held.remove(&self.key);
    }
}
