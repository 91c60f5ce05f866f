//! A custom protocol in one file: a plain JSON document protocol, served over the HTTP
//! transport next to SOAP (see `docs/implementing-transports-and-protocols.md`).
//!
//! A request is an object with one key, the request element's name, holding the parameters:
//! `{"say_hello": {"name": "Dave", "times": 2}}`. The reply is `{"say_helloResponse":
//! {"say_helloResult": [...]}}`, or `{"Fault": {"faultcode": .., "faultstring": ..}}`.
//! Booleans and numbers travel as JSON booleans and numbers, everything else as strings.

use std::borrow::Cow;

use rpclib_core::model::{
    AnyXml, ComplexType, DeError, Deserializer, FieldDescriptor, FieldVisitor, ItemVisitor,
    SerError, SerializeValue, Serializer, SimpleKind, TypeRef,
};
use rpclib_core::{Catalogue, Fault, MessageKind, MethodContext, Protocol};
use serde_json::{Map, Value};

/// The JSON document protocol (the transport bounds the request size).
#[derive(Debug, Clone, Default)]
pub struct JsonProtocol;

fn take_doc(slot: &mut Option<Box<dyn std::any::Any + Send>>) -> Result<Value, Fault> {
    slot.take()
        .and_then(|d| d.downcast::<Value>().ok())
        .map(|b| *b)
        .ok_or_else(|| Fault::server("no JSON document"))
}

/// The single `{"name": value}` entry of a message object.
fn single_entry(doc: &Value) -> Result<(&String, &Value), Fault> {
    match doc
        .as_object()
        .map(|m| m.iter().collect::<Vec<_>>())
        .as_deref()
    {
        Some([(name, body)]) => Ok((name, body)),
        _ => Err(Fault::client(
            "InvalidInput",
            "expected an object with exactly one key",
        )),
    }
}

impl Protocol for JsonProtocol {
    fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let bytes = ctx.in_string.concat();
        let doc: Value = serde_json::from_slice(&bytes)
            .map_err(|e| Fault::client("InvalidInput", format!("invalid JSON: {e}")))?;
        ctx.in_document = Some(Box::new(doc));
        Ok(())
    }

    fn decompose_incoming_envelope(
        &self,
        catalogue: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let doc = take_doc(&mut ctx.in_document)?;
        let (name, body) = single_entry(&doc)?;
        if kind == MessageKind::Request {
            let method = catalogue
                .methods()
                .find(|m| m.method().input.name == name)
                .ok_or_else(|| Fault::client("MethodNotFound", format!("no method `{name}`")))?;
            ctx.set_method(method);
        }
        ctx.method_request_string = Some(name.clone());
        ctx.in_body_doc = Some(Box::new(body.clone()));
        Ok(())
    }

    fn deserialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let method = ctx.descriptor().ok_or_else(|| Fault::server("no method"))?;
        let body = take_doc(&mut ctx.in_body_doc)?;
        let message = match kind {
            MessageKind::Request => &method.input,
            MessageKind::Response if ctx.method_request_string.as_deref() == Some("Fault") => {
                let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                ctx.in_error = Some(Fault::new(
                    rpclib_core::FaultCode::new(text("faultcode")),
                    text("faultstring"),
                ));
                return Ok(());
            }
            MessageKind::Response => &method.output,
        };
        ctx.in_object = Some((message.deserialize)(&mut JsonReader(&body))?);
        Ok(())
    }

    fn serialize(
        &self,
        _: &Catalogue,
        ctx: &mut MethodContext,
        kind: MessageKind,
    ) -> Result<(), Fault> {
        let doc = if let (Some(fault), MessageKind::Response) = (ctx.error(), kind) {
            serde_json::json!({"Fault": {"faultcode": fault.code.as_str(), "faultstring": fault.string}})
        } else {
            let method = ctx.descriptor().ok_or_else(|| Fault::server("no method"))?;
            let message = if kind == MessageKind::Request {
                &method.input
            } else {
                &method.output
            };
            let value = ctx
                .out_object
                .as_ref()
                .ok_or_else(|| Fault::server("no message"))?;
            let mut w = JsonWriter::default();
            (message.serialize)(value.as_ref(), &mut w)?;
            let mut top = Map::new();
            top.insert(message.name.to_owned(), w.done.unwrap_or(Value::Null));
            Value::Object(top)
        };
        ctx.out_document = Some(Box::new(doc));
        Ok(())
    }

    fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
        let doc = take_doc(&mut ctx.out_document)?;
        ctx.out_string = vec![serde_json::to_vec(&doc).map_err(|e| Fault::server(e.to_string()))?];
        Ok(())
    }

    fn message_content_type(&self, _ctx: &MethodContext) -> Cow<'_, str> {
        Cow::Borrowed("application/json")
    }
}

