//! A small line protocol for the pipeline tests: a real [`Protocol`] that moves bytes, so the
//! tests exercise every stage without depending on the SOAP crate.
//!
//! Request: `operation key=value key=value` (values without spaces). Response: `ok <debug of
//! the value tree>` or `fault <code>: <string>`.

#![allow(dead_code)]

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use rpclib_core::model::value::{Value, ValueDeserializer, ValueSerializer};
use rpclib_core::{Catalogue, Event, Fault, MessageKind, MethodContext, Protocol, service};

#[derive(Debug)]
pub(crate) struct LineProtocol;

struct Parsed {
    op: String,
    args: Value,
}

impl Protocol for LineProtocol {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let bytes = ctx.in_string.concat();
        let text = String::from_utf8(bytes)
            .map_err(|_| Fault::client("InvalidInput", "request is not UTF-8"))?;
        let mut words = text.split_whitespace();
        let op = words
            .next()
            .ok_or_else(|| Fault::client("InvalidInput", "empty request"))?
            .to_owned();
        let mut fields = Vec::new();
        for word in words {
            let (k, v) = word.split_once('=').ok_or_else(|| {
                Fault::client("InvalidInput", format!("`{word}` is not key=value"))
            })?;
            fields.push((k.to_owned(), Value::Simple(v.to_owned())));
        }
        ctx.in_document = Some(Box::new(Parsed {
            op,
            args: Value::Complex(fields),
        }));
        Ok(())
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        _: MessageKind,
    ) -> Result<(), Fault> {
        let doc = ctx
            .in_document
            .as_ref()
            .and_then(|d| d.downcast_ref::<Parsed>())
            .ok_or_else(|| Fault::server("no document"))?;
        let tns = catalogue.tns();
        let method = catalogue
            .lookup_method(tns, &doc.op)
            .ok_or_else(|| Fault::client("MethodNotFound", format!("no method `{}`", doc.op)))?;
        ctx.method_request_string = Some(format!("{{{tns}}}{}", doc.op));
        ctx.set_method(method);
        Ok(())
    }

    fn deserialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        _: MessageKind,
    ) -> Result<(), Fault> {
        let method = ctx.descriptor().ok_or_else(|| Fault::server("no method"))?;
        let doc = ctx
            .in_document
            .take()
            .and_then(|d| d.downcast::<Parsed>().ok())
            .ok_or_else(|| Fault::server("no document"))?;
        let args = (method.input.deserialize)(&mut ValueDeserializer::new(&doc.args))?;
        ctx.in_object = Some(args);
        Ok(())
    }

    fn serialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        _: MessageKind,
    ) -> Result<(), Fault> {
        let text = if let Some(fault) = ctx.error() {
            format!("fault {}: {}", fault.code, fault.string)
        } else {
            let method = ctx.descriptor().ok_or_else(|| Fault::server("no method"))?;
            let out = ctx
                .out_object
                .as_ref()
                .ok_or_else(|| Fault::server("no result"))?;
            let mut s = ValueSerializer::default();
            (method.output.serialize)(out.as_ref(), &mut s)?;
            format!("ok {:?}", s.finish()?)
        };
        ctx.out_document = Some(Box::new(text));
        Ok(())
    }

    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let text = ctx
            .out_document
            .take()
            .and_then(|d| d.downcast::<String>().ok())
            .ok_or_else(|| Fault::server("no document"))?;
        ctx.out_string = vec![text.into_bytes()];
        Ok(())
    }

    fn message_content_type(&self, _: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed("text/plain")
    }
}

/// Records event names in order.
#[derive(Clone, Default)]
pub(crate) struct Recorder(pub(crate) Arc<Mutex<Vec<String>>>);

impl Recorder {
    pub(crate) fn listener(
        &self,
        prefix: &'static str,
        event: Event,
    ) -> impl Fn(&mut MethodContext) + Send + Sync + 'static {
        let log = Arc::clone(&self.0);
        move |_ctx: &mut MethodContext| {
            log.lock()
                .unwrap()
                .push(format!("{prefix}{}", event.name()));
        }
    }

    pub(crate) fn push(&self, entry: impl Into<String>) {
        self.0.lock().unwrap().push(entry.into());
    }

    pub(crate) fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// Waits for a future (an in-process call) on a single-threaded tokio runtime.
#[allow(dead_code)]
pub(crate) fn wait<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// Runs one request through the server pipeline, as a transport would.
pub(crate) fn serve(app: &Arc<rpclib_core::Application>, request: &str) -> (u16, String) {
    let mut ctx = app.new_context();
    ctx.in_string = vec![request.as_bytes().to_vec()];
    app.get_in_object(&mut ctx);
    app.get_out_object_blocking(&mut ctx);
    app.get_out_string(&mut ctx);
    let status = app.response_status(&ctx);
    let body = String::from_utf8(ctx.out_bytes()).unwrap();
    ctx.close();
    (status, body)
}

/// The service the pipeline and listener tests call: a value, a fault, a panic.
#[derive(Debug)]
pub(crate) struct Calc;

#[service(namespace = "urn:test:calc")]
impl Calc {
    #[rpc]
    fn add(&self, a: i32, b: i32) -> i32 {
        a + b
    }

    #[rpc]
    fn divide(&self, a: i32, b: i32) -> Result<i32, Fault> {
        if b == 0 {
            return Err(Fault::client("DivisionByZero", "b must not be 0"));
        }
        Ok(a / b)
    }

    #[rpc]
    fn explode(&self) -> i32 {
        panic!("boom")
    }
}
