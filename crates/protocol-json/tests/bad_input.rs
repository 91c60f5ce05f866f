//! Bad input, one row per problem: the exact fault code and string, and the HTTP status.

mod common;

use rpclib_protocol_json::Limits;

fn fault_of(reply: &str) -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(reply).expect("the reply is JSON");
    let f = &v["Fault"];
    (
        f["faultcode"].as_str().unwrap_or("").to_owned(),
        f["faultstring"].as_str().unwrap_or("").to_owned(),
    )
}

const HELLO: &str = r#"{"say_hello": {"name": "Dave", "times": 2}}"#;

/// (request, status, fault code, fault string).
const TABLE: &[(&str, u16, &str, &str)] = &[
    (
        "",
        400,
        "Client.JSONSyntaxError",
        "incomplete JSON: EOF while parsing a value at line 1 column 0",
    ),
    (
        "{not json",
        400,
        "Client.JSONSyntaxError",
        "invalid JSON: key must be a string at line 1 column 2",
    ),
    (
        r#"{"say_hello": {}} x"#,
        400,
        "Client.JSONSyntaxError",
        "invalid JSON: trailing characters at line 1 column 19",
    ),
    (
        "\"\\ud800\"",
        400,
        "Client.JSONSyntaxError",
        "invalid JSON: unexpected end of hex escape at line 1 column 8",
    ),
    (
        "[1]",
        400,
        "Client.InvalidMessage",
        "expected an object with one member naming the method, found an array",
    ),
    (
        "{}",
        400,
        "Client.InvalidMessage",
        "expected an object with one member naming the method, found 0 members",
    ),
    (
        r#"{"say_hello": {}, "nothing": {}}"#,
        400,
        "Client.InvalidMessage",
        "expected an object with one member naming the method, found 2 members",
    ),
    (
        r#"{"say_goodbye": {}}"#,
        400,
        "Client.MethodNotFound",
        "no method is called by a `say_goodbye` message",
    ),
    (
        "{\"say_hello\": []}",
        400,
        "Client.ValidationError",
        "expected an object (`say_hello`), found an array at `$.say_hello`",
    ),
    (
        "{\"say_hello\": {\"name\": \"Dave\"}}",
        400,
        "Client.ValidationError",
        "missing required element `times` at `$.say_hello`",
    ),
    (
        "{\"say_hello\": {\"name\": \"Dave\", \"times\": 2, \"extra\": 1}}",
        400,
        "Client.ValidationError",
        "unexpected member `extra` in `say_hello` (expected one of: name, times) at `$.say_hello`",
    ),
    (
        r#"{"say_hello": {"name": "Dave", "times": 2, "times": 3}}"#,
        400,
        "Client.ValidationError",
        "member `times` appears more than once at line 1 column 50",
    ),
    (
        "{\"say_hello\": {\"name\": 7, \"times\": 2}}",
        400,
        "Client.ValidationError",
        "expected a string (`string`), found a number at `$.say_hello.name`",
    ),
    (
        "{\"say_hello\": {\"name\": \"Dave\", \"times\": \"two\"}}",
        400,
        "Client.ValidationError",
        "\"two\" is not a valid xs:unsignedInt: expected an integer at `$.say_hello.times`",
    ),
    (
        "{\"say_hello\": {\"name\": \"Dave\", \"times\": -1}}",
        400,
        "Client.ValidationError",
        "\"-1\" is not a valid xs:unsignedInt: out of range for the type at `$.say_hello.times`",
    ),
    (
        "{\"say_hello\": {\"name\": \"Dave\", \"times\": 1.5}}",
        400,
        "Client.ValidationError",
        "\"1.5\" is not a valid xs:unsignedInt: expected an integer at `$.say_hello.times`",
    ),
    (
        "{\"say_hello\": {\"name\": \"Dave\", \"times\": true}}",
        400,
        "Client.ValidationError",
        "expected a number or a string (`unsignedInt`), found a boolean at `$.say_hello.times`",
    ),
    (
        "{\"say_hello\": {\"name\": null, \"times\": 2}}",
        400,
        "Client.ValidationError",
        "member `name` is null but the field is required and not nillable at `$.say_hello`",
    ),
    (
        "{\"say_hello\": {\"name\": \"\", \"times\": 2}}",
        400,
        "Client.ValidationError",
        "field `name`: length 0 is below the minimum of 1 characters",
    ),
    (
        "{\"echo_derived\": {\"d\": {\"id\": 1, \"extra\": \"x\", \"day\": \"Sunday\"}}}",
        400,
        "Client.ValidationError",
        "\"Sunday\" is not a valid xs:Day: expected one of: Monday, WEEKEND at `$.echo_derived.d.day`",
    ),
    (
        "{\"echo_derived\": {\"d\": {\"id\": 1, \"extra\": \"x\", \"day\": \"Monday\", \"label\": 5}}}",
        400,
        "Client.ValidationError",
        "expected a string (`string`), found a number at `$.echo_derived.d.label`",
    ),
    (
        "{\"echo_containers\": {\"c\": {\"nil\": null, \"ints\": [1, \"x\"], \"tags\": [], \"matrix\": [], \"maybe\": [], \"people\": [], \"xml\": \"\"}}}",
        400,
        "Client.ValidationError",
        "\"x\" is not a valid xs:int: expected an integer at `$.echo_containers.c.ints[1]`",
    ),
    (
        "{\"echo_containers\": {\"c\": {\"nil\": null, \"ints\": [], \"tags\": [], \"matrix\": [[1]], \"maybe\": [], \"people\": [], \"xml\": \"\"}}}",
        400,
        "Client.ValidationError",
        "expected a boolean (`boolean`), found a number at `$.echo_containers.c.matrix[0][0]`",
    ),
    (
        "{\"echo_containers\": {\"c\": {\"nil\": null, \"ints\": {}, \"tags\": [], \"matrix\": [], \"maybe\": [], \"people\": [], \"xml\": \"\"}}}",
        400,
        "Client.ValidationError",
        "expected an array (`intArray`), found an object at `$.echo_containers.c.ints`",
    ),
    (
        "{\"echo_primitives\": {\"p\": {\"flag\": \"true\"}}}",
        400,
        "Client.ValidationError",
        "expected a boolean (`boolean`), found a string at `$.echo_primitives.p.flag`",
    ),
    (
        "{\"echo_primitives\": {\"p\": {\"flag\": true, \"tiny\": 300}}}",
        400,
        "Client.ValidationError",
        "\"300\" is not a valid xs:byte: out of range for the type at `$.echo_primitives.p.tiny`",
    ),
    (
        "{\"echo_primitives\": {\"p\": {\"flag\": true, \"tiny\": 3, \"int\": 1, \"long\": 1, \"ulong\": 1, \"big\": 1, \"single\": 1, \"double\": 1, \"dec\": \"1\", \"text\": \"\", \"bytes\": \"!!\", \"date\": \"2024-01-01\", \"time\": \"00:00:00\", \"stamp\": \"2024-01-01T00:00:00\", \"span\": \"P1D\"}}}",
        400,
        "Client.ValidationError",
        "\"!!\" is not a valid xs:base64Binary: Invalid symbol 33, offset 0. at `$.echo_primitives.p.bytes`",
    ),
    (
        "{\"echo_string\": {\"s\": 1}}",
        400,
        "Client.ValidationError",
        "expected a string (`string`), found a number at `$.echo_string.s`",
    ),
    (
        "{\"echo_containers\": {\"c\": {\"nil\": null, \"ints\": [], \"tags\": [], \"matrix\": [], \"maybe\": [], \"people\": [], \"xml\": 1}}}",
        400,
        "Client.ValidationError",
        "expected a string of XML (`anyType`), found a number at `$.echo_containers.c.xml`",
    ),
];

