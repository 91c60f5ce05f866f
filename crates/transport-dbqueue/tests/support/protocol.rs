//! A small line protocol, client and server side, so the queue's tests exercise every
//! pipeline stage without the SOAP crate.
//!
//! Request: `operation key=value …` (values percent-escaped). Response: `ok <value tree>` or
//! `fault <code>: <string>`.

use std::borrow::Cow;

use rpclib_core::model::value::{Value, ValueDeserializer, ValueSerializer};
use rpclib_core::{Catalogue, Fault, MessageKind, MethodContext, Protocol};

#[derive(Debug)]
pub struct LineProtocol;

struct Parsed {
    op: String,
    args: Value,
}

fn escape(s: &str) -> String {
    s.replace('%', "%25")
        .replace(' ', "%20")
        .replace('=', "%3D")
        .replace('\n', "%0A")
}

fn unescape(s: &str) -> String {
    // Every escape starts with `%`: without one there is nothing to replace (the queue
    // bench's payload has none, and four passes over it were a third of a task's cost).
    if !s.contains('%') {
        return s.to_owned();
    }
    s.replace("%0A", "\n")
        .replace("%3D", "=")
        .replace("%20", " ")
        .replace("%25", "%")
}

impl Protocol for LineProtocol {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        // A request in one piece (the queue's tasks) is read where it is, not copied.
        let joined;
        let bytes: &[u8] = match ctx.in_string.as_slice() {
            [one] => one,
            parts => {
                joined = parts.concat();
                &joined
            }
        };
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Fault::client("InvalidInput", "request is not UTF-8"))?;
        // Words are separated by spaces (the client escapes spaces and newlines in values).
        // Splitting on one byte runs through the request at memchr's speed; splitting on
        // every Unicode whitespace decoded and tested each character, and was a third of the
        // queue bench's cost per task.
        let mut words = text.split(' ').filter(|w| !w.is_empty());
        let op = words
            .next()
            .ok_or_else(|| Fault::client("InvalidInput", "empty request"))?
            .to_owned();
        let mut fields = Vec::new();
        for word in words {
            let (k, v) = word.split_once('=').ok_or_else(|| {
                Fault::client("InvalidInput", format!("`{word}` is not key=value"))
            })?;
            fields.push((k.to_owned(), Value::Simple(unescape(v))));
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
        // The name is written into the context's kept string (no allocation once a reused
        // context has one) at its final size, not formatted anew.
        let mut name = ctx.reusable_method_request_string();
        let op = ctx
            .in_document
            .as_ref()
            .and_then(|d| d.downcast_ref::<Parsed>())
            .map(|d| d.op.as_str())
            .ok_or_else(|| Fault::server("no document"))?;
        let tns = catalogue.tns();
        let method = catalogue
            .lookup_method(tns, op)
            .ok_or_else(|| Fault::client("MethodNotFound", format!("no method `{op}`")))?;
        name.reserve(tns.len() + op.len() + 2);
        name.push('{');
        name.push_str(tns);
        name.push('}');
        name.push_str(op);
        ctx.method_request_string = Some(name);
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
        ctx.in_object = Some((method.input.deserialize)(&mut ValueDeserializer::new(
            &doc.args,
        ))?);
        Ok(())
    }

    fn serialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let method = ctx.descriptor();
        let method = move || method.ok_or_else(|| Fault::server("no method"));
        let text = match kind {
            MessageKind::Request => {
                let method = method()?;
                let args = ctx
                    .out_object
                    .as_ref()
                    .ok_or_else(|| Fault::server("no args"))?;
                let mut s = ValueSerializer::default();
                (method.input.serialize)(args.as_ref(), &mut s)?;
                let mut line = method.input.name.to_owned();
                if let Value::Complex(fields) = s.finish()? {
                    for (k, v) in fields {
                        if let Value::Simple(v) = v {
                            line.push_str(&format!(" {k}={}", escape(&v)));
                        }
                    }
                }
                line
            }
            MessageKind::Response => match ctx.error() {
                Some(fault) => format!("fault {}: {}", fault.code, fault.string),
                None => {
                    let method = method()?;
                    let out = ctx
                        .out_object
                        .as_ref()
                        .ok_or_else(|| Fault::server("no result"))?;
                    let mut s = ValueSerializer::default();
                    (method.output.serialize)(out.as_ref(), &mut s)?;
                    format!("ok {:?}", s.finish()?)
                }
            },
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
