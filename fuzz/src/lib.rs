//! What the fuzz targets share: a service that declares every model type rpclib has, the
//! applications serving it over SOAP 1.1 and 1.2, and the checks every reply must pass.

#![forbid(unsafe_code)]
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }`.
#![allow(clippy::unused_unit)]

use std::sync::Arc;

use rpclib_core::model::{
    AnyXml, BigInt, BigUint, ByteArray, Date, DateTime, Decimal, Duration, Time,
};
use rpclib_core::{Application, ComplexModel, Fault, MethodContext, SimpleEnum, service};
use rpclib_protocol_soap::{Limits, SOAP11_ENVELOPE_NS, SOAP12_ENVELOPE_NS, Soap11, Soap12};

/// The service's namespace (the golden files' one, so that they seed the corpus).
pub const NS: &str = "urn:golden";

/// Every XSD primitive.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Primitives {
    /// xs:boolean.
    pub flag: bool,
    /// xs:byte.
    pub tiny: i8,
    /// xs:short.
    pub small: i16,
    /// xs:int.
    pub int: i32,
    /// xs:long.
    pub long: i64,
    /// xs:unsignedByte.
    pub ubyte: u8,
    /// xs:unsignedShort.
    pub ushort: u16,
    /// xs:unsignedInt.
    pub uint: u32,
    /// xs:unsignedLong.
    pub ulong: u64,
    /// xs:integer.
    pub big: BigInt,
    /// xs:nonNegativeInteger.
    pub ubig: Option<BigUint>,
    /// xs:float.
    pub single: f32,
    /// xs:double.
    pub double: f64,
    /// xs:decimal.
    pub dec: Decimal,
    /// xs:string.
    pub text: String,
    /// xs:base64Binary.
    pub bytes: ByteArray,
    /// xs:date.
    pub date: Date,
    /// xs:time.
    pub time: Time,
    /// xs:dateTime.
    pub stamp: DateTime,
    /// xs:duration.
    pub span: Duration,
}

/// A string enumeration.
#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:golden")]
pub enum Day {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Renamed on the wire.
    #[model(name = "WEEKEND")]
    Weekend,
}

/// A base type in another namespace.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden:base")]
pub struct Base {
    /// An id.
    pub id: i32,
    /// A label.
    pub label: Option<String>,
}

/// Extends [`Base`].
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Derived {
    /// The base part.
    #[model(base)]
    pub base: Base,
    /// An extra field.
    pub extra: String,
    /// An enumeration.
    pub day: Day,
}

/// Options, arrays (wrapped, unwrapped, nested, with nil items), nesting and raw XML.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Containers {
    /// Optional, absent.
    pub absent: Option<String>,
    /// Optional, required to be present (nillable).
    #[model(min_occurs = 1)]
    pub nil: Option<String>,
    /// A wrapped array.
    pub ints: Vec<i32>,
    /// An unwrapped array.
    #[model(unwrapped)]
    pub tags: Vec<String>,
    /// An array of arrays.
    pub matrix: Vec<Vec<bool>>,
    /// An array with nil items.
    pub maybe: Vec<Option<i32>>,
    /// An array of complex (derived) items.
    pub people: Vec<Derived>,
    /// Nested complex.
    pub inner: Option<Primitives>,
    /// Raw XML.
    pub xml: AnyXml,
}

/// Arrays of simple types.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Lists {
    /// Enumerations.
    pub days: Vec<Day>,
    /// Optional array of date-times.
    pub stamps: Option<Vec<DateTime>>,
    /// Unbounded unsigned integers, unwrapped.
    #[model(unwrapped)]
    pub big: Vec<BigUint>,
}

/// A request header.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Session {
    /// A token.
    pub token: String,
}

/// A typed fault detail.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:golden")]
pub struct Problem {
    /// Why.
    pub reason: String,
    /// A code.
    pub code: i32,
}

/// The service the SOAP target drives: the golden files' operations, so that they seed it.
#[derive(Debug)]
pub struct FuzzService;

#[service(namespace = "urn:golden", in_headers(Session), out_headers(Session))]
impl FuzzService {
    /// Every primitive.
    #[rpc(safe)]
    fn echo_primitives(&self, p: Primitives) -> Result<Primitives, Fault> {
        Ok(p)
    }

    /// Every container.
    #[rpc(safe)]
    fn echo_containers(&self, c: Containers) -> Result<Containers, Fault> {
        Ok(c)
    }

    /// Inheritance and an enumeration.
    #[rpc]
    fn echo_derived(&self, d: Derived) -> Result<Derived, Fault> {
        Ok(d)
    }

    /// Raw XML.
    #[rpc]
    fn echo_any(&self, xml: AnyXml) -> Result<AnyXml, Fault> {
        Ok(xml)
    }

    /// Headers in and out.
    #[rpc]
    fn whoami(&self, ctx: &mut MethodContext) -> Result<Option<String>, Fault> {
        let token = ctx.in_header::<Session>().map(|s| s.token.clone());
        if let Some(t) = &token {
            ctx.set_out_header(Session { token: t.clone() });
        }
        Ok(token)
    }

    /// A bare body.
    #[rpc(body = "bare")]
    fn echo_bare(&self, s: String) -> Result<String, Fault> {
        Ok(s)
    }

    /// A bare array body.
    #[rpc(body = "bare")]
    fn echo_bare_array(&self, items: Vec<String>) -> Result<Vec<String>, Fault> {
        Ok(items)
    }

    /// A bare body answering nothing.
    #[rpc(body = "bare")]
    fn bare_nothing(&self, s: String) -> Result<Option<String>, Fault> {
        let _ = s;
        Ok(None)
    }

    /// Several results.
    #[rpc(results("sum", "note"), safe)]
    fn multi(&self, a: i32, b: i32, note: Option<String>) -> Result<(i64, Option<String>), Fault> {
        Ok((i64::from(a) + i64::from(b), note))
    }

    /// No argument, no result.
    #[rpc]
    fn nothing(&self) -> Result<(), Fault> {
        Ok(())
    }

    /// Declared ranges.
    #[rpc]
    fn ranged(
        &self,
        #[model(min_inclusive = 1, max_inclusive = 10)] n: i32,
        #[model(max_len = 3)] code: String,
    ) -> Result<i32, Fault> {
        let _ = code;
        Ok(n)
    }

    /// A documented fault echoing its input.
    #[rpc(faults(Problem))]
    fn fail_documented(&self, reason: String) -> Result<(), Fault> {
        Err(Fault::client("Documented", "A documented fault")
            .with_detail(Problem { reason, code: 42 }))
    }

    /// A string.
    #[rpc]
    fn echo_string(&self, s: String) -> Result<String, Fault> {
        Ok(s)
    }

    /// Repeated simple types.
    #[rpc(safe)]
    fn echo_lists(&self, l: Lists) -> Result<Lists, Fault> {
        Ok(l)
    }
}

/// The service over SOAP 1.1 (`false`) or SOAP 1.2 (`true`), default limits.
pub fn soap_app(soap12: bool) -> Arc<Application> {
    let builder = Application::builder("Fuzz", NS).service(FuzzService);
    let builder = if soap12 {
        builder.protocol(Soap12::with_limits(Limits::default()))
    } else {
        builder.protocol(Soap11::with_limits(Limits::default()))
    };
    builder.build().expect("the fuzz service is valid")
}

/// The application serving [`FuzzService`] in JSON (`rpclib-protocol-json`).
pub fn json_app() -> Arc<Application> {
    Application::builder("Fuzz", NS)
        .service(FuzzService)
        .protocol(rpclib_protocol_json::JsonDocument::new())
        .build()
        .expect("the fuzz service is valid")
}

/// Runs one request through the JSON server pipeline and checks the reply: JSON, an object
/// with one member, `Fault` iff the pipeline recorded an error, a 4xx status iff that error
/// is a `Client` fault. Panics (a crash to libFuzzer) otherwise.
pub fn serve_json_and_check(app: &Arc<Application>, request: &[u8]) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    check_json_reply(app, ctx);
}

/// Runs the pipeline on a prepared context and checks the JSON reply (see
/// [`serve_json_and_check`]).
fn check_json_reply(app: &Arc<Application>, mut ctx: rpclib_core::ContextCloseGuard) {
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let fault = ctx.error().map(|f| f.code.class());
    let reply = ctx.out_bytes();
    ctx.close();
    let doc: serde_json::Value = match serde_json::from_slice(&reply) {
        Ok(doc) => doc,
        Err(e) => panic!(
            "the reply is not JSON ({e}): {}",
            String::from_utf8_lossy(&reply)
        ),
    };
    let members = doc
        .as_object()
        .map(|m| m.keys().cloned().collect::<Vec<_>>());
    let Some([name]) = members.as_deref() else {
        panic!("the reply is not an object with one member: {doc}");
    };
    assert_eq!(
        name == "Fault",
        fault.is_some(),
        "Fault member vs recorded error: {doc}"
    );
    match fault {
        None => assert_eq!(status, 200, "{doc}"),
        Some(rpclib_core::FaultClass::Client) => {
            assert!(status == 400 || status == 413, "{status}: {doc}")
        }
        Some(_) => assert_eq!(status, 500, "{doc}"),
    }
}

/// The application serving [`FuzzService`] with HttpRpc in, JSON out
/// (`rpclib-protocol-httprpc`).
pub fn httprpc_app() -> Arc<Application> {
    Application::builder("Fuzz", NS)
        .service(FuzzService)
        .in_protocol(rpclib_protocol_httprpc::HttpRpc::new())
        .out_protocol(rpclib_protocol_json::JsonDocument::new())
        .build()
        .expect("the fuzz service is valid")
}

/// Runs one HttpRpc request through the server pipeline and checks the reply as
/// [`serve_json_and_check`] does. The input is read like the protocol's golden files: a
/// line `METHOD /path?query`, optionally a line with the content type, a blank line, the
/// body (a request without a blank line is all head).
pub fn serve_httprpc_and_check(app: &Arc<Application>, data: &[u8]) {
    let split = data.windows(2).position(|w| w == b"\n\n");
    let (head, body) = match split {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.lines();
    let line = lines.next().unwrap_or_default();
    let (method, target) = line.split_once(' ').unwrap_or(("GET", line));
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let mut meta = rpclib_core::RequestMeta::new(method, path);
    meta.query = query.map(str::to_owned);
    if let Some(content_type) = lines.next() {
        let content_type = content_type.strip_prefix("Content-Type: ").unwrap_or(content_type);
        meta.push_header("Content-Type", content_type);
    }
    let mut ctx = app.new_context();
    ctx.set_request(meta);
    ctx.in_string = vec![body.to_vec()];
    check_json_reply(app, ctx);
}

/// The application serving [`FuzzService`] in MessagePack (`rpclib-protocol-msgpack`).
pub fn msgpack_app() -> Arc<Application> {
    Application::builder("Fuzz", NS)
        .service(FuzzService)
        .protocol(rpclib_protocol_msgpack::MsgPack::new())
        .build()
        .expect("the fuzz service is valid")
}

/// Runs one request through the MessagePack server pipeline and checks the reply: one whole
/// MessagePack value, a map with one string key, `Fault` iff the pipeline recorded an error,
/// a 4xx status iff that error is a `Client` fault. Panics (a crash to libFuzzer) otherwise.
pub fn serve_msgpack_and_check(app: &Arc<Application>, request: &[u8]) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let fault = ctx.error().map(|f| f.code.class());
    let reply = ctx.out_bytes();
    ctx.close();
    let mut rest = reply.as_slice();
    let doc = match rmpv::decode::read_value(&mut rest) {
        Ok(doc) => doc,
        Err(e) => panic!("the reply is not MessagePack ({e}): {reply:x?}"),
    };
    assert!(rest.is_empty(), "bytes after the reply: {reply:x?}");
    let name = match doc.as_map().map(Vec::as_slice) {
        Some([(key, _)]) => key.as_str().map(str::to_owned),
        _ => None,
    };
    let Some(name) = name else {
        panic!("the reply is not a map with one string key: {doc}");
    };
    assert_eq!(
        name == "Fault",
        fault.is_some(),
        "Fault entry vs recorded error: {doc}"
    );
    match fault {
        None => assert_eq!(status, 200, "{doc}"),
        Some(rpclib_core::FaultClass::Client) => {
            assert!(status == 400 || status == 413, "{status}: {doc}")
        }
        Some(_) => assert_eq!(status, 500, "{doc}"),
    }
}

/// Runs one request through the whole server pipeline and checks the reply: UTF-8, one
/// well-formed SOAP Envelope of the endpoint's version, a Fault in it when the pipeline
/// recorded an error. Panics (a crash to libFuzzer) otherwise.
pub fn serve_and_check(app: &Arc<Application>, soap12: bool, request: &[u8]) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let failed = ctx.error().is_some();
    let bytes = ctx.out_bytes();
    ctx.close();
    let reply = match String::from_utf8(bytes) {
        Ok(r) => r,
        Err(e) => panic!("the reply is not UTF-8: {e}"),
    };
    let ns = if soap12 {
        SOAP12_ENVELOPE_NS
    } else {
        SOAP11_ENVELOPE_NS
    };
    let root = check_well_formed(&reply);
    assert_eq!(
        root,
        (ns.to_owned(), "Envelope".to_owned()),
        "the reply's root is not a SOAP Envelope: {reply}"
    );
    assert!(reply.contains("Body"), "no Body in the reply: {reply}");
    if failed {
        assert!(reply.contains("Fault"), "an error but no Fault: {reply}");
        assert!(status >= 400, "a fault with status {status}");
    } else {
        assert_eq!(status, 200, "a success with status {status}: {reply}");
    }
}

/// Panics unless `xml` is one well-formed element (balanced tags, every prefix declared, no
/// stray content); returns the root's namespace and local name.
pub fn check_well_formed(xml: &str) -> (String, String) {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let mut reader = quick_xml::reader::NsReader::from_str(xml);
    let mut depth = 0usize;
    let mut roots = 0usize;
    let mut root = None;
    loop {
        let (resolved, event) = match reader.read_resolved_event() {
            Ok(x) => x,
            Err(e) => panic!("the reply is not well-formed ({e}): {xml}"),
        };
        let is_start = matches!(event, Event::Start(_));
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                let ns = match resolved {
                    ResolveResult::Bound(ns) => ns.into_inner().to_owned(),
                    ResolveResult::Unbound => String::new(),
                    ResolveResult::Unknown(p) => {
                        panic!("undeclared prefix {p:?} in the reply: {xml}")
                    }
                };
                if depth == 0 {
                    roots += 1;
                    let local = e.local_name().into_inner().to_owned();
                    root = Some((ns, local));
                }
                for a in e.attributes() {
                    if let Err(err) = a {
                        panic!("a malformed attribute ({err}) in the reply: {xml}");
                    }
                }
                if is_start {
                    depth += 1;
                }
            }
            Event::End(_) => {
                depth = depth.checked_sub(1).expect("an unbalanced end tag");
            }
            Event::Text(t) if depth == 0 => {
                let t: &str = t.as_ref();
                assert!(t.trim().is_empty(), "text outside the root: {xml}");
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((depth, roots), (0, 1), "not one balanced root: {xml}");
    root.expect("a root element")
}

/// The application serving [`FuzzService`] in JSON-RPC 2.0 (`rpclib-protocol-json`'s
/// `JsonRpc`).
pub fn jsonrpc_app() -> Arc<Application> {
    Application::builder("Fuzz", NS)
        .service(FuzzService)
        .protocol(rpclib_protocol_json::JsonRpc::new())
        .build()
        .expect("the fuzz service is valid")
}

/// Runs one request through the JSON-RPC server pipeline as the HTTP transport does (a
/// batch split into calls, each through the whole pipeline, the replies joined) and checks
/// the reply: nothing (notifications only), or one response object, or a non-empty array of
/// them; each with `"jsonrpc": "2.0"`, an `id`, exactly one of `result` and `error`, an
/// error code of the spec's or `-32000`, status 200. Panics (a crash to libFuzzer)
/// otherwise.
pub fn serve_jsonrpc_and_check(app: &Arc<Application>, request: &[u8]) {
    let Some(protocol) = app.in_protocol() else {
        panic!("no in-protocol");
    };
    let run = |message: &[u8]| {
        let mut ctx = app.new_context();
        ctx.in_string = vec![message.to_vec()];
        app.get_in_object(&mut ctx);
        app.get_out_object_blocking(&mut ctx);
        app.get_out_string(&mut ctx);
        assert_eq!(app.response_status(&ctx), 200);
        let reply = ctx.out_bytes();
        ctx.close();
        reply
    };
    let (reply, batch) = match protocol.split_batch(request) {
        Some(messages) => {
            assert!(!messages.is_empty(), "an empty split");
            let replies = messages.iter().map(|m| run(m)).collect();
            (protocol.join_batch(replies), true)
        }
        None => (run(request), false),
    };
    if reply.is_empty() {
        return;
    }
    let doc: serde_json::Value = match serde_json::from_slice(&reply) {
        Ok(doc) => doc,
        Err(e) => panic!(
            "the reply is not JSON ({e}): {}",
            String::from_utf8_lossy(&reply)
        ),
    };
    let objects = match &doc {
        serde_json::Value::Array(items) => {
            assert!(batch && !items.is_empty(), "{doc}");
            items.clone()
        }
        other => {
            assert!(!batch, "a batch answered with one object: {doc}");
            vec![other.clone()]
        }
    };
    for object in &objects {
        let Some(members) = object.as_object() else {
            panic!("a reply that is not an object: {doc}");
        };
        assert_eq!(object["jsonrpc"], "2.0", "{doc}");
        assert!(members.contains_key("id"), "{doc}");
        assert!(
            matches!(
                object["id"],
                serde_json::Value::Null | serde_json::Value::String(_) | serde_json::Value::Number(_)
            ),
            "{doc}"
        );
        assert_eq!(members.len(), 3, "{doc}");
        if let Some(error) = members.get("error") {
            let code = error["code"].as_i64().unwrap_or_default();
            assert!(
                [-32700, -32600, -32601, -32602, -32603, -32000].contains(&code),
                "{doc}"
            );
            assert!(error["message"].is_string(), "{doc}");
            assert!(error["data"]["faultcode"].is_string(), "{doc}");
        } else {
            assert!(members.contains_key("result"), "{doc}");
        }
    }
}

/// A client transport that answers every request with the same bytes.
struct Canned(Vec<u8>);

impl rpclib_core::ClientTransport for Canned {
    fn send(
        &self,
        _: &rpclib_core::OutgoingRequest<'_>,
    ) -> Result<Option<Vec<u8>>, rpclib_core::BoxError> {
        Ok(Some(self.0.clone()))
    }
}

/// Reads `reply` as a JSON-RPC server's answer to one call of a typed client, for a few
/// methods of different shapes (several named results, a bare array, a method without
/// parameters, a derived complex type). Each call is the first of a new client, so its request's id
/// is 1 and a reply can match it. Any outcome but a panic passes: a value, a fault or an
/// invalid-reply error.
pub fn read_jsonrpc_reply(reply: &[u8]) {
    let client = || {
        let app = Application::builder("FuzzClient", NS)
            .declare(<FuzzService as rpclib_core::Service>::descriptor())
            .protocol(rpclib_protocol_json::JsonRpc::new())
            .build()
            .expect("the fuzz service is valid");
        FuzzServiceClient::new(rpclib_core::RemoteClient::new(
            app,
            Canned(reply.to_vec()),
        ))
    };
    let _ = client().multi(1, 2, Some("note".to_owned()));
    let _ = client().echo_bare_array(vec!["a".to_owned()]);
    let _ = client().whoami();
    let _ = client().echo_derived(Derived {
        base: Base {
            id: 1,
            label: None,
        },
        extra: "x".to_owned(),
        day: Day::Monday,
    });
}