#[test]
fn each_bad_input_has_its_fault() {
    let app = common::server();
    let mut wrong = Vec::new();
    for (request, status, code, string) in TABLE {
        let (got_status, reply) = common::serve(&app, request.as_bytes());
        let (got_code, got_string) = fault_of(&reply);
        if (got_status, got_code.as_str(), got_string.as_str()) != (*status, *code, *string) {
            wrong.push(format!(
                "    ({request:?}, {got_status}, {got_code:?}, {got_string:?}),"
            ));
        }
    }
    assert!(wrong.is_empty(), "rows that differ:\n{}", wrong.join("\n"));
}

/// (limits, request, fault code, fault string): each limit trips with its own fault.
#[test]
fn each_limit_has_its_fault() {
    let deep = format!(
        "{{\"echo_string\": {{\"s\": {}1{}}}}}",
        "[".repeat(20),
        "]".repeat(20)
    );
    let many = format!(
        "{{\"echo_containers\": {{\"c\": {{\"ints\": [{}]}}}}}}",
        ["1"; 11].join(",")
    );
    let cases: Vec<(Limits, String, u16, &str, &str)> = vec![
        (
            Limits::default().max_input_bytes(10),
            HELLO.to_owned(),
            413,
            "Client.RequestTooLong",
            "the message is 43 bytes, more than the limit of 10",
        ),
        (
            Limits::default().max_depth(8),
            deep,
            400,
            "Client.LimitExceeded",
            "nesting deeper than the limit of 8 at line 1 column 29",
        ),
        (
            Limits::default().max_items(10),
            many.clone(),
            400,
            "Client.LimitExceeded",
            "more than 10 items in one array or object at line 1 column 58",
        ),
        (
            Limits::default().max_values(12),
            many,
            400,
            "Client.LimitExceeded",
            "more than 12 values in the message at line 1 column 53",
        ),
        (
            Limits::default().max_string_bytes(3),
            HELLO.to_owned(),
            400,
            "Client.LimitExceeded",
            "a string of 9 bytes is longer than the limit of 3 at line 1 column 12",
        ),
        (
            Limits::default().max_depth(1000),
            "[".repeat(200),
            400,
            "Client.LimitExceeded",
            "nesting deeper than the limit of 100 at line 1 column 101",
        ),
    ];
    let mut wrong = Vec::new();
    for (limits, request, status, code, string) in cases {
        let app = common::server_with(limits);
        let (got_status, reply) = common::serve(&app, request.as_bytes());
        let (got_code, got_string) = fault_of(&reply);
        if (got_status, got_code.as_str(), got_string.as_str()) != (status, code, string) {
            wrong.push(format!("{got_status}, {got_code:?}, {got_string:?}"));
        }
    }
    assert!(wrong.is_empty(), "rows that differ:\n{}", wrong.join("\n"));
}

