//! The queue example end to end, with SOAP 1.1 tasks: rpclib's default run, fan-out to
//! consumers in separate processes, SIGTERM, and the WSDL of a queue-served application.

#[allow(unreachable_pub)] // public in the example, private in this test
#[path = "../examples/queue.rs"]
mod queue_example;

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use queue_example::{Args, AsyncServiceClient, Output, application, run};
use rpclib_transport_dbqueue::{Queue, TRANSPORT_URI};

const CHILD: &str = "RPCLIB_QUEUE_EXAMPLE_ARGS";

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

/// Runs the example in a child process (the test binary itself).
fn spawn_example(a: &[&str]) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "example_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, a.join(" "))
        .stdout(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .unwrap()
}

/// The entry point of example child processes (does nothing in a normal run).
#[test]
fn example_child() {
    let Ok(a) = std::env::var(CHILD) else {
        return;
    };
    let a: Vec<&str> = a.split(' ').collect();
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
    let (dir, db) = temp_db("fanout");
    let (out, buf) = buffer();
    run(&args(&["--db", &db, "--produce", "6"]), out).unwrap();
    assert_eq!(lines(&buf.lock().unwrap()), ["queued tasks 1 to 6"]);
    let children: Vec<_> = [1, 2]
        .iter()
        .map(|k| {
            let k = k.to_string();
            spawn_example(&[
                "--db",
                &db,
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
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sigterm_stops_a_waiting_consumer() {
    let (dir, db) = temp_db("sigterm");
    let mut child = spawn_example(&["--db", &db, "--consume", "--worker-id", "3"]);
    let (out, _) = buffer();
    run(&args(&["--db", &db, "--produce", "3"]), out).unwrap();
    let queue = Queue::open(&db).unwrap();
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
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn tasks_are_soap_requests_and_the_wsdl_names_the_queue() {
    let (dir, db) = temp_db("soap");
    let (out, buf) = buffer();
    let app = application(Duration::ZERO, out).unwrap();
    let queue = Queue::open(&db).unwrap();
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
    let _ = std::fs::remove_dir_all(dir);
}
