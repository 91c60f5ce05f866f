//! Consumers in child processes: the test binary runs itself with `--exact child_consumer`
//! and the settings in environment variables.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rpclib_transport_dbqueue::{Queue, Shutdown};

use super::service::{Journal, TestService, app_with};

const VAR: &str = "RPCLIB_QUEUE_CHILD_URL";

/// How a child consumer runs.
#[derive(Debug, Clone)]
pub struct ChildSpec {
    pub url: String,
    pub worker: i64,
    pub log: PathBuf,
    pub delay_ms: u64,
    /// Stop when idle (else: run until SIGINT/SIGTERM).
    pub until_idle: bool,
    pub batch: usize,
}

pub fn spawn(spec: &ChildSpec) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_consumer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(VAR, &spec.url)
        .env("RPCLIB_QUEUE_CHILD_WORKER", spec.worker.to_string())
        .env("RPCLIB_QUEUE_CHILD_LOG", &spec.log)
        .env("RPCLIB_QUEUE_CHILD_DELAY_MS", spec.delay_ms.to_string())
        .env(
            "RPCLIB_QUEUE_CHILD_UNTIL_IDLE",
            if spec.until_idle { "1" } else { "0" },
        )
        .env("RPCLIB_QUEUE_CHILD_BATCH", spec.batch.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

/// The body of the `child_consumer` test: does nothing unless run by [`spawn`].
pub fn child_main() {
    let Ok(url) = std::env::var(VAR) else {
        return;
    };
    let get = |k: &str| std::env::var(k).unwrap();
    let worker: i64 = get("RPCLIB_QUEUE_CHILD_WORKER").parse().unwrap();
    let log = PathBuf::from(get("RPCLIB_QUEUE_CHILD_LOG"));
    let delay = Duration::from_millis(get("RPCLIB_QUEUE_CHILD_DELAY_MS").parse().unwrap());
    let until_idle = get("RPCLIB_QUEUE_CHILD_UNTIL_IDLE") == "1";
    let batch: usize = get("RPCLIB_QUEUE_CHILD_BATCH").parse().unwrap();
    let app = app_with(TestService {
        journal: Journal::default(),
        log: Some(log),
        delay,
    });
    let queue = Queue::open(&url).unwrap();
    let consumer = queue
        .consumer(app, worker)
        .batch_size(batch)
        .shutdown(Shutdown::on_signals().unwrap())
        .build();
    if until_idle {
        consumer.run_until_idle().unwrap();
    } else {
        consumer.run().unwrap();
    }
}

/// The log's lines, split.
pub fn read_log(path: &Path) -> Vec<(String, i64, i64, u32)> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let mut p = l.split(' ');
            Some((
                p.next()?.to_owned(),
                p.next()?.parse().ok()?,
                p.next()?.parse().ok()?,
                p.next()?.parse().ok()?,
            ))
        })
        .collect()
}

/// Sends SIGTERM (the std library only sends SIGKILL).
pub fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}