#[test]
fn a_hello_within_every_limit_passes() {
    let app = common::server_with(
        Limits::default()
            .max_depth(2)
            .max_items(2)
            .max_values(5)
            .max_string_bytes(9),
    );
    let (status, reply) = common::serve(&app, HELLO.as_bytes());
    assert_eq!(
        (status, reply.as_str()),
        (
            200,
            r#"{"say_helloResponse":{"say_helloResult":["Hello, Dave","Hello, Dave"]}}"#
        )
    );
}

/// What the fuzz target checks, on stable: any bytes give a JSON reply with one member, a
/// `Fault` with a 4xx status for a `Client` fault.
fn check_reply(app: &std::sync::Arc<rpclib_core::Application>, request: &[u8]) {
    let (status, reply) = common::serve(app, request);
    let doc: serde_json::Value = serde_json::from_str(&reply).expect("the reply is JSON");
    let object = doc.as_object().expect("the reply is an object");
    assert_eq!(object.len(), 1, "{reply}");
    match doc["Fault"]["faultcode"].as_str() {
        None => assert_eq!(status, 200, "{reply}"),
        Some(code) if code.starts_with("Client") => {
            assert!(status == 400 || status == 413, "{status} {reply}")
        }
        Some(_) => assert_eq!(status, 500, "{reply}"),
    }
}

proptest::proptest! {
    #[test]
    fn any_bytes_give_a_json_reply(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
        check_reply(&common::server(), &bytes);
    }

    #[test]
    fn mutated_golden_requests_give_a_json_reply(
        which in 0usize..6,
        at in proptest::num::usize::ANY,
        byte in proptest::sample::select(b"{}[],:\"\\0-1.eE nul tr fa".to_vec()),
    ) {
        let names = ["say_hello", "primitives", "containers", "fault_detail", "nothing", "validation"];
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/data/{}.request.json", names[which]));
        let mut request = std::fs::read(path).expect("a golden request");
        let at = at % request.len();
        request[at] = byte;
        check_reply(&common::server(), &request);
    }
}
