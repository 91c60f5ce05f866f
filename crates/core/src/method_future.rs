//! The check that the future of an `async` remote method can move between threads.

/// Returns `future` unchanged, requiring it to be [`Send`].
///
/// A server runs many requests at once on a multi-threaded runtime, and a request's future
/// may be resumed on any of its threads: the future of an `async` remote method must be
/// `Send`. The invoker written by `#[service]` passes the future of every `async fn` of an
/// `impl` block through this function, so that a future that is not `Send` is refused where
/// the method is declared, with the value and the `.await` the compiler blames. (A trait
/// contract declares `-> impl Future + Send` instead, which does the same for its
/// implementations.) A hand-written async invoker ([`Invoke::Async`](crate::Invoke)) may use
/// it too, or box the future directly.
///
/// To fix a future that is not `Send`: do not hold an `Rc`, a `RefCell` borrow or a
/// `std::sync::MutexGuard` across an `.await` (end its scope, or `drop` it, before the
/// `.await`), or use `Arc` and an async-aware lock such as `tokio::sync::Mutex`.
///
/// ```
/// let future = rpclib_core::method_future_must_be_send(async { 42 });
/// # drop(future);
/// ```
pub fn method_future_must_be_send<F>(future: F) -> F
where
    F: Future + Send, // a remote method's future must be `Send`: hold no `Rc`, `RefCell` borrow or `MutexGuard` across an `.await`
{
    future
}
