//! The queue's behaviour on every backend at hand (see `support/db.rs`): fan-out, no skipped
//! task under late commits and concurrent producers, crash safety with real SIGKILLs, worker
//! exclusivity across processes, failure records, operations and graceful shutdown.

mod support;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rpclib_core::{ClientError, Event, MethodContext};
use rpclib_transport_dbqueue::{
    Queue, QueueError, QueueTransport, ResetTo, Shutdown, StartFrom, TRANSPORT_URI, TaskId,
};

use support::async_service::{AsyncService, AsyncServiceClient, Step, Steps, async_app};
use support::child::{ChildSpec, child_main, read_log, spawn, terminate};
use support::db::{TestDb, databases};
use support::service::{Journal, TestService, TestServiceClient, app};

fn init() {
    let _ = env_logger::builder().is_test(true).try_init();
}

fn each_db(test: &str, f: impl Fn(&TestDb)) {
    init();
    for db in databases(test) {
        eprintln!("--- {test} on {}", db.backend);
        f(&db);
    }
}

fn ids(v: &[TaskId]) -> Vec<i64> {
    v.iter().map(|t| t.0).collect()
}

/// The entry point of consumer child processes (does nothing in a normal run).
#[test]
fn child_consumer() {
    child_main();
}

#[test]
fn every_worker_runs_every_task_in_id_order() {
    each_db("fanout", |db| {
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        // Workers registered before the first task exists: valid on every engine.
        for w in 1..=3 {
            assert_eq!(queue.register_worker(w, StartFrom::First).unwrap(), 0);
        }
        let client = TestServiceClient::new(queue.producer(app.clone()));
        let mut expected = Vec::new();
        for n in 0..10 {
            let id = client.record(n).unwrap();
            expected.push((id.0, n));
        }
        let batch = queue
            .producer(app.clone())
            .batch(|b| {
                let c = TestServiceClient::new(b);
                for n in 10..30 {
                    assert_eq!(c.record(n)?, (n - 10) as usize);
                }
                Ok(())
            })
            .unwrap();
        expected.extend(batch.iter().zip(10..30).map(|(id, n)| (id.0, n)));
        assert_eq!(
            expected.iter().map(|e| e.0).collect::<Vec<_>>(),
            (1..=30).collect::<Vec<_>>(),
            "gapless ids in call order"
        );
        let status = queue.status().unwrap();
        assert_eq!((status.head, status.stored), (30, 30));
        assert!(status.workers.iter().all(|w| w.lag == 30));

        for w in 1..=3 {
            let stats = queue
                .consumer(app.clone(), w)
                .build()
                .run_until_idle()
                .unwrap();
            assert_eq!(stats.processed, 30);
            assert_eq!(journal.of_worker(w), expected, "worker {w}");
        }
        // A worker starting from the tail only sees what comes after it registered.
        let tail = queue
            .consumer(app.clone(), 9)
            .start_from(StartFrom::Tail)
            .build();
        assert_eq!(tail.run_until_idle().unwrap().processed, 0);
        let late = client.record(99).unwrap();
        assert_eq!(tail.run_until_idle().unwrap().processed, 1);
        assert_eq!(journal.of_worker(9), vec![(late.0, 99)]);
        // A new worker starting from the first retained task sees all of them.
        let first = queue.consumer(app.clone(), 10).build();
        assert_eq!(first.run_until_idle().unwrap().processed, 31);

        let status = queue.status().unwrap();
        let lags: Vec<_> = status
            .workers
            .iter()
            .map(|w| (w.worker_id, w.lag))
            .collect();
        assert_eq!(lags, vec![(1, 1), (2, 1), (3, 1), (9, 0), (10, 0)]);
    });
}

#[test]
fn a_late_commit_is_never_skipped() {
    each_db("late", |db| {
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        let payload = |n: i64| format!("record n={n}").into_bytes();
        queue.enqueue_raw(&[payload(0)]).unwrap();
        for w in 1..=3 {
            queue.register_worker(w, StartFrom::First).unwrap();
        }

        // Three workers serve throughout, polling.
        let shutdown = Shutdown::new();
        let workers: Vec<_> = (1..=3)
            .map(|w| {
                let c = queue
                    .consumer(app.clone(), w)
                    .shutdown(shutdown.clone())
                    .build();
                thread::spawn(move || c.run().unwrap())
            })
            .collect();

        // Producer A holds its transaction open; producer B commits meanwhile. A says when
        // it holds the transaction (B starts only then) and when it lets go.
        let qa = queue.clone();
        let (holding_tx, holding_rx) = std::sync::mpsc::channel::<()>();
        let (released_tx, released_rx) = std::sync::mpsc::channel::<Instant>();
        let held = thread::spawn(move || {
            qa.__enqueue_raw_holding(&[payload(1)], || {
                holding_tx.send(()).unwrap();
                thread::sleep(Duration::from_millis(400));
                released_tx.send(Instant::now()).unwrap();
            })
            .unwrap()
        });
        holding_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("producer A holds its transaction");
        let started = Instant::now();
        let b = queue.enqueue_raw(&[payload(2)]).unwrap();
        let b_done = Instant::now();
        let b_wait = b_done - started;
        let a = held.join().unwrap();
        let released = released_rx.recv().expect("A let go");
        if db.backend == "postgres" {
            // No counter: B commits while A is open, and the consumers hold B back until A
            // ends (B's transaction is above the horizon A holds).
            assert!(b_done < released, "B waited for A's transaction");
            assert!(b_wait < Duration::from_millis(200), "B waited {b_wait:?}");
        } else {
            // B's id is handed out after A commits: it cannot overtake A.
            assert!(a[0] < b[0], "held {a:?}, later {b:?}");
            assert!(
                b_done >= released,
                "B finished before A let go of its transaction"
            );
            assert!(b_wait >= Duration::from_millis(200), "B waited {b_wait:?}");
        }

        wait_until(|| queue.status().unwrap().workers.iter().all(|w| w.lag == 0));
        shutdown.trigger();
        for h in workers {
            h.join().unwrap();
        }
        for w in 1..=3 {
            let ran: Vec<i64> = journal.of_worker(w).into_iter().map(|(_, n)| n).collect();
            assert_eq!(ran, vec![0, 1, 2], "worker {w}");
        }
    });
}

