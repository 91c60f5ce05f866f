//! Golden files: each `tests/data/NAME.request.json` run through a server, its reply and status
//! compared byte for byte with `NAME.response.json` (first line: the status). Regenerate with
//! `BLESS=1 cargo test -p rpclib-protocol-json --test golden`, then review the diff.

mod common;

use std::path::Path;

const CASES: &[&str] = &[
    "say_hello",
    "primitives",
    "containers",
    "fault_detail",
    "nothing",
    "validation",
];

#[test]
fn golden_replies() {
    let app = common::server();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for name in CASES {
        let request = std::fs::read(dir.join(format!("{name}.request.json"))).unwrap();
        let (status, reply) = common::serve(&app, &request);
        let got = format!("{status}\n{reply}\n");
        let path = dir.join(format!("{name}.response.json"));
        if bless {
            std::fs::write(&path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            failures.push(format!("{name}:\n got  {got}\n want {want}"));
        }
        // Every reply is JSON.
        serde_json::from_str::<serde_json::Value>(&reply)
            .unwrap_or_else(|e| panic!("{name}: reply is not JSON ({e}): {reply}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
