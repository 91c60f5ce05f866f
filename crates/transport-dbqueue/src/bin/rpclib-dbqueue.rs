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
        "{:>10} {:>12} {:>10} {:>8}  updated (UTC)",
        "worker", "last task", "lag", "failed"
    );
    let now = when::now_unix_ms();
    for w in &s.workers {
        println!(
            "{:>10} {:>12} {:>10} {:>8}  {}",
            w.worker_id,
            w.last_task_id,
            w.lag,
            w.failed,
            when::utc_and_age(w.updated_at, now)
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
    let now = when::now_unix_ms();
    for f in failures {
        println!(
            "task {:>8}  worker {:>6}  at {}  {}",
            f.task_id,
            f.worker_id,
            when::utc_and_age(f.failed_at, now),
            f.error
        );
    }
    Ok(())
}

/// Timestamps for people: the queue stores Unix milliseconds, operators read UTC and an age.
mod when {
    use std::time::{SystemTime, UNIX_EPOCH};

    /// Milliseconds since the Unix epoch now (0 if the clock is before it).
    pub(crate) fn now_unix_ms() -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    /// `2026-11-28T07:15:02Z, 3 s ago` for a Unix-milliseconds instant seen at `now`.
    pub(crate) fn utc_and_age(unix_ms: i64, now: i64) -> String {
        format!("{}, {}", utc(unix_ms), age(now.saturating_sub(unix_ms)))
    }

    /// RFC 3339 UTC to the second.
    fn utc(unix_ms: i64) -> String {
        let secs = unix_ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let of_day = secs.rem_euclid(86_400);
        let (y, m, d) = civil_date(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            of_day / 3600,
            of_day % 3600 / 60,
            of_day % 60
        )
    }

    /// The proleptic Gregorian date `days` after 1970-01-01, by 400-year eras (146,097 days
    /// each) so that the arithmetic stays exact for any i64 input that a timestamp can hold.
    fn civil_date(days: i64) -> (i64, i64, i64) {
        // Shift the epoch to 0000-03-01 so that leap days fall at the end of a year.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// `3 s ago`, `4 min ago`, `2 h ago`, `5 d ago`; `in the future` for clock skew.
    fn age(ms: i64) -> String {
        if ms < 0 {
            return format!("{} s in the future", (-ms).saturating_add(999) / 1000);
        }
        let s = ms / 1000;
        match s {
            0..120 => format!("{s} s ago"),
            120..7_200 => format!("{} min ago", s / 60),
            7_200..172_800 => format!("{} h ago", s / 3600),
            _ => format!("{} d ago", s / 86_400),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn formats_known_instants() {
            assert_eq!(utc(0), "1970-01-01T00:00:00Z");
            assert_eq!(utc(1_795_850_102_000), "2026-11-28T07:15:02Z");
            assert_eq!(utc(951_782_400_000), "2000-02-29T00:00:00Z");
            assert_eq!(utc(-1), "1969-12-31T23:59:59Z");
            assert_eq!(
                utc_and_age(1_795_850_102_000, 1_795_850_105_400),
                "2026-11-28T07:15:02Z, 3 s ago"
            );
            assert_eq!(age(600_000), "10 min ago");
            assert_eq!(age(-1500), "2 s in the future");
        }
    }
}
