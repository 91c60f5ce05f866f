//! The processes of `cargo xtask soak queue`: producers, consumers, a lock holder, and the
//! accounting that checks what they left in the database.
//!
//! ```text
//! chaos setup     --db URL --workers N
//! chaos produce   --db URL --instance K --count N --log FILE [--pace-ms M] [--busy-timeout-ms B]
//! chaos consume   --db URL --worker K --log FILE [--busy-timeout-ms B] [--delay-ms D]
//! chaos hold-lock --db URL --ms M          (SQLite: BEGIN EXCLUSIVE for M ms, another process)
//! chaos wait      --db URL --seconds S     (until every worker has run every task)
//! chaos verify    --db URL --workers N --dir DIR
//! ```
//!
//! Producer instance K enqueues `work seq=S` (every 37th: `refuse seq=S`, which fails) for
//! S = K * 1_000_000 + i, logging `P S TASK` after each enqueue returned and `X S ERROR` after
//! each that failed (then it retries the same S). Consumers run `work` by inserting
//! (worker, task) into `chaos_effects` in the consumer's transaction (exact, committed
//! accounting) and append `S WORKER TASK PID` to a side log first (every execution, committed
//! or not). `DIR/killed-consumers` and `DIR/killed-producers` list the consumer pids and
//! producer instances that were SIGKILLed; `verify` explains every duplicate with them.

#![allow(clippy::print_stdout, missing_docs, unreachable_pub)]

#[allow(dead_code, unreachable_pub, missing_docs)]
#[path = "../tests/support/protocol.rs"]
mod protocol;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rpclib_core::{Application, Fault, MethodContext, service};
use rpclib_transport_dbqueue::diesel::{self, Connection, RunQueryDsl};
use rpclib_transport_dbqueue::{
    Backend, Queue, QueueBuilder, QueueTransport, Shutdown, StartFrom, TaskId,
};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const NS: &str = "urn:rpclib:chaos";
const EFFECTS: &str = "CREATE TABLE IF NOT EXISTS chaos_effects (worker_id BIGINT NOT NULL, \
                       task_id BIGINT NOT NULL, PRIMARY KEY (worker_id, task_id))";

fn append(path: &Path, line: &str) {
    let written = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    if let Err(e) = written {
        eprintln!("chaos: cannot append to {}: {e}", path.display());
        std::process::exit(3);
    }
}

#[derive(Debug)]
pub struct ChaosService {
    log: PathBuf,
    delay: Duration,
}

impl ChaosService {
    fn started(&self, ctx: &MethodContext) -> Result<(i64, i64), Fault> {
        let t = ctx
            .transport::<QueueTransport>()
            .ok_or_else(|| Fault::server("not a queue task"))?;
        let (worker, task) = (t.consumer_id, t.task_id.0);
        append(
            &self.log,
            &format!("S {worker} {task} {}\n", std::process::id()),
        );
        Ok((worker, task))
    }
}

#[service(namespace = "urn:rpclib:chaos")]
impl ChaosService {
    /// Records its execution in the consumer's transaction.
    #[rpc]
    fn work(&self, ctx: &mut MethodContext, seq: i64) -> Result<i64, Fault> {
        let (worker, task) = self.started(ctx)?;
        let sql =
            format!("INSERT INTO chaos_effects (worker_id, task_id) VALUES ({worker}, {task})");
        let tx = ctx
            .transport::<QueueTransport>()
            .ok_or_else(|| Fault::server("not a queue task"))?
            .transaction()
            .clone();
        tx.with(|c| c.batch_execute(&sql))
            .map_err(|e| Fault::server(e.to_string()))?
            .map_err(|e| Fault::server(e.to_string()))?;
        if !self.delay.is_zero() {
            std::thread::sleep(self.delay);
        }
        Ok(seq)
    }

    /// Always fails: its failure record is expected.
    #[rpc]
    fn refuse(&self, ctx: &mut MethodContext, seq: i64) -> Result<i64, Fault> {
        self.started(ctx)?;
        Err(Fault::client("Refused", format!("seq {seq} is refused")))
    }
}

