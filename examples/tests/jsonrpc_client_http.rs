//! Typed clients over JSON-RPC 2.0 and HTTP, real sockets: every operation of the interop
//! service against our own server (the async client with named params, the blocking one
//! with positional params), the `multi` example's `/jsonrpc` endpoint, faults included; and
//! against a bare socket server playing a foreign JSON-RPC server: the request as it arrives
//! (`Content-Type: application/json`, the spec's request object), an HTTP error status
//! carrying a JSON-RPC error body (still the fault), one without (a transport error).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};

use rpclib_core::model::{AnyXml, BigInt, ByteArray, Date, DateTime, Duration, Time};
use rpclib_core::{Application, ClientError, Service};
use rpclib_examples::hello::{HelloWorldService, HelloWorldServiceClient};
use rpclib_examples::interop::{
    self, ClassWithSelfReference, DaysOfWeek, ExtensionClass, Float, InHeader, InteropArray,
    InteropArrayClient, InteropBare, InteropBareClient, InteropClass, InteropClassClient,
    InteropException, InteropExceptionClient, InteropMisc, InteropMiscClient, InteropPrimitive,
    InteropPrimitiveClient, InteropServiceWithComplexHeader, InteropServiceWithComplexHeaderClient,
    InteropServiceWithHeader, InteropServiceWithHeaderClient, NestedClass, NonNillableClass,
    OtherClass, Role, SimpleClass, TNS,
};
use rpclib_protocol_json::{JsonRpc, JsonRpcError, jsonrpc};
use rpclib_transport_http::{AsyncHttpClient, HttpClient, HttpClientError, HttpConfig};
use serde_json::{Value, json};

/// The interop service over JSON-RPC on a free port (one server for the whole binary).
fn interop_server() -> SocketAddr {
    static ADDR: std::sync::OnceLock<SocketAddr> = std::sync::OnceLock::new();
    *ADDR.get_or_init(|| {
        let app = interop::builder().protocol(JsonRpc::new()).build().unwrap();
        common::serve(app, HttpConfig::default())
    })
}

/// A client application declaring every interop service, speaking `protocol`.
fn interop_client_app(protocol: JsonRpc) -> Arc<Application> {
    Application::builder("Application", TNS)
        .declare(InteropPrimitive::descriptor())
        .declare(InteropArray::descriptor())
        .declare(InteropClass::descriptor())
        .declare(InteropMisc::descriptor())
        .declare(InteropServiceWithHeader::descriptor())
        .declare(InteropServiceWithComplexHeader::descriptor())
        .declare(InteropException::descriptor())
        .declare(InteropBare::descriptor())
        .protocol(protocol)
        .build()
        .unwrap()
}

fn parse<T: std::str::FromStr>(text: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    text.parse().unwrap()
}

fn int(n: i64) -> Option<BigInt> {
    Some(BigInt::from(n))
}

fn nested(dt: DateTime) -> NestedClass {
    let simple = SimpleClass {
        i: int(45),
        s: Some("asd".into()),
    };
    NestedClass {
        simple: Some(vec![simple.clone(), simple]),
        s: Some("abc".into()),
        i: int(12),
        f: Some(Float(1.22)),
        other: Some(OtherClass {
            dt: Some(dt),
            d: Some(123.456),
            b: Some(true),
        }),
        ai: Some(vec![BigInt::from(1), BigInt::from(2)]),
    }
}

