//! The paths of an HttpRpc endpoint: one per method (`<prefix>/<method>`), its arguments as
//! flat parameters (`name`, `person.name`, arrays as repeated keys), in the query string for
//! `GET` and in a form body for `POST`; the reply is the method's JSON response document.

use rpclib_core::model::{ComplexType, FieldDescriptor, FieldKind, TypeRef};
use rpclib_core::{BodyStyle, Catalogue, MethodDescriptor};
use serde_json::{Map, Value, json};

use crate::error::OpenApiError;
use crate::fault::operation_responses;
use crate::schema::Components;

/// Whether `GET` may call `method`: only for methods the service definition marks safe
/// (`#[rpc(safe)]`, [`MethodDescriptor::safe`]), as the HttpRpc protocol enforces. This is
/// the one place reading the marker.
pub(crate) fn get_allowed(method: &MethodDescriptor) -> bool {
    method.safe
}

/// The schema of a flat argument from the schema of its JSON value. A form or a query
/// carries every value as text, so the wide integers JSON writes as an integer or a string
/// of digits (`type: [integer, string]`) are plain integers here, of any size; tools that
/// read form values by their one `type` (openapi-core) can then parse them.
fn as_text_value(mut schema: Value) -> Value {
    if let Value::Object(map) = &mut schema {
        if map.get("type") == Some(&json!(["integer", "string"])) {
            map.insert("type".into(), json!("integer"));
            // The pattern spelled the string form; an integer has no other form here.
            map.remove("pattern");
        }
        if let Some(items) = map.remove("items") {
            map.insert("items".into(), as_text_value(items));
        }
    }
    schema
}

/// One flat argument.
struct Param {
    name: String,
    schema: Value,
    required: bool,
    description: Option<&'static str>,
}

/// Flattens `fields` (under `prefix`) into `out`. `stack` holds the complex types being
/// flattened, to refuse a recursive one (its flat names would have no end).
fn flatten(
    components: &mut Components,
    method: &str,
    prefix: &str,
    fields: Vec<&'static FieldDescriptor>,
    parent_required: bool,
    stack: &mut Vec<&'static ComplexType>,
    out: &mut Vec<Param>,
) -> Result<(), OpenApiError> {
    for field in fields {
        // HttpRpc has no form for wildcard attributes: the field reads as empty, so it is
        // not a parameter.
        if matches!(field.kind, FieldKind::AnyAttribute(_)) {
            continue;
        }
        let name = if prefix.is_empty() {
            field.name.to_owned()
        } else {
            format!("{prefix}.{}", field.name)
        };
        let at = format!("HttpRpc method `{method}`, parameter `{name}`");
        let required = parent_required && field.min_occurs > 0;
        let schema = match (field.ty)() {
            TypeRef::Complex(c) => {
                if stack.iter().any(|s| std::ptr::eq(*s, c)) {
                    return Err(OpenApiError::new(
                        at,
                        format!(
                            "the type `{}` contains itself, so its flat parameter names have \
                             no end (describe this method over JSON instead)",
                            c.name
                        ),
                    ));
                }
                stack.push(c);
                flatten(
                    components,
                    method,
                    &name,
                    c.all_fields(),
                    required,
                    stack,
                    out,
                )?;
                stack.pop();
                continue;
            }
            TypeRef::Choice(choice) => {
                return Err(OpenApiError::new(
                    at,
                    format!(
                        "the choice `{}` has no flat form as form keys (describe this method \
                         over JSON instead)",
                        choice.name
                    ),
                ));
            }
            TypeRef::Polymorphic(p) => {
                return Err(OpenApiError::new(
                    at,
                    format!(
                        "the polymorphic value `{}` has no flat form as form keys (describe \
                         this method over JSON instead)",
                        p.name()
                    ),
                ));
            }
            TypeRef::Array(item) => match item() {
                TypeRef::Complex(_)
                | TypeRef::Array(_)
                | TypeRef::Choice(_)
                | TypeRef::Polymorphic(_) => {
                    return Err(OpenApiError::new(
                        at,
                        format!(
                            "an array of `{}` has no flat form as repeated keys (only arrays \
                             of simple values do)",
                            item().name()
                        ),
                    ));
                }
                _ => components.array(item(), &field.constraints, &at)?,
            },
            ty => components.value(ty, &field.constraints, &at)?,
        };
        // An array travels as repeated keys: none at all is the empty array, so it is
        // required only when it must have items.
        let required = match (field.ty)() {
            TypeRef::Array(_) => required && field.constraints.min_items.unwrap_or(0) > 0,
            _ => required,
        };
        out.push(Param {
            name,
            schema: as_text_value(schema),
            required,
            description: field.doc,
        });
    }
    Ok(())
}

/// The flat arguments of `method`. A bare method's single part is read from the whole form
/// (as `rpclib-protocol-httprpc` does): a complex part's fields are the top-level keys, and a
/// simple part has no key at all, so it cannot be given.
fn params(
    components: &mut Components,
    method: &'static MethodDescriptor,
) -> Result<Vec<Param>, OpenApiError> {
    let name = method.input.name;
    let mut fields = method.input.ty.all_fields();
    let mut stack = Vec::new();
    if method.body_style == BodyStyle::Bare
        && let Some(part) = fields.first()
    {
        match (part.ty)() {
            TypeRef::Complex(c) => {
                stack.push(c);
                fields = c.all_fields();
            }
            _ => {
                return Err(OpenApiError::new(
                    format!("HttpRpc method `{name}`"),
                    "a bare method's simple part has no form key (HttpRpc reads a bare \
                     method's part from the whole form; describe this method over JSON instead)",
                ));
            }
        }
    }
    let mut out = Vec::new();
    flatten(components, name, "", fields, true, &mut stack, &mut out)?;
    Ok(out)
}

