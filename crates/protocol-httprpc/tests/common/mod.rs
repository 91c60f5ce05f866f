//! A service touching the model types a form can carry, and a helper running one HTTP-like
//! request (method, path, query, content type, body) through HttpRpc in, JSON out.
#![allow(dead_code, unreachable_pub, missing_docs)]
// `#[service]` expands `()`-returning methods to `{ let _ = out; () }`.
#![allow(clippy::unused_unit)]
// `scalars` takes one parameter per simple type on purpose (each is a query key).
#![allow(clippy::too_many_arguments)]

use std::sync::Arc;

use rpclib_core::model::{ByteArray, Date, DateTime, Decimal, HexBinary};
use rpclib_core::{Application, ComplexModel, Fault, RequestMeta, SimpleEnum, service};
use rpclib_protocol_httprpc::{HttpRpc, Limits};
use rpclib_protocol_json::JsonDocument;

#[derive(Debug, Clone, Copy, PartialEq, SimpleEnum)]
#[model(namespace = "urn:httprpc")]
pub enum Day {
    Monday,
    #[model(name = "WEEKEND")]
    Weekend,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:httprpc")]
pub struct Base {
    pub id: i32,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:httprpc")]
pub struct Person {
    #[model(base)]
    pub base: Base,
    #[model(min_len = 1, max_len = 8)]
    pub name: String,
    pub age: Option<u8>,
    pub tags: Vec<String>,
    pub day: Option<Day>,
}

pub struct Rpc;

#[service(namespace = "urn:httprpc")]
impl Rpc {
    /// Changes nothing: GET allowed.
    #[rpc(safe)]
    fn say_hello(
        &self,
        #[model(min_len = 1)] name: String,
        #[model(max_inclusive = 100)] times: u32,
    ) -> Vec<String> {
        (0..times).map(|_| format!("Hello, {name}")).collect()
    }

    /// Not marked safe: POST only.
    #[rpc]
    fn store(&self, person: Person) -> Person {
        person
    }

    #[rpc(safe)]
    fn people(&self, people: Vec<Person>, group: Option<String>) -> (Vec<Person>, Option<String>) {
        (people, group)
    }

    #[rpc(safe)]
    fn scalars(
        &self,
        flag: bool,
        small: i8,
        big: u64,
        ratio: f64,
        price: Decimal,
        day: Date,
        stamp: DateTime,
        bytes: ByteArray,
        hex: HexBinary,
    ) -> (
        bool,
        i8,
        u64,
        f64,
        Decimal,
        Date,
        DateTime,
        ByteArray,
        HexBinary,
    ) {
        (flag, small, big, ratio, price, day, stamp, bytes, hex)
    }

    #[rpc(safe)]
    fn matrix(&self, rows: Vec<Vec<i32>>) -> Vec<Vec<i32>> {
        rows
    }

    #[rpc]
    fn upload(&self, title: String, file: ByteArray) -> (String, u32, ByteArray) {
        let len = u32::try_from(file.len()).unwrap_or(u32::MAX);
        (title, len, file)
    }

    #[rpc]
    fn fail(&self, code: i32) -> Result<(), Fault> {
        Err(Fault::client("Refused", format!("always fails ({code})")))
    }

    #[rpc(safe)]
    fn nothing(&self) {}
}

pub fn server() -> Arc<Application> {
    server_with(Limits::default())
}

pub fn server_with(limits: Limits) -> Arc<Application> {
    Application::builder("HttpRpc", "urn:httprpc")
        .service(Rpc)
        .in_protocol(HttpRpc::with_limits(limits))
        .out_protocol(JsonDocument::new())
        .build()
        .expect("valid application")
}

/// One request as the HTTP transport hands it over.
#[derive(Debug, Clone, Default)]
pub struct Req<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub content_type: Option<&'a str>,
    pub body: &'a [u8],
}

pub fn get<'a>(path: &'a str, query: &'a str) -> Req<'a> {
    Req {
        method: "GET",
        path,
        query: Some(query),
        ..Req::default()
    }
}

pub fn post_form<'a>(path: &'a str, body: &'a str) -> Req<'a> {
    Req {
        method: "POST",
        path,
        content_type: Some("application/x-www-form-urlencoded"),
        body: body.as_bytes(),
        ..Req::default()
    }
}

/// Runs `req` through the pipeline: the status the out-protocol gives (the HTTP transport
/// turns `Client.RequestNotAllowed` into 405 itself) and the reply text.
pub fn serve(app: &Arc<Application>, req: &Req<'_>) -> (u16, String) {
    let mut meta = RequestMeta::new(req.method, req.path);
    meta.query = req.query.map(str::to_owned);
    if let Some(ct) = req.content_type {
        meta.push_header("Content-Type", ct);
    }
    let mut ctx = app.new_context();
    ctx.set_request(meta);
    ctx.in_string = vec![req.body.to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let reply = String::from_utf8(ctx.out_bytes()).expect("replies are UTF-8");
    (status, reply)
}

/// The fault code and string of a JSON fault reply.
pub fn fault_of(reply: &str) -> (String, String) {
    let v: serde_json::Value = serde_json::from_str(reply).expect("the reply is JSON");
    let f = &v["Fault"];
    (
        f["faultcode"].as_str().unwrap_or("").to_owned(),
        f["faultstring"].as_str().unwrap_or("").to_owned(),
    )
}
