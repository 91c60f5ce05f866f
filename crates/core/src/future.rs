//! The two future utilities the pipeline needs without depending on an async runtime:
//! catching a panic in a future, and waiting for a future on a plain thread.

use std::any::Any;
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

/// Polls a future inside `catch_unwind`: a panic in any poll ends the future with the panic's
/// payload instead of unwinding into the caller (the call's `Server` fault).
pub(crate) struct CatchUnwind<F> {
    inner: F,
}

impl<F> CatchUnwind<F> {
    pub(crate) fn new(inner: F) -> Self {
        CatchUnwind { inner }
    }
}

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // `AssertUnwindSafe`: after a panic the future is never polled again (the caller gets
        // the payload and drops it), so no broken invariant inside it can be observed; what
        // the call left in the context is treated like any failed call's leftovers.
        let inner = &mut self.inner;
        match panic::catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}

/// Wakes a thread parked in [`block_on`].
struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on the current thread, parking it while the future waits.
///
/// Enough for a pipeline whose method and wrappers are blocking (their futures complete on the
/// first poll) or wait only on things that wake them from another thread (channels, other
/// threads). It provides no async runtime: an `async fn` that needs one (tokio timers or
/// sockets) must be awaited on that runtime instead.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        // A wake that came before the park makes `park` return at once (the token is kept),
        // and a spurious return just polls again.
        thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn ready_future() {
        assert_eq!(block_on(async { 7 }), 7);
    }

    #[test]
    fn woken_from_another_thread() {
        struct Flag(Arc<std::sync::Mutex<(bool, Option<Waker>)>>);
        impl Future for Flag {
            type Output = ();
            fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
                let mut state = self.0.lock().unwrap();
                if state.0 {
                    Poll::Ready(())
                } else {
                    state.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
        let state = Arc::new(std::sync::Mutex::new((false, None::<Waker>)));
        let (tx, rx) = mpsc::channel::<()>();
        let remote = Arc::clone(&state);
        let setter = thread::spawn(move || {
            rx.recv().unwrap();
            thread::sleep(Duration::from_millis(20));
            let mut s = remote.lock().unwrap();
            s.0 = true;
            if let Some(w) = s.1.take() {
                w.wake();
            }
        });
        tx.send(()).unwrap();
        block_on(Flag(state));
        setter.join().unwrap();
    }

    #[test]
    fn panics_are_caught() {
        let out = block_on(CatchUnwind::new(Box::pin(async {
            if true {
                panic!("boom");
            }
        })));
        assert!(out.is_err());
    }
}
