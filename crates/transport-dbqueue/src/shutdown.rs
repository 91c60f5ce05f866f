//! Graceful shutdown: a flag the consumer checks between tasks.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Asks consumers to stop after their current task (which they finish and commit).
///
/// Clones share the flag. [`on_signals`](Shutdown::on_signals) sets it on SIGINT or SIGTERM;
/// a second signal ends the process at once, for a handler that hangs.
#[derive(Debug, Clone, Default)]
pub struct Shutdown(Arc<AtomicBool>);

impl Shutdown {
    /// A flag that is not set.
    pub fn new() -> Shutdown {
        Shutdown::default()
    }

    /// A flag set by SIGINT and SIGTERM.
    pub fn on_signals() -> io::Result<Shutdown> {
        let shutdown = Shutdown::new();
        shutdown.register_signals()?;
        Ok(shutdown)
    }

    /// Makes SIGINT and SIGTERM set this flag (and a second one exit with status 130).
    pub fn register_signals(&self) -> io::Result<()> {
        use signal_hook::consts::{SIGINT, SIGTERM};
        for signal in [SIGINT, SIGTERM] {
            // Registered first, so that it only fires once the flag is already set.
            signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&self.0))?;
            signal_hook::flag::register(signal, Arc::clone(&self.0))?;
        }
        Ok(())
    }

    /// Sets the flag.
    pub fn trigger(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether the flag is set.
    pub fn is_triggered(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
