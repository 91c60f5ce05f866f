//! `cargo xtask soak queue [--seconds N]`: queue chaos, then database outages.
//!
//! Chaos, on a SQLite file and on PostgreSQL (a throwaway server from
//! [`with_test_databases`](crate::databases::with_test_databases)): two producer processes and
//! three consumer processes (worker ids 1-3) of the queue's `chaos` example are SIGKILLed and
//! restarted at random for N seconds (default 60) while tasks flow; then every consumer runs
//! until idle and `chaos verify` does the exact accounting (every worker committed every
//! task once, repeats only where a kill hit a task in flight, every failure record is an
//! expected one, every enqueue a producer reported is stored once).
//!
//! Outages: the PostgreSQL server is stopped (`pg_ctl stop`) for a few seconds under a running
//! producer and consumer, then started again; a SQLite file is locked by another process
//! (`BEGIN EXCLUSIVE`) longer than the producer's and consumer's busy timeout. The producer
//! must report clear errors and finish (retrying), the consumer reconnect and resume, and the
//! same accounting must hold.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

const WORKERS: i64 = 3;
const PRODUCERS: usize = 2;

pub(crate) fn run(args: &[String]) -> Result<()> {
    let mut seconds = 60u64;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                let v = it.next().context("--seconds needs a value")?;
                seconds = v
                    .parse()
                    .with_context(|| format!("--seconds: not a number: {v:?}"))?;
            }
            other => bail!("soak queue: unknown argument {other:?} (--seconds N)"),
        }
    }
    let external_pg = std::env::var("RPCLIB_TEST_PG_URL").is_ok_and(|v| !v.is_empty());
    crate::cargo(
        &[
            "build",
            "--release",
            "-p",
            "rpclib-transport-dbqueue",
            "--example",
            "chaos",
            "--features",
            "postgres",
        ],
        &[],
    )?;
    let bin = crate::target_dir()?.join("release/examples/chaos");
    let work = crate::target_dir()?.join("soak-queue");
    // SQLite and PostgreSQL share the time: half each.
    let each = (seconds / 2).max(10);

    let sqlite_dir = fresh(&work.join("sqlite"))?;
    let url = format!("sqlite://{}", sqlite_dir.join("queue.db").display());
    chaos(&bin, &url, None, &sqlite_dir, each).context("queue chaos on SQLite")?;
    let lock_dir = fresh(&work.join("sqlite-lock"))?;
    let url = format!("sqlite://{}", lock_dir.join("queue.db").display());
    sqlite_lock_outage(&bin, &url, &lock_dir).context("SQLite lock outage")?;

    crate::databases::with_test_databases(|env| {
        let Some((_, admin)) = env.iter().find(|(k, _)| *k == "RPCLIB_TEST_PG_URL") else {
            eprintln!(
                "\n!!!!!!!! xtask: no PostgreSQL: queue chaos on PostgreSQL NOT RUN !!!!!!!!\n"
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                bail!("PostgreSQL is required under CI=true");
            }
            return Ok(());
        };
        let pg_dir = fresh(&work.join("postgres"))?;
        let url = with_database(admin, "rpclib_chaos")?;
        chaos(&bin, &url, Some(admin), &pg_dir, each).context("queue chaos on PostgreSQL")?;
        if external_pg {
            // Not that server: it is not ours to stop. Below, on one of our own.
            return Ok(());
        }
        let outage_dir = fresh(&work.join("postgres-outage"))?;
        let url = with_database(admin, "rpclib_outage")?;
        pg_outage(&bin, admin, &url, &outage_dir).context("PostgreSQL outage")
    })?;
    if external_pg {
        // The outage stops and restarts the server (`pg_ctl`): a throwaway one, started for
        // it; under CI=true, not being able to start one is an error, not a skipped test.
        eprintln!(
            "xtask: soak queue: RPCLIB_TEST_PG_URL names a server of its own, which is not \
             ours to stop: the PostgreSQL outage runs on a throwaway server"
        );
        crate::databases::with_own_postgres(|admin| {
            let outage_dir = fresh(&work.join("postgres-outage"))?;
            let url = with_database(admin, "rpclib_outage")?;
            pg_outage(&bin, admin, &url, &outage_dir).context("PostgreSQL outage")
        })?;
    }
    Ok(())
}

fn fresh(dir: &Path) -> Result<PathBuf> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir.to_owned())
}

/// `scheme://authority/db`.
fn with_database(url: &str, db: &str) -> Result<String> {
    let (scheme, rest) = url.split_once("://").context("a URL with a scheme")?;
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    Ok(format!("{scheme}://{authority}/{db}"))
}