/// Every worker `1..=workers` ran every task of `all` (sorted ids) exactly once, all in the same
/// order; `id_order`: that order is the id order (the counter's backends).
fn same_order_once_each(journal: &Journal, all: &[i64], workers: i64, id_order: bool) {
    let first: Vec<i64> = journal.of_worker(1).into_iter().map(|(t, _)| t).collect();
    let mut sorted = first.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, all, "worker 1 ran every task exactly once");
    if id_order {
        assert_eq!(first, all, "worker 1 ran the tasks in id order");
    }
    for w in 2..=workers {
        let ran: Vec<i64> = journal.of_worker(w).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            ran, first,
            "worker {w} ran every task once, in worker 1's order"
        );
    }
}

/// PostgreSQL's producers do not wait for each other: 16 of them, one task per transaction,
/// while 3 consumers (on queue handles of their own) run throughout. Every worker runs every
/// task exactly once, all in one order, although ids commit out of order.
#[test]
fn sixteen_producers_three_consumers_one_order() {
    each_db("sixteen", |db| {
        if db.backend != "postgres" {
            return;
        }
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::builder(&db.url).pool_size(16).open().unwrap();
        for w in 1..=3 {
            queue.register_worker(w, StartFrom::First).unwrap();
        }
        let shutdown = Shutdown::new();
        let workers: Vec<_> = (1..=3)
            .map(|w| {
                let own = Queue::open(&db.url).unwrap();
                let c = own
                    .consumer(app.clone(), w)
                    .shutdown(shutdown.clone())
                    .build();
                thread::spawn(move || c.run().unwrap())
            })
            .collect();
        let per_producer = 60i64;
        let producers: Vec<_> = (0..16i64)
            .map(|p| {
                let client = TestServiceClient::new(queue.producer(app.clone()));
                thread::spawn(move || {
                    (0..per_producer)
                        .map(|i| client.record(p * 1000 + i).unwrap().0)
                        .collect::<Vec<i64>>()
                })
            })
            .collect();
        let mut all: Vec<i64> = producers
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len() as i64, 16 * per_producer, "unique ids");
        wait_until(|| queue.status().unwrap().workers.iter().all(|w| w.lag == 0));
        shutdown.trigger();
        for h in workers {
            h.join().unwrap();
        }
        same_order_once_each(&journal, &all, 3, false);
        // Each producer's tasks run in the order it enqueued them (its transactions
        // followed one another, so their xids increase).
        let order: Vec<i64> = journal.of_worker(1).into_iter().map(|(_, n)| n).collect();
        for p in 0..16i64 {
            let mine: Vec<i64> = order.iter().copied().filter(|n| n / 1000 == p).collect();
            assert_eq!(
                mine,
                (0..per_producer).map(|i| p * 1000 + i).collect::<Vec<_>>()
            );
        }
        let status = queue.status().unwrap();
        assert_eq!((status.stored, status.failed), (16 * per_producer, 0));
    });
}

/// Held by the tests that keep a PostgreSQL transaction open on purpose and by those that time
/// wake-ups: the snapshot horizon is the whole server's, so a transaction held open by one test
/// holds back the tasks of every queue on it (the documented cost of the horizon), and a
/// wake-up measured meanwhile would measure the other test.
static HORIZON: Mutex<()> = Mutex::new(());

/// PostgreSQL's cost of not serializing producers: a write transaction left open anywhere in
/// the cluster (here: on another table, by another client) holds back the tasks committed
/// after it began. The consumer runs nothing meanwhile, then runs them as soon as it ends
/// (it polls while tasks wait behind the horizon: no notification comes when an unrelated
/// transaction ends).
#[cfg(feature = "postgres")]
#[test]
fn an_open_transaction_holds_tasks_back_until_it_ends() {
    let _horizon = HORIZON
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    use rpclib_transport_dbqueue::diesel::{
        Connection, PgConnection, connection::SimpleConnection,
    };
    each_db("horizon", |db| {
        if db.backend != "postgres" {
            return;
        }
        db.exec("CREATE TABLE unrelated (n BIGINT)");
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        queue.register_worker(1, StartFrom::First).unwrap();
        let shutdown = Shutdown::new();
        let own = Queue::open(&db.url).unwrap();
        let c = own
            .consumer(app.clone(), 1)
            .shutdown(shutdown.clone())
            .build();
        let worker = thread::spawn(move || c.run().unwrap());
        let client = TestServiceClient::new(queue.producer(app.clone()));
        client.record(0).unwrap();
        wait_until(|| journal.len() == 1);

        let mut other = PgConnection::establish(&db.url).unwrap();
        other
            .batch_execute("BEGIN; INSERT INTO unrelated VALUES (1)")
            .unwrap();
        client.record(1).unwrap();
        client.record(2).unwrap();
        thread::sleep(Duration::from_millis(300));
        assert_eq!(
            journal.len(),
            1,
            "tasks ran while an older transaction was open"
        );
        assert_eq!(
            queue.status().unwrap().workers[0].lag,
            2,
            "committed, counted"
        );
        let ended = Instant::now();
        other.batch_execute("COMMIT").unwrap();
        wait_until(|| journal.len() == 3);
        let delay = ended.elapsed();
        eprintln!("held-back tasks started {delay:?} after the open transaction ended");
        assert!(delay < Duration::from_millis(500), "{delay:?}");
        shutdown.trigger();
        worker.join().unwrap();
        let ran: Vec<i64> = journal.of_worker(1).into_iter().map(|(_, n)| n).collect();
        assert_eq!(ran, vec![0, 1, 2]);
    });
}

