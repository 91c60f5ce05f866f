//! Provisioning of the clients into `target/interop/`, from the package registries: a Python
//! venv with zeep, suds, jsonrpcclient, msgpack, openapi-spec-validator and openapi-core (and
//! one with jsonrpcserver, one with Spyne), npm's `soap`, Debian's gSOAP. Idempotent: a marker file records
//! what was installed, and a re-run with the same requirements installs nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::process::{on_path, run, run_ok};

/// The Python packages of the venv.
const PYTHON_REQUIREMENTS: &[&str] = &[
    "zeep>=4.3,<5",
    "suds-community>=1.2,<2",
    "jsonrpcclient>=4,<5",
    "msgpack>=1,<2",
    // XSD validation of generated sample documents (`cargo xtask codegen`).
    "xmlschema>=4,<5",
    // The OpenAPI document's validator, and request/response validation (`interop-json`).
    "openapi-spec-validator>=0.8,<0.9",
    "openapi-core>=0.23,<0.24",
];
/// Spyne for its own interop server (the reverse direction), in a venv of its own: Spyne 2.14
/// needs Python <= 3.11, and the zeep/suds venv must not depend on that.
const SPYNE_REQUIREMENTS: &[&str] = &["spyne>=2.14,<2.15", "lxml>=4.9,<7"];
/// PyPI's JSON-RPC 2.0 server library for the server we did not write
/// (`xtask/interop/jsonrpc_server.py`), pinned, in a venv of its own: the check also runs
/// alone (`cargo xtask interop jsonrpc-server`) without the SOAP clients' venv.
const JSONRPCSERVER_REQUIREMENTS: &[&str] = &["jsonrpcserver==5.0.9"];
/// The npm packages.
const NPM_REQUIREMENTS: &[&str] = &["soap@^1.13"];
/// Debian's packages: the generators (wsdl2h, soapcpp2) and the C++ runtime with headers, and
/// the headers the WS-Security plugin's sources are compiled with (OpenSSL for its digests,
/// zlib because `libgsoapssl++` is built with it).
const APT_PACKAGES: &[&str] = &["gsoap", "libgsoap-dev", "libssl-dev", "zlib1g-dev"];
const INSTALL_LIMIT: Duration = Duration::from_secs(900);

/// Where the clients were installed.
#[derive(Debug)]
pub(crate) struct Clients {
    /// The venv's Python interpreter.
    pub(crate) python: PathBuf,
    /// `node_modules` holding `soap` (for NODE_PATH).
    pub(crate) node_modules: PathBuf,
    /// Whether gSOAP is there, or why not.
    pub(crate) gsoap: Result<(), String>,
}

/// Installs whatever is missing.
pub(crate) fn provision(out: &Path) -> Result<Clients> {
    let python = python_venv(&out.join("venv")).context("cannot provision the Python clients")?;
    let node_modules = npm_soap(&out.join("node")).context("cannot provision node-soap")?;
    let gsoap = gsoap()?;
    Ok(Clients {
        python,
        node_modules,
        gsoap,
    })
}

/// Whether the marker in `dir` records exactly `spec`.
fn marker_matches(dir: &Path, spec: &str) -> bool {
    fs::read_to_string(dir.join(".rpclib-provisioned")).is_ok_and(|m| m == spec)
}

fn write_marker(dir: &Path, spec: &str) -> Result<()> {
    fs::write(dir.join(".rpclib-provisioned"), spec)
        .with_context(|| format!("cannot write the marker in {}", dir.display()))
}

/// The venv at `venv` with the Python clients (zeep, suds, ...); its interpreter.
pub(crate) fn python_venv(venv: &Path) -> Result<PathBuf> {
    venv_with(venv, PYTHON_REQUIREMENTS)
}

/// The Python interpreter of the venv at `venv` holding `jsonrpcserver`.
pub(crate) fn jsonrpcserver_venv(venv: &Path) -> Result<PathBuf> {
    venv_with(venv, JSONRPCSERVER_REQUIREMENTS)
}

/// The venv at `venv` with exactly `requirements` installed (made, or refilled when its
/// marker records other requirements); its interpreter.
fn venv_with(venv: &Path, requirements: &[&str]) -> Result<PathBuf> {
    let python = venv.join("bin").join("python");
    let spec = requirements.join("\n");
    if python.is_file() && marker_matches(venv, &spec) {
        return Ok(python);
    }
    eprintln!("xtask interop: creating {} with {spec:?}", venv.display());
    if !python.is_file() {
        let _ = fs::remove_dir_all(venv);
        run_ok(
            Command::new("python3").arg("-m").arg("venv").arg(venv),
            INSTALL_LIMIT,
        )?;
    }
    run_ok(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(requirements),
        INSTALL_LIMIT,
    )?;
    write_marker(venv, &spec)?;
    Ok(python)
}

