//! Where a consumer awaits its tasks' methods: the consumer is a plain thread, and an
//! `async fn` method (or call wrapper) may need an async runtime (tokio's timers, sockets, a
//! database pool), so the consumer drives each call to completion on one.

use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use tokio::runtime::{Builder, Handle, Runtime};

use crate::error::QueueError;

/// The runtime a consumer runs its calls on: one it was given, or one of its own.
pub(crate) enum Executor {
    /// A runtime of the application's, given with
    /// [`ConsumerBuilder::runtime`](crate::ConsumerBuilder::runtime).
    Shared(Handle),
    /// A single-threaded runtime owned by the consumer, driven by the consumer's thread while
    /// a call runs (nothing else runs on it).
    Own(Runtime),
}

impl Executor {
    /// A single-threaded runtime of the consumer's own.
    pub(crate) fn own() -> Result<Executor, QueueError> {
        Ok(Executor::Own(
            Builder::new_current_thread().enable_all().build()?,
        ))
    }

    /// Runs `future` to completion on the consumer's thread: the tasks of a worker run one
    /// after the other, so the next task starts only when this call has ended.
    ///
    /// It is polled once first, inside the runtime's context but outside its `block_on`: a
    /// blocking method (most of them) completes in that poll, and entering the runtime's
    /// scheduler for every task cost about 1,900 instructions, as much as reading the task's
    /// row. A future still pending then goes to the runtime as before, which polls it again
    /// with its own waker (a future wakes the waker of its latest poll), so async methods see
    /// no difference.
    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        let mut future = pin!(future);
        let first = {
            // Inside the context: `Handle::current()`, tokio's timers and `spawn` work in the
            // first poll as they do inside `block_on`.
            let _entered = match self {
                Executor::Shared(handle) => handle.enter(),
                Executor::Own(runtime) => runtime.enter(),
            };
            future
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
        };
        if let Poll::Ready(output) = first {
            return output;
        }
        match self {
            Executor::Shared(handle) => handle.block_on(future),
            Executor::Own(runtime) => runtime.block_on(future),
        }
    }
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Executor::Shared(_) => "Executor::Shared",
            Executor::Own(_) => "Executor::Own",
        })
    }
}