/// A queue made by the first schema (tasks and positions in it) is upgraded in place: the
/// retained tasks run first, in id order, from every worker's old position, then the new ones.
#[test]
fn an_existing_queue_is_upgraded_in_place() {
    each_db("upgrade", |db| {
        let old_schema = match db.backend {
            "postgres" => {
                include_str!("../migrations/postgres/2026-11-01-000000_rpclib_queue_init/up.sql")
            }
            "mysql" => {
                include_str!("../migrations/mysql/2026-11-01-000000_rpclib_queue_init/up.sql")
            }
            _ => include_str!("../migrations/sqlite/2026-11-01-000000_rpclib_queue_init/up.sql"),
        };
        db.exec(old_schema);
        // What diesel recorded for that schema.
        db.exec(
            "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, \
             run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        );
        db.exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('20261101000000')");
        // Five tasks from the counter; worker 1 ran two of them, worker 2 none.
        let journal = Journal::default();
        let app = app(&journal);
        for n in 0..5i64 {
            let data = format!("record n={n}");
            let hex: String = data.bytes().map(|b| format!("{b:02x}")).collect();
            let blob = match db.backend {
                "postgres" => format!("'\\x{hex}'::bytea"),
                _ => format!("X'{hex}'"),
            };
            db.exec(&format!(
                "INSERT INTO rpclib_queue_tasks (id, data, enqueued_at) VALUES ({}, {blob}, 0)",
                n + 1
            ));
        }
        db.exec("UPDATE rpclib_queue_counter SET last_id = 5 WHERE id = 1");
        db.exec(
            "INSERT INTO rpclib_queue_workers (worker_id, last_task_id, registered_at, updated_at) \
             VALUES (1, 2, 0, 0), (2, 0, 0, 0)",
        );

        let queue = Queue::open(&db.url).unwrap();
        let status = queue.status().unwrap();
        let lags: Vec<_> = status
            .workers
            .iter()
            .map(|w| (w.worker_id, w.lag))
            .collect();
        assert_eq!(lags, vec![(1, 3), (2, 5)]);
        let client = TestServiceClient::new(queue.producer(app.clone()));
        let new: Vec<i64> = (5..8).map(|n| client.record(n).unwrap().0).collect();
        assert!(
            new.iter().all(|id| *id > 5),
            "new ids follow the old ones: {new:?}"
        );
        for w in 1..=2 {
            queue
                .consumer(app.clone(), w)
                .build()
                .run_until_idle()
                .unwrap();
        }
        let ran = |w| -> Vec<i64> { journal.of_worker(w).into_iter().map(|(_, n)| n).collect() };
        assert_eq!(ran(1), vec![2, 3, 4, 5, 6, 7]);
        assert_eq!(ran(2), (0..8).collect::<Vec<_>>());
    });
}

fn wait_until(mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out");
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn concurrent_producers_miss_nothing() {
    each_db("producers", |db| {
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        for w in 1..=3 {
            queue.register_worker(w, StartFrom::First).unwrap();
        }
        let shutdown = Shutdown::new();
        // Consumers on queue handles of their own: they must not rely on the in-process
        // wake-up.
        let workers: Vec<_> = (1..=3)
            .map(|w| {
                let own = Queue::open(&db.url).unwrap();
                let c = own
                    .consumer(app.clone(), w)
                    .shutdown(shutdown.clone())
                    .build();
                thread::spawn(move || c.run().unwrap())
            })
            .collect();
        let producers: Vec<_> = (0..4i64)
            .map(|p| {
                let producer = queue.producer(app.clone());
                thread::spawn(move || {
                    let client = TestServiceClient::new(producer.clone());
                    let mut mine = Vec::new();
                    for i in 0..30 {
                        if i % 10 == 9 {
                            let batch = producer
                                .batch(|b| {
                                    let c = TestServiceClient::new(b);
                                    for k in 0..5 {
                                        c.record(p * 1000 + i * 10 + k)?;
                                    }
                                    Ok(())
                                })
                                .unwrap();
                            mine.extend(batch);
                        } else {
                            mine.push(client.record(p * 1000 + i * 10).unwrap());
                        }
                    }
                    mine
                })
            })
            .collect();
        let mut all: Vec<i64> = producers
            .into_iter()
            .flat_map(|h| ids(&h.join().unwrap()))
            .collect();
        all.sort_unstable();
        let n = all.len() as i64;
        if db.backend == "postgres" {
            // From a sequence: unique (gaps would be allowed; none happen without rollbacks).
            all.dedup();
            assert_eq!(all.len() as i64, n, "unique ids");
        } else {
            assert_eq!(all, (1..=n).collect::<Vec<_>>(), "gapless, unique ids");
        }
        wait_until(|| queue.status().unwrap().workers.iter().all(|w| w.lag == 0));
        shutdown.trigger();
        for h in workers {
            h.join().unwrap();
        }
        same_order_once_each(&journal, &all, 3, db.backend != "postgres");
    });
}

#[test]
fn failures_are_recorded_and_the_consumer_moves_on() {
    each_db("failures", |db| {
        db.create_effects_table();
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::builder(&db.url).max_payload(200).open().unwrap();
        let client = TestServiceClient::new(queue.producer(app.clone()));
        let ok1 = client.record(1).unwrap();
        let bad = queue
            .enqueue_raw(&[b"this is not=a request".to_vec()])
            .unwrap()[0];
        let refused = client.refuse("no thanks".into()).unwrap();
        let rolled_back = client.effect(7, true).unwrap();
        let kept = client.effect(8, false).unwrap();
        // Too large for the producer: refused at once, nothing enqueued.
        match client.refuse("x".repeat(300)) {
            Err(ClientError::InvalidRequest(f)) => assert!(f.string.contains("at most 200"), "{f}"),
            other => panic!("{other:?}"),
        }
        // Too large for a consumer with a smaller cap: recorded, not parsed.
        let big = queue
            .enqueue_raw(&[format!("record n={}", "1".repeat(150))])
            .unwrap()[0];
        let ok2 = client.record(2).unwrap();

        let small = Queue::builder(&db.url).max_payload(100).open().unwrap();
        let stats = small
            .consumer(app.clone(), 1)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (7, 4));
        assert_eq!(
            journal.of_worker(1),
            vec![(ok1.0, 1), (rolled_back.0, 7), (kept.0, 8), (ok2.0, 2)]
        );
        let failed = queue.failed_tasks(Some(1), 10).unwrap();
        let by_task: BTreeMap<i64, &str> = failed
            .iter()
            .map(|f| (f.task_id.0, f.error.as_str()))
            .collect();
        assert_eq!(
            by_task.keys().copied().collect::<Vec<_>>(),
            vec![bad.0, refused.0, rolled_back.0, big.0]
        );
        assert!(by_task[&bad.0].contains("request rejected"), "{by_task:?}");
        assert!(by_task[&refused.0].contains("no thanks"), "{by_task:?}");
        assert!(
            by_task[&rolled_back.0].contains("after writing"),
            "{by_task:?}"
        );
        assert!(by_task[&big.0].contains("exceeds"), "{by_task:?}");
        assert!(failed.iter().all(|f| f.worker_id == 1 && f.failed_at > 0));
        // The failed task's own write was rolled back; the successful one's kept.
        assert_eq!(
            db.count(
                "SELECT CAST(COUNT(*) AS SIGNED) AS n FROM test_effects"
                    .replace_signed(db)
                    .as_str()
            ),
            1
        );
        let status = queue.status().unwrap();
        assert_eq!(status.failed, 4);
        assert_eq!((status.workers[0].lag, status.workers[0].failed), (0, 4));
    });
}

/// `CAST(… AS SIGNED)` is MySQL's; the others say BIGINT.
trait ReplaceSigned {
    fn replace_signed(&self, db: &TestDb) -> String;
}

impl ReplaceSigned for str {
    fn replace_signed(&self, db: &TestDb) -> String {
        if db.backend == "mysql" {
            self.to_owned()
        } else {
            self.replace("AS SIGNED", "AS BIGINT")
        }
    }
}

/// A prune of many chunks (the first is 1,000 rows) deletes exactly the tasks every worker
/// has run, in the queue's order, across several producer transactions, and leaves the rest.
#[test]
fn a_prune_of_many_chunks_deletes_exactly_what_every_worker_ran() {
    // Its deletes hold the horizon too, a chunk at a time.
    let _horizon = HORIZON
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    each_db("prune_chunks", |db| {
        let journal = Journal::default();
        let queue = Queue::open(&db.url).unwrap();
        queue.register_worker(1, StartFrom::First).unwrap();
        let payload = b"record n=1".to_vec();
        let mut ids = Vec::new();
        for _ in 0..7 {
            let batch: Vec<Vec<u8>> = (0..500).map(|_| payload.clone()).collect();
            ids.extend(queue.enqueue_raw(&batch).unwrap());
        }
        // Worker 1 runs 3,100 of the 3,500 tasks: stop it there.
        let stop = Shutdown::new();
        let counted = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (c2, s2) = (Arc::clone(&counted), stop.clone());
        let app = rpclib_core::Application::builder("QueueTest", "urn:test:queue")
            .service(TestService {
                journal: journal.clone(),
                log: None,
                delay: Duration::ZERO,
            })
            .add_listener(Event::MethodCall, move |_: &mut MethodContext| {
                if c2.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1 == 3_100 {
                    s2.trigger();
                }
            })
            .protocol(support::protocol::LineProtocol)
            .build()
            .unwrap();
        let stats = queue
            .consumer(app, 1)
            .batch_size(50)
            .shutdown(stop)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!(stats.processed, 3_100);
        assert_eq!(queue.prune().unwrap(), 3_100);
        let status = queue.status().unwrap();
        assert_eq!(status.stored, 400);
        assert_eq!(status.oldest, Some(ids[3_100]));
        assert!(queue.task_payload(ids[3_099]).unwrap().is_none());
        assert!(queue.task_payload(ids[3_100]).unwrap().is_some());
        assert_eq!(queue.prune().unwrap(), 0, "nothing more to prune");
    });
}

#[test]
fn prune_reset_and_remove() {
    each_db("ops", |db| {
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        assert_eq!(queue.prune().unwrap(), 0, "no worker, nothing pruned");
        queue.register_worker(1, StartFrom::First).unwrap();
        queue.register_worker(2, StartFrom::First).unwrap();
        let client = TestServiceClient::new(queue.producer(app.clone()));
        for n in 0..10 {
            client.record(n).unwrap();
        }
        queue
            .consumer(app.clone(), 1)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!(queue.prune().unwrap(), 0, "worker 2 has run nothing");
        queue
            .consumer(app.clone(), 2)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!(queue.prune().unwrap(), 10);
        let status = queue.status().unwrap();
        assert_eq!((status.stored, status.oldest, status.head), (0, None, 10));
        assert!(queue.task_payload(TaskId(3)).unwrap().is_none());

        for n in 10..15 {
            client.record(n).unwrap();
        }
        assert_eq!(queue.reset_worker(1, ResetTo::Start).unwrap(), 0);
        // Reads of 4 tasks: the 10 pruned ids ahead of the worker are a gap wider than a read
        // (the consumer's read of the next ids in a row finds none there and must look on).
        queue
            .consumer(app.clone(), 1)
            .fetch_size(4)
            .build()
            .run_until_idle()
            .unwrap();
        let ran: Vec<i64> = journal.of_worker(1).into_iter().map(|(_, n)| n).collect();
        assert_eq!(
            ran,
            (0..15).collect::<Vec<_>>(),
            "only retained tasks run again"
        );
        assert_eq!(
            queue.reset_worker(1, ResetTo::After(TaskId(12))).unwrap(),
            12
        );
        assert_eq!(
            queue
                .consumer(app.clone(), 1)
                .build()
                .run_until_idle()
                .unwrap()
                .processed,
            3
        );
        assert_eq!(queue.reset_worker(2, ResetTo::Tail).unwrap(), 15);
        assert_eq!(
            queue
                .consumer(app.clone(), 2)
                .build()
                .run_until_idle()
                .unwrap()
                .processed,
            0
        );
        assert!(matches!(
            queue.reset_worker(5, ResetTo::Start),
            Err(QueueError::UnknownWorker(5))
        ));

        // A worker cannot be removed while its consumer runs. The consumer holds the worker's
        // lock once it has run a task: one more task, and its journal line, are the signal.
        let signal = client.record(15).unwrap();
        let shutdown = Shutdown::new();
        let c = queue
            .consumer(app.clone(), 2)
            .shutdown(shutdown.clone())
            .build();
        let running = thread::spawn(move || c.run().unwrap());
        wait_until(|| journal.of_worker(2).contains(&(signal.0, 15)));
        assert!(matches!(
            queue.remove_worker(2),
            Err(QueueError::WorkerBusy(2))
        ));
        shutdown.trigger();
        running.join().unwrap();
        queue.remove_worker(2).unwrap();
        assert!(matches!(
            queue.remove_worker(2),
            Err(QueueError::UnknownWorker(2))
        ));
        let workers: Vec<_> = queue
            .status()
            .unwrap()
            .workers
            .iter()
            .map(|w| w.worker_id)
            .collect();
        assert_eq!(workers, vec![1]);
        assert_eq!(queue.prune().unwrap(), 5);
    });
}

#[test]
fn batch_mode_commits_every_n_tasks() {
    each_db("batch", |db| {
        db.create_effects_table();
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        let producer = queue.producer(app.clone());
        let ids = producer
            .batch(|b| {
                let c = TestServiceClient::new(b);
                for n in 0..50 {
                    if n % 10 == 3 {
                        c.refuse(format!("no {n}"))?;
                    } else {
                        c.effect(n, n % 10 == 7)?;
                    }
                }
                Ok(())
            })
            .unwrap();
        let stats = queue
            .consumer(app.clone(), 4)
            .batch_size(7)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (50, 10));
        assert_eq!(journal.of_worker(4).len(), 45);
        assert_eq!(queue.status().unwrap().workers[0].last_task_id, ids[49].0);
        assert_eq!(
            db.count(
                "SELECT CAST(COUNT(*) AS SIGNED) AS n FROM test_effects"
                    .replace_signed(db)
                    .as_str()
            ),
            40
        );
    });
}

