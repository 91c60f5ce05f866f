//! Bad input, one row per problem: the exact fault code and string, and the status the JSON
//! out-protocol gives it.

mod common;

use common::{Req, fault_of, get, post_form, serve};
use rpclib_protocol_httprpc::Limits;

/// (request, status, fault code, fault string).
fn table() -> Vec<(Req<'static>, u16, &'static str, &'static str)> {
    let multipart = |body: &'static str| Req {
        method: "POST",
        path: "/rpc/upload",
        content_type: Some("multipart/form-data; boundary=XyZ"),
        body: body.as_bytes(),
        ..Req::default()
    };
    vec![
        (
            get("/rpc/say_goodbye", "name=Dave"),
            400,
            "Client.MethodNotFound",
            "no method is called `say_goodbye`",
        ),
        (
            get("/rpc/", "name=Dave"),
            400,
            "Client.MethodNotFound",
            "the path names no method: call `<endpoint>/<method>`",
        ),
        (
            get("/rpc/store", "person.name=Dave&person.id=1"),
            400,
            "Client.RequestNotAllowed",
            "`store` changes state: call it with POST (GET is for methods marked safe)",
        ),
        (
            Req {
                method: "PUT",
                ..post_form("/rpc/store", "")
            },
            400,
            "Client.RequestNotAllowed",
            "HTTP method PUT is not allowed: use POST (or GET for safe methods)",
        ),
        (
            get("/rpc/say_hello", "name=Dave&times=abc"),
            400,
            "Client.ValidationError",
            "\"abc\" is not a valid xs:unsignedInt: expected an integer (key `times`)",
        ),
        (
            get("/rpc/say_hello", "name=Dave"),
            400,
            "Client.ValidationError",
            "missing required element `times`",
        ),
        (
            get("/rpc/say_hello", "name=Dave&times=1&times=2"),
            400,
            "Client.ValidationError",
            "expected one value of `unsignedInt`, the key is given 2 times (only arrays repeat) (key `times`)",
        ),
        (
            get("/rpc/say_hello", "name=&times=1"),
            400,
            "Client.ValidationError",
            "field `name`: length 0 is below the minimum of 1 characters",
        ),
        (
            get("/rpc/say_hello", "name=Dave&times=101"),
            400,
            "Client.ValidationError",
            "field `times`: value must be at most 100",
        ),
        (
            get("/rpc/say_hello", "name=Dave&times=1&colour=red"),
            400,
            "Client.ValidationError",
            "unexpected key `colour` (`say_hello` has: name, times)",
        ),
        (
            get("/rpc/say_hello", "name=Dave&times.x=1"),
            400,
            "Client.ValidationError",
            "expected a value of `unsignedInt`, found the field key `times.x` (key `times`)",
        ),
        (
            get("/rpc/say_hello", "name=%ZZ&times=1"),
            400,
            "Client.InvalidRequest",
            "malformed percent-encoding in the value of `name` in the query string: `%` must be followed by two hex digits",
        ),
        (
            get("/rpc/say_hello", "name=%FF&times=1"),
            400,
            "Client.ValidationError",
            "the value is not UTF-8 text once percent-decoded, which `string` needs (key `name`)",
        ),
        (
            get("/rpc/say_hello", "na..me=x"),
            400,
            "Client.InvalidRequest",
            "malformed key `na..me`: empty name",
        ),
        (
            post_form("/rpc/store", "person=Dave"),
            400,
            "Client.ValidationError",
            "`person` is a `Person`: give its fields as `person.<field>` keys",
        ),
        (
            post_form("/rpc/store", "person.id=1&person.name=Dave&person.age=300"),
            400,
            "Client.ValidationError",
            "\"300\" is not a valid xs:unsignedByte: out of range for the type (key `person.age`)",
        ),
        (
            post_form(
                "/rpc/store",
                "person.id=1&person.name=Dave&person.day=Sunday",
            ),
            400,
            "Client.ValidationError",
            "\"Sunday\" is not a valid xs:Day: expected one of: Monday, WEEKEND (key `person.day`)",
        ),
        (
            post_form(
                "/rpc/store",
                "person.id=1&person.name=Dave&person.tags[1]=x",
            ),
            400,
            "Client.ValidationError",
            "`person.tags` has no item 0: array indices count from 0 without gaps",
        ),
        (
            post_form(
                "/rpc/store",
                "person.id=1&person.name=Dave&person.tags[0]=x&person.tags=y",
            ),
            400,
            "Client.ValidationError",
            "`person.tags` is given both as repeated keys and as `person.tags[i]` keys: use one form",
        ),
        (
            get("/rpc/people", "people[0].id=1&people[0].name=toolongname"),
            400,
            "Client.ValidationError",
            "field `people[0].name`: length 11 exceeds the maximum of 8 characters",
        ),
        (
            get("/rpc/people", "people.id=1"),
            400,
            "Client.ValidationError",
            "`people` is an array of `Person`: repeat the key or give `people[i]` keys",
        ),
        (
            get("/rpc/matrix", "rows=1"),
            400,
            "Client.ValidationError",
            "`rows[0]` is an array of `int`: repeat the key or give `rows[0][i]` keys",
        ),
        (
            get("/rpc/scalars", "flag=yes"),
            400,
            "Client.ValidationError",
            "\"yes\" is not a valid xs:boolean: expected true, false, 1 or 0 (key `flag`)",
        ),
        (
            Req {
                content_type: Some("application/json"),
                ..post_form("/rpc/store", "{}")
            },
            400,
            "Client.InvalidRequest",
            "a request body must be application/x-www-form-urlencoded or multipart/form-data, not `application/json`",
        ),
        (
            Req {
                content_type: Some("multipart/form-data"),
                ..post_form("/rpc/upload", "x")
            },
            400,
            "Client.InvalidRequest",
            "a multipart/form-data body needs a `boundary` parameter",
        ),
        (
            multipart("--XyZ\r\nContent-Disposition: form-data; name=title\r\n\r\nx"),
            400,
            "Client.InvalidRequest",
            "malformed multipart body: part 1 is not closed by a boundary",
        ),
        (
            multipart("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--"),
            400,
            "Client.InvalidRequest",
            "part 1 has no Content-Disposition header",
        ),
        (
            post_form("/rpc/fail", "code=7"),
            400,
            "Client.Refused",
            "always fails (7)",
        ),
    ]
}

