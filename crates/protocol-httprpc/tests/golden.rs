//! Golden files: each `tests/data/NAME.request` (a request line `METHOD /path?query`, then
//! an optional `Content-Type: ...` line, a blank line and the body) run through HttpRpc in,
//! JsonDocument out; the status and reply compared byte for byte with
//! `NAME.response.json` (first line: the status). Regenerate with
//! `BLESS=1 cargo test -p rpclib-protocol-httprpc --test golden`, then review the diff.

mod common;

use std::path::Path;

use common::Req;

const CASES: &[&str] = &[
    "say_hello_get",
    "say_hello_post",
    "store_nested",
    "people_indexed",
    "scalars",
    "matrix",
    "upload_multipart",
    "percent_encoded",
    "nothing",
    "fault",
    "not_allowed",
];

/// Splits a request file into its parts.
fn parse(text: &[u8]) -> (String, String, Option<String>, Option<String>, Vec<u8>) {
    let split = text
        .windows(2)
        .position(|w| w == b"\n\n")
        .expect("a blank line after the head");
    let head = std::str::from_utf8(&text[..split]).expect("the head is text");
    let body = text[split + 2..].to_vec();
    let mut lines = head.lines();
    let line = lines.next().expect("a request line");
    let (method, target) = line.split_once(' ').expect("METHOD /path");
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (target.to_owned(), None),
    };
    let content_type = lines
        .find_map(|l| l.strip_prefix("Content-Type: "))
        .map(str::to_owned);
    (method.to_owned(), path, query, content_type, body)
}

#[test]
fn golden_replies() {
    let app = common::server();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for name in CASES {
        let text = std::fs::read(dir.join(format!("{name}.request"))).unwrap();
        let (method, path, query, content_type, body) = parse(&text);
        // Multipart bodies need CRLF line ends; the files keep LF for readability.
        let body = if content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("multipart/"))
        {
            String::from_utf8(body)
                .unwrap()
                .replace('\n', "\r\n")
                .into_bytes()
        } else {
            body.strip_suffix(b"\n").map(<[u8]>::to_vec).unwrap_or(body)
        };
        let (status, reply) = common::serve(
            &app,
            &Req {
                method: &method,
                path: &path,
                query: query.as_deref(),
                content_type: content_type.as_deref(),
                body: &body,
            },
        );
        let got = format!("{status}\n{reply}\n");
        let out = dir.join(format!("{name}.response.json"));
        if bless {
            std::fs::write(&out, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&out).unwrap_or_default();
        if got != want {
            failures.push(format!("{name}:\n got  {got}\n want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
