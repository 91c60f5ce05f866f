//! Golden files. Each case has, in `tests/data`:
//!
//! - `NAME.request.json`: the request, described as JSON (a string `"$bin:HEX"` is a bin);
//! - `NAME.request.msgpack`: its MessagePack bytes, the request actually served;
//! - `NAME.response.msgpack`: the reply's bytes, compared byte for byte;
//! - `NAME.response.json`: the HTTP status, then the reply described as JSON (a bin as
//!   `"$bin:HEX"`, a non-finite double as `{"$f64": "-inf"}`).
//!
//! Regenerate the binary files and descriptions with
//! `BLESS=1 cargo test -p rpclib-protocol-msgpack --test golden`, then review the diff of
//! the `.json` descriptions.

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
        let text = std::fs::read_to_string(dir.join(format!("{name}.request.json"))).unwrap();
        let request = common::encode_str(&text);
        let request_path = dir.join(format!("{name}.request.msgpack"));
        let reply_path = dir.join(format!("{name}.response.msgpack"));
        let described_path = dir.join(format!("{name}.response.json"));
        if bless {
            std::fs::write(&request_path, &request).unwrap();
        }
        let stored = std::fs::read(&request_path).unwrap_or_default();
        if stored != request {
            failures.push(format!(
                "{name}: the request bytes differ from its description"
            ));
        }
        let (status, reply) = common::serve(&app, &stored);
        let described = format!(
            "{status}\n{}\n",
            serde_json::to_string_pretty(&common::describe(&reply)).unwrap()
        );
        if bless {
            std::fs::write(&reply_path, &reply).unwrap();
            std::fs::write(&described_path, &described).unwrap();
            continue;
        }
        if std::fs::read(&reply_path).unwrap_or_default() != reply {
            failures.push(format!("{name}: reply bytes differ\n got {described}"));
        }
        if std::fs::read_to_string(&described_path).unwrap_or_default() != described {
            failures.push(format!(
                "{name}: reply description differs\n got {described}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
