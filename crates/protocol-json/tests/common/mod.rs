//! A service touching every model type, and helpers running requests through a server.
#![allow(dead_code, unreachable_pub, missing_docs)]
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }`.
#![allow(clippy::unused_unit)]

use std::sync::Arc;

use rpclib_core::model::{AnyXml, BigInt, ByteArray, Date, DateTime, Decimal, Duration, Time};
use rpclib_core::{Application, ApplicationBuilder, ComplexModel, Fault, SimpleEnum, service};
use rpclib_protocol_json::{JsonDocument, JsonRpc, Limits};

/// Every XSD primitive.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:json")]
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
#[model(namespace = "urn:json")]
pub enum Day {
    Monday,
    #[model(name = "WEEKEND")]
    Weekend,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:json")]
pub struct Base {
    pub id: i32,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:json")]
pub struct Derived {
    #[model(base)]
    pub base: Base,
    #[model(max_len = 8)]
    pub extra: String,
    pub day: Day,
}

/// Options, arrays (wrapped, unwrapped, nested, with nil items), nesting and raw XML.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:json")]
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
#[model(namespace = "urn:json")]
pub struct Problem {
    pub reason: String,
    pub code: i32,
}

pub struct JsonService;

#[service(namespace = "urn:json")]
impl JsonService {
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

    #[rpc(faults(Problem))]
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
    Application::builder("Json", "urn:json")
        .service(JsonService)
        .protocol(JsonDocument::with_limits(limits))
        .build()
        .expect("valid application")
}

/// Runs one request through the whole server pipeline; returns the status and the reply.
pub fn serve(app: &Arc<Application>, request: &[u8]) -> (u16, String) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let reply = String::from_utf8(ctx.out_bytes()).expect("replies are UTF-8");
    (status, reply)
}

/// Sends `request` to `builder`'s application speaking JsonDocument; the status and the
/// parsed reply.
pub fn call_document(
    builder: ApplicationBuilder,
    request: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let app = builder
        .protocol(JsonDocument::new())
        .build()
        .expect("a valid application");
    let (status, reply) = serve(&app, request.to_string().as_bytes());
    (status, serde_json::from_str(&reply).expect("a JSON reply"))
}

/// The same service with JSON-RPC 2.0.
pub fn rpc_server() -> Arc<Application> {
    Application::builder("Json", "urn:json")
        .service(JsonService)
        .protocol(JsonRpc::new())
        .build()
        .expect("valid application")
}

/// Runs one request through a JSON-RPC server as the HTTP transport does: a batch split
/// into calls and their replies joined. Returns the status (204 for an empty reply) and
/// the reply.
pub fn serve_rpc(app: &Arc<Application>, request: &[u8]) -> (u16, String) {
    let protocol = app.in_protocol().expect("an in-protocol");
    let (status, reply) = match protocol.split_batch(request) {
        Some(messages) => {
            let replies = messages
                .iter()
                .map(|m| serve(app, m).1.into_bytes())
                .collect();
            let joined = protocol.join_batch(replies);
            (200, String::from_utf8(joined).expect("replies are UTF-8"))
        }
        None => serve(app, request),
    };
    if reply.is_empty() {
        (204, reply)
    } else {
        (status, reply)
    }
}