/// Runs `chaos MODE ARGS` to completion, failing with its output when it fails.
fn chaos_cmd(bin: &Path, mode: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(bin)
        .arg(mode)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        bail!(
            "`chaos {mode}` failed ({}):\n{stdout}{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(stdout)
}

/// A small xorshift generator seeded from the clock.
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        Rng(nanos | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// The processes of one run, with their logs in `dir`.
struct Fleet<'a> {
    bin: &'a Path,
    url: &'a str,
    dir: &'a Path,
    busy_timeout_ms: &'a str,
    producers: Vec<Option<(i64, Child)>>,
    consumers: Vec<Option<Child>>,
    next_instance: i64,
    producer_count: i64,
    pace_ms: &'a str,
    /// How long each consumed task takes (to have work in hand when an outage comes).
    delay_ms: &'a str,
    consumer_kills: u64,
    producer_kills: u64,
    restarts: u64,
}

impl Fleet<'_> {
    fn spawn_producer(&mut self, slot: usize) -> Result<()> {
        let instance = self.next_instance;
        self.next_instance += 1;
        let log = self.dir.join(format!("producer-{instance}"));
        let err = std::fs::File::create(self.dir.join(format!("producer-{instance}.stderr")))?;
        let child = Command::new(self.bin)
            .arg("produce")
            .args(["--db", self.url, "--instance", &instance.to_string()])
            .args(["--count", &self.producer_count.to_string()])
            .args(["--pace-ms", self.pace_ms])
            .args(["--busy-timeout-ms", self.busy_timeout_ms])
            .arg("--log")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .context("starting a producer")?;
        self.producers[slot] = Some((instance, child));
        Ok(())
    }

    fn spawn_consumer(&mut self, slot: usize) -> Result<()> {
        let worker = slot as i64 + 1;
        let log = self.dir.join(format!("consumer-{worker}"));
        let err = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(format!("consumer-{worker}.stderr")))?;
        let child = Command::new(self.bin)
            .arg("consume")
            .args(["--db", self.url, "--worker", &worker.to_string()])
            .args(["--busy-timeout-ms", self.busy_timeout_ms])
            .args(["--delay-ms", self.delay_ms])
            .arg("--log")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .context("starting a consumer")?;
        self.consumers[slot] = Some(child);
        Ok(())
    }

    fn record(&self, file: &str, line: String) -> Result<()> {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(file))?;
        writeln!(f, "{line}")?;
        Ok(())
    }

    fn kill_consumer(&mut self, slot: usize) -> Result<()> {
        if let Some(mut child) = self.consumers[slot].take() {
            let pid = child.id();
            if child.try_wait()?.is_none() {
                child.kill().ok();
                self.consumer_kills += 1;
            }
            child.wait()?;
            // Recorded even if it had exited: a pid listed but not killed explains nothing
            // it did not do.
            self.record("killed-consumers", pid.to_string())?;
        }
        Ok(())
    }

    fn kill_producer(&mut self, slot: usize) -> Result<()> {
        if let Some((instance, mut child)) = self.producers[slot].take() {
            if child.try_wait()?.is_none() {
                child.kill().ok();
                self.producer_kills += 1;
                self.record("killed-producers", instance.to_string())?;
            }
            let status = child.wait()?;
            check_exit(&format!("producer {instance}"), status, true)?;
        }
        Ok(())
    }

    /// Restarts whatever exited; fails on a process that died by itself.
    fn restart_exited(&mut self) -> Result<()> {
        for slot in 0..self.producers.len() {
            let exited = match &mut self.producers[slot] {
                Some((instance, child)) => match child.try_wait()? {
                    Some(status) => {
                        check_exit(&format!("producer {instance}"), status, false)?;
                        true
                    }
                    None => false,
                },
                None => true,
            };
            if exited {
                self.spawn_producer(slot)?;
                self.restarts += 1;
            }
        }
        for slot in 0..self.consumers.len() {
            let exited = match &mut self.consumers[slot] {
                Some(child) => match child.try_wait()? {
                    Some(status) => {
                        check_exit(&format!("consumer {}", slot + 1), status, false)?;
                        true
                    }
                    None => false,
                },
                None => true,
            };
            if exited {
                self.spawn_consumer(slot)?;
                self.restarts += 1;
            }
        }
        Ok(())
    }

    /// SIGTERM to every consumer (they finish their task and commit), then reaps them.
    fn stop_consumers(&mut self) -> Result<()> {
        for (slot, c) in self.consumers.iter_mut().enumerate() {
            if let Some(mut child) = c.take() {
                let _ = Command::new("kill")
                    .args(["-TERM", &child.id().to_string()])
                    .status();
                let status = child.wait()?;
                check_exit(&format!("consumer {}", slot + 1), status, false)?;
            }
        }
        Ok(())
    }
}

