//! The queue bench's workload, shared with `examples/consume_cost.rs` (which counts its
//! instructions): the service every task calls, the application around it, and the payload.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rpclib_core::{Application, Event, MethodContext, service};

use super::protocol;

#[derive(Debug)]
pub struct BenchService {
    pub hits: Arc<AtomicU64>,
}

#[service(namespace = "urn:bench")]
impl BenchService {
    #[rpc]
    fn noop(&self, pad: String) -> i64 {
        self.hits.fetch_add(1, Ordering::Relaxed);
        pad.len() as i64
    }
}

pub type Started = Arc<Mutex<Option<mpsc::Sender<Instant>>>>;

/// The bench application. With `read_replies`, a `method_return_string` listener reads every
/// reply, so the consumer writes each one (as it did before it skipped unread replies).
pub fn app(hits: &Arc<AtomicU64>, started: &Started, read_replies: bool) -> Arc<Application> {
    let started = Arc::clone(started);
    let mut builder = Application::builder("Bench", "urn:bench");
    if read_replies {
        builder = builder.add_listener(Event::MethodReturnString, |ctx: &mut MethodContext| {
            std::hint::black_box(ctx.out_string.len());
        });
    }
    builder
        .service(BenchService {
            hits: Arc::clone(hits),
        })
        .add_listener(Event::MethodCall, move |_: &mut MethodContext| {
            if let Some(tx) = started.lock().unwrap().as_ref() {
                let _ = tx.send(Instant::now());
            }
        })
        .protocol(protocol::LineProtocol)
        .build()
        .unwrap()
}

/// A ~300-byte request, like a small SOAP envelope.
pub fn payload() -> Vec<u8> {
    format!("noop pad={}", "x".repeat(290)).into_bytes()
}
