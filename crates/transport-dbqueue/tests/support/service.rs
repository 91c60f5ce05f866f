//! The service the tests enqueue calls to.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rpclib_core::{
    Application, Fault, Interface, InterfaceDocument, MethodContext, TransportInfo, service,
};
use rpclib_transport_dbqueue::QueueTransport;

use super::protocol::LineProtocol;

/// What ran: (worker, task, argument), in order.
#[derive(Debug, Clone, Default)]
pub struct Journal(pub Arc<Mutex<Vec<(i64, i64, i64)>>>);

impl Journal {
    pub fn of_worker(&self, worker: i64) -> Vec<(i64, i64)> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(w, _, _)| *w == worker)
            .map(|(_, t, n)| (*t, *n))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

pub struct TestService {
    pub journal: Journal,
    /// Appends `S worker task pid` before and `E worker task pid` after each task.
    pub log: Option<PathBuf>,
    pub delay: Duration,
}

fn append(path: &Option<PathBuf>, line: String) {
    if let Some(path) = path {
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap();
        // One write per line: lines from several processes never interleave.
        f.write_all(line.as_bytes()).unwrap();
    }
}

fn ids(ctx: &MethodContext) -> (i64, i64) {
    let t = ctx.transport::<QueueTransport>().expect("a queue task");
    (t.consumer_id, t.task_id.0)
}

#[service(namespace = "urn:test:queue")]
impl TestService {
    /// Records that it ran.
    #[rpc]
    fn record(&self, ctx: &mut MethodContext, n: i64) -> Result<i64, Fault> {
        let (worker, task) = ids(ctx);
        let pid = std::process::id();
        append(&self.log, format!("S {worker} {task} {pid}\n"));
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        self.journal.0.lock().unwrap().push((worker, task, n));
        append(&self.log, format!("E {worker} {task} {pid}\n"));
        Ok(n)
    }

    /// Always fails.
    #[rpc]
    fn refuse(&self, reason: String) -> Result<i64, Fault> {
        Err(Fault::client("Refused", reason))
    }

    /// Records that it ran, and writes a row in the consumer's transaction; then fails if
    /// asked (the row must then be rolled back).
    #[rpc]
    fn effect(&self, ctx: &mut MethodContext, n: i64, fail: bool) -> Result<i64, Fault> {
        let (worker, task) = ids(ctx);
        append(
            &self.log,
            format!("S {worker} {task} {}\n", std::process::id()),
        );
        let sql =
            format!("INSERT INTO test_effects (worker_id, task_id) VALUES ({worker}, {task})");
        let tx = ctx
            .transport::<QueueTransport>()
            .unwrap()
            .transaction()
            .clone();
        tx.with(|c| c.batch_execute(&sql))
            .map_err(|e| Fault::server(e.to_string()))?
            .map_err(|e| Fault::server(e.to_string()))?;
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        self.journal.0.lock().unwrap().push((worker, task, n));
        if fail {
            return Err(Fault::client("Refused", "after writing"));
        }
        append(
            &self.log,
            format!("E {worker} {task} {}\n", std::process::id()),
        );
        Ok(n)
    }
}

/// Prints the transport URI, to check the queue declares its own.
#[derive(Debug)]
pub struct UriInterface;

impl Interface for UriInterface {
    fn build_interface_document(
        &self,
        _catalogue: &rpclib_core::Catalogue,
        transport: &TransportInfo,
    ) -> Result<InterfaceDocument, Fault> {
        Ok(InterfaceDocument::from_template(
            "text/plain",
            &format!("transport={} address=ADDR", transport.uri),
            "ADDR",
            |a| a.into(),
        ))
    }
}

pub fn app_with(service: TestService) -> Arc<Application> {
    Application::builder("QueueTest", "urn:test:queue")
        .service(service)
        .protocol(LineProtocol)
        .interface(UriInterface)
        .build()
        .unwrap()
}

pub fn app(journal: &Journal) -> Arc<Application> {
    app_with(TestService {
        journal: journal.clone(),
        log: None,
        delay: Duration::ZERO,
    })
}