impl Drop for Fleet<'_> {
    fn drop(&mut self) {
        for (_, mut c) in self.producers.iter_mut().filter_map(Option::take) {
            let _ = c.kill();
            let _ = c.wait();
        }
        for mut c in self.consumers.iter_mut().filter_map(Option::take) {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A process that ended: fine if it succeeded (or was killed by us); a panic or an error
/// exit is a failure.
fn check_exit(what: &str, status: std::process::ExitStatus, killed: bool) -> Result<()> {
    use std::os::unix::process::ExitStatusExt;
    if status.success() || (killed && status.signal() == Some(9)) {
        return Ok(());
    }
    bail!("{what} exited by itself with {status} (a panic is 101); see its .stderr file")
}

fn chaos(bin: &Path, url: &str, admin: Option<&str>, dir: &Path, seconds: u64) -> Result<()> {
    eprintln!("xtask: soak queue: chaos on {url} for {seconds} s");
    let workers = WORKERS.to_string();
    let mut setup = vec!["--db", url, "--workers", &workers];
    if let Some(admin) = admin {
        setup.extend(["--admin", admin]);
    }
    chaos_cmd(bin, "setup", &setup)?;
    let mut fleet = Fleet {
        bin,
        url,
        dir,
        busy_timeout_ms: "10000",
        producers: (0..PRODUCERS).map(|_| None).collect(),
        consumers: (0..WORKERS).map(|_| None).collect(),
        next_instance: 1,
        producer_count: 100_000,
        pace_ms: "2",
        delay_ms: "0",
        consumer_kills: 0,
        producer_kills: 0,
        restarts: 0,
    };
    for slot in 0..PRODUCERS {
        fleet.spawn_producer(slot)?;
    }
    for slot in 0..WORKERS as usize {
        fleet.spawn_consumer(slot)?;
    }
    let mut rng = Rng::new();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(150 + rng.below(600)));
        if rng.below(3) == 0 {
            let slot = rng.below(PRODUCERS as u64) as usize;
            fleet.kill_producer(slot)?;
        } else {
            let slot = rng.below(WORKERS as u64) as usize;
            fleet.kill_consumer(slot)?;
        }
        fleet.restart_exited()?;
    }
    // The flow stops with a last kill of every producer; the consumers catch up.
    for slot in 0..PRODUCERS {
        fleet.kill_producer(slot)?;
    }
    fleet.restart_exited_consumers_only()?;
    chaos_cmd(bin, "wait", &["--db", url, "--seconds", "300"])?;
    fleet.stop_consumers()?;
    let report = chaos_cmd(
        bin,
        "verify",
        &[
            "--db",
            url,
            "--workers",
            &workers,
            "--dir",
            dir.to_str().context("a UTF-8 path")?,
        ],
    )?;
    eprint!("{report}");
    eprintln!(
        "xtask: soak queue: {} consumer kills, {} producer kills, {} restarts",
        fleet.consumer_kills, fleet.producer_kills, fleet.restarts
    );
    Ok(())
}

impl Fleet<'_> {
    fn restart_exited_consumers_only(&mut self) -> Result<()> {
        let producers = std::mem::take(&mut self.producers);
        let result = self.restart_exited();
        self.producers = producers;
        result
    }
}

