//! The forms a value may be read from besides the one written (see the crate documentation's
//! table): integers of any width or as strings, floats from float 32, ints or strings.

mod common;

/// `{"say_hello": {"name": "Dave", "times": <times>}}` with `times` as the raw bytes given.
fn hello_with_times(times: &[u8]) -> Vec<u8> {
    [
        &[0x81, 0xa9][..],
        b"say_hello",
        &[0x82, 0xa4],
        b"name",
        &[0xa4],
        b"Dave",
        &[0xa5],
        b"times",
        times,
    ]
    .concat()
}

#[test]
fn integers_of_any_width_and_strings() {
    let app = common::server();
    for times in [
        &[0x02][..],
        &[0xcc, 0x02],
        &[0xcd, 0x00, 0x02],
        &[0xce, 0x00, 0x00, 0x00, 0x02],
        &[0xcf, 0, 0, 0, 0, 0, 0, 0, 0x02],
        &[0xd0, 0x02],
        &[0xd3, 0, 0, 0, 0, 0, 0, 0, 0x02],
        &[0xa1, b'2'],
    ] {
        let (status, reply) = common::serve(&app, &hello_with_times(times));
        assert_eq!(status, 200, "{times:x?}: {:?}", common::describe(&reply));
        assert_eq!(
            common::describe(&reply)["say_helloResponse"]["say_helloResult"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
    }
}

#[test]
fn doubles_from_float32_ints_and_strings() {
    let app = common::server();
    let base = r#"{"echo_primitives": {"p": {
        "flag": false, "tiny": 0, "int": 0, "long": 0, "ulong": 0, "big": 0,
        "single": 0, "double": 0, "dec": 3, "text": "", "bytes": "$bin:",
        "date": "2024-02-29", "time": "12:30:00Z", "stamp": "2024-02-29T12:30:00Z", "span": "P1D"
    }}}"#;
    let mut json: serde_json::Value = serde_json::from_str(base).unwrap();
    json["echo_primitives"]["p"]["double"] = serde_json::json!("INF");
    let mut value = common::to_value(&json);
    // `single` as a float 32 (the JSON description knows float 64 only).
    if let rmpv::Value::Map(top) = &mut value
        && let rmpv::Value::Map(parts) = &mut top[0].1
        && let rmpv::Value::Map(fields) = &mut parts[0].1
    {
        for (k, v) in fields.iter_mut() {
            if k.as_str() == Some("single") {
                *v = rmpv::Value::F32(0.1);
            }
        }
    }
    let mut request = Vec::new();
    rmpv::encode::write_value(&mut request, &value).unwrap();
    let (status, reply) = common::serve(&app, &request);
    let got = common::describe(&reply);
    assert_eq!(status, 200, "{got}");
    let p = &got["echo_primitivesResponse"]["echo_primitivesResult"];
    // Written back as float 64: the double of the f32's shortest decimal form (`0.1`, not
    // the widened 0.10000000149011612), which reads back as the same f32.
    assert_eq!(p["single"], serde_json::json!(0.1));
    assert_eq!(p["double"], serde_json::json!({"$f64": "inf"}));
    // A decimal read from an int is written back as a string.
    assert_eq!(p["dec"], serde_json::json!("3"));
    assert_eq!(p["big"], serde_json::json!(0));
}