fn app(log: PathBuf, delay: Duration) -> Res<Arc<Application>> {
    Ok(Application::builder("Chaos", NS)
        .service(ChaosService { log, delay })
        .protocol(protocol::LineProtocol)
        .build()?)
}

struct Flags(HashMap<String, String>);

impl Flags {
    fn parse(args: &[String]) -> Res<Flags> {
        let mut map = HashMap::new();
        let mut it = args.iter();
        while let Some(k) = it.next() {
            let k = k.strip_prefix("--").ok_or(format!("unexpected {k:?}"))?;
            let v = it.next().ok_or(format!("--{k} needs a value"))?;
            map.insert(k.to_owned(), v.clone());
        }
        Ok(Flags(map))
    }
    fn get(&self, k: &str) -> Res<&str> {
        Ok(self.0.get(k).ok_or(format!("--{k} is required"))?)
    }
    fn num(&self, k: &str) -> Res<i64> {
        Ok(self.get(k)?.parse()?)
    }
    fn num_or(&self, k: &str, default: i64) -> Res<i64> {
        match self.0.get(k) {
            Some(v) => Ok(v.parse()?),
            None => Ok(default),
        }
    }
}

fn builder(f: &Flags) -> Res<QueueBuilder> {
    let busy = u64::try_from(f.num_or("busy-timeout-ms", 10_000)?)?;
    Ok(Queue::builder(f.get("db")?)
        .busy_timeout(Duration::from_millis(busy))
        .connection_timeout(Duration::from_secs(2)))
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(mode) = args.first() else {
        eprintln!("usage: chaos setup|produce|consume|hold-lock|wait|verify --flags");
        std::process::exit(2);
    };
    let result = Flags::parse(&args[1..]).and_then(|f| match mode.as_str() {
        "setup" => setup(&f),
        "produce" => produce(&f),
        "consume" => consume(&f),
        "hold-lock" => hold_lock(&f),
        "wait" => wait(&f),
        "verify" => verify(&f),
        other => Err(format!("unknown mode {other:?}").into()),
    });
    if let Err(e) = result {
        eprintln!("chaos {mode}: {e}");
        std::process::exit(1);
    }
}

fn exec(url: &str, sql: &str) -> Res<()> {
    use diesel::connection::SimpleConnection;
    if url.starts_with("postgres") {
        #[cfg(feature = "postgres")]
        {
            return Ok(diesel::PgConnection::establish(url)?.batch_execute(sql)?);
        }
        #[cfg(not(feature = "postgres"))]
        return Err("built without the postgres feature".into());
    }
    let path = url.trim_start_matches("sqlite://");
    let mut c = diesel::SqliteConnection::establish(path)?;
    c.batch_execute("PRAGMA busy_timeout = 10000")?;
    Ok(c.batch_execute(sql)?)
}

#[derive(diesel::QueryableByName)]
struct Effect {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    worker_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    task_id: i64,
}

fn effects(url: &str) -> Res<Vec<Effect>> {
    let q = diesel::sql_query("SELECT worker_id, task_id FROM chaos_effects");
    if url.starts_with("postgres") {
        #[cfg(feature = "postgres")]
        {
            return Ok(q.load(&mut diesel::PgConnection::establish(url)?)?);
        }
        #[cfg(not(feature = "postgres"))]
        return Err("built without the postgres feature".into());
    }
    let path = url.trim_start_matches("sqlite://");
    Ok(q.load(&mut diesel::SqliteConnection::establish(path)?)?)
}

fn setup(f: &Flags) -> Res<()> {
    if let Some(admin) = f.0.get("admin") {
        let db = f.get("db")?;
        let name = db.rsplit('/').next().unwrap_or(db);
        exec(
            admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )?;
        exec(admin, &format!("CREATE DATABASE {name}"))?;
    }
    let queue = builder(f)?.open()?;
    exec(f.get("db")?, EFFECTS)?;
    for w in 1..=f.num("workers")? {
        queue.register_worker(w, StartFrom::First)?;
    }
    Ok(())
}

