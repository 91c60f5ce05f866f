//! Whether a blocking method may run on the runtime worker that read its request
//! ([`Execution::SharedWorkers`](crate::Execution::SharedWorkers)).
//!
//! Running a short blocking method where its request was read costs nothing: no hand-off to
//! another thread, no wake-up. What it must not do is hold the runtime: while a worker is
//! inside a method it polls no other connection. Two rules keep the runtime serving:
//!
//! - **a worker stays free**: at most `workers - 1` blocking methods run on workers at once
//!   (none on a single-threaded runtime). The free worker polls the I/O driver and steals the
//!   queued work of the busy ones, so the other connections keep being served however long a
//!   method blocks;
//! - **a slow method moves to the pool**: a method that ran on a worker for longer than the
//!   budget ([`HttpConfig::inline_budget`](crate::HttpConfig::inline_budget)) runs on the
//!   blocking pool from then on, until [`POOL_RUNS_AFTER_OVERRUN`] pool runs in a row each
//!   finished within the budget.
//!
//! Both are decided before the method starts; a method cannot be moved once it runs. The cost
//! of a wrong guess is bounded: one call of one method per overrun occupies one worker.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rpclib_core::{Catalogue, MethodDescriptor};
use tokio::runtime::{Handle, RuntimeFlavor};

/// Pool runs within the budget, in a row, before a method that overran runs on a worker again:
/// a method that overruns now and then stays on the pool, one that got faster comes back.
pub(crate) const POOL_RUNS_AFTER_OVERRUN: u8 = 8;

/// The shared state of every request of one service.
#[derive(Debug)]
pub(crate) struct WorkerGate {
    /// Blocking methods running on runtime workers right now.
    running: AtomicUsize,
    budget: Duration,
    /// For each method, by its descriptor's address (sorted): the pool runs it still owes
    /// since it last overran the budget on a worker (0: it may run on a worker).
    owed: Box<[(usize, AtomicU8)]>,
}

/// Where [`WorkerGate::place`] put a blocking method.
pub(crate) enum Placement<'a> {
    /// On this worker: run it now, then [`finish`](OnWorker::finish) the ticket.
    Worker(OnWorker<'a>),
    /// On the blocking pool: time the run and report it with [`WorkerGate::pool_run_took`].
    Pool,
}

/// A blocking method running on a worker. Dropping it (the method unwound, the request was
/// cancelled) frees its place without judging the method.
pub(crate) struct OnWorker<'a> {
    gate: &'a WorkerGate,
    owed: Option<&'a AtomicU8>,
    started: Instant,
}

impl WorkerGate {
    /// The gate for the methods of `catalogue`, with the overrun `budget`.
    pub(crate) fn new(catalogue: &Catalogue, budget: Duration) -> WorkerGate {
        let mut owed: Vec<(usize, AtomicU8)> = catalogue
            .methods()
            .map(|m| (address(m.method()), AtomicU8::new(0)))
            .collect();
        owed.sort_unstable_by_key(|(address, _)| *address);
        owed.dedup_by_key(|(address, _)| *address);
        WorkerGate {
            running: AtomicUsize::new(0),
            budget,
            owed: owed.into_boxed_slice(),
        }
    }

    /// Where `method` runs now: on this worker if a worker stays free beside it and the
    /// method has not overrun the budget lately, else on the pool.
    pub(crate) fn place(&self, method: &'static MethodDescriptor) -> Placement<'_> {
        let owed = self.owed_of(method);
        if owed.is_some_and(|o| o.load(Ordering::Relaxed) > 0) {
            return Placement::Pool;
        }
        let spare_workers = match Handle::try_current() {
            Ok(handle) if handle.runtime_flavor() == RuntimeFlavor::MultiThread => {
                handle.metrics().num_workers().saturating_sub(1)
            }
            // A single-threaded runtime (or none) has no worker to spare.
            _ => 0,
        };
        let taken = self.running.fetch_add(1, Ordering::AcqRel);
        if taken >= spare_workers {
            self.running.fetch_sub(1, Ordering::AcqRel);
            return Placement::Pool;
        }
        Placement::Worker(OnWorker {
            gate: self,
            owed,
            started: Instant::now(),
        })
    }

    /// Records how long a pool run of `method` took: within the budget it counts towards the
    /// method's return to the workers, over it starts the count again.
    pub(crate) fn pool_run_took(&self, method: &'static MethodDescriptor, elapsed: Duration) {
        let Some(owed) = self.owed_of(method) else {
            return;
        };
        if elapsed > self.budget {
            owed.store(POOL_RUNS_AFTER_OVERRUN, Ordering::Relaxed);
        } else {
            // A lost race between two pool runs only delays the return by one run.
            let now = owed.load(Ordering::Relaxed);
            if now > 0 {
                owed.store(now - 1, Ordering::Relaxed);
            }
        }
    }

    fn owed_of(&self, method: &'static MethodDescriptor) -> Option<&AtomicU8> {
        let key = address(method);
        self.owed
            .binary_search_by_key(&key, |(address, _)| *address)
            .ok()
            .and_then(|i| self.owed.get(i))
            .map(|(_, owed)| owed)
    }
}

impl OnWorker<'_> {
    /// The method returned: if it ran longer than the budget, its next calls go to the pool.
    /// Returns whether it overran.
    pub(crate) fn finish(self) -> bool {
        let overran = self.started.elapsed() > self.gate.budget;
        if overran && let Some(owed) = self.owed {
            owed.store(POOL_RUNS_AFTER_OVERRUN, Ordering::Relaxed);
        }
        overran
    }
}

impl Drop for OnWorker<'_> {
    fn drop(&mut self) {
        self.gate.running.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A method's identity: descriptors are `'static`, so their addresses do not change.
fn address(method: &'static MethodDescriptor) -> usize {
    std::ptr::from_ref(method) as usize
}
