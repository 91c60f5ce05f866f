//! `rpclib-dbqueue`: operate an rpclib queue from the shell.
//!
//! ```text
//! rpclib-dbqueue --db URL status
//! rpclib-dbqueue --db URL failed [--worker K] [--limit N]
//! rpclib-dbqueue --db URL prune
//! rpclib-dbqueue --db URL reset WORKER start|tail|TASK_ID
//! rpclib-dbqueue --db URL register WORKER [first|tail]
//! rpclib-dbqueue --db URL remove-worker WORKER
//! rpclib-dbqueue --db URL show TASK_ID
//! rpclib-dbqueue --db URL migrate
//! ```
#![forbid(unsafe_code)]
#![allow(clippy::print_stdout)] // a command-line tool: its output is the point

use std::process::ExitCode;

use rpclib_transport_dbqueue::{Queue, QueueError, ResetTo, StartFrom, TaskId};

const USAGE: &str = "\
usage: rpclib-dbqueue [--db URL] <command>

The URL is sqlite://PATH (or a plain path), postgres://… or mysql://…; without --db, the
RPCLIB_QUEUE_DB environment variable.

commands:
  status                          every worker's position and lag, failure counts
  failed [--worker K] [--limit N] recorded failures, newest first (default limit 20)
  prune                           delete the tasks every registered worker has run
  reset WORKER start|tail|TASK    move a worker: before the first retained task, after
                                  the last task, or right after TASK
  register WORKER [first|tail]    register a worker before its consumer first runs
  remove-worker WORKER            unregister a worker (not while its consumer runs)
  show TASK                       print a stored task's payload
  migrate                         create or upgrade the queue's tables
";

/// A command-line error: a usage mistake or a queue failure.
enum Failure {
    Usage(String),
    Queue(QueueError),
}

impl From<QueueError> for Failure {
    fn from(e: QueueError) -> Self {
        Failure::Queue(e)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("rpclib-dbqueue: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Queue(e)) => {
            eprintln!("rpclib-dbqueue: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse<T: std::str::FromStr>(what: &str, value: Option<&String>) -> Result<T, Failure> {
    let value = value.ok_or_else(|| Failure::Usage(format!("missing {what}")))?;
    value
        .parse()
        .map_err(|_| Failure::Usage(format!("`{value}` is not a valid {what}")))
}

fn run(mut args: Vec<String>) -> Result<(), Failure> {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return Ok(());
    }
    let mut db = std::env::var("RPCLIB_QUEUE_DB").ok();
    if let Some(i) = args.iter().position(|a| a == "--db") {
        args.remove(i);
        if i >= args.len() {
            return Err(Failure::Usage("--db needs a URL".into()));
        }
        db = Some(args.remove(i));
    }
    let db = db.ok_or_else(|| Failure::Usage("no database: pass --db URL".into()))?;
    let Some(command) = args.first().cloned() else {
        return Err(Failure::Usage("no command".into()));
    };
    let rest = &args[1..];
    // Opening a SQLite path creates it: a mistyped path would show an empty queue.
    if command != "migrate"
        && let Some(path) = sqlite_path(&db)
        && !std::path::Path::new(path).exists()
    {
        return Err(Failure::Usage(format!(
            "no SQLite database at `{path}` (use `migrate` to create one)"
        )));
    }
    let queue = Queue::open(&db)?;
    match command.as_str() {
        "status" => status(&queue),
        "failed" => failed(&queue, rest),
        "prune" => {
            println!("pruned {} tasks", queue.prune()?);
            Ok(())
        }
        "reset" => {
            let worker: i64 = parse("worker id", rest.first())?;
            let to = match rest.get(1).map(String::as_str) {
                Some("start") => ResetTo::Start,
                Some("tail") => ResetTo::Tail,
                _ => ResetTo::After(TaskId(parse("task id", rest.get(1))?)),
            };
            let pos = queue.reset_worker(worker, to)?;
            println!("worker {worker} now resumes after task {pos}");
            Ok(())
        }
        "register" => {
            let worker: i64 = parse("worker id", rest.first())?;
            let start = match rest.get(1).map(String::as_str) {
                None | Some("first") => StartFrom::First,
                Some("tail") => StartFrom::Tail,
                Some(other) => return Err(Failure::Usage(format!("`{other}`: first or tail"))),
            };
            let pos = queue.register_worker(worker, start)?;
            println!("worker {worker} resumes after task {pos}");
            Ok(())
        }
        "remove-worker" => {
            let worker: i64 = parse("worker id", rest.first())?;
            queue.remove_worker(worker)?;
            println!("worker {worker} removed");
            Ok(())
        }
        "show" => {
            let task: i64 = parse("task id", rest.first())?;
            match queue.task_payload(TaskId(task))? {
                Some(payload) => {
                    println!("{}", String::from_utf8_lossy(&payload));
                    Ok(())
                }
                None => Err(Failure::Usage(format!("no stored task {task}"))),
            }
        }
        "migrate" => {
            println!("schema ready ({})", queue.backend());
            Ok(())
        }
        other => Err(Failure::Usage(format!("unknown command `{other}`"))),
    }
}

/// The file of a SQLite URL (not of `sqlite::memory:` or a server URL).
fn sqlite_path(url: &str) -> Option<&str> {
    if url.contains(":memory:") {
        return None;
    }
    if let Some(p) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        return Some(p);
    }
    (!url.contains("://")).then_some(url)
}

fn status(queue: &Queue) -> Result<(), Failure> {
    let s = queue.status()?;
    let oldest = s.oldest.map_or("-".to_owned(), |t| t.to_string());
    println!(
        "backend {}  head {}  stored {} (oldest {oldest})  failed {}",
        s.backend, s.head, s.stored, s.failed
    );
    println!(
        "{:>10} {:>12} {:>10} {:>8}  updated (unix ms)",
        "worker", "last task", "lag", "failed"
    );
    for w in &s.workers {
        println!(
            "{:>10} {:>12} {:>10} {:>8}  {}",
            w.worker_id, w.last_task_id, w.lag, w.failed, w.updated_at
        );
    }
    if s.workers.is_empty() {
        println!("(no registered worker)");
    }
    Ok(())
}

fn failed(queue: &Queue, rest: &[String]) -> Result<(), Failure> {
    let mut worker = None;
    let mut limit = 20usize;
    let mut i = 0;
    while i < rest.len() {
        match rest[i].as_str() {
            "--worker" => worker = Some(parse("worker id", rest.get(i + 1))?),
            "--limit" => limit = parse("limit", rest.get(i + 1))?,
            other => return Err(Failure::Usage(format!("unexpected `{other}`"))),
        }
        i += 2;
    }
    let failures = queue.failed_tasks(worker, limit)?;
    if failures.is_empty() {
        println!("no recorded failure");
    }
    for f in failures {
        println!(
            "task {:>8}  worker {:>6}  at {}  {}",
            f.task_id, f.worker_id, f.failed_at, f.error
        );
    }
    Ok(())
}