/// A single producer and consumer (worker 1) with a short busy timeout, and a `BEGIN
/// EXCLUSIVE` held by another process for longer than that.
fn sqlite_lock_outage(bin: &Path, url: &str, dir: &Path) -> Result<()> {
    eprintln!("xtask: soak queue: SQLite file locked by another process under load");
    chaos_cmd(bin, "setup", &["--db", url, "--workers", "1"])?;
    let mut fleet = Fleet {
        bin,
        url,
        dir,
        busy_timeout_ms: "300",
        producers: vec![None],
        consumers: vec![None],
        next_instance: 1,
        producer_count: 400,
        pace_ms: "5",
        delay_ms: "10",
        consumer_kills: 0,
        producer_kills: 0,
        restarts: 0,
    };
    fleet.spawn_producer(0)?;
    // A backlog first, and a consumer working through it (slowly) when the lock comes.
    std::thread::sleep(Duration::from_millis(1500));
    fleet.spawn_consumer(0)?;
    std::thread::sleep(Duration::from_millis(500));
    let mut holder = Command::new(bin)
        .args(["hold-lock", "--db", url, "--ms", "3000"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .context("starting the lock holder")?;
    let held = holder.wait()?;
    if !held.success() {
        bail!("the lock holder failed ({held})");
    }
    finish_outage(&mut fleet, url, dir, false)
}

/// Waits for the producer to finish, the consumer to catch up; checks both met the outage
/// and got over it; accounts.
fn finish_outage(fleet: &mut Fleet<'_>, url: &str, dir: &Path, must_reconnect: bool) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let Some((instance, child)) = fleet.producers[0].as_mut() else {
            bail!("no producer");
        };
        if let Some(status) = child.try_wait()? {
            check_exit(&format!("producer {instance}"), status, false)?;
            break;
        }
        if Instant::now() > deadline {
            bail!("the producer did not finish within 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    fleet.producers[0] = None;
    chaos_cmd(fleet.bin, "wait", &["--db", url, "--seconds", "120"])?;
    fleet.stop_consumers()?;
    let report = chaos_cmd(
        fleet.bin,
        "verify",
        &[
            "--db",
            url,
            "--workers",
            "1",
            "--dir",
            dir.to_str().context("a UTF-8 path")?,
        ],
    )?;
    eprint!("{report}");
    let producer_err = std::fs::read_to_string(dir.join("producer-1.stderr")).unwrap_or_default();
    let consumer_err = std::fs::read_to_string(dir.join("consumer-1.stderr")).unwrap_or_default();
    let first_error = producer_err
        .lines()
        .find(|l| l.starts_with("chaos producer") && l.contains("failed"))
        .context("the producer reported no error during the outage")?;
    eprintln!("xtask: soak queue: the producer said: {first_error}");
    match consumer_err.lines().find(|l| l.contains("reconnecting")) {
        Some(line) => eprintln!("xtask: soak queue: the consumer said: {line}"),
        None if must_reconnect => bail!("the consumer never reconnected during the outage"),
        // SQLite: the consumer may only have waited for the lock (its reads go on in WAL
        // mode); it resumed, as the accounting shows.
        None => eprintln!("xtask: soak queue: the consumer waited out the lock, no error"),
    }
    Ok(())
}

/// The throwaway server of `databases.rs`: its data directory, binaries and user.
fn pg_ctl(args: &[&str]) -> Result<()> {
    let data = crate::target_dir()?.join("test-databases/postgres/data");
    let bin = std::fs::read_dir("/usr/lib/postgresql")
        .context("no /usr/lib/postgresql")?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|b| b.join("pg_ctl").exists())
        .max()
        .context("no pg_ctl under /usr/lib/postgresql")?;
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut cmd = if root_user {
        let user = if Command::new("id")
            .arg("postgres")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
        {
            "postgres"
        } else {
            "nobody"
        };
        let mut c = Command::new("runuser");
        c.args(["-u", user, "--"]).arg(bin.join("pg_ctl"));
        c
    } else {
        Command::new(bin.join("pg_ctl"))
    };
    let status = cmd
        .arg("-D")
        .arg(&data)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .context("running pg_ctl")?;
    if !status.success() {
        bail!("pg_ctl {} failed ({status})", args.join(" "));
    }
    Ok(())
}

fn pg_outage(bin: &Path, admin: &str, url: &str, dir: &Path) -> Result<()> {
    eprintln!("xtask: soak queue: PostgreSQL stopped and started under load");
    chaos_cmd(
        bin,
        "setup",
        &["--db", url, "--workers", "1", "--admin", admin],
    )?;
    let port = admin
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|a| a.rsplit(':').next())
        .context("no port in the PostgreSQL URL")?
        .to_owned();
    let log = crate::target_dir()?.join("test-databases/postgres/server.log");
    let log = log.to_str().context("a UTF-8 path")?.to_owned();
    let mut fleet = Fleet {
        bin,
        url,
        dir,
        busy_timeout_ms: "10000",
        producers: vec![None],
        consumers: vec![None],
        next_instance: 1,
        producer_count: 400,
        pace_ms: "10",
        delay_ms: "10",
        consumer_kills: 0,
        producer_kills: 0,
        restarts: 0,
    };
    fleet.spawn_consumer(0)?;
    fleet.spawn_producer(0)?;
    std::thread::sleep(Duration::from_millis(1500));
    pg_ctl(&["-m", "fast", "-w", "stop"])?;
    eprintln!("xtask: soak queue: PostgreSQL stopped");
    std::thread::sleep(Duration::from_secs(4));
    // The options `databases.rs` starts it with.
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= \
         -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    );
    pg_ctl(&["-o", &options, "-l", &log, "-w", "-t", "60", "start"])?;
    eprintln!("xtask: soak queue: PostgreSQL started again");
    finish_outage(&mut fleet, url, dir, true)
}