#[test]
fn a_consumer_killed_at_random_moments_loses_and_repeats_nothing_else() {
    each_db("sigkill", |db| {
        db.create_effects_table();
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        // Enough work that every one of the kills below lands while tasks remain.
        let n_tasks = 400i64;
        queue
            .producer(app.clone())
            .batch(|b| {
                let c = TestServiceClient::new(b);
                for n in 0..n_tasks {
                    c.effect(n, false)?;
                }
                Ok(())
            })
            .unwrap();
        let dir = std::env::temp_dir().join(format!(
            "rpclib-q-kill-{}-{}",
            std::process::id(),
            db.backend
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("log");
        let _ = std::fs::remove_file(&log);
        let spec = ChildSpec {
            url: db.url.clone(),
            worker: 1,
            log: log.clone(),
            delay_ms: 2,
            until_idle: false,
            batch: 1,
        };
        let mut rng = Rng::new();
        let mut kills = 0;
        for _ in 0..8 {
            let mut child = KillOnDrop(spawn(&spec));
            // Wait until it has run and committed a task (its first `S` line, then the
            // worker's position reaching that task), so that a slow start cannot turn the kill
            // into a kill of a process that never worked, and the task the previous kill
            // interrupted is behind it; then kill it at a random instant.
            let pid = child.0.id();
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let first = read_log(&log)
                    .iter()
                    .find(|l| l.0 == "S" && l.3 == pid)
                    .map(|l| l.2);
                if first.is_some_and(|task| position(&queue) >= task) {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "consumer {pid} committed no task within 60 s (kill {kills}, first {first:?})"
                );
                thread::sleep(Duration::from_millis(2));
            }
            let t = rng.below(150);
            thread::sleep(Duration::from_millis(t));
            child.0.kill().unwrap();
            child.0.wait().unwrap();
            kills += 1;
        }
        let mut last = spawn(&ChildSpec {
            until_idle: true,
            ..spec.clone()
        });
        assert!(last.wait().unwrap().success());

        let mut started: BTreeMap<i64, usize> = BTreeMap::new();
        // The last task each killed process started: the only one allowed to run again.
        let mut last_of_pid: BTreeMap<u32, i64> = BTreeMap::new();
        let lines = read_log(&log);
        for (kind, _w, task, pid) in &lines {
            if kind == "S" {
                *started.entry(*task).or_default() += 1;
                last_of_pid.insert(*pid, *task);
            }
        }
        assert_eq!(started.len() as i64, n_tasks, "every task ran");
        let in_flight: HashSet<i64> = last_of_pid.values().copied().collect();
        for (task, count) in &started {
            assert!(
                *count == 1 || (*count == 2 && in_flight.contains(task)),
                "task {task} ran {count} times"
            );
        }
        let repeats: usize = started.values().map(|c| c - 1).sum();
        assert!(repeats <= kills, "{repeats} repeats after {kills} kills");
        eprintln!("{kills} kills, {repeats} tasks ran twice");
        // The writes made in the consumer's transaction happened exactly once.
        assert_eq!(
            db.count(
                "SELECT CAST(COUNT(*) AS SIGNED) AS n FROM test_effects"
                    .replace_signed(db)
                    .as_str()
            ),
            n_tasks
        );
        let status = queue.status().unwrap();
        assert_eq!((status.workers[0].lag, status.failed), (0, 0));
        let _ = std::fs::remove_dir_all(&dir);
    });
}

/// A child process that is SIGKILLed when dropped, so that a failing test leaves none behind.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The last task worker 1 committed (0 before it registered).
fn position(queue: &Queue) -> i64 {
    let status = queue.status().unwrap();
    status
        .workers
        .iter()
        .find(|w| w.worker_id == 1)
        .map_or(0, |w| w.last_task_id)
}

/// A small xorshift, seeded from the clock (the seed is printed).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        eprintln!("random seed {seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn two_processes_with_one_worker_id_never_overlap() {
    each_db("exclusive", |db| {
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        let n_tasks = 60i64;
        queue
            .producer(app.clone())
            .batch(|b| {
                let c = TestServiceClient::new(b);
                for n in 0..n_tasks {
                    c.record(n)?;
                }
                Ok(())
            })
            .unwrap();
        let dir = std::env::temp_dir().join(format!(
            "rpclib-q-excl-{}-{}",
            std::process::id(),
            db.backend
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("log");
        let _ = std::fs::remove_file(&log);
        let spec = ChildSpec {
            url: db.url.clone(),
            worker: 1,
            log: log.clone(),
            delay_ms: 5,
            until_idle: false,
            batch: 1,
        };
        let mut a = spawn(&spec);
        let mut b = spawn(&spec);
        // Stop whichever got the lock once it is a third of the way through.
        wait_until(|| read_log(&log).iter().filter(|l| l.0 == "E").count() >= 20);
        let holder = read_log(&log)[0].3;
        let (first, second) = if holder == a.id() {
            (&mut a, &mut b)
        } else {
            (&mut b, &mut a)
        };
        terminate(first);
        assert!(first.wait().unwrap().success());
        wait_until(|| read_log(&log).iter().filter(|l| l.0 == "E").count() >= n_tasks as usize);
        terminate(second);
        assert!(second.wait().unwrap().success());

        let lines = read_log(&log);
        // No task starts while another is open: S and E strictly alternate.
        for pair in lines.chunks(2) {
            assert_eq!(pair[0].0, "S", "{pair:?}");
            assert_eq!(
                (pair[1].0.as_str(), pair[1].2, pair[1].3),
                ("E", pair[0].2, pair[0].3)
            );
        }
        // The first process never ran again once the second took over.
        let pids: Vec<u32> = lines.iter().map(|l| l.3).collect();
        let switch = pids
            .iter()
            .position(|p| *p != holder)
            .expect("the second took over");
        assert!(pids[switch..].iter().all(|p| *p != holder), "{pids:?}");
        let tasks: Vec<i64> = lines.iter().filter(|l| l.0 == "E").map(|l| l.2).collect();
        assert_eq!(
            tasks,
            (1..=n_tasks).collect::<Vec<_>>(),
            "each once, in order"
        );
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
fn sigterm_finishes_the_current_task_and_commits() {
    each_db("sigterm", |db| {
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        let client = TestServiceClient::new(queue.producer(app.clone()));
        for n in 0..20 {
            client.record(n).unwrap();
        }
        let dir = std::env::temp_dir().join(format!(
            "rpclib-q-term-{}-{}",
            std::process::id(),
            db.backend
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join("log");
        let _ = std::fs::remove_file(&log);
        let spec = ChildSpec {
            url: db.url.clone(),
            worker: 1,
            log: log.clone(),
            delay_ms: 150,
            until_idle: false,
            batch: 1,
        };
        let mut child = spawn(&spec);
        wait_until(|| read_log(&log).iter().any(|l| l.0 == "S" && l.2 == 3));
        terminate(&child);
        assert!(child.wait().unwrap().success(), "a graceful exit");
        let lines = read_log(&log);
        let last = lines.last().unwrap();
        assert_eq!(
            (last.0.as_str(), last.2),
            ("E", 3),
            "the current task finished"
        );
        assert_eq!(
            queue.status().unwrap().workers[0].last_task_id,
            3,
            "and was committed"
        );
        // A restart runs the rest, and nothing twice.
        let mut again = spawn(&ChildSpec {
            until_idle: true,
            delay_ms: 0,
            ..spec
        });
        assert!(again.wait().unwrap().success());
        let started: Vec<i64> = read_log(&log)
            .iter()
            .filter(|l| l.0 == "S")
            .map(|l| l.2)
            .collect();
        assert_eq!(started, (1..=20).collect::<Vec<_>>());
        let _ = std::fs::remove_dir_all(&dir);
    });
}

#[test]
fn the_transport_part_and_the_interface_document() {
    each_db("transport", |db| {
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen2 = Arc::clone(&seen);
        let app = rpclib_core::Application::builder("QueueTest", "urn:test:queue")
            .service_with(
                TestService {
                    journal: Journal::default(),
                    log: None,
                    delay: Duration::ZERO,
                },
                |s| {
                    s.add_listener(Event::MethodCall, move |ctx: &mut MethodContext| {
                        let t = ctx.transport::<QueueTransport>().unwrap();
                        seen2.lock().unwrap().push((t.consumer_id, t.task_id));
                    });
                },
            )
            .protocol(support::protocol::LineProtocol)
            .interface(support::service::UriInterface)
            .build()
            .unwrap();
        let queue = Queue::open(&db.url).unwrap();
        let client = TestServiceClient::new(queue.producer(app.clone()));
        let a = client.record(1).unwrap();
        let b = client.record(2).unwrap();
        let consumer = queue.consumer(app.clone(), 42).build();
        consumer.run_until_idle().unwrap();
        assert_eq!(*seen.lock().unwrap(), vec![(42, a), (42, b)]);
        let doc = consumer.interface_document().unwrap();
        assert!(
            doc.render("x")
                .contains(&format!("transport={TRANSPORT_URI}"))
        );
    });
}

/// The consumer writes a task's reply only for its readers: a `method_return_string` listener
/// (here the service's) still gets every reply of a task that succeeded, and a
/// `method_exception_string` listener (the application's) every fault.
#[test]
fn reply_listeners_get_the_replies() {
    each_db("replies", |db| {
        let replies = Arc::new(std::sync::Mutex::new(Vec::new()));
        let faults = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (r2, f2) = (Arc::clone(&replies), Arc::clone(&faults));
        let app = rpclib_core::Application::builder("QueueTest", "urn:test:queue")
            .service_with(
                TestService {
                    journal: Journal::default(),
                    log: None,
                    delay: Duration::ZERO,
                },
                |s| {
                    s.add_listener(Event::MethodReturnString, move |ctx: &mut MethodContext| {
                        let text = String::from_utf8_lossy(&ctx.out_bytes()).into_owned();
                        r2.lock().unwrap().push(text);
                    });
                },
            )
            .add_listener(
                Event::MethodExceptionString,
                move |ctx: &mut MethodContext| {
                    let text = String::from_utf8_lossy(&ctx.out_bytes()).into_owned();
                    f2.lock().unwrap().push(text);
                },
            )
            .protocol(support::protocol::LineProtocol)
            .build()
            .unwrap();
        let queue = Queue::open(&db.url).unwrap();
        let client = TestServiceClient::new(queue.producer(app.clone()));
        client.record(5).unwrap();
        client.refuse("not today".into()).unwrap();
        client.record(6).unwrap();
        let stats = queue
            .consumer(app.clone(), 1)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (3, 1));
        let replies = replies.lock().unwrap().clone();
        assert_eq!(replies.len(), 2, "{replies:?}");
        assert!(
            replies[0].contains('5') && replies[1].contains('6'),
            "{replies:?}"
        );
        let faults = faults.lock().unwrap().clone();
        assert_eq!(faults.len(), 1, "{faults:?}");
        assert!(faults[0].contains("not today"), "{faults:?}");
    });
}

/// How soon after the producer's commit an idle consumer must run a new task, per backend:
/// what the backend's wake-up mechanism gives, with room for a loaded 2-core machine (measured
/// on one, worst of 10 calls, with a release build running alongside for the higher figures).
/// Each bound is well under what the fallback would give if the mechanism broke:
/// - PostgreSQL: LISTEN/NOTIFY, checked every millisecond (measured: 2-5 ms idle, up to
///   165 ms loaded); the fallback poll runs every second, so without the notification a
///   consumer with its own handle waits up to 1 s (measured: 949 ms, which the former 1 s
///   bound let pass).
/// - SQLite, MySQL/MariaDB: polling that backs off to 20 ms (measured: 17-80 ms).
fn wake_bound(backend: &str) -> Duration {
    match backend {
        "postgres" => Duration::from_millis(300),
        _ => Duration::from_millis(250),
    }
}

#[test]
fn an_idle_consumer_wakes_promptly() {
    let _horizon = HORIZON
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    each_db("wakeup", |db| {
        let journal = Journal::default();
        let app = app(&journal);
        let queue = Queue::open(&db.url).unwrap();
        let shutdown = Shutdown::new();
        // One consumer shares the producer's handle (in-process wake-up), one has its own
        // (LISTEN/NOTIFY or polling): each is timed on its own.
        let own = Queue::open(&db.url).unwrap();
        let handles: Vec<_> = [(1, queue.clone()), (2, own)]
            .into_iter()
            .map(|(w, q)| {
                let c = q
                    .consumer(app.clone(), w)
                    .shutdown(shutdown.clone())
                    .build();
                thread::spawn(move || c.run().unwrap())
            })
            .collect();
        // Both consumers are up once both ran a first task (timed from their start, so not
        // measured); then both go idle.
        let client = TestServiceClient::new(queue.producer(app.clone()));
        client.record(-1).unwrap();
        wait_until(|| journal.of_worker(1).len() == 1 && journal.of_worker(2).len() == 1);
        thread::sleep(Duration::from_millis(300)); // both idle
        // Per consumer: the wake-up (from the producer's commit, so that a slow commit on a
        // loaded server does not count against the wake-up mechanism) and the whole trip
        // (from the call).
        let mut worst_wake = [Duration::ZERO; 2];
        let mut worst_trip = [Duration::ZERO; 2];
        for n in 0..10 {
            let before = [journal.of_worker(1).len(), journal.of_worker(2).len()];
            let called = Instant::now();
            client.record(n).unwrap();
            let committed = Instant::now();
            let mut done: [Option<Instant>; 2] = [None, None];
            let deadline = committed + Duration::from_secs(60);
            while done.iter().any(Option::is_none) {
                assert!(Instant::now() < deadline, "task {n} not run within 60 s");
                for (i, w) in [1, 2].into_iter().enumerate() {
                    if done[i].is_none() && journal.of_worker(w).len() > before[i] {
                        done[i] = Some(Instant::now());
                    }
                }
                thread::sleep(Duration::from_micros(200));
            }
            for (i, at) in done.into_iter().enumerate() {
                let at = at.unwrap_or(committed);
                worst_wake[i] = worst_wake[i].max(at.saturating_duration_since(committed));
                worst_trip[i] = worst_trip[i].max(at - called);
            }
            thread::sleep(Duration::from_millis(60)); // idle again, polling backed off
        }
        shutdown.trigger();
        for h in handles {
            h.join().unwrap();
        }
        let bound = wake_bound(db.backend);
        eprintln!(
            "worst commit-to-run on {}: shared handle {:?}, own handle {:?} (bound {bound:?}); \
             worst call-to-run {:?} / {:?}",
            db.backend, worst_wake[0], worst_wake[1], worst_trip[0], worst_trip[1]
        );
        assert!(
            worst_wake[0] < bound,
            "shared handle: {:?} on {}",
            worst_wake[0],
            db.backend
        );
        assert!(
            worst_wake[1] < bound,
            "own handle: {:?} on {}",
            worst_wake[1],
            db.backend
        );
        // And the whole trip, call to run, well within a second (no 10 s sleep).
        for trip in worst_trip {
            assert!(trip < Duration::from_millis(1000), "{trip:?}");
        }
        let seen: HashSet<i64> = journal
            .of_worker(2)
            .into_iter()
            .map(|(_, n)| n)
            .filter(|n| *n >= 0)
            .collect();
        assert_eq!(seen.len(), 10);
    });
}

/// Checks that `steps` are whole tasks one after the other (a start, then its own end, before
/// the next start), in task id order, and returns the `(task, n)` of each.
fn one_at_a_time(steps: &[Step]) -> Vec<(i64, i64)> {
    assert_eq!(steps.len() % 2, 0, "an unfinished task: {steps:?}");
    let mut out = Vec::new();
    for pair in steps.chunks(2) {
        match pair {
            [Step::Start(w1, t1), Step::End(w2, t2, n)] if (w1, t1) == (w2, t2) => {
                out.push((*t1, *n));
            }
            _ => panic!("tasks overlapped: {pair:?} in {steps:?}"),
        }
    }
    assert!(
        out.windows(2).all(|w| w[0].0 < w[1].0),
        "not in task id order: {out:?}"
    );
    out
}

#[test]
fn async_methods_run_to_completion_in_order_one_at_a_time() {
    each_db("async", |db| {
        db.create_effects_table();
        let steps = Steps::default();
        let app = async_app(&steps);
        let queue = Queue::open(&db.url).unwrap();
        queue.register_worker(1, StartFrom::First).unwrap();
        let client = AsyncServiceClient::new(queue.producer(app.clone()));
        let mut expected = Vec::new();
        let mut failing = Vec::new();
        for n in 0..12 {
            // Later tasks wait less: had they overlapped, they would end first.
            let id = client.wait_and_record(n, 30 - 2 * n as u64).unwrap();
            expected.push((id.0, n));
            if n == 3 {
                failing.push((client.refuse_later("not now".into()).unwrap(), "not now"));
            }
            if n == 7 {
                failing.push((client.panic_later().unwrap(), "Internal Error"));
            }
        }
        let stats = queue
            .consumer(app.clone(), 1)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (14, 2));
        assert_eq!(one_at_a_time(&steps.take()), expected);
        // The failures are recorded, and the tasks after them ran (above).
        let mut failed = queue.failed_tasks(Some(1), 10).unwrap();
        failed.sort_by_key(|f| f.task_id);
        assert_eq!(
            failed.iter().map(|f| f.task_id).collect::<Vec<_>>(),
            failing.iter().map(|f| f.0).collect::<Vec<_>>()
        );
        for (f, (_, why)) in failed.iter().zip(&failing) {
            assert!(f.error.contains(why), "{f:?}");
        }
        let status = queue.status().unwrap();
        assert_eq!((status.workers[0].lag, status.workers[0].failed), (0, 2));
    });
}

#[test]
fn an_async_methods_write_commits_or_rolls_back_with_its_task() {
    each_db("async_effects", |db| {
        db.create_effects_table();
        let steps = Steps::default();
        let app = async_app(&steps);
        let queue = Queue::open(&db.url).unwrap();
        queue.register_worker(2, StartFrom::First).unwrap();
        let client = AsyncServiceClient::new(queue.producer(app.clone()));
        let kept = client.effect_later(1, false).unwrap();
        let rolled_back = client.effect_later(2, true).unwrap();
        let kept_too = client.effect_later(3, false).unwrap();
        let stats = queue
            .consumer(app.clone(), 2)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (3, 1));
        assert_eq!(
            one_at_a_time(&steps.take()),
            vec![(kept.0, 1), (rolled_back.0, 2), (kept_too.0, 3)]
        );
        let failed = queue.failed_tasks(Some(2), 10).unwrap();
        assert_eq!(failed.len(), 1);
        assert_eq!(failed[0].task_id, rolled_back);
        assert!(failed[0].error.contains("after writing"), "{failed:?}");
        // The failed task's row was rolled back, the others' committed with their tasks.
        let rows = |task: TaskId| {
            db.count(
                &format!(
                    "SELECT CAST(COUNT(*) AS SIGNED) AS n FROM test_effects WHERE task_id = {}",
                    task.0
                )
                .replace_signed(db),
            )
        };
        assert_eq!((rows(kept), rows(rolled_back), rows(kept_too)), (1, 0, 1));

        // In batch mode too: one transaction for several tasks, the failed one's write
        // undone, the others' kept.
        let batch = queue
            .producer(app.clone())
            .batch(|b| {
                let c = AsyncServiceClient::new(b);
                for n in 0..9 {
                    c.effect_later(n, n % 3 == 1)?;
                }
                Ok(())
            })
            .unwrap();
        let stats = queue
            .consumer(app.clone(), 2)
            .batch_size(4)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (9, 3));
        assert_eq!(one_at_a_time(&steps.take()).len(), 9);
        for (n, task) in batch.iter().enumerate() {
            assert_eq!(rows(*task), i64::from(n % 3 != 1), "task {n}");
        }
    });
}

#[test]
fn async_methods_on_a_multi_thread_runtime_of_the_application() {
    each_db("async_runtime", |db| {
        let steps = Steps::default();
        let app = async_app(&steps);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("app-runtime")
            .enable_all()
            .build()
            .unwrap();
        let queue = Queue::open(&db.url).unwrap();
        queue.register_worker(3, StartFrom::First).unwrap();
        queue.register_worker(4, StartFrom::First).unwrap();
        let client = AsyncServiceClient::new(queue.producer(app.clone()));
        let mut expected = Vec::new();
        for n in 0..6 {
            let id = client.wait_and_record(n, 12 - 2 * n as u64).unwrap();
            expected.push((id.0, n));
        }
        // A method that spawns a task itself (it fails if no runtime drives it).
        client.runtime_thread().unwrap();

        // A wrapper that spawns a task on the runtime the call runs on after each call, and
        // records the thread that task ran on.
        let names = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let seen = Arc::clone(&names);
        let probing = rpclib_core::Application::builder("QueueAsyncTest", "urn:test:queue:async")
            .service_with(
                AsyncService {
                    steps: steps.clone(),
                },
                move |s| {
                    s.call_wrapper(rpclib_core::wrap_fn(move |ctx, next| {
                        let seen = Arc::clone(&seen);
                        Box::pin(async move {
                            let result = next.call(ctx).await;
                            // Where the wrapper itself runs: any task it spawns lands on the
                            // consumer's runtime.
                            let spawned = tokio::spawn(async {
                                std::thread::current().name().unwrap_or("").to_owned()
                            })
                            .await
                            .unwrap();
                            seen.lock().unwrap().push(format!("wrapper:{spawned}"));
                            result
                        })
                    }));
                },
            )
            .protocol(support::protocol::LineProtocol)
            .build()
            .unwrap();

        let stats = queue
            .consumer(probing.clone(), 3)
            .runtime(rt.handle().clone())
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (7, 0));
        assert_eq!(one_at_a_time(&steps.take()), expected);
        let on_shared = std::mem::take(&mut *names.lock().unwrap());
        assert_eq!(on_shared.len(), 7, "{on_shared:?}");
        assert!(
            on_shared.iter().all(|n| n == "wrapper:app-runtime"),
            "tasks spawned by calls on the given runtime ran elsewhere: {on_shared:?}"
        );

        // The same tasks on a consumer's own runtime: spawned tasks run on the consumer's
        // thread, not on the application's runtime.
        let stats = queue
            .consumer(probing.clone(), 4)
            .build()
            .run_until_idle()
            .unwrap();
        assert_eq!((stats.processed, stats.failed), (7, 0));
        assert_eq!(one_at_a_time(&steps.take()), expected);
        let on_own = std::mem::take(&mut *names.lock().unwrap());
        assert_eq!(on_own.len(), 7, "{on_own:?}");
        assert!(
            on_own.iter().all(|n| n != "wrapper:app-runtime"),
            "{on_own:?}"
        );
        drop(rt);
    });
}
