//! A service touching every model type, and helpers running requests through a server.
#![allow(dead_code, unreachable_pub, missing_docs)]
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }`.
#![allow(clippy::unused_unit)]

use std::sync::Arc;

use rpclib_core::model::{AnyXml, BigInt, ByteArray, Date, DateTime, Decimal, Duration, Time};
use rpclib_core::{Application, ComplexModel, Fault, SimpleEnum, service};
use rpclib_protocol_msgpack::{Limits, MsgPack};

/// Every XSD primitive.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:msgpack")]
pub struct Primitives {
    pub flag: bool,
    pub tiny: i8,
    pub int: i32,
    pub long: i64,
    pub ulong: u64,
    pub big: BigInt,
    pub single: f32,
    pub double: f64,
    pub dec: Decimal,
    pub text: String,
    pub bytes: ByteArray,
    pub date: Date,
    pub time: Time,
    pub stamp: DateTime,
    pub span: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:msgpack")]
pub enum Day {
    Monday,
    #[model(name = "WEEKEND")]
    Weekend,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:msgpack")]
pub struct Base {
    pub id: i32,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:msgpack")]
pub struct Derived {
    #[model(base)]
    pub base: Base,
    #[model(max_len = 8)]
    pub extra: String,
    pub day: Day,
}

/// Options, arrays (wrapped, unwrapped, nested, with nil items), nesting and raw XML.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:msgpack")]
pub struct Containers {
    pub absent: Option<String>,
    #[model(min_occurs = 1)]
    pub nil: Option<String>,
    pub ints: Vec<i32>,
    #[model(unwrapped)]
    pub tags: Vec<String>,
    pub matrix: Vec<Vec<bool>>,
    pub maybe: Vec<Option<i32>>,
    pub people: Vec<Derived>,
    pub xml: AnyXml,
}

/// A typed fault detail.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:msgpack")]
pub struct Problem {
    pub reason: String,
    pub code: i32,
}

pub struct MsgPackService;

#[service(namespace = "urn:msgpack")]
impl MsgPackService {
    #[rpc]
    fn echo_primitives(&self, p: Primitives) -> Result<Primitives, Fault> {
        Ok(p)
    }

    #[rpc]
    fn echo_containers(&self, c: Containers) -> Result<Containers, Fault> {
        Ok(c)
    }

    #[rpc]
    fn echo_derived(&self, d: Derived) -> Result<Derived, Fault> {
        Ok(d)
    }

    #[rpc]
    fn echo_string(&self, s: String) -> Result<String, Fault> {
        Ok(s)
    }

    /// Says hello `times` times (at most 100).
    #[rpc]
    fn say_hello(
        &self,
        #[model(min_len = 1)] name: String,
        #[model(max_inclusive = 100)] times: u32,
    ) -> Vec<String> {
        (0..times).map(|_| format!("Hello, {name}")).collect()
    }

    #[rpc]
    fn fail(&self, code: i32) -> Result<(), Fault> {
        Err(
            Fault::client("Refused", "always fails").with_detail(Problem {
                reason: "because".into(),
                code,
            }),
        )
    }

    #[rpc]
    fn nothing(&self) {}
}

pub fn server() -> Arc<Application> {
    server_with(Limits::default())
}

pub fn server_with(limits: Limits) -> Arc<Application> {
    Application::builder("MsgPack", "urn:msgpack")
        .service(MsgPackService)
        .protocol(MsgPack::with_limits(limits))
        .build()
        .expect("valid application")
}

/// Runs one request through the whole server pipeline; returns the status and the reply.
pub fn serve(app: &Arc<Application>, request: &[u8]) -> (u16, Vec<u8>) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    (app.response_status(&ctx), ctx.out_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// JSON to a MessagePack value: integers as ints, other numbers as float 64, a string
/// `"$bin:HEX"` as a bin, objects as maps with string keys.
pub fn to_value(json: &serde_json::Value) -> rmpv::Value {
    use serde_json::Value as J;
    match json {
        J::Null => rmpv::Value::Nil,
        J::Bool(b) => rmpv::Value::Boolean(*b),
        J::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => rmpv::Value::from(u),
            (_, Some(i)) => rmpv::Value::from(i),
            _ => rmpv::Value::F64(n.as_f64().unwrap_or_default()),
        },
        J::String(s) => match s.strip_prefix("$bin:") {
            Some(h) => rmpv::Value::Binary(unhex(h)),
            None => rmpv::Value::from(s.as_str()),
        },
        J::Array(items) => rmpv::Value::Array(items.iter().map(to_value).collect()),
        J::Object(members) => rmpv::Value::Map(
            members
                .iter()
                .map(|(k, v)| (rmpv::Value::from(k.as_str()), to_value(v)))
                .collect(),
        ),
    }
}

/// Encodes a JSON description as MessagePack (see [`to_value`]).
pub fn encode(json: &serde_json::Value) -> Vec<u8> {
    let mut out = Vec::new();
    rmpv::encode::write_value(&mut out, &to_value(json)).expect("encodes");
    out
}

/// Encodes a JSON text as MessagePack (see [`to_value`]).
pub fn encode_str(json: &str) -> Vec<u8> {
    encode(&serde_json::from_str(json).expect("valid JSON"))
}

/// Describes MessagePack bytes as JSON: a bin as `"$bin:HEX"`, a float 32 as
/// `{"$f32": x}`, a non-finite float 64 as `{"$f64": "NaN"}`; panics if the bytes are not
/// one whole MessagePack value.
pub fn describe(bytes: &[u8]) -> serde_json::Value {
    let mut rest = bytes;
    let value = rmpv::decode::read_value(&mut rest).expect("well-formed MessagePack");
    assert!(rest.is_empty(), "bytes after the value");
    from_value(&value)
}

fn from_value(v: &rmpv::Value) -> serde_json::Value {
    use serde_json::{Value as J, json};
    match v {
        rmpv::Value::Nil => J::Null,
        rmpv::Value::Boolean(b) => J::Bool(*b),
        rmpv::Value::Integer(i) => match (i.as_u64(), i.as_i64()) {
            (Some(u), _) => json!(u),
            (_, Some(n)) => json!(n),
            _ => J::Null,
        },
        rmpv::Value::F32(f) => json!({ "$f32": f }),
        rmpv::Value::F64(f) if f.is_finite() => json!(f),
        rmpv::Value::F64(f) => json!({ "$f64": f.to_string() }),
        rmpv::Value::String(s) => J::String(s.as_str().unwrap_or("$not-utf8").to_owned()),
        rmpv::Value::Binary(b) => J::String(format!("$bin:{}", hex(b))),
        rmpv::Value::Array(items) => J::Array(items.iter().map(from_value).collect()),
        rmpv::Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.as_str().unwrap_or("$key").to_owned(), from_value(v)))
                .collect(),
        ),
        rmpv::Value::Ext(t, _) => json!({ "$ext": t }),
    }
}

/// The fault code and string of a fault reply.
pub fn fault_of(reply: &[u8]) -> (String, String) {
    let v = describe(reply);
    let f = &v["Fault"];
    (
        f["faultcode"].as_str().unwrap_or("").to_owned(),
        f["faultstring"].as_str().unwrap_or("").to_owned(),
    )
}
