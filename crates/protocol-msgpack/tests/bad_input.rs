//! Bad input, one row per problem: the exact fault code and string, and the HTTP status.

mod common;

use rpclib_protocol_msgpack::Limits;

/// `{"say_hello": {"name": "Dave", "times": 2}}` (29 bytes).
fn hello() -> Vec<u8> {
    common::encode_str(r#"{"say_hello": {"name": "Dave", "times": 2}}"#)
}

fn msg(json: &str) -> Vec<u8> {
    common::encode_str(json)
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

/// One row: the limits served with, the request, and the expected status, code and string.
struct Row {
    name: &'static str,
    limits: Limits,
    request: Vec<u8>,
    status: u16,
    code: &'static str,
    string: String,
}

fn row(name: &'static str, request: Vec<u8>, status: u16, code: &'static str, s: &str) -> Row {
    Row {
        name,
        limits: Limits::default(),
        request,
        status,
        code,
        string: s.to_owned(),
    }
}

fn limited(limits: Limits, mut r: Row) -> Row {
    r.limits = limits;
    r
}

fn table() -> Vec<Row> {
    let hello = hello();
    let syntax = "Client.MsgPackSyntaxError";
    let invalid = "Client.ValidationError";
    let limit = "Client.LimitExceeded";
    let deep: Vec<u8> = [vec![0x91; 70], vec![0xc0]].concat();
    vec![
        row(
            "empty",
            vec![],
            400,
            syntax,
            "truncated: 1 bytes needed at offset 0, 0 left",
        ),
        row(
            "truncated",
            hello[..hello.len() - 1].to_vec(),
            400,
            syntax,
            "truncated: 1 bytes needed at offset 28, 0 left",
        ),
        row(
            "reserved byte",
            vec![0xc1],
            400,
            syntax,
            "the reserved byte 0xc1 at offset 0",
        ),
        row(
            "extension",
            vec![0xd4, 0x01, 0x00],
            400,
            syntax,
            "an extension type at offset 0: no model type is written as one",
        ),
        row(
            "trailing bytes",
            cat(&[&hello, &[0xc0]]),
            400,
            syntax,
            "1 bytes after the message, at offset 29",
        ),
        row(
            "not UTF-8",
            vec![0xa1, 0xff],
            400,
            syntax,
            "a string at offset 1 is not UTF-8: invalid utf-8 sequence of 1 bytes from index 0",
        ),
        row(
            "integer key",
            vec![0x81, 0x01, 0x80],
            400,
            syntax,
            "a map key at offset 1 is not a string",
        ),
        row(
            "4 GiB array in 5 bytes",
            vec![0xdd, 0xff, 0xff, 0xff, 0xff],
            400,
            limit,
            "an array of 4294967295 declared items is beyond the limit of 100000",
        ),
        row(
            "4 GiB string in 5 bytes",
            vec![0xdb, 0xff, 0xff, 0xff, 0xff],
            400,
            limit,
            "a string of 4294967295 bytes is longer than the limit of 4194304",
        ),
        row(
            "bin longer than the input",
            vec![0xc6, 0x00, 0x00, 0x10, 0x00, 0x00],
            400,
            syntax,
            "truncated: 4096 bytes needed at offset 5, 1 left",
        ),
        row(
            "map longer than the input",
            vec![0xdf, 0x00, 0x00, 0x10, 0x00, 0xa0, 0xc0],
            400,
            syntax,
            "truncated: a map of 4096 declared items at offset 5, only 2 bytes left",
        ),
        row(
            "too deep",
            deep,
            400,
            limit,
            "nesting deeper than the limit of 64",
        ),
        limited(
            Limits::default().max_items(2),
            row(
                "too many items",
                msg(r#"{"x": [1, 2, 3]}"#),
                400,
                limit,
                "an array of 3 declared items is beyond the limit of 2",
            ),
        ),
        limited(
            Limits::default().max_values(4),
            row(
                "too many values",
                hello.clone(),
                400,
                limit,
                "more than 4 values in the message",
            ),
        ),
        limited(
            Limits::default().max_string_bytes(3),
            row(
                "string too long",
                msg(r#"{"x": "Dave"}"#),
                400,
                limit,
                "a string of 4 bytes is longer than the limit of 3",
            ),
        ),
        limited(
            Limits::default().max_input_bytes(10),
            row(
                "message too long",
                hello.clone(),
                413,
                "Client.RequestTooLong",
                "the message is 29 bytes, more than the limit of 10",
            ),
        ),
        row(
            "not a map",
            vec![0x90],
            400,
            "Client.InvalidMessage",
            "expected a map with one entry naming the method, found an array",
        ),
        row(
            "two entries",
            msg(r#"{"a": {}, "b": {}}"#),
            400,
            "Client.InvalidMessage",
            "expected a map with one entry naming the method, found 2 entries",
        ),
        row(
            "unknown method",
            msg(r#"{"nope": {}}"#),
            400,
            "Client.MethodNotFound",
            "no method is called by a `nope` message",
        ),
        row(
            "parts not a map",
            msg(r#"{"say_hello": [1]}"#),
            400,
            invalid,
            "expected a map (`say_hello`), found an array at `$.say_hello`",
        ),
        row(
            "boolean for an integer",
            msg(r#"{"say_hello": {"name": "Dave", "times": true}}"#),
            400,
            invalid,
            "expected an integer or a string (`unsignedInt`), found a boolean at `$.say_hello.times`",
        ),
        row(
            "float for an integer",
            msg(r#"{"say_hello": {"name": "Dave", "times": 1.5}}"#),
            400,
            invalid,
            "expected an integer or a string (`unsignedInt`), found a float at `$.say_hello.times`",
        ),
        row(
            "integer for a string",
            msg(r#"{"say_hello": {"name": 7, "times": 1}}"#),
            400,
            invalid,
            "expected a string (`string`), found an integer at `$.say_hello.name`",
        ),
        row(
            "bin for a string",
            msg(r#"{"say_hello": {"name": "$bin:00", "times": 1}}"#),
            400,
            invalid,
            "expected a string (`string`), found a bin at `$.say_hello.name`",
        ),
        row(
            "integer beyond the type",
            msg(r#"{"say_hello": {"name": "Dave", "times": -1}}"#),
            400,
            invalid,
            "\"-1\" is not a valid xs:unsignedInt: out of range for the type at `$.say_hello.times`",
        ),
        row(
            "required member nil",
            msg(r#"{"say_hello": {"name": null, "times": 1}}"#),
            400,
            invalid,
            "member `name` is nil but the field is required and not nillable at `$.say_hello`",
        ),
        row(
            "unknown member",
            msg(r#"{"say_hello": {"nom": "Dave", "times": 1}}"#),
            400,
            invalid,
            "unexpected member `nom` in `say_hello` (expected one of: name, times) at `$.say_hello`",
        ),
        row(
            "member twice",
            cat(&[
                &[0x81, 0xa9],
                b"say_hello",
                &[0x82, 0xa4],
                b"name",
                &[0xa1, b'a', 0xa4],
                b"name",
                &[0xa1, b'b'],
            ]),
            400,
            invalid,
            "member `name` appears more than once",
        ),
    ]
}

#[test]
fn bad_input_table() {
    let mut failures = Vec::new();
    for r in table() {
        let app = common::server_with(r.limits);
        let (status, reply) = common::serve(&app, &r.request);
        let (code, string) = common::fault_of(&reply);
        if (status, code.as_str(), string.as_str()) != (r.status, r.code, r.string.as_str()) {
            failures.push(format!(
                "{}:\n  got  {status} {code} {string:?}\n  want {} {} {:?}",
                r.name, r.status, r.code, r.string
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
