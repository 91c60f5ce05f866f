//! Golden files: each `tests/golden/requests/NAME.xml` is served by SOAP 1.1 and SOAP 1.2
//! applications (for 1.2 the envelope namespace is swapped), and the replies must equal
//! `tests/golden/soap11/NAME.xml` and `tests/golden/soap12/NAME.xml` exactly.
//!
//! `RPCLIB_UPDATE_GOLDEN=1 cargo test -p rpclib-protocol-soap --test golden` rewrites the
//! expected files; review the diff, they are the spec. Only the value `1` rewrites (any other
//! value compares), and under CI (`CI` set to anything but empty, `0` or `false`) asking for a
//! rewrite fails the test: CI compares, it never writes.

mod common;

use std::path::{Path, PathBuf};

use common::golden_service::GoldenService;
use rpclib_core::Application;
use rpclib_protocol_soap::{SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, Soap11, Soap12};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Whether the run asks to rewrite the golden files; a failure when it does so under CI.
fn update_requested() -> bool {
    let update = std::env::var("RPCLIB_UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let ci = std::env::var("CI").is_ok_and(|v| !matches!(v.as_str(), "" | "0" | "false"));
    assert!(
        !(update && ci),
        "RPCLIB_UPDATE_GOLDEN=1 under CI: golden files are compared in CI, never rewritten"
    );
    update
}

fn check(
    version: &str,
    app: &std::sync::Arc<Application>,
    to_version: impl Fn(&str) -> String,
) -> Vec<String> {
    let update = update_requested();
    let mut failures = Vec::new();
    let mut requests: Vec<PathBuf> = std::fs::read_dir(golden_dir().join("requests"))
        .expect("tests/golden/requests exists")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    requests.sort();
    assert!(!requests.is_empty(), "no golden requests found");
    for request in requests {
        let name = request.file_name().expect("a file name").to_owned();
        let text = std::fs::read_to_string(&request).expect("readable request");
        let (status, reply) = common::serve(app, to_version(&text).as_bytes());
        let actual = format!("<!-- HTTP {status} -->\n{reply}\n");
        let expected_path = golden_dir().join(version).join(&name);
        if update {
            std::fs::create_dir_all(expected_path.parent().expect("a parent"))
                .expect("writable golden dir");
            std::fs::write(&expected_path, &actual).expect("writable golden file");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: reply differs\n--- expected\n{expected}\n--- actual\n{actual}",
                expected_path.display()
            )),
            Err(_) => failures.push(format!(
                "{}: missing (run with RPCLIB_UPDATE_GOLDEN=1)\n--- actual\n{actual}",
                expected_path.display()
            )),
        }
    }
    failures
}

#[test]
fn soap11_golden_files() {
    let app = Application::builder("Golden", common::golden_service::NS)
        .service(GoldenService)
        .protocol(Soap11::new())
        .build()
        .expect("valid application");
    let failures = check("soap11", &app, str::to_owned);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn soap12_golden_files() {
    let app = Application::builder("Golden", common::golden_service::NS)
        .service(GoldenService)
        .protocol(Soap12::new())
        .build()
        .expect("valid application");
    let failures = check("soap12", &app, |text| {
        text.replace(SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS)
    });
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
