//! `components/schemas`: a named schema per complex type, enumeration and message reached
//! from the described methods, each value in the JSON form `rpclib-protocol-json` writes.

use std::collections::BTreeMap;

use rpclib_core::model::{
    ChoiceType, ComplexType, Constraints, EnumType, FieldDescriptor, FieldKind, TypeRef,
};
use rpclib_core::{BodyStyle, MessageDescriptor, MethodDescriptor};
use serde_json::{Map, Value, json};

use crate::error::OpenApiError;
use crate::simple::{Target, facets, simple_schema, target};

/// The prefix of a reference to a component schema.
pub(crate) const REF_PREFIX: &str = "#/components/schemas/";

/// A reference to the component schema `name`.
pub(crate) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("{REF_PREFIX}{name}") })
}

/// The named schemas collected so far, by component name (sorted: the document is
/// deterministic), with the identity of the Rust item each was made from.
#[derive(Debug, Default)]
pub(crate) struct Components {
    schemas: BTreeMap<String, (usize, Value)>,
}

/// Whether `name` may be a component name (`^[a-zA-Z0-9._-]+$`, OpenAPI's rule).
fn valid_component_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

impl Components {
    /// The collected schemas, by name.
    pub(crate) fn into_map(self) -> Map<String, Value> {
        self.schemas
            .into_iter()
            .map(|(name, (_, schema))| (name, schema))
            .collect()
    }

    /// Adds `schema` (built by `make` unless `name` is already there) under `name`. Component
    /// names carry no XML namespace, so two different types of one name are refused.
    fn add(
        &mut self,
        name: &str,
        identity: usize,
        make: impl FnOnce(&mut Self) -> Result<Value, OpenApiError>,
    ) -> Result<Value, OpenApiError> {
        if !valid_component_name(name) {
            return Err(OpenApiError::new(
                name,
                "the name is not a valid component name (letters, digits, `.`, `_`, `-`)",
            ));
        }
        match self.schemas.get(name) {
            Some((id, _)) if *id == identity => return Ok(reference(name)),
            Some(_) => {
                return Err(OpenApiError::new(
                    name,
                    "two different types (in different XML namespaces) share this name, \
                     and OpenAPI schema names have no namespace",
                ));
            }
            None => {}
        }
        // Registered before its fields are visited, so a recursive type refers to itself.
        self.schemas
            .insert(name.to_owned(), (identity, Value::Null));
        let schema = make(self)?;
        if let Some(slot) = self.schemas.get_mut(name) {
            slot.1 = schema;
        }
        Ok(reference(name))
    }

    fn enumeration(&mut self, e: &'static EnumType) -> Result<Value, OpenApiError> {
        self.add(e.name, e as *const EnumType as usize, |_| {
            let mut s = Map::new();
            s.insert("type".into(), json!("string"));
            s.insert("enum".into(), json!(e.values));
            describe(&mut s, e.doc);
            Ok(Value::Object(s))
        })
    }

    /// The reference to a complex type's schema: an object with a property per field
    /// (a base type's fields flattened in, since the objects are closed), adding it first.
    pub(crate) fn complex(&mut self, c: &'static ComplexType) -> Result<Value, OpenApiError> {
        self.add(c.name, c as *const ComplexType as usize, |this| {
            this.object(c, c.doc)
        })
    }

    /// The reference to a choice's schema: one of closed objects with a single member each,
    /// the alternative present (`{"name": value}`, as the JSON protocol writes a choice).
    fn choice(&mut self, choice: &'static ChoiceType) -> Result<Value, OpenApiError> {
        self.add(choice.name, choice as *const ChoiceType as usize, |this| {
            let mut alternatives = Vec::with_capacity(choice.variants.len());
            for variant in choice.variants {
                let at = format!("{}.{}", choice.name, variant.name);
                let (schema, _) = this.field(variant, &at)?;
                let mut properties = Map::new();
                properties.insert(variant.name.to_owned(), schema);
                alternatives.push(json!({
                    "type": "object",
                    "properties": properties,
                    "required": [variant.name],
                    "additionalProperties": false,
                }));
            }
            let mut s = Map::new();
            s.insert("oneOf".into(), Value::Array(alternatives));
            describe(&mut s, choice.doc);
            Ok(Value::Object(s))
        })
    }

