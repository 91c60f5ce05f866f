//! `cargo xtask fuzz [--seconds N] [--target NAME] [--jobs J]`: installs cargo-fuzz into
//! `target/tools` (once), seeds each target's corpus from the project's own documents (the SOAP
//! golden requests, the WSDL snapshots, the XML conformance cases), builds the targets of `fuzz/`
//! on stable with `--sanitizer none`, and runs each for N seconds (default 60), J targets at a
//! time (default: one per core; each libFuzzer run is single-threaded, so J runs side by side
//! each get a whole core and the same N seconds they would get one after another). Fails on any
//! crash, naming the reproducer libFuzzer saved under `fuzz/artifacts/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};

/// The cargo-fuzz release the project uses.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Each target with the directories its corpus is seeded from (files copied once, as
/// `seed-<dir>-<name>`).
const TARGETS: &[(&str, &[&str])] = &[
    (
        "soap_envelope",
        &[
            "crates/protocol-soap/tests/golden/requests",
            "crates/protocol-soap/tests/golden/soap11",
            "crates/protocol-soap/tests/golden/soap12",
        ],
    ),
    (
        "wsdl_reader",
        &[
            "examples/tests/snapshots",
            "crates/interface-wsdl/tests/data",
        ],
    ),
    (
        "xml_differential",
        &[
            "crates/protocol-soap/tests/xmlconf/not-wf",
            "crates/protocol-soap/tests/xmlconf/valid",
            "crates/protocol-soap/tests/xmlconf/extra",
            "crates/protocol-soap/tests/golden/requests",
        ],
    ),
    ("json_document", &["crates/protocol-json/tests/data"]),
    ("jsonrpc", &["crates/protocol-json/tests/data/jsonrpc"]),
    ("msgpack_document", &["crates/protocol-msgpack/tests/data"]),
    ("httprpc", &["crates/protocol-httprpc/tests/data"]),
    (
        "queue_task",
        &["crates/protocol-soap/tests/golden/requests"],
    ),
];

/// What one run found.
#[derive(Debug)]
struct Outcome {
    target: &'static str,
    seconds: f64,
    execs: Option<u64>,
    corpus: usize,
    crashed: bool,
    log: PathBuf,
}

pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let mut seconds = 60u64;
    let mut only: Option<String> = None;
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seconds" => {
                let v = it.next().context("--seconds needs a value")?;
                seconds = v
                    .parse()
                    .with_context(|| format!("--seconds: not a number: {v:?}"))?;
            }
            "--target" => only = Some(it.next().context("--target needs a name")?.clone()),
            "--jobs" => {
                let v = it.next().context("--jobs needs a value")?;
                jobs = v
                    .parse::<usize>()
                    .ok()
                    .filter(|&j| j > 0)
                    .with_context(|| format!("--jobs: not a positive number: {v:?}"))?;
            }
            other => {
                bail!("fuzz: unknown argument {other:?} (--seconds N, --target NAME, --jobs J)")
            }
        }
    }
    if let Some(name) = &only
        && !TARGETS.iter().any(|(t, _)| t == name)
    {
        bail!("fuzz: no target {name:?}");
    }
    let cargo_fuzz = ensure_cargo_fuzz()?;
    let fuzz_dir = root.join("fuzz");
    let started = Instant::now();
    let status = Command::new(&cargo_fuzz)
        .args(["build", "--sanitizer", "none"])
        .current_dir(&fuzz_dir)
        .status()
        .with_context(|| format!("cannot run {}", cargo_fuzz.display()))?;
    if !status.success() {
        bail!("`cargo fuzz build` failed ({status})");
    }
    eprintln!(
        "xtask: fuzz targets built in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let logs = crate::target_dir()?.join("fuzz-logs");
    std::fs::create_dir_all(&logs).with_context(|| format!("creating {}", logs.display()))?;
    let chosen: Vec<&'static str> = TARGETS
        .iter()
        .filter(|(target, _)| only.as_deref().is_none_or(|o| o == *target))
        .map(|(target, seeds)| {
            seed(root, &fuzz_dir.join("corpus").join(target), seeds).map(|()| *target)
        })
        .collect::<Result<_>>()?;
    let outcomes = run_all(&chosen, jobs, |target| {
        run_target(&cargo_fuzz, &fuzz_dir, target, seconds, &logs)
    })?;
    eprintln!("\nxtask fuzz: {seconds} s per target, {jobs} at a time");
    eprintln!(
        "{:<16} {:>9} {:>14} {:>10}  result",
        "target", "seconds", "executions", "corpus"
    );
    for o in &outcomes {
        eprintln!(
            "{:<16} {:>9.0} {:>14} {:>10}  {}",
            o.target,
            o.seconds,
            o.execs.map_or_else(|| "?".to_owned(), |n| n.to_string()),
            o.corpus,
            if o.crashed { "CRASH" } else { "ok" }
        );
    }
    let crashed: Vec<_> = outcomes.iter().filter(|o| o.crashed).collect();
    if !crashed.is_empty() {
        for o in &crashed {
            eprintln!(
                "xtask fuzz: {} crashed; see {} and fuzz/artifacts/{}/",
                o.target,
                o.log.display(),
                o.target
            );
        }
        bail!("{} fuzz target(s) crashed", crashed.len());
    }
    Ok(())
}