#[test]
fn bad_input_table() {
    let app = common::server();
    let mut failures = Vec::new();
    for (req, status, code, string) in table() {
        let (got_status, reply) = serve(&app, &req);
        let (got_code, got_string) = fault_of(&reply);
        if (got_status, got_code.as_str(), got_string.as_str()) != (status, code, string) {
            failures.push(format!(
                "{} {}?{}\n  got  ({got_status}, {got_code:?}, {got_string:?})\n  want ({status}, {code:?}, {string:?})",
                req.method,
                req.path,
                req.query.unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each limit, just over it: the fault names the limit.
#[test]
fn limits() {
    let small = Limits::default()
        .max_input_bytes(64)
        .max_keys(3)
        .max_depth(2)
        .max_parts(1)
        .max_key_bytes(8);
    let app = common::server_with(small);
    let long = "x".repeat(65);
    let cases: Vec<(Req<'_>, u16, &str, &str)> = vec![
        (
            get("/rpc/say_hello", &long),
            413,
            "Client.RequestTooLong",
            "the query string and body are 65 bytes, more than the limit of 64",
        ),
        (
            get("/rpc/say_hello", "a=1&b=2&c=3&d=4"),
            400,
            "Client.LimitExceeded",
            "the request has more than 3 keys (the key limit)",
        ),
        (
            get("/rpc/say_hello", "a.b.c=1"),
            400,
            "Client.LimitExceeded",
            "key `a.b.c` has more than 2 steps (the depth limit)",
        ),
        (
            get("/rpc/say_hello", "abcdefghi=1"),
            400,
            "Client.LimitExceeded",
            "a key is 9 bytes long, more than the limit of 8",
        ),
        (
            get("/rpc/matrix", "rows[3]=1"),
            400,
            "Client.LimitExceeded",
            "index 3 in key `rows[3]` is not below the key limit of 3",
        ),
        (
            Req {
                method: "POST",
                path: "/rpc/upload",
                content_type: Some("multipart/form-data; boundary=B"),
                body: b"--B\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--B\r\nContent-Disposition: form-data; name=b\r\n\r\n\r\n--B--",
                ..Req::default()
            },
            413,
            "Client.RequestTooLong",
            "the query string and body are 103 bytes, more than the limit of 64",
        ),
    ];
    let mut failures = Vec::new();
    for (req, status, code, string) in cases {
        let (got_status, reply) = serve(&app, &req);
        let (got_code, got_string) = fault_of(&reply);
        if (got_status, got_code.as_str(), got_string.as_str()) != (status, code, string) {
            failures.push(format!(
                "{}?{}\n  got  ({got_status}, {got_code:?}, {got_string:?})\n  want ({status}, {code:?}, {string:?})",
                req.path,
                req.query.unwrap_or_default()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The part limit, with room for the body.
    let parts = common::server_with(Limits::default().max_parts(1));
    let body = b"--B\r\nContent-Disposition: form-data; name=title\r\n\r\nx\r\n--B\r\nContent-Disposition: form-data; name=file\r\n\r\n\r\n--B--";
    let (status, reply) = serve(
        &parts,
        &Req {
            method: "POST",
            path: "/rpc/upload",
            content_type: Some("multipart/form-data; boundary=B"),
            body,
            ..Req::default()
        },
    );
    assert_eq!(
        (status, fault_of(&reply)),
        (
            400,
            (
                "Client.LimitExceeded".to_owned(),
                "the multipart body has more than 1 parts (the part limit)".to_owned()
            )
        )
    );
}