    fn object(
        &mut self,
        c: &'static ComplexType,
        doc: Option<&str>,
    ) -> Result<Value, OpenApiError> {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in c.all_fields() {
            let at = format!("{}.{}", c.name, field.name);
            let (schema, is_required) = self.field(field, &at)?;
            if is_required {
                required.push(json!(field.name));
            }
            properties.insert(field.name.to_owned(), schema);
        }
        let mut s = Map::new();
        s.insert("type".into(), json!("object"));
        s.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            s.insert("required".into(), Value::Array(required));
        }
        // The JSON reader refuses members a type does not declare.
        s.insert("additionalProperties".into(), json!(false));
        describe(&mut s, doc);
        Ok(Value::Object(s))
    }

    /// The schema of a field's member and whether it is required: present unless
    /// `minOccurs` is 0; `null` allowed when it may be absent (the JSON protocol writes an
    /// absent value as `null`) or is nillable.
    pub(crate) fn field(
        &mut self,
        field: &'static FieldDescriptor,
        at: &str,
    ) -> Result<(Value, bool), OpenApiError> {
        let mut schema = match ((field.ty)(), field.kind) {
            // Wildcard attributes: Clark-notation names (`{namespace}local`) to strings.
            (_, FieldKind::AnyAttribute(w)) => json!({
                "type": "object",
                "additionalProperties": { "type": "string" },
                "x-xsd-any-attribute": w.namespace,
            }),
            (TypeRef::Array(item), _) => self.array(item(), &field.constraints, at)?,
            (ty, _) => self.value(ty, &field.constraints, at)?,
        };
        if let (Some(doc), Value::Object(map)) = (field.doc, &mut schema)
            && !map.contains_key("$ref")
        {
            describe(map, Some(doc));
        }
        let nullable = field.min_occurs == 0 || field.nillable;
        let schema = if nullable { or_null(schema) } else { schema };
        Ok((schema, field.min_occurs > 0))
    }

    /// An array of `item`: the field's item counts on the array, its value facets on the
    /// items.
    pub(crate) fn array(
        &mut self,
        item: TypeRef,
        c: &Constraints,
        at: &str,
    ) -> Result<Value, OpenApiError> {
        let items = match item {
            TypeRef::Array(inner) => self.array(inner(), &Constraints::NONE, at)?,
            other => self.value(other, c, at)?,
        };
        let mut s = Map::new();
        s.insert("type".into(), json!("array"));
        s.insert("items".into(), items);
        if let Some(n) = c.min_items {
            s.insert("minItems".into(), json!(n));
        }
        if let Some(n) = c.max_items {
            s.insert("maxItems".into(), json!(n));
        }
        Ok(Value::Object(s))
    }

    /// The schema of one (non-array) value of `ty` with the value facets of `c`.
    pub(crate) fn value(
        &mut self,
        ty: TypeRef,
        c: &Constraints,
        at: &str,
    ) -> Result<Value, OpenApiError> {
        let (base, target) = match ty {
            TypeRef::Simple(s) => (Value::Object(simple_schema(s, at)?), target(s)),
            TypeRef::Enum(e) => (self.enumeration(e)?, Target::Text),
            TypeRef::Complex(c) => return self.complex(c),
            TypeRef::Array(item) => return self.array(item(), c, at),
            TypeRef::Choice(choice) => return self.choice(choice),
            // As the JSON protocol writes it: `{"Variant": {..}}`, one of the variants.
            TypeRef::Polymorphic(p) => return self.choice(&p.alternatives),
            // The JSON protocol carries an `xs:list` as its XML text (items separated by
            // spaces); the list's facets count items, which a string schema cannot say.
            TypeRef::List(item) => {
                return Ok(json!({
                    "type": "string",
                    "x-xsd-list": item().name(),
                }));
            }
            TypeRef::Any => (
                json!({
                    "type": "string",
                    "contentMediaType": "application/xml",
                    "x-xsd-type": "anyType",
                }),
                Target::Text,
            ),
        };
        let extra = facets(c, target, at)?;
        Ok(merge(base, extra))
    }

    /// Adds the detail types of the faults `method` declares (referred to from the fault
    /// responses' descriptions).
    pub(crate) fn declared_faults(
        &mut self,
        method: &'static MethodDescriptor,
    ) -> Result<Vec<String>, OpenApiError> {
        method
            .faults
            .iter()
            .map(|fault| {
                let ty = (fault.ty)();
                self.value(ty, &Constraints::NONE, method.name)?;
                Ok(ty.name().into_owned())
            })
            .collect()
    }

    /// The schema of the member value of a method's message: the message's parts as an
    /// object (a component named after the message element), or the single part's value for
    /// a bare method.
    pub(crate) fn message(
        &mut self,
        method: &'static MethodDescriptor,
        message: &'static MessageDescriptor,
    ) -> Result<Value, OpenApiError> {
        if method.body_style == BodyStyle::Bare && message.ty.fields.len() == 1 {
            let part = &message.ty.fields[0];
            let at = format!("{}.{}", message.name, part.name);
            return self.field(part, &at).map(|(schema, _)| schema);
        }
        self.add(
            message.name,
            message.ty as *const ComplexType as usize,
            |this| this.object(message.ty, None),
        )
    }
}