/// The fault of a failed call.
fn fault_of<T: std::fmt::Debug>(got: Result<T, ClientError>) -> rpclib_core::Fault {
    match got {
        Err(ClientError::Fault(f)) => f,
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn every_interop_operation_async_named() {
    let app = interop_client_app(JsonRpc::new());
    let transport = AsyncHttpClient::new(&format!("http://{}/", interop_server())).unwrap();
    let caller = || transport.clone().caller(Arc::clone(&app));
    let dt: DateTime = parse("2026-11-24T20:56:46.418574");

    let p = InteropPrimitiveClient::new(caller());
    let xml = AnyXml::new("<x xmlns=\"urn:interop\"><y>1</y></x>");
    assert_eq!(
        p.echo_any(Some(xml.clone())).await.unwrap(),
        Some(xml.clone())
    );
    assert_eq!(
        p.echo_any_as_dict(Some(xml.clone())).await.unwrap(),
        Some(xml)
    );
    let big: BigInt = parse("123456789012345678901234567890");
    assert_eq!(
        p.echo_integer(Some(big.clone())).await.unwrap(),
        Some(big.clone())
    );
    assert_eq!(p.echo_integer(None).await.unwrap(), None);
    assert_eq!(
        p.echo_string(Some("café & <tags> \"q\"".into()))
            .await
            .unwrap(),
        Some("café & <tags> \"q\"".to_owned())
    );
    assert_eq!(p.echo_datetime(Some(dt)).await.unwrap(), Some(dt));
    assert_eq!(
        p.echo_datetime_with_invalid_format(Some(dt)).await.unwrap(),
        Some(dt)
    );
    let date: Date = parse("2026-11-24");
    assert_eq!(p.echo_date(Some(date)).await.unwrap(), Some(date));
    assert_eq!(
        p.echo_date_with_invalid_format(Some(date)).await.unwrap(),
        Some(date)
    );
    let time: Time = parse("20:56:46.418574");
    assert_eq!(p.echo_time(Some(time)).await.unwrap(), Some(time));
    assert_eq!(
        p.echo_time_with_invalid_format(Some(time)).await.unwrap(),
        Some(time)
    );
    assert_eq!(
        p.echo_float(Some(Float(12.34))).await.unwrap(),
        Some(Float(12.34))
    );
    assert_eq!(p.echo_double(Some(123.456)).await.unwrap(), Some(123.456));
    assert_eq!(p.echo_boolean(Some(true)).await.unwrap(), Some(true));
    assert_eq!(
        p.echo_enum(Some(DaysOfWeek::Monday)).await.unwrap(),
        Some(DaysOfWeek::Monday)
    );
    let duration: Duration = parse("P1DT2H3M4.5S");
    assert_eq!(
        p.echo_duration(Some(duration)).await.unwrap(),
        Some(duration)
    );
    let data = ByteArray::from(vec![0u8, 1, 2, 254, 255]);
    assert_eq!(
        p.echo_bytearray(Some(data.clone())).await.unwrap(),
        Some(data)
    );

    let a = InteropArrayClient::new(caller());
    let ints = vec![BigInt::from(1), BigInt::from(-2), big.clone()];
    assert_eq!(
        a.echo_integer_array(Some(ints.clone())).await.unwrap(),
        Some(ints)
    );
    let strings = vec!["a".to_owned(), "b c".to_owned(), String::new()];
    assert_eq!(
        a.echo_string_array(Some(strings.clone())).await.unwrap(),
        Some(strings)
    );
    let stamps = vec![dt, parse("2000-01-01T00:00:00")];
    assert_eq!(
        a.echo_date_time_array(Some(stamps.clone())).await.unwrap(),
        Some(stamps)
    );
    let floats = vec![Float(1.5), Float(-0.25)];
    assert_eq!(
        a.echo_float_array(Some(floats.clone())).await.unwrap(),
        Some(floats)
    );
    assert_eq!(
        a.echo_double_array(Some(vec![1.5, 123.456])).await.unwrap(),
        Some(vec![1.5, 123.456])
    );
    assert_eq!(
        a.echo_boolean_array(Some(vec![true, false])).await.unwrap(),
        Some(vec![true, false])
    );
    assert_eq!(
        a.echo_simple_boolean_array(vec![false, true])
            .await
            .unwrap(),
        vec![false, true]
    );
    assert_eq!(
        a.echo_array_in_array(Some(vec![true, false]))
            .await
            .unwrap(),
        Some(vec![vec![true, false]])
    );

    let c = InteropClassClient::new(caller());
    let simple = SimpleClass {
        i: int(45),
        s: Some("asd".into()),
    };
    assert_eq!(
        c.echo_simple_class(Some(simple.clone())).await.unwrap(),
        Some(simple.clone())
    );
    let simples = vec![simple, SimpleClass { i: int(1), s: None }];
    assert_eq!(
        c.echo_simple_class_array(Some(simples.clone()))
            .await
            .unwrap(),
        Some(simples)
    );
    assert_eq!(
        c.echo_nested_class(Some(nested(dt))).await.unwrap(),
        Some(nested(dt))
    );
    assert_eq!(
        c.echo_nested_class_array(Some(vec![nested(dt), nested(dt)]))
            .await
            .unwrap(),
        Some(vec![nested(dt), nested(dt)])
    );
    let extension = ExtensionClass {
        base: nested(dt),
        p: Some(NonNillableClass {
            dt,
            i: int(7),
            s: Some("x".into()),
        }),
        l: Some(dt),
        q: int(5),
    };
    assert_eq!(
        c.echo_extension_class(Some(extension.clone()))
            .await
            .unwrap(),
        Some(extension)
    );
    let chain = ClassWithSelfReference {
        i: int(1),
        sr: Some(Box::new(ClassWithSelfReference {
            i: int(2),
            sr: None,
        })),
    };
    assert_eq!(
        c.echo_class_with_self_reference(Some(chain.clone()))
            .await
            .unwrap(),
        Some(chain)
    );

    let m = InteropMiscClient::new(caller());
    assert_eq!(
        m.complex_return().await.unwrap(),
        (
            int(1),
            Some("Test".to_owned()),
            int(123),
            Some(vec![Role::Member])
        )
    );
    assert_eq!(
        m.huge_number().await.unwrap(),
        BigInt::from(1) << 100_000usize
    );
    assert_eq!(
        m.long_string().await.unwrap(),
        "0123456789abcdef".repeat(16384)
    );
    m.test_empty().await.unwrap();
    m.multi_param(Some("s".into()), int(1), Some(dt))
        .await
        .unwrap();
    let n = NonNillableClass {
        dt,
        i: int(1),
        s: Some("x".into()),
    };
    assert_eq!(
        m.non_nillable(Some(n)).await.unwrap(),
        Some("OK".to_owned())
    );
    assert_eq!(
        m.do_something_else(Some("done".into())).await.unwrap(),
        Some("done".to_owned())
    );
    let item = OtherClass {
        dt: Some(parse("2010-12-06T00:00:00")),
        d: Some(3.0),
        b: Some(true),
    };
    assert_eq!(
        m.return_other_class_array(int(3)).await.unwrap(),
        Some(vec![item; 3])
    );
    let f = fault_of(m.return_other_class_array(int(10_001)).await);
    assert_eq!(
        (f.code.as_str(), f.string.as_str()),
        ("Client.ArgumentError", "num must be between 0 and 10000")
    );
    let f = fault_of(m.return_invalid_data().await);
    assert_eq!(f.code.as_str(), "Server");
    assert_eq!(
        m.custom_messages(Some("custom".into())).await.unwrap(),
        Some("custom".to_owned())
    );

    // JSON has no header blocks: an in-header is never sent, so the server echoes none; a
    // method's own result still comes back.
    let mut h = InteropServiceWithHeaderClient::new(caller());
    h.set_header(InHeader {
        s: Some("header".into()),
        i: int(3),
    });
    assert_eq!(h.echo_in_header().await.unwrap(), None);
    let sent = h.send_out_header_with_headers().await.unwrap();
    assert!(sent.value.is_some());
    assert!(sent.headers().is_empty());
    let ch = InteropServiceWithComplexHeaderClient::new(caller());
    assert_eq!(ch.echo_in_complex_header().await.unwrap(), (None, None));
    let (header, trace) = ch.send_out_complex_header().await.unwrap();
    assert!(header.is_some() && trace.is_some());

    let e = InteropExceptionClient::new(caller());
    let f = fault_of(e.python_exception().await);
    assert_eq!(
        (f.code.as_str(), f.string.as_str()),
        ("Server", "Internal Error")
    );
    assert_eq!(
        JsonRpcError::of(&f).map(|e| e.code),
        Some(jsonrpc::INTERNAL_ERROR)
    );
    let f = fault_of(e.soap_exception().await);
    assert_eq!(
        (f.code.as_str(), f.string.as_str(), f.actor.as_deref()),
        (
            "Plausible",
            "A plausible fault",
            Some("http://faultactor.example.com")
        )
    );
    let f = fault_of(e.documented_exception().await);
    assert_eq!(f.code.as_str(), "Client.Documented");
    assert_eq!(
        JsonRpcError::of(&f).map(|e| e.code),
        Some(jsonrpc::SERVER_ERROR)
    );

    let b = InteropBareClient::new(caller());
    assert_eq!(b.echo_simple_bare("bare".into()).await.unwrap(), "bare");
    let v = vec!["a".to_owned(), "b".to_owned()];
    assert_eq!(b.echo_complex_bare(v.clone()).await.unwrap(), v);
    assert_eq!(b.empty_input_bare().await.unwrap(), "empty");
    b.empty_output_bare("x".into()).await.unwrap();
}

/// The blocking client with positional params: a call of each shape (scalar, several
/// parts, a bare scalar, a bare array, no parts, several results) and the faults.
#[test]
fn interop_blocking_positional() {
    let app = interop_client_app(JsonRpc::new().positional_params());
    let transport = HttpClient::new(&format!("http://{}/", interop_server())).unwrap();
    let caller = || transport.clone().caller(Arc::clone(&app));
    let dt: DateTime = parse("2026-11-24T20:56:46.418574");
    let p = InteropPrimitiveClient::new(caller());
    assert_eq!(
        p.echo_string(Some("x".into())).unwrap(),
        Some("x".to_owned())
    );
    assert_eq!(p.echo_string(None).unwrap(), None);
    let c = InteropClassClient::new(caller());
    assert_eq!(
        c.echo_nested_class(Some(nested(dt))).unwrap(),
        Some(nested(dt))
    );
    let m = InteropMiscClient::new(caller());
    m.multi_param(Some("s".into()), None, Some(dt)).unwrap();
    assert_eq!(
        m.complex_return().unwrap(),
        (
            int(1),
            Some("Test".to_owned()),
            int(123),
            Some(vec![Role::Member])
        )
    );
    let f = fault_of(m.return_other_class_array(int(-1)));
    assert_eq!(f.code.as_str(), "Client.ArgumentError");
    let b = InteropBareClient::new(caller());
    assert_eq!(b.echo_simple_bare("bare".into()).unwrap(), "bare");
    let v = vec!["a".to_owned(), "b".to_owned()];
    assert_eq!(b.echo_complex_bare(v.clone()).unwrap(), v);
    assert_eq!(b.empty_input_bare().unwrap(), "empty");
    let e = InteropExceptionClient::new(caller());
    assert_eq!(fault_of(e.soap_exception()).code.as_str(), "Plausible");
}

/// The `multi` example's `/jsonrpc`, as `cargo run --example multi` serves it.
#[test]
fn the_multi_example_jsonrpc_endpoint() {
    let addr =
        common::serve_endpoints(rpclib_examples::multi::endpoints(&HttpConfig::default()).unwrap());
    let app = Application::builder("Application", rpclib_examples::hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(JsonRpc::new())
        .build()
        .unwrap();
    let client = HelloWorldServiceClient::new(
        HttpClient::new(&format!("http://{addr}/jsonrpc"))
            .unwrap()
            .caller(app),
    );
    assert_eq!(
        client.say_hello("Dave".into(), 2).unwrap(),
        ["Hello, Dave", "Hello, Dave"]
    );
    let f = fault_of(client.say_hello(String::new(), 1));
    assert_eq!(f.code.as_str(), "Client.ValidationError");
    assert!(f.string.contains("name"), "{f}");
    assert_eq!(
        JsonRpcError::of(&f).map(|e| e.code),
        Some(jsonrpc::INVALID_PARAMS)
    );
    let f = fault_of(client.say_hello("Dave".into(), 1001));
    assert_eq!(f.code.as_str(), "Client.ValidationError");
}

/// One request as a bare socket server received it: its head and body.
type Received = Arc<Mutex<Vec<(String, String)>>>;

/// A server answering each connection with `status`, `content_type` and `body`, recording
/// each request; for `count` connections.
fn canned_server(
    status: &str,
    content_type: &str,
    body: &str,
    count: usize,
) -> (SocketAddr, Received) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let received: Received = Arc::default();
    let seen = Arc::clone(&received);
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push((head, String::from_utf8_lossy(&body).into_owned()));
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (addr, received)
}

fn hello_client(
    addr: SocketAddr,
) -> HelloWorldServiceClient<rpclib_core::RemoteClient<HttpClient>> {
    let app = Application::builder("Application", rpclib_examples::hello::TNS)
        .declare(HelloWorldService::descriptor())
        .protocol(JsonRpc::new())
        .build()
        .unwrap();
    HelloWorldServiceClient::new(
        HttpClient::new(&format!("http://{addr}/rpc"))
            .unwrap()
            .caller(app),
    )
}

#[test]
fn the_request_on_the_wire() {
    let (addr, received) = canned_server(
        "200 OK",
        "application/json",
        r#"{"jsonrpc":"2.0","result":["Hi"],"id":1}"#,
        1,
    );
    assert_eq!(
        hello_client(addr).say_hello("Dave".into(), 1).unwrap(),
        ["Hi"]
    );
    let received = received.lock().unwrap();
    let (head, body) = &received[0];
    assert!(head.starts_with("POST /rpc HTTP/1.1\r\n"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("\r\ncontent-type: application/json\r\n"),
        "{head}"
    );
    assert!(!head.to_ascii_lowercase().contains("soapaction"), "{head}");
    let body: Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body,
        json!({"jsonrpc": "2.0", "method": "say_hello", "params": {"name": "Dave", "times": 1}, "id": 1})
    );
}

#[test]
fn an_http_error_with_a_jsonrpc_body_is_the_fault() {
    let error = r#"{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found","data":"say_hello"},"id":1}"#;
    for status in [
        "500 Internal Server Error",
        "404 Not Found",
        "400 Bad Request",
    ] {
        let (addr, _) = canned_server(status, "application/json; charset=utf-8", error, 1);
        let f = fault_of(hello_client(addr).say_hello("Dave".into(), 1));
        assert_eq!(
            (f.code.as_str(), f.string.as_str()),
            ("Client.MethodNotFound", "Method not found"),
            "{status}"
        );
        let e = JsonRpcError::of(&f).unwrap();
        assert_eq!((e.code, e.data.clone()), (-32601, Some(json!("say_hello"))));
    }
    // Without a JSON body, the status is the error.
    let (addr, _) = canned_server("502 Bad Gateway", "text/html", "<h1>down</h1>", 1);
    match hello_client(addr).say_hello("Dave".into(), 1) {
        Err(ClientError::Transport(e)) => match e.downcast_ref::<HttpClientError>() {
            Some(HttpClientError::Status { status, excerpt }) => {
                assert_eq!((status.as_u16(), excerpt.as_str()), (502, "<h1>down</h1>"));
            }
            other => panic!("expected a status error, got {other:?}"),
        },
        other => panic!("expected a transport error, got {other:?}"),
    }
}