/// Builds a JSON value from serializer events.
#[derive(Default)]
struct JsonWriter {
    stack: Vec<Value>,
    done: Option<Value>,
}

impl JsonWriter {
    fn emit(&mut self, v: Value) -> Result<(), SerError> {
        match self.stack.last_mut() {
            Some(Value::Array(items)) => items.push(v),
            None if self.done.is_none() => self.done = Some(v),
            _ => return Err(SerError::new("value out of place")),
        }
        Ok(())
    }

    fn close(&mut self) -> Result<(), SerError> {
        let v = self
            .stack
            .pop()
            .ok_or_else(|| SerError::new("end without begin"))?;
        self.emit(v)
    }
}

fn simple_kind(ty: TypeRef) -> Option<SimpleKind> {
    match ty {
        TypeRef::Simple(s) => Some(s.kind),
        _ => None,
    }
}

impl Serializer for JsonWriter {
    fn write_simple(&mut self, ty: TypeRef, text: &str) -> Result<(), SerError> {
        let v = match simple_kind(ty) {
            Some(SimpleKind::Boolean) => Value::Bool(text == "true"),
            Some(SimpleKind::Integer | SimpleKind::Float) => {
                serde_json::from_str::<serde_json::Number>(text)
                    .map(Value::Number)
                    .unwrap_or_else(|_| Value::String(text.to_owned()))
            }
            _ => Value::String(text.to_owned()),
        };
        self.emit(v)
    }

    fn write_nil(&mut self) -> Result<(), SerError> {
        self.emit(Value::Null)
    }

    fn begin_complex(&mut self, _: &'static ComplexType) -> Result<(), SerError> {
        self.stack.push(Value::Object(Map::new()));
        Ok(())
    }

    fn write_field(
        &mut self,
        field: &'static FieldDescriptor,
        value: &dyn SerializeValue,
    ) -> Result<(), SerError> {
        let mut sub = JsonWriter::default();
        value.serialize_value(&mut sub)?;
        match (self.stack.last_mut(), sub.done) {
            (Some(Value::Object(map)), Some(v)) => {
                map.insert(field.name.to_owned(), v);
                Ok(())
            }
            _ => Err(SerError::new("field outside an object")),
        }
    }

    fn end_complex(&mut self) -> Result<(), SerError> {
        self.close()
    }

    fn begin_seq(&mut self, _: TypeRef, len: usize) -> Result<(), SerError> {
        self.stack.push(Value::Array(Vec::with_capacity(len)));
        Ok(())
    }

    fn write_item(&mut self, value: &dyn SerializeValue) -> Result<(), SerError> {
        value.serialize_value(self)
    }

    fn end_seq(&mut self) -> Result<(), SerError> {
        self.close()
    }

    fn write_any(&mut self, xml: &AnyXml) -> Result<(), SerError> {
        self.emit(Value::String(xml.as_str().to_owned()))
    }
}

/// Reads model values from a JSON value.
struct JsonReader<'a>(&'a Value);

impl Deserializer for JsonReader<'_> {
    fn read_nil(&mut self) -> Result<bool, DeError> {
        Ok(self.0.is_null())
    }

    fn read_simple(&mut self, ty: TypeRef) -> Result<Cow<'_, str>, DeError> {
        match self.0 {
            Value::String(s) => Ok(Cow::Borrowed(s)),
            Value::Number(n) => Ok(Cow::Owned(n.to_string())),
            Value::Bool(b) => Ok(Cow::Borrowed(if *b { "true" } else { "false" })),
            _ => Err(DeError::new(format!(
                "expected a value of type {}",
                ty.name()
            ))),
        }
    }

    fn read_complex(
        &mut self,
        ty: &'static ComplexType,
        visit: &mut FieldVisitor<'_>,
    ) -> Result<(), DeError> {
        let map = self
            .0
            .as_object()
            .ok_or_else(|| DeError::new(format!("expected an object for {}", ty.name)))?;
        let fields = ty.all_fields();
        for (name, value) in map {
            let index = fields.iter().position(|f| f.name == name).ok_or_else(|| {
                DeError::new(format!("unexpected member `{name}` in {}", ty.name))
            })?;
            if !value.is_null() || fields[index].nillable {
                visit(index, &mut JsonReader(value))?;
            }
        }
        Ok(())
    }

    fn read_seq(&mut self, item: TypeRef, visit: &mut ItemVisitor<'_>) -> Result<(), DeError> {
        let items = self
            .0
            .as_array()
            .ok_or_else(|| DeError::new(format!("expected an array of {}", item.name())))?;
        items.iter().try_for_each(|v| visit(&mut JsonReader(v)))
    }

    fn read_any(&mut self) -> Result<AnyXml, DeError> {
        self.0
            .as_str()
            .map(AnyXml::new)
            .ok_or_else(|| DeError::new("expected XML text"))
    }
}
