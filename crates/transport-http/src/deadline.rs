//! Awaiting a future within the request's deadline, arming a timer only when it must wait.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;

use tokio::time::error::Elapsed;
use tokio::time::{Instant, timeout_at};

/// What `tokio::time::timeout_at(deadline, future)` returns, without its cost when `future`
/// is ready at once (the usual case: a body that came with the headers, a free request slot,
/// a blocking method run inline). `future` is polled once first, and only if it has to wait
/// is the deadline armed: building a tokio timeout looks up the runtime's handle and makes a
/// timer entry even when it is never registered, three times per request before (about 1,000
/// instructions of a W1 request's).
pub(crate) async fn within<F: Future>(deadline: Instant, future: F) -> Result<F::Output, Elapsed> {
    let mut future = pin!(future);
    let first = std::future::poll_fn(|cx| Poll::Ready(future.as_mut().poll(cx))).await;
    match first {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => timeout_at(deadline, future).await,
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_ready_future_needs_no_time_left() {
        let past = Instant::now() - Duration::from_secs(1);
        assert_eq!(within(past, async { 7 }).await.ok(), Some(7));
    }

    #[tokio::test]
    async fn a_waiting_future_is_cut_off_at_the_deadline() {
        let deadline = Instant::now() + Duration::from_millis(20);
        let never = std::future::pending::<()>();
        assert!(within(deadline, never).await.is_err());
        assert!(Instant::now() >= deadline);
    }

    #[tokio::test]
    async fn a_waiting_future_that_ends_in_time_is_awaited() {
        let deadline = Instant::now() + Duration::from_secs(30);
        let later = async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            "done"
        };
        assert_eq!(within(deadline, later).await.ok(), Some("done"));
    }
}
