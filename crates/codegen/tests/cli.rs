//! The `rpclib-wsdl2rs` binary: the crate it writes, and its errors.

use std::path::Path;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_rpclib-wsdl2rs"))
}

fn logincms() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/node-soap/strict/logincms.wsdl")
}

#[test]
fn generate_writes_a_crate_with_path_dependencies() {
    let out = std::env::temp_dir().join(format!("rpclib-codegen-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let status = bin()
        .args(["generate"])
        .arg(logincms())
        .arg("--out")
        .arg(&out)
        .args(["--name", "afip-login"])
        .arg("--rpclib-path")
        .arg(&root)
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    assert!(manifest.contains("name = \"afip-login\""), "{manifest}");
    let core = std::fs::canonicalize(root.join("crates/core")).unwrap();
    assert!(
        manifest.contains(&format!(
            "rpclib-core = {{ path = {:?} }}",
            core.display().to_string()
        )),
        "{manifest}"
    );
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub trait LoginCms"), "{lib}");
    // Without `--default-stubs`, an implementation must write every operation.
    assert!(!lib.contains("NotImplemented"), "{lib}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn default_stubs_give_every_operation_a_body() {
    let out = std::env::temp_dir().join(format!("rpclib-codegen-stubs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = bin()
        .args(["generate"])
        .arg(logincms())
        .arg("--out")
        .arg(&out)
        .arg("--default-stubs")
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("pub trait LoginCms"), "{lib}");
    assert!(lib.contains("\"NotImplemented\""), "{lib}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn errors_are_reported_with_a_failure_status() {
    let run = |args: &[&str]| {
        let o = bin().args(args).output().expect("runs");
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let wsdl = logincms();
    let wsdl = wsdl.to_str().unwrap();
    let (ok, err) = run(&["generate", wsdl, "--map", "no-equals-sign", "--out", "x"]);
    assert!(!ok && err.contains("expected URL_PREFIX=DIR"), "{err}");
    let (ok, err) = run(&["generate", wsdl]);
    assert!(!ok && err.contains("`--out DIR` is required"), "{err}");
    let (ok, err) = run(&["frobnicate"]);
    assert!(!ok && err.contains("unknown command"), "{err}");
    let hello = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/node-soap/hello.wsdl");
    let (ok, err) = run(&[
        "generate",
        hello.to_str().unwrap(),
        "--out",
        "/nonexistent-never-written",
    ]);
    assert!(
        !ok && err.contains("hello.wsdl:20:17: error: rpc/encoded"),
        "{err}"
    );
}