/// Runs `run` on every target, `jobs` at a time, and returns the outcomes in the targets' order
/// (the first error, if any, once every started run has finished).
fn run_all(
    targets: &[&'static str],
    jobs: usize,
    run: impl Fn(&'static str) -> Result<Outcome> + Sync,
) -> Result<Vec<Outcome>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Outcome>>>> =
        Mutex::new(targets.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(targets.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&target) = targets.get(i) else { break };
                    let outcome = run(target);
                    if let Ok(mut slots) = results.lock() {
                        slots[i] = Some(outcome);
                    }
                }
            });
        }
    });
    let slots = results
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a fuzz runner thread panicked"))?;
    slots
        .into_iter()
        .zip(targets)
        .map(|(slot, target)| slot.with_context(|| format!("{target}: no outcome recorded"))?)
        .collect()
}

/// `target/tools/bin/cargo-fuzz`, installed there on first use.
fn ensure_cargo_fuzz() -> Result<PathBuf> {
    let tools = crate::target_dir()?.join("tools");
    let bin = tools.join("bin").join("cargo-fuzz");
    let current = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if current.is_some_and(|v| v.contains(CARGO_FUZZ_VERSION)) {
        return Ok(bin);
    }
    let tools_arg = tools
        .to_str()
        .context("the workspace path is not UTF-8")?
        .to_owned();
    let started = Instant::now();
    crate::cargo(
        &[
            "install",
            "--locked",
            "--root",
            &tools_arg,
            "--version",
            CARGO_FUZZ_VERSION,
            "cargo-fuzz",
        ],
        &[],
    )?;
    eprintln!(
        "xtask: cargo-fuzz installed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(bin)
}

/// Copies the seed documents into `corpus` (once; libFuzzer adds its own finds beside them).
fn seed(root: &Path, corpus: &Path, dirs: &[&str]) -> Result<()> {
    std::fs::create_dir_all(corpus).with_context(|| format!("creating {}", corpus.display()))?;
    for dir in dirs {
        let from = root.join(dir);
        let tag = Path::new(dir)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entries =
            std::fs::read_dir(&from).with_context(|| format!("reading {}", from.display()))?;
        for entry in entries {
            let path = entry?.path();
            if !path.is_file() {
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let to = corpus.join(format!("seed-{tag}-{name}"));
            if !to.exists() {
                std::fs::copy(&path, &to)
                    .with_context(|| format!("copying {} to {}", path.display(), to.display()))?;
            }
        }
    }
    Ok(())
}

fn run_target(
    cargo_fuzz: &Path,
    fuzz_dir: &Path,
    target: &'static str,
    seconds: u64,
    logs: &Path,
) -> Result<Outcome> {
    let log = logs.join(format!("{target}.log"));
    let file =
        std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let err = file.try_clone().context("duplicating the log handle")?;
    eprintln!(
        "xtask: fuzzing {target} for {seconds} s (log: {})",
        log.display()
    );
    let started = Instant::now();
    let status = Command::new(cargo_fuzz)
        .args(["run", "--sanitizer", "none", target, "--"])
        .arg(format!("-max_total_time={seconds}"))
        // An input that takes this long is a hang: reported as a crash.
        .arg("-timeout=30")
        .arg("-rss_limit_mb=4096")
        .arg("-max_len=16384")
        .arg("-print_final_stats=1")
        .current_dir(fuzz_dir)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err)
        .status()
        .with_context(|| format!("cannot run cargo fuzz run {target}"))?;
    let elapsed = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let execs = text
        .lines()
        .filter_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
        .filter_map(|n| n.trim().parse().ok())
        .next_back();
    let corpus_dir = fuzz_dir.join("corpus").join(target);
    let corpus = std::fs::read_dir(&corpus_dir)
        .with_context(|| format!("reading {}", corpus_dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .count();
    let crashed = !status.success();
    if crashed {
        let tail: Vec<&str> = text.lines().rev().take(40).collect();
        for line in tail.iter().rev() {
            eprintln!("  | {line}");
        }
    }
    Ok(Outcome {
        target,
        seconds: elapsed,
        execs,
        corpus,
        crashed,
        log,
    })
}
