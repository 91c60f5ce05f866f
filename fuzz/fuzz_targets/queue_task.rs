//! The queue's task decoding: a stored payload of arbitrary bytes through a consumer's
//! per-task path (read from the database, the application's SOAP pipeline, the failure
//! record, the position commit) on an in-memory SQLite queue. There is no standalone decode
//! function: a task *is* its payload run through the consumer's pipeline. Every payload must
//! end as exactly one processed task, with a failure record naming it if and only if it
//! failed; never a panic, never a consumer error.
//!
//! No `#![forbid(unsafe_code)]` here: libFuzzer's `fuzz_target!` expands to an exported
//! `#[no_mangle] extern "C"` entry point, which the `unsafe_code` lint counts as unsafe. This
//! file has no unsafe block.
#![no_main]

use std::sync::{Arc, Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use rpclib_core::Application;
use rpclib_transport_dbqueue::Queue;

struct State {
    queue: Queue,
    app: Arc<Application>,
    runs: u64,
}

static STATE: OnceLock<Mutex<State>> = OnceLock::new();

const WORKER: i64 = 1;

fuzz_target!(|data: &[u8]| {
    let state = STATE.get_or_init(|| {
        Mutex::new(State {
            queue: new_queue(),
            app: rpclib_fuzz::soap_app(false),
            runs: 0,
        })
    });
    let mut state = state.lock().unwrap_or_else(|p| p.into_inner());
    let ids = match state.queue.enqueue_raw(&[data]) {
        Ok(ids) => ids,
        Err(rpclib_transport_dbqueue::QueueError::PayloadTooLarge { .. }) => {
            assert!(data.len() > state.queue.max_payload());
            return;
        }
        Err(e) => panic!("enqueue failed: {e}"),
    };
    let [id] = ids[..] else {
        panic!("one payload, {} ids", ids.len());
    };
    let failures_before = state.queue.status().expect("status").failed;
    let stats = state
        .queue
        .consumer(Arc::clone(&state.app), WORKER)
        .build()
        .run_until_idle()
        .expect("the consumer never errors on a task's content");
    assert_eq!(stats.processed, 1, "task {id} was not processed once");
    let status = state.queue.status().expect("status");
    assert_eq!(
        status.failed - failures_before,
        i64::try_from(stats.failed).unwrap_or(-1)
    );
    let worker = status
        .workers
        .iter()
        .find(|w| w.worker_id == WORKER)
        .expect("the worker is registered");
    assert_eq!(worker.last_task_id, id.0, "the position is after the task");
    if stats.failed == 1 {
        let newest = state.queue.failed_tasks(Some(WORKER), 1).expect("failures");
        assert_eq!(newest.first().map(|f| f.task_id), Some(id));
        assert!(!newest[0].error.is_empty(), "an empty failure text");
    } else {
        assert_eq!(stats.failed, 0);
    }
    state.runs += 1;
    if state.runs.is_multiple_of(512) {
        state.queue.prune().expect("prune");
    }
    // Failure records pile up (one per failing input) and the checks above count them: a
    // fresh database now and then keeps every run as cheap as the first.
    if state.runs.is_multiple_of(4096) {
        state.queue = new_queue();
    }
});

fn new_queue() -> Queue {
    Queue::builder("sqlite::memory:")
        .max_payload(64 * 1024)
        .open()
        .expect("an in-memory queue")
}