fn produce(f: &Flags) -> Res<()> {
    let log = PathBuf::from(f.get("log")?);
    let instance = f.num("instance")?;
    let pace = Duration::from_millis(u64::try_from(f.num_or("pace-ms", 0)?)?);
    let queue = builder(f)?.open()?;
    let producer = queue.producer(app(log.clone(), Duration::ZERO)?);
    let client = ChaosServiceClient::new(producer);
    let mut errors = 0u64;
    for i in 0..f.num("count")? {
        let seq = instance * 1_000_000 + i;
        loop {
            let sent = if seq % 37 == 0 {
                client.refuse(seq)
            } else {
                client.work(seq)
            };
            match sent {
                Ok(TaskId(id)) => {
                    append(&log, &format!("P {seq} {id}\n"));
                    break;
                }
                Err(e) => {
                    errors += 1;
                    let text = e.to_string().replace('\n', " ");
                    eprintln!("chaos producer {instance}: enqueue of seq {seq} failed: {text}");
                    append(&log, &format!("X {seq} {text}\n"));
                    std::thread::sleep(Duration::from_millis(200));
                }
            }
        }
        if !pace.is_zero() {
            std::thread::sleep(pace);
        }
    }
    eprintln!("chaos producer {instance}: done, {errors} failed attempts");
    Ok(())
}

fn consume(f: &Flags) -> Res<()> {
    let log = PathBuf::from(f.get("log")?);
    let queue = builder(f)?.open()?;
    let consumer = queue
        .consumer(
            app(
                log,
                Duration::from_millis(u64::try_from(f.num_or("delay-ms", 0)?)?),
            )?,
            f.num("worker")?,
        )
        .shutdown(Shutdown::on_signals()?)
        .build();
    let stats = consumer.run()?;
    eprintln!(
        "chaos consumer {}: stopped; {} processed, {} failed",
        consumer.worker_id(),
        stats.processed,
        stats.failed
    );
    Ok(())
}

fn hold_lock(f: &Flags) -> Res<()> {
    use diesel::connection::SimpleConnection;
    let url = f.get("db")?;
    let path = url.trim_start_matches("sqlite://");
    let mut c = diesel::SqliteConnection::establish(path)?;
    c.batch_execute("PRAGMA busy_timeout = 10000; BEGIN EXCLUSIVE")?;
    eprintln!("chaos: holding an exclusive lock on {path}");
    std::thread::sleep(Duration::from_millis(u64::try_from(f.num("ms")?)?));
    c.batch_execute("COMMIT")?;
    eprintln!("chaos: lock released");
    Ok(())
}