/// The form body schema of the arguments.
fn form_schema(params: &[Param]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for p in params {
        let mut schema = p.schema.clone();
        if let (Some(doc), Value::Object(map)) = (p.description, &mut schema)
            && !map.contains_key("$ref")
        {
            map.insert("description".into(), json!(doc.trim()));
        }
        properties.insert(p.name.clone(), schema);
        if p.required {
            required.push(json!(p.name));
        }
    }
    let mut s = Map::new();
    s.insert("type".into(), json!("object"));
    s.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        s.insert("required".into(), Value::Array(required));
    }
    s.insert("additionalProperties".into(), json!(false));
    Value::Object(s)
}

/// The query parameters of the arguments (`GET`).
fn query_parameters(params: &[Param]) -> Value {
    params
        .iter()
        .map(|p| {
            let mut q = Map::new();
            q.insert("name".into(), json!(p.name));
            q.insert("in".into(), json!("query"));
            if let Some(doc) = p.description {
                q.insert("description".into(), json!(doc.trim()));
            }
            q.insert("required".into(), json!(p.required));
            q.insert("style".into(), json!("form"));
            q.insert("explode".into(), json!(true));
            q.insert("schema".into(), p.schema.clone());
            Value::Object(q)
        })
        .collect()
}

/// Whether `name` can be a path segment as it is (no percent-encoding needed).
fn plain_segment(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'~'))
}

/// A method an HttpRpc endpoint leaves out of the document (see
/// [`OpenApi::skip_unrepresentable`](crate::OpenApi::skip_unrepresentable)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The path the method would have had (`/rpc/echo_person_array`).
    pub path: String,
    /// The method's name.
    pub method: &'static str,
    /// Why its arguments have no flat form.
    pub reason: OpenApiError,
}

/// The path items of an HttpRpc endpoint at `prefix`, each `(path, item)`. With `skip`, a
/// method whose arguments have no flat form is left out and recorded in `left_out` instead
/// of refusing the document.
pub(crate) fn path_items(
    components: &mut Components,
    catalogue: &Catalogue,
    prefix: &str,
    id_prefix: &str,
    skip: bool,
    left_out: &mut Vec<LeftOut>,
) -> Result<Vec<(String, Value)>, OpenApiError> {
    let mut items = Vec::new();
    for method in catalogue.methods() {
        let descriptor = method.method();
        let name = descriptor.input.name;
        if !plain_segment(name) {
            return Err(OpenApiError::new(
                format!("HttpRpc method `{name}`"),
                "the method name is not a plain URL path segment",
            ));
        }
        let path = format!("{}/{name}", prefix.trim_end_matches('/'));
        if skip {
            // Flatten into scratch components first, so a refused method adds no schema of
            // its own to the document; the cost is that of the method's own types.
            if let Err(reason) = params(&mut Components::default(), descriptor) {
                left_out.push(LeftOut {
                    path,
                    method: name,
                    reason,
                });
                continue;
            }
        }
        items.push((
            path,
            path_item(components, descriptor, method.service().name, id_prefix)?,
        ));
    }
    Ok(items)
}

/// The path item of one method: `POST` with a form body, and `GET` with a query if the
/// method is safe.
fn path_item(
    components: &mut Components,
    descriptor: &'static MethodDescriptor,
    service: &str,
    id_prefix: &str,
) -> Result<Value, OpenApiError> {
    let name = descriptor.input.name;
    let faults = components.declared_faults(descriptor)?;
    let params = params(components, descriptor)?;
    let output = components.message(descriptor, &descriptor.output)?;
    let ok = json!({
        "description": "The method's result, as a JSON document.",
        "content": {"application/json": {"schema": {
            "type": "object",
            "properties": { descriptor.output.name: output },
            "required": [descriptor.output.name],
            "additionalProperties": false,
        }}},
    });
    let mut description = descriptor.doc.map(str::trim).unwrap_or("").to_owned();
    if !faults.is_empty() {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&format!(
            "Declared faults (their `detail`): {}.",
            faults.join(", ")
        ));
    }
    let operation = |id: String, extra: (&str, Value)| {
        let mut op = Map::new();
        op.insert("operationId".into(), json!(id));
        op.insert("tags".into(), json!([service]));
        if !description.is_empty() {
            op.insert("description".into(), json!(description));
        }
        op.insert(extra.0.into(), extra.1);
        op.insert("responses".into(), operation_responses(ok.clone()));
        Value::Object(op)
    };
    let form = form_schema(&params);
    let body = json!({
        "required": params.iter().any(|p| p.required),
        "content": {
            "application/x-www-form-urlencoded": {"schema": form},
            "multipart/form-data": {"schema": form},
        },
    });
    let mut item = Map::new();
    if get_allowed(descriptor) {
        item.insert(
            "get".into(),
            operation(
                format!("{id_prefix}_{name}_get"),
                ("parameters", query_parameters(&params)),
            ),
        );
    }
    item.insert(
        "post".into(),
        operation(format!("{id_prefix}_{name}"), ("requestBody", body)),
    );
    Ok(Value::Object(item))
}