/// `schema` that also allows `null`.
pub(crate) fn or_null(schema: Value) -> Value {
    match schema {
        Value::Object(mut map) if !map.contains_key("enum") => match map.get_mut("type") {
            Some(Value::String(t)) => {
                let t = std::mem::take(t);
                map.insert("type".into(), json!([t, "null"]));
                Value::Object(map)
            }
            Some(Value::Array(types)) => {
                types.push(json!("null"));
                Value::Object(map)
            }
            _ => json!({ "anyOf": [Value::Object(map), { "type": "null" }] }),
        },
        other => json!({ "anyOf": [other, { "type": "null" }] }),
    }
}

/// `base` with the keywords of `extra`: in place when they do not collide (and `base` is not
/// a reference or a choice), else both under `allOf`.
fn merge(base: Value, extra: Map<String, Value>) -> Value {
    if extra.is_empty() {
        return base;
    }
    match base {
        Value::Object(mut map)
            if !map.contains_key("$ref")
                && !map.contains_key("anyOf")
                && extra.keys().all(|k| !map.contains_key(k)) =>
        {
            map.extend(extra);
            Value::Object(map)
        }
        Value::Object(mut map) if map.contains_key("anyOf") && only_numeric(&extra) => {
            // A float: the numeric facets bound its number branch.
            if let Some(Value::Object(number)) = map
                .get_mut("anyOf")
                .and_then(Value::as_array_mut)
                .and_then(|branches| branches.first_mut())
            {
                number.extend(extra);
            }
            Value::Object(map)
        }
        other => json!({ "allOf": [other, Value::Object(extra)] }),
    }
}

fn only_numeric(extra: &Map<String, Value>) -> bool {
    extra.keys().all(|k| {
        matches!(
            k.as_str(),
            "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum"
        )
    })
}

/// Sets the schema's `description` from a doc comment.
fn describe(map: &mut Map<String, Value>, doc: Option<&str>) {
    if let Some(doc) = doc.map(str::trim).filter(|d| !d.is_empty()) {
        map.insert("description".into(), json!(doc));
    }
}