fn wait(f: &Flags) -> Res<()> {
    let queue = builder(f)?.open()?;
    let deadline = Instant::now() + Duration::from_secs(u64::try_from(f.num("seconds")?)?);
    loop {
        let s = queue.status()?;
        if s.workers.iter().all(|w| w.lag == 0) {
            return Ok(());
        }
        if Instant::now() > deadline {
            let lags: Vec<_> = s.workers.iter().map(|w| (w.worker_id, w.lag)).collect();
            return Err(format!("workers still lag behind: {lags:?}").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn lines(path: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split(' ').map(str::to_owned).collect())
        .collect()
}

fn verify(f: &Flags) -> Res<()> {
    let url = f.get("db")?;
    let dir = PathBuf::from(f.get("dir")?);
    let workers: Vec<i64> = (1..=f.num("workers")?).collect();
    let queue = builder(f)?.open()?;
    let status = queue.status()?;
    let mut problems: Vec<String> = Vec::new();

    // The tasks: id -> (operation, seq). Ids are gapless on SQLite and MySQL; on PostgreSQL
    // they come from a sequence, and a producer killed inside its transaction leaves a gap
    // (what it enqueued is checked against the producers' logs below either way).
    let gaps_allowed = queue.backend() == Backend::Postgres;
    let mut tasks: BTreeMap<i64, (String, i64)> = BTreeMap::new();
    for id in 1..=status.head {
        let Some(payload) = queue.task_payload(TaskId(id))? else {
            if gaps_allowed {
                continue;
            }
            return Err(format!("task {id} is missing").into());
        };
        let text = String::from_utf8(payload)?;
        let op = text.split(' ').next().unwrap_or("").to_owned();
        let seq: i64 = text
            .split(' ')
            .find_map(|w| w.strip_prefix("seq="))
            .ok_or(format!("task {id}: no seq in {text:?}"))?
            .parse()?;
        tasks.insert(id, (op, seq));
    }

    // Producers: every logged enqueue is there once; the rest was in flight at a kill.
    let killed_producers: BTreeSet<i64> = lines(&dir.join("killed-producers"))
        .iter()
        .filter_map(|l| l.first()?.parse().ok())
        .collect();
    let mut logged: BTreeMap<i64, i64> = BTreeMap::new();
    let mut failed_attempts: BTreeSet<i64> = BTreeSet::new();
    let mut producer_errors = 0;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if !name.is_some_and(|n| n.starts_with("producer-")) {
            continue;
        }
        for l in lines(&path) {
            match (l.first().map(String::as_str), l.get(1), l.get(2)) {
                (Some("P"), Some(seq), Some(id)) => {
                    logged.insert(seq.parse()?, id.parse()?);
                }
                (Some("X"), Some(seq), _) => {
                    failed_attempts.insert(seq.parse()?);
                    producer_errors += 1;
                }
                _ => {}
            }
        }
    }
    let mut by_seq: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (id, (_, seq)) in &tasks {
        by_seq.entry(*seq).or_default().push(*id);
    }
    for (seq, id) in &logged {
        if by_seq.get(seq).is_none_or(|ids| !ids.contains(id)) {
            problems.push(format!(
                "seq {seq} was enqueued as task {id} but is not there"
            ));
        }
    }
    let mut in_flight = 0;
    let mut ambiguous = 0;
    let last_logged = |instance: i64| {
        logged
            .keys()
            .filter(|s| **s / 1_000_000 == instance)
            .max()
            .copied()
    };
    for (seq, ids) in &by_seq {
        if ids.len() > 1 {
            if failed_attempts.contains(seq) {
                // An enqueue that committed although its caller saw an error (the connection
                // broke during the commit), then the retry.
                ambiguous += ids.len() - 1;
            } else {
                problems.push(format!("seq {seq} is stored {} times: {ids:?}", ids.len()));
            }
        }
        if !logged.contains_key(seq) {
            let instance = seq / 1_000_000;
            let next = last_logged(instance).map_or(instance * 1_000_000, |s| s + 1);
            if killed_producers.contains(&instance) && *seq == next {
                in_flight += 1;
            } else {
                problems.push(format!(
                    "seq {seq} (task {ids:?}) is stored but was never reported as enqueued"
                ));
            }
        }
    }

    // Consumers: committed effects, positions, failure records.
    let mut committed: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for e in effects(url)? {
        committed.entry(e.worker_id).or_default().insert(e.task_id);
    }
    let work: BTreeSet<i64> = tasks
        .iter()
        .filter(|(_, (op, _))| op == "work")
        .map(|(id, _)| *id)
        .collect();
    let refused: BTreeSet<i64> = tasks
        .iter()
        .filter(|(_, (op, _))| op == "refuse")
        .map(|(id, _)| *id)
        .collect();
    for w in &workers {
        let got = committed.remove(w).unwrap_or_default();
        if got != work {
            let lost: Vec<_> = work.difference(&got).take(10).collect();
            problems.push(format!(
                "worker {w}: {} of {} work tasks committed; missing e.g. {lost:?}",
                got.len(),
                work.len()
            ));
        }
        // Past every task: `head - position` on the counter's backends, counted on
        // PostgreSQL (where the head is not the last task in the queue's order).
        let at = status.workers.iter().find(|s| s.worker_id == *w);
        if at.is_none_or(|s| s.lag != 0) {
            let pos = at.map(|s| (s.last_task_id, s.lag));
            problems.push(format!(
                "worker {w} is not past every task: (position, lag) {pos:?}, head {}",
                status.head
            ));
        }
    }
    if !committed.is_empty() {
        problems.push(format!(
            "effects of unknown workers: {:?}",
            committed.keys()
        ));
    }
    let failures = queue.failed_tasks(None, usize::MAX >> 1)?;
    let mut failure_set = BTreeSet::new();
    for fail in &failures {
        if !failure_set.insert((fail.worker_id, fail.task_id.0)) {
            problems.push(format!(
                "task {} failed twice for worker {}",
                fail.task_id, fail.worker_id
            ));
        }
        if !refused.contains(&fail.task_id.0) {
            problems.push(format!(
                "unexplained failure of task {} on worker {}: {}",
                fail.task_id, fail.worker_id, fail.error
            ));
        }
    }
    let expected_failures = refused.len() * workers.len();
    if failure_set.len() != expected_failures {
        problems.push(format!(
            "{} failure records, {expected_failures} expected (the refused tasks)",
            failure_set.len()
        ));
    }

    // Executions from the side logs: duplicates only where a kill hit a task in flight.
    let killed: BTreeSet<u32> = lines(&dir.join("killed-consumers"))
        .iter()
        .filter_map(|l| l.first()?.parse().ok())
        .collect();
    let mut runs: BTreeMap<(i64, i64), Vec<u32>> = BTreeMap::new();
    let mut last_of_pid: HashMap<u32, (i64, i64)> = HashMap::new();
    let mut executions = 0u64;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if !name.is_some_and(|n| n.starts_with("consumer-")) {
            continue;
        }
        for l in lines(&path) {
            if let (Some("S"), Some(w), Some(t), Some(pid)) =
                (l.first().map(String::as_str), l.get(1), l.get(2), l.get(3))
            {
                let key = (w.parse()?, t.parse()?);
                let pid: u32 = pid.parse()?;
                runs.entry(key).or_default().push(pid);
                last_of_pid.insert(pid, key);
                executions += 1;
            }
        }
    }
    // A consumer that lost its connection (an outage) reconnects and runs the task it had in
    // hand again: one repeat per reconnection at most.
    let mut reconnects = 0usize;
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "stderr")
            && path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("consumer-"))
        {
            reconnects += std::fs::read_to_string(&path)?
                .lines()
                .filter(|l| l.contains("reconnecting"))
                .count();
        }
    }
    let mut after_outage = 0usize;
    let mut repeats = 0;
    for w in &workers {
        for id in tasks.keys() {
            let pids = runs.get(&(*w, *id)).cloned().unwrap_or_default();
            if pids.is_empty() {
                problems.push(format!("worker {w} never ran task {id}"));
                continue;
            }
            for pid in &pids[..pids.len() - 1] {
                repeats += 1;
                if !killed.contains(pid) && after_outage < reconnects {
                    after_outage += 1;
                    continue;
                }
                if !(killed.contains(pid) && last_of_pid.get(pid) == Some(&(*w, *id))) {
                    problems.push(format!(
                        "worker {w} ran task {id} again although process {pid} was not killed \
                         with it in flight"
                    ));
                }
            }
        }
    }

    println!(
        "chaos accounting: {} tasks ({} work, {} refused) by {} producer instances ({} killed); \
         {} workers; {} executions, {} committed per worker; {} repeated after {} consumer kills \
         and {} reconnections ({} of them after a reconnection); \
         {} failure records (expected {}); {} enqueues in flight at a producer kill; {} failed \
         enqueue attempts, {} of them committed anyway",
        tasks.len(),
        work.len(),
        refused.len(),
        by_seq
            .keys()
            .map(|s| s / 1_000_000)
            .collect::<BTreeSet<_>>()
            .len(),
        killed_producers.len(),
        workers.len(),
        executions,
        work.len() + refused.len(),
        repeats,
        killed.len(),
        reconnects,
        after_outage,
        failure_set.len(),
        expected_failures,
        in_flight,
        producer_errors,
        ambiguous,
    );
    if problems.is_empty() {
        println!("chaos accounting: OK");
        Ok(())
    } else {
        for p in problems.iter().take(40) {
            println!("PROBLEM {p}");
        }
        Err(format!("{} accounting problems", problems.len()).into())
    }
}
