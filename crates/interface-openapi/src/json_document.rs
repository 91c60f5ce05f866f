//! The path of a JsonDocument endpoint: one `POST` whose body is one of the methods' request
//! documents and whose reply is one of their response documents.
//!
//! One path, not one per method: the endpoint is a single URL that picks the method from the
//! document's only member, so paths per method would describe URLs the server does not
//! serve. A client sends any of the `oneOf` request shapes; each is closed and requires its
//! own member, so exactly one matches. Each shape's `title` is its operation's name.

use std::collections::BTreeMap;

use rpclib_core::Catalogue;
use serde_json::{Value, json};

use crate::error::OpenApiError;
use crate::fault::operation_responses;
use crate::schema::Components;

/// A document `{"<name>": value}` of the operation `title`.
fn document(name: &str, title: &str, value: Value) -> Value {
    json!({
        "title": title,
        "type": "object",
        "properties": { name: value },
        "required": [name],
        "additionalProperties": false,
    })
}

/// The `oneOf` of distinct documents, by member name (each titled with its operation).
fn one_of(documents: BTreeMap<&str, (&str, Value)>) -> Value {
    json!({
        "oneOf": documents
            .into_iter()
            .map(|(name, (title, v))| document(name, title, v))
            .collect::<Vec<_>>()
    })
}

/// The path item of a JsonDocument endpoint serving `catalogue`'s methods.
pub(crate) fn path_item(
    components: &mut Components,
    catalogue: &Catalogue,
    path: &str,
    operation_id: &str,
) -> Result<Value, OpenApiError> {
    let mut requests = BTreeMap::new();
    let mut responses = BTreeMap::new();
    let mut names = Vec::new();
    for method in catalogue.methods() {
        let descriptor = method.method();
        let _ = components.declared_faults(descriptor)?;
        let input = components.message(descriptor, &descriptor.input)?;
        let output = components.message(descriptor, &descriptor.output)?;
        // The JSON protocol finds a method by its request member alone (the first one
        // registered wins, as it does on the wire).
        let operation = descriptor.operation;
        requests
            .entry(descriptor.input.name)
            .or_insert((operation, input));
        responses
            .entry(descriptor.output.name)
            .or_insert((operation, output));
        names.push(format!("`{}`", descriptor.input.name));
    }
    if requests.is_empty() {
        return Err(OpenApiError::new(
            path,
            "the endpoint's application has no method",
        ));
    }
    let services: Vec<&str> = catalogue.services().map(|s| s.name).collect();
    Ok(json!({
        "post": {
            "operationId": operation_id,
            "summary": format!("Calls a method of {} with a JSON document", services.join(", ")),
            "description": format!(
                "The request is an object with one member naming the method ({}) and holding \
                 its arguments; the reply an object with one member, the method's response \
                 element, or a `Fault`.",
                names.join(", ")
            ),
            "tags": services,
            "requestBody": {
                "required": true,
                "content": {"application/json": {"schema": one_of(requests)}},
            },
            "responses": operation_responses(json!({
                "description": "The method's result.",
                "content": {"application/json": {"schema": one_of(responses)}},
            })),
        }
    }))
}
