//! A service of `async fn` methods for the queue's tests: they await tokio timers and write in
//! their task's transaction after an await.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rpclib_core::{Application, Fault, MethodContext, service};
use rpclib_transport_dbqueue::QueueTransport;

use super::protocol::LineProtocol;

/// What the async methods did, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `(worker, task)` started.
    Start(i64, i64),
    /// `(worker, task, n)` ended, after its await.
    End(i64, i64, i64),
}

/// The shared record of [`Step`]s.
#[derive(Debug, Clone, Default)]
pub struct Steps(pub Arc<Mutex<Vec<Step>>>);

impl Steps {
    pub fn take(&self) -> Vec<Step> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }

    fn push(&self, step: Step) {
        self.0.lock().unwrap().push(step);
    }
}

pub struct AsyncService {
    pub steps: Steps,
}

fn ids(ctx: &MethodContext) -> (i64, i64) {
    let t = ctx.transport::<QueueTransport>().expect("a queue task");
    (t.consumer_id, t.task_id.0)
}

#[service(namespace = "urn:test:queue:async")]
impl AsyncService {
    /// Records its start, waits `ms` on a tokio timer, records its end.
    #[rpc]
    async fn wait_and_record(&self, ctx: &mut MethodContext, n: i64, ms: u64) -> i64 {
        let (worker, task) = ids(ctx);
        self.steps.push(Step::Start(worker, task));
        tokio::time::sleep(Duration::from_millis(ms)).await;
        self.steps.push(Step::End(worker, task, n));
        n
    }

    /// Fails after an await.
    #[rpc]
    async fn refuse_later(&self, reason: String) -> Result<i64, Fault> {
        tokio::time::sleep(Duration::from_millis(1)).await;
        Err(Fault::client("Refused", reason))
    }

    /// Panics after an await.
    #[rpc]
    async fn panic_later(&self) -> i64 {
        tokio::task::yield_now().await;
        panic!("an async task broke")
    }

    /// Awaits, writes a row in the task's transaction, awaits again, then fails if asked
    /// (the row must then be rolled back with the task).
    #[rpc]
    async fn effect_later(
        &self,
        ctx: &mut MethodContext,
        n: i64,
        fail: bool,
    ) -> Result<i64, Fault> {
        let (worker, task) = ids(ctx);
        self.steps.push(Step::Start(worker, task));
        let tx = ctx
            .transport::<QueueTransport>()
            .unwrap()
            .transaction()
            .clone();
        tokio::time::sleep(Duration::from_millis(2)).await;
        let sql =
            format!("INSERT INTO test_effects (worker_id, task_id) VALUES ({worker}, {task})");
        tx.with(|c| c.batch_execute(&sql))
            .map_err(|e| Fault::server(e.to_string()))?
            .map_err(|e| Fault::server(e.to_string()))?;
        tokio::task::yield_now().await;
        self.steps.push(Step::End(worker, task, n));
        if fail {
            return Err(Fault::client("Refused", "after writing"));
        }
        Ok(n)
    }

    /// The name of the thread a task spawned on the current runtime runs on.
    #[rpc]
    async fn runtime_thread(&self) -> Result<String, Fault> {
        tokio::spawn(async { std::thread::current().name().unwrap_or("").to_owned() })
            .await
            .map_err(|e| Fault::server(e.to_string()))
    }
}

pub fn async_app(steps: &Steps) -> Arc<Application> {
    Application::builder("QueueAsyncTest", "urn:test:queue:async")
        .service(AsyncService {
            steps: steps.clone(),
        })
        .protocol(LineProtocol)
        .build()
        .unwrap()
}
