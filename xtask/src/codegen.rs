//! `cargo xtask codegen`: runs `rpclib-wsdl2rs` on every WSDL of the codegen corpus, puts
//! every crate that generates into one throwaway workspace under the target directory (path
//! dependencies on this workspace, this workspace's `Cargo.lock`) and runs `cargo check` on it
//! once. Prints how many generate, compile, and are refused, by construct.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The corpus, from the workspace root.
const CORPUS: &str = "crates/codegen/tests/corpus/node-soap";

pub(crate) fn run(root: &Path) -> Result<()> {
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
            .output()
            .with_context(|| format!("cannot run {}", bin.display()))?;
        if result.status.success() {
            members.push(name);
        } else {
            let stderr = String::from_utf8_lossy(&result.stderr);
            let construct = first_construct(&stderr).unwrap_or_else(|| "(no diagnostic)".into());
            eprintln!("xtask: codegen: {rel}: refused: {construct}");
            *refused.entry(construct).or_default() += 1;
        }
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members
            .iter()
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
    check.context("the generated crates do not compile")
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
