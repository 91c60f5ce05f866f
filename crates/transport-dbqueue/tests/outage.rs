//! Database outages: a SQLite file locked by another connection. The producer gets a clear
//! error and stores nothing; the consumer waits (or reconnects) and resumes; nothing is lost
//! or skipped. (Stopping a PostgreSQL server under a producer and a consumer is part of
//! `cargo xtask soak queue`, which owns a throwaway server it can stop.)

mod support;

use std::thread;
use std::time::{Duration, Instant};

use rpclib_core::ClientError;
use rpclib_transport_dbqueue::diesel::{
    Connection, SqliteConnection, connection::SimpleConnection,
};
use rpclib_transport_dbqueue::{Queue, Shutdown, StartFrom, TaskId};

use support::db::databases;
use support::service::{Journal, TestServiceClient, app};

fn wait_until(mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out");
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_locked_sqlite_file_fails_the_producer_clearly_and_the_consumer_resumes() {
    let _ = env_logger::builder().is_test(true).try_init();
    let db = databases("outage")
        .into_iter()
        .find(|d| d.backend == "sqlite")
        .expect("SQLite is always tested");
    let journal = Journal::default();
    let app = app(&journal);
    let queue = Queue::builder(&db.url)
        .busy_timeout(Duration::from_millis(200))
        .open()
        .unwrap();
    queue.register_worker(1, StartFrom::First).unwrap();
    let client = TestServiceClient::new(queue.producer(app.clone()));
    assert_eq!(client.record(1).unwrap(), TaskId(1));

    // Another connection takes the write lock.
    let path = db.url.trim_start_matches("sqlite://");
    let mut holder = SqliteConnection::establish(path).unwrap();
    holder.batch_execute("BEGIN EXCLUSIVE").unwrap();

    // The consumer starts while the file is locked.
    let shutdown = Shutdown::new();
    let consumer = queue
        .consumer(app.clone(), 1)
        .shutdown(shutdown.clone())
        .build();
    let running = thread::spawn(move || consumer.run());

    // The producer: a clear error, and no task.
    match client.record(2) {
        Err(ClientError::Transport(e)) => {
            let text = e.to_string();
            assert!(text.contains("database is locked"), "{text}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    thread::sleep(Duration::from_millis(500));
    holder.batch_execute("COMMIT").unwrap();

    // After the lock: the next call gets the next id (nothing partial was stored), and the
    // consumer runs both tasks.
    assert_eq!(client.record(3).unwrap(), TaskId(2));
    wait_until(|| queue.status().unwrap().workers.iter().all(|w| w.lag == 0));
    shutdown.trigger();
    running.join().unwrap().unwrap();
    let status = queue.status().unwrap();
    assert_eq!((status.head, status.stored, status.failed), (2, 2, 0));
    let mut ran: Vec<(i64, i64)> = journal.of_worker(1);
    ran.dedup();
    assert_eq!(ran, vec![(1, 1), (2, 3)], "every task, in order");
    assert_eq!(
        queue.task_payload(TaskId(2)).unwrap().as_deref(),
        Some(&b"record n=3"[..])
    );
}
