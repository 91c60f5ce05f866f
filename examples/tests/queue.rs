//! The queue example end to end, with SOAP 1.1 tasks: rpclib's default run, fan-out to
//! consumers in separate processes, SIGTERM, and the WSDL of a queue-served application.
//!
//! The tests given a database run on SQLite, and on PostgreSQL and MariaDB/MySQL when built
//! with the `postgres` / `mysql` feature and `RPCLIB_TEST_PG_URL` / `RPCLIB_TEST_MYSQL_URL`
//! name a server (see [`databases`]).

#[allow(unreachable_pub)] // public in the example, private in this test
#[path = "../examples/queue.rs"]
mod queue_example;

mod common;

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use queue_example::{Args, AsyncServiceClient, Output, application, run};
use rpclib_transport_dbqueue::{Queue, TRANSPORT_URI};

fn buffer() -> (Output, Arc<Mutex<Vec<u8>>>) {
    let buf = Arc::new(Mutex::new(Vec::new()));
    (buf.clone() as Output, buf)
}

fn lines(buf: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(buf)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The example's per-task lines (in a child, the test harness's own output may precede one
/// on its line).
fn worker_lines(text: &[String]) -> Vec<String> {
    text.iter()
        .filter_map(|l| l.find("This is worker").map(|i| l[i..].to_owned()))
        .collect()
}

fn args(a: &[&str]) -> Args {
    Args::parse(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
}

fn temp_db(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!(
        "rpclib-queue-example-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("q.db").display().to_string();
    (dir, db)
}

/// A queue database for one test on one backend, removed when dropped.
struct TestDb {
    backend: &'static str,
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Server { admin: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Server { admin, name } => {
                let sql = if self.backend == "postgres" {
                    format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                } else {
                    format!("DROP DATABASE IF EXISTS {name}")
                };
                if !std::thread::panicking() {
                    admin_exec(self.backend, admin, &sql);
                }
            }
        }
    }
}

/// Every backend this run can test, each with a fresh database: SQLite always; PostgreSQL and
/// MariaDB/MySQL when built with the feature and the variable names a server. Under `CI=true`
/// a feature without its server, or a server without its feature, fails the test.
fn databases(test: &str) -> Vec<TestDb> {
    let (dir, db) = temp_db(test);
    let mut out = vec![TestDb {
        backend: "sqlite",
        url: db,
        cleanup: Cleanup::Dir(dir),
    }];
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    for (var, backend, built) in [
        ("RPCLIB_TEST_PG_URL", "postgres", cfg!(feature = "postgres")),
        ("RPCLIB_TEST_MYSQL_URL", "mysql", cfg!(feature = "mysql")),
    ] {
        match (std::env::var(var).ok().filter(|v| !v.is_empty()), built) {
            (Some(admin), true) => {
                let name = format!("rpclib_qx_{test}_{}", std::process::id());
                admin_exec(backend, &admin, &format!("DROP DATABASE IF EXISTS {name}"));
                admin_exec(backend, &admin, &format!("CREATE DATABASE {name}"));
                let (scheme, rest) = admin.split_once("://").expect("a URL with a scheme");
                let authority = rest.split(['/', '?']).next().unwrap_or(rest);
                out.push(TestDb {
                    backend,
                    url: format!("{scheme}://{authority}/{name}"),
                    cleanup: Cleanup::Server { admin, name },
                });
            }
            (Some(_), false) => {
                eprintln!(
                    "\n!!!!!!!! {var} is set but this test binary was built without the `{backend}` feature: {backend} NOT TESTED !!!!!!!!\n"
                );
                assert!(!ci, "{backend} requested but not built");
            }
            (None, true) => {
                eprintln!(
                    "\n!!!!!!!! {backend} feature built but {var} is not set: {backend} NOT TESTED !!!!!!!!\n"
                );
                assert!(
                    !ci,
                    "{var} must be set under CI=true when the feature is on"
                );
            }
            (None, false) => {}
        }
    }
    out
}

/// Runs `sql` on the server `admin` names.
fn admin_exec(backend: &str, admin: &str, sql: &str) {
    match backend {
        #[cfg(feature = "postgres")]
        "postgres" => {
            use rpclib_transport_dbqueue::diesel::{
                Connection, PgConnection, connection::SimpleConnection,
            };
            PgConnection::establish(admin)
                .expect("connect to RPCLIB_TEST_PG_URL")
                .batch_execute(sql)
                .expect(sql);
        }
        #[cfg(feature = "mysql")]
        "mysql" => {
            use rpclib_transport_dbqueue::diesel::{
                Connection, MysqlConnection, connection::SimpleConnection,
            };
            MysqlConnection::establish(admin)
                .expect("connect to RPCLIB_TEST_MYSQL_URL")
                .batch_execute(sql)
                .expect(sql);
        }
        other => panic!("no {other} support built: {admin} {sql}"),
    }
}

/// Runs the example in a child process (the test binary itself).
fn spawn_example(a: &[&str]) -> std::process::Child {
    common::child::command(a)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The entry point of example child processes (does nothing in a normal run).
#[test]
fn example_child() {
    let Some(a) = common::child::args() else {
        return;
    };
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    run(&args(&a), Arc::new(Mutex::new(std::io::stdout()))).unwrap();
}

#[test]
fn the_default_run_is_rpclibs() {
    let (out, buf) = buffer();
    let started = Instant::now();
    run(&args(&[]), out).unwrap();
    let text = lines(&buf.lock().unwrap());
    let expected: Vec<String> = (1..=10)
        .map(|n| format!("This is worker id 1, processing task id {n}."))
        .collect();
    assert_eq!(worker_lines(&text), expected);
    assert_eq!(text.last().unwrap(), "worker 1 ran 10 tasks");
    // 45 units of 20 ms: seconds, not rpclib's 45 s.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn consumers_in_separate_processes_each_run_every_task() {
    for test_db in databases("fanout") {
        eprintln!("--- fanout on {}", test_db.backend);
        consumers_in_separate_processes_on(&test_db.url);
    }
}

fn consumers_in_separate_processes_on(db: &str) {
    let (out, buf) = buffer();
    run(&args(&["--db", db, "--produce", "6"]), out).unwrap();
    assert_eq!(lines(&buf.lock().unwrap()), ["queued tasks 1 to 6"]);
    let children: Vec<_> = [1, 2]
        .iter()
        .map(|k| {
            let k = k.to_string();
            spawn_example(&[
                "--db",
                db,
                "--consume",
                "--worker-id",
                &k,
                "--exit-when-idle",
            ])
        })
        .collect();
    for (k, child) in (1..=2).zip(children) {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success());
        let expected: Vec<String> = (1..=6)
            .map(|n| format!("This is worker id {k}, processing task id {n}."))
            .collect();
        assert_eq!(worker_lines(&lines(&output.stdout)), expected);
    }
}

#[test]
fn sigterm_stops_a_waiting_consumer() {
    for test_db in databases("sigterm") {
        eprintln!("--- sigterm on {}", test_db.backend);
        sigterm_stops_a_waiting_consumer_on(&test_db.url);
    }
}

fn sigterm_stops_a_waiting_consumer_on(db: &str) {
    let mut child = spawn_example(&["--db", db, "--consume", "--worker-id", "3"]);
    let (out, _) = buffer();
    run(&args(&["--db", db, "--produce", "3"]), out).unwrap();
    let queue = Queue::open(db).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !queue
        .status()
        .unwrap()
        .workers
        .iter()
        .any(|w| w.last_task_id == 3)
    {
        assert!(
            Instant::now() < deadline,
            "the consumer did not run the tasks"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    assert!(child.wait().unwrap().success(), "a graceful exit");
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    assert!(stdout.contains("worker 3 ran 3 tasks"), "{stdout}");
}

#[test]
fn tasks_are_soap_requests_and_the_wsdl_names_the_queue() {
    for test_db in databases("soap") {
        eprintln!("--- soap on {}", test_db.backend);
        tasks_are_soap_requests_on(&test_db.url);
    }
}

fn tasks_are_soap_requests_on(db: &str) {
    let (out, buf) = buffer();
    let app = application(Duration::ZERO, out).unwrap();
    let queue = Queue::open(db).unwrap();
    let client = AsyncServiceClient::new(queue.producer(app.clone()));
    let id = client.sleep(2).unwrap();
    let payload = String::from_utf8(queue.task_payload(id).unwrap().unwrap()).unwrap();
    assert!(
        payload.contains("http://schemas.xmlsoap.org/soap/envelope/"),
        "{payload}"
    );
    assert!(
        payload.contains("sleep") && payload.contains(">2<"),
        "{payload}"
    );
    // A request that is not XML is logged and recorded; the worker moves on.
    let bad = queue.enqueue_raw(&[b"<not-soap".to_vec()]).unwrap()[0];
    client.sleep(0).unwrap();
    let consumer = queue.consumer(app, 7).build();
    assert_eq!(consumer.run_until_idle().unwrap().processed, 3);
    assert_eq!(worker_lines(&lines(&buf.lock().unwrap())).len(), 2);
    let failed = queue.failed_tasks(Some(7), 10).unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].task_id, bad);
    assert!(
        failed[0].error.contains("request rejected"),
        "{}",
        failed[0].error
    );
    // The WSDL of the application served through the queue declares the queue's transport.
    let wsdl = consumer
        .interface_document()
        .unwrap()
        .render("http://rpclib.dbqueue/async");
    assert!(
        wsdl.contains(&format!("transport=\"{TRANSPORT_URI}\"")),
        "{wsdl}"
    );
}
