//! `Execution::SharedWorkers`, the HTTP server's default, over real sockets: a short blocking
//! method runs on the runtime worker that read its request; one worker always stays free
//! (as many slow methods as workers do not stall the other connections); a method that
//! overran the inline budget runs on the blocking pool until it has been quick for eight pool
//! runs in a row; a single-threaded runtime sends every blocking method to the pool.
//!
//! Where a method ran is told by its thread's name: the test runtimes name their first
//! `workers` threads `worker-N` and every later one `pool-N`. Tokio starts the multi-threaded
//! runtime's workers when the runtime is built, before any blocking-pool thread.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

use rpclib_core::{Application, service};
use rpclib_protocol_json::JsonDocument;
use rpclib_transport_http::{Execution, HttpConfig, RpcService, Server};
use tokio::sync::oneshot;

#[derive(Debug)]
struct Where {
    /// Told when `place` starts, with its argument.
    started: Sender<u64>,
}

#[service(namespace = "urn:test:shared-workers")]
impl Where {
    /// Sleeps `ms` and answers with the name of the thread it ran on.
    #[rpc]
    fn place(&self, ms: u64) -> String {
        let _ = self.started.send(ms);
        std::thread::sleep(Duration::from_millis(ms));
        std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_owned()
    }

    #[rpc]
    fn echo(&self, s: String) -> String {
        s
    }
}

/// A server on a runtime of its own; dropping it shuts both down.
struct Running {
    addr: SocketAddr,
    started: Receiver<u64>,
    stop: Option<oneshot::Sender<()>>,
    done: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// `workers`: 0 for a single-threaded runtime, else a multi-threaded one with that many.
    fn start(workers: usize, config: HttpConfig) -> Running {
        let (started_tx, started) = std::sync::mpsc::channel();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = oneshot::channel::<()>();
        let done = std::thread::spawn(move || {
            let mut builder = if workers == 0 {
                tokio::runtime::Builder::new_current_thread()
            } else {
                let mut b = tokio::runtime::Builder::new_multi_thread();
                b.worker_threads(workers);
                b
            };
            let spawned = Arc::new(AtomicUsize::new(0));
            let runtime = builder
                .enable_all()
                .thread_name_fn(move || {
                    let n = spawned.fetch_add(1, Ordering::Relaxed);
                    if n < workers {
                        format!("worker-{n}")
                    } else {
                        format!("pool-{n}")
                    }
                })
                .build()
                .unwrap();
            runtime.block_on(async move {
                let app = Application::builder("Where", "urn:test:shared-workers")
                    .service(Where {
                        started: started_tx,
                    })
                    .protocol(JsonDocument::new())
                    .build()
                    .unwrap();
                let service = RpcService::with_config(app, config);
                let server = Server::bind("127.0.0.1:0", service).await.unwrap();
                addr_tx.send(server.local_addr().unwrap()).unwrap();
                server
                    .run_until(async {
                        let _ = stop_rx.await;
                    })
                    .await
                    .unwrap();
            });
        });
        Running {
            addr: addr_rx.recv().unwrap(),
            started,
            stop: Some(stop),
            done: Some(done),
        }
    }

    /// Waits (at most 30 s) for `count` starts of `place`.
    fn wait_for_starts(&self, count: usize) {
        for _ in 0..count {
            self.started
                .recv_timeout(Duration::from_secs(30))
                .expect("`place` did not start within 30 s");
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = done.join();
        }
    }
}

/// POSTs a JSON call and returns the reply's body (asserting a 200).
fn call(addr: SocketAddr, body: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    reply
}

/// Calls `place(ms)` and returns where it ran: `"worker"` or `"pool"`.
fn place(server: &Running, ms: u64) -> &'static str {
    let reply = call(server.addr, &format!(r#"{{"place": {{"ms": {ms}}}}}"#));
    server.wait_for_starts(1);
    match (reply.contains("\"worker-"), reply.contains("\"pool-")) {
        (true, false) => "worker",
        (false, true) => "pool",
        _ => panic!("no thread name in {reply}"),
    }
}

#[test]
fn short_blocking_methods_run_on_the_worker_that_read_them() {
    let server = Running::start(2, HttpConfig::default());
    for _ in 0..5 {
        assert_eq!(place(&server, 0), "worker");
    }
}

#[test]
fn a_method_that_overran_runs_on_the_pool_until_it_is_quick_again() {
    let server = Running::start(
        2,
        HttpConfig {
            inline_budget: Duration::from_millis(40),
            ..HttpConfig::default()
        },
    );
    assert_eq!(place(&server, 0), "worker");
    assert_eq!(place(&server, 100), "worker", "its first overrun");
    for run in 0..3 {
        assert_eq!(
            place(&server, 0),
            "pool",
            "quick pool run {run} after the overrun"
        );
    }
    assert_eq!(
        place(&server, 100),
        "pool",
        "an overrun on the pool starts the count again"
    );
    for run in 0..8 {
        assert_eq!(place(&server, 0), "pool", "quick pool run {run} after it");
    }
    assert_eq!(
        place(&server, 0),
        "worker",
        "eight quick pool runs bring it back"
    );
    // The other method was never judged by the first one's runs.
    let reply = call(server.addr, r#"{"echo": {"s": "still here"}}"#);
    assert!(reply.contains("still here"), "{reply}");
}

#[test]
fn as_many_slow_methods_as_workers_leave_the_other_connections_served() {
    let server = Running::start(2, HttpConfig::default());
    let addr = server.addr;
    let slow: Vec<_> = (0..2)
        .map(|_| std::thread::spawn(move || call(addr, r#"{"place": {"ms": 800}}"#)))
        .collect();
    server.wait_for_starts(2);
    let started = Instant::now();
    for i in 0..20 {
        let reply = call(addr, &format!(r#"{{"echo": {{"s": "quick {i}"}}}}"#));
        assert!(reply.contains(&format!("quick {i}")), "{reply}");
    }
    let quick = started.elapsed();
    assert!(
        quick < Duration::from_millis(500),
        "20 quick calls took {quick:?} while two slow methods ran on a two-worker runtime"
    );
    let places: Vec<String> = slow.into_iter().map(|t| t.join().unwrap()).collect();
    let on_workers = places.iter().filter(|r| r.contains("\"worker-")).count();
    assert_eq!(
        on_workers, 1,
        "one of two concurrent slow methods may take a worker, the other must go to the pool: {places:?}"
    );
}

#[test]
fn a_single_threaded_runtime_runs_blocking_methods_on_the_pool() {
    let server = Running::start(0, HttpConfig::default());
    for _ in 0..3 {
        assert_eq!(place(&server, 0), "pool");
    }
}

#[test]
fn other_executions_still_place_methods_as_they_say() {
    let pool = Running::start(
        2,
        HttpConfig {
            execution: Execution::BlockingPool,
            ..HttpConfig::default()
        },
    );
    assert_eq!(place(&pool, 0), "pool");
    let inline = Running::start(
        2,
        HttpConfig {
            execution: Execution::Inline,
            ..HttpConfig::default()
        },
    );
    assert_eq!(place(&inline, 0), "worker");
}