/// The Python interpreter of a venv holding Spyne, made with `python3.11` when there is one.
pub(crate) fn spyne_venv(venv: &Path) -> Result<PathBuf> {
    let python = venv.join("bin").join("python");
    let spec = SPYNE_REQUIREMENTS.join("\n");
    if python.is_file() && marker_matches(venv, &spec) {
        return Ok(python);
    }
    eprintln!("xtask interop: creating {} with {spec:?}", venv.display());
    let base = if on_path("python3.11") {
        "python3.11"
    } else {
        "python3"
    };
    let check = run_ok(
        Command::new(base).args([
            "-c",
            "import sys; print('ok' if sys.version_info[:2] <= (3, 11) else sys.version)",
        ]),
        INSTALL_LIMIT,
    )?;
    if check.stdout.trim() != "ok" {
        bail!(
            "Spyne 2.14 needs Python <= 3.11; {base} is {}",
            check.stdout.trim()
        );
    }
    if !python.is_file() {
        let _ = fs::remove_dir_all(venv);
        run_ok(
            Command::new(base).arg("-m").arg("venv").arg(venv),
            INSTALL_LIMIT,
        )?;
    }
    run_ok(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(SPYNE_REQUIREMENTS),
        INSTALL_LIMIT,
    )?;
    write_marker(venv, &spec)?;
    Ok(python)
}

fn npm_soap(prefix: &Path) -> Result<PathBuf> {
    let modules = prefix.join("node_modules");
    let spec = NPM_REQUIREMENTS.join("\n");
    if modules.join("soap").join("package.json").is_file() && marker_matches(prefix, &spec) {
        return Ok(modules);
    }
    eprintln!(
        "xtask interop: installing {spec:?} into {}",
        prefix.display()
    );
    fs::create_dir_all(prefix)?;
    run_ok(
        Command::new("npm")
            .arg("install")
            .arg("--prefix")
            .arg(prefix)
            .args(["--no-audit", "--no-fund", "--loglevel=error"])
            .args(NPM_REQUIREMENTS),
        INSTALL_LIMIT,
    )?;
    if !modules.join("soap").join("package.json").is_file() {
        bail!(
            "npm install succeeded but {} has no soap package",
            modules.display()
        );
    }
    write_marker(prefix, &spec)?;
    Ok(modules)
}

/// Whether gSOAP's generators, header and library are all installed.
fn gsoap_installed() -> bool {
    on_path("wsdl2h")
        && on_path("soapcpp2")
        && Path::new("/usr/include/stdsoap2.h").is_file()
        && Path::new("/usr/share/gsoap/import/stlvector.h").is_file()
        && Path::new("/usr/share/gsoap/plugin/wsseapi.c").is_file()
        && Path::new("/usr/include/openssl/evp.h").is_file()
        && Path::new("/usr/include/zlib.h").is_file()
}

/// `Ok(Ok(()))` when gSOAP is usable, `Ok(Err(why))` when it is skipped (not root).
fn gsoap() -> Result<Result<(), String>> {
    if gsoap_installed() {
        return Ok(Ok(()));
    }
    let uid = run(Command::new("id").arg("-u"), Duration::from_secs(10))
        .ok()
        .filter(|o| o.success())
        .map(|o| o.stdout.trim().to_owned());
    if uid.as_deref() != Some("0") {
        return Ok(Err(format!(
            "gSOAP is not installed and this user (uid {}) cannot apt-get install {}",
            uid.as_deref().unwrap_or("unknown"),
            APT_PACKAGES.join(" ")
        )));
    }
    eprintln!("xtask interop: apt-get install {}", APT_PACKAGES.join(" "));
    let install = || {
        run(
            Command::new("apt-get")
                .args(["install", "-y", "--no-install-recommends"])
                .args(APT_PACKAGES)
                .env("DEBIAN_FRONTEND", "noninteractive"),
            INSTALL_LIMIT,
        )
    };
    if !install()?.success() {
        eprintln!("xtask interop: apt-get install failed; running apt-get update once");
        run_ok(
            Command::new("apt-get")
                .arg("update")
                .env("DEBIAN_FRONTEND", "noninteractive"),
            INSTALL_LIMIT,
        )?;
        let again = install()?;
        if !again.success() {
            bail!(
                "apt-get install {} failed ({})",
                APT_PACKAGES.join(" "),
                again.failure_summary()
            );
        }
    }
    if !gsoap_installed() {
        bail!("apt-get installed gSOAP but wsdl2h, soapcpp2 or stdsoap2.h is still missing");
    }
    Ok(Ok(()))
}
