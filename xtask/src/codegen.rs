//! `cargo xtask codegen`: runs `rpclib-wsdl2rs` on every WSDL of the codegen corpus, puts
//! every crate that generates into one throwaway workspace under the target directory (path
//! dependencies on this workspace, this workspace's `Cargo.lock`) and runs `cargo check` on it
//! once. Prints how many generate, compile, and are refused, by construct.
//!
//! Every crate is generated with `--mock`. Then (unless `--no-zeep`) each crate's `mock`
//! binary is built and started, and zeep, from the interop venv (`target/interop/venv`),
//! loads the original WSDL, points every SOAP binding at the mock and calls every operation
//! with sample arguments (`xtask/interop/codegen_zeep.py`); a table of the results is printed
//! and any failure fails the command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The corpus, from the workspace root.
const CORPUS: &str = "crates/codegen/tests/corpus/node-soap";

pub(crate) fn run(root: &Path, args: &[String]) -> Result<()> {
    let zeep = match args {
        [] => true,
        [a] if a == "--no-zeep" => false,
        other => bail!("codegen: unknown arguments {other:?} (expected nothing or --no-zeep)"),
    };
    crate::cargo(
        &["build", "-p", "rpclib-codegen", "--bin", "rpclib-wsdl2rs"],
        &[],
    )?;
    let target = crate::target_dir()?;
    let bin = target
        .join("debug")
        .join(format!("rpclib-wsdl2rs{}", std::env::consts::EXE_SUFFIX));
    let work = target.join("codegen-corpus");
    if work.exists() {
        std::fs::remove_dir_all(&work)
            .with_context(|| format!("cannot clear {}", work.display()))?;
    }
    std::fs::create_dir_all(&work)?;
    let mut wsdls = Vec::new();
    collect(&root.join(CORPUS), &mut wsdls)?;
    let mut members = Vec::new();
    let mut sources = Vec::new();
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    for wsdl in &wsdls {
        let rel = wsdl
            .strip_prefix(root.join(CORPUS))
            .unwrap_or(wsdl)
            .to_string_lossy()
            .into_owned();
        let name: String = rel
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let out = work.join(&name);
        let result = Command::new(&bin)
            .arg("generate")
            .arg(wsdl)
            .arg("--out")
            .arg(&out)
            .arg("--name")
            .arg(format!("corpus_{name}"))
            .arg("--rpclib-path")
            .arg(root)
            .arg("--mock")
            .output()
            .with_context(|| format!("cannot run {}", bin.display()))?;
        if result.status.success() {
            members.push(name);
            sources.push(wsdl.clone());
        } else {
            let stderr = String::from_utf8_lossy(&result.stderr);
            let construct = first_construct(&stderr).unwrap_or_else(|| "(no diagnostic)".into());
            eprintln!("xtask: codegen: {rel}: refused: {construct}");
            *refused.entry(construct).or_default() += 1;
        }
    }
    // The ONVIF contracts are checked in the same build (compiled, not run against zeep).
    let onvif = onvif_crates(root, &bin, &work)?;
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members
            .iter()
            .chain(&onvif)
            .map(|m| format!("{m:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(work.join("Cargo.toml"), manifest)?;
    // The same dependency versions as this workspace: no resolution, no surprise.
    std::fs::copy(root.join("Cargo.lock"), work.join("Cargo.lock"))
        .context("cannot copy Cargo.lock")?;
    let manifest_path = work.join("Cargo.toml");
    let target_arg = target.join("codegen-check");
    let check = crate::cargo(
        &[
            "check",
            "--manifest-path",
            &manifest_path.to_string_lossy(),
            "--target-dir",
            &target_arg.to_string_lossy(),
            "--workspace",
        ],
        &[],
    );
    let total_refused: usize = refused.values().sum();
    eprintln!(
        "codegen: {} WSDLs: {} generate, {} compile, {} refused",
        wsdls.len(),
        members.len(),
        if check.is_ok() { members.len() } else { 0 },
        total_refused
    );
    for (construct, n) in &refused {
        eprintln!("  refused by {construct}: {n}");
    }
    if members.is_empty() {
        bail!("no corpus WSDL generated");
    }
    check.context("the generated crates do not compile")?;
    if zeep {
        zeep_against_mocks(root, &work, &target_arg, &members, &sources)?;
    }
    Ok(())
}

/// The ONVIF contracts that generate (`crates/codegen/tests/onvif.rs` asserts which), each
/// generated with the location map of their OASIS and W3C imports; returns the crate dirs.
fn onvif_crates(root: &Path, bin: &Path, work: &Path) -> Result<Vec<String>> {
    let corpus = root.join("crates/codegen/tests/corpus/onvif");
    let mut out = Vec::new();
    for (name, wsdl) in [
        (
            "onvif_device",
            "www.onvif.org/ver10/device/wsdl/devicemgmt.wsdl",
        ),
        ("onvif_ptz", "www.onvif.org/ver20/ptz/wsdl/ptz.wsdl"),
    ] {
        let map = |url: &str, dir: &str| format!("{url}={}", corpus.join(dir).display());
        let started = std::time::Instant::now();
        let result = Command::new(bin)
            .arg("generate")
            .arg(corpus.join(wsdl))
            .arg("--out")
            .arg(work.join(name))
            .arg("--name")
            .arg(name)
            .arg("--rpclib-path")
            .arg(root)
            .arg("--mock")
            .args([
                "--map",
                &map("http://docs.oasis-open.org/", "docs.oasis-open.org"),
            ])
            .args(["--map", &map("http://www.w3.org/", "www.w3.org")])
            .args(["--map", &map("https://www.w3.org/", "www.w3.org")])
            .output()
            .with_context(|| format!("cannot run {}", bin.display()))?;
        if !result.status.success() {
            bail!(
                "codegen: ONVIF {wsdl} does not generate:\n{}",
                String::from_utf8_lossy(&result.stderr)
            );
        }
        eprintln!(
            "xtask: codegen: ONVIF {wsdl}: generated in {:.1?} (debug build)",
            started.elapsed()
        );
        out.push(name.to_owned());
    }
    Ok(out)
}

/// Builds each crate's `mock` (one at a time: the binaries share a name), runs it, and has
/// zeep call every operation of the original WSDL on it.
fn zeep_against_mocks(
    root: &Path,
    work: &Path,
    target: &Path,
    members: &[String],
    sources: &[PathBuf],
) -> Result<()> {
    let python =
        crate::interop::provision::python_venv(&crate::target_dir()?.join("interop").join("venv"))
            .context("cannot provision zeep")?;
    let script = root.join("xtask/interop/codegen_zeep.py");
    let manifest = work.join("Cargo.toml");
    let mut rows = Vec::new();
    let mut failed = 0usize;
    for (name, wsdl) in members.iter().zip(sources) {
        crate::cargo(
            &[
                "build",
                "--quiet",
                "--manifest-path",
                &manifest.to_string_lossy(),
                "--target-dir",
                &target.to_string_lossy(),
                "-p",
                &format!("corpus_{name}"),
                "--bin",
                "mock",
            ],
            &[],
        )?;
        let exe = work.join(name).join("mock");
        std::fs::copy(
            target
                .join("debug")
                .join(format!("mock{}", std::env::consts::EXE_SUFFIX)),
            &exe,
        )
        .context("cannot copy the mock binary")?;
        let (ok, total, detail) = zeep_one(&python, &script, &exe, wsdl)?;
        if ok != total || total == 0 {
            failed += 1;
        }
        let rel = wsdl
            .strip_prefix(root)
            .unwrap_or(wsdl)
            .display()
            .to_string();
        rows.push(format!("{ok:>3}/{total:<3} {rel}{detail}"));
    }
    eprintln!("codegen: zeep against the generated mocks (operations ok/total, WSDL):");
    for r in &rows {
        eprintln!("  {r}");
    }
    if failed > 0 {
        bail!("zeep failed against {failed} of {} mocks", members.len());
    }
    Ok(())
}

/// Starts `exe --port 0`, runs the zeep script on `wsdl` against it: (ok, total, failures).
fn zeep_one(
    python: &Path,
    script: &Path,
    exe: &Path,
    wsdl: &Path,
) -> Result<(usize, usize, String)> {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Kill(
        Command::new(exe)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", exe.display()))?,
    );
    let stdout = child.0.stdout.take().context("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let Some(base) = first.strip_prefix("listening on ") else {
        // The mock could not start (its application refused the contract): a failed row.
        let mut err = String::new();
        if let Some(mut e) = child.0.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut err);
        }
        return Ok((
            0,
            0,
            format!("\n          mock did not start: {}", err.trim()),
        ));
    };
    let base = base.trim_end_matches('/').to_string();
    let path = lines
        .next()
        .transpose()?
        .and_then(|l| l.rsplit_once(&base).map(|(_, p)| p.to_string()))
        .unwrap_or_else(|| "/".into());
    let out = Command::new(python)
        .arg(script)
        .arg(wsdl)
        .arg(format!("{base}{path}"))
        .current_dir(wsdl.parent().unwrap_or(Path::new(".")))
        .output()
        .context("cannot run zeep")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let ok = text.lines().filter(|l| l.starts_with("ok ")).count();
    let fails: Vec<&str> = text.lines().filter(|l| l.starts_with("FAIL ")).collect();
    let mut detail = String::new();
    for f in &fails {
        detail.push_str("\n          ");
        detail.push_str(f);
    }
    if ok + fails.len() == 0 {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err.lines().last().unwrap_or("no output");
        detail.push_str(&format!("\n          zeep: {last}"));
    }
    Ok((ok, ok + fails.len(), detail))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "wsdl") {
            out.push(p);
        }
    }
    Ok(())
}

/// The construct of the first error line: `<location>: error: <construct>: <message>`.
fn first_construct(stderr: &str) -> Option<String> {
    let line = stderr.lines().find(|l| l.contains("error: "))?;
    let rest = line.split_once("error: ")?.1;
    let construct = rest.split_once(": ").map_or(rest, |(c, _)| c);
    // `wsdl:part "x" @element` → `wsdl:part @element`: group by kind, not by instance.
    let words: Vec<&str> = construct
        .split(' ')
        .filter(|w| !w.starts_with('"'))
        .collect();
    Some(words.join(" "))
}
