//! Faults as error responses: the fault object `rpclib-protocol-json` writes, under the
//! statuses the HTTP transport answers with.

use serde_json::{Map, Value, json};

use crate::schema::REF_PREFIX;

/// The component name of the fault object (namespaced by a dot, which no XSD type name the
/// macros produce holds, so it cannot clash with a service's own `Fault` type).
pub(crate) const FAULT: &str = "rpclib.Fault";
/// The component name of the fault message, `{"Fault": {...}}`.
pub(crate) const FAULT_MESSAGE: &str = "rpclib.FaultMessage";

/// The fault schemas, for `components/schemas`.
pub(crate) fn schemas() -> [(String, Value); 2] {
    [
        (
            FAULT.to_owned(),
            json!({
                "type": "object",
                "description": "A fault: `faultcode` is dotted, its first part `Client` (the \
                    request is at fault) or `Server`; `detail` is the fault's model value, \
                    written like any other value.",
                "properties": {
                    "faultcode": {"type": "string", "examples": ["Client.ValidationError"]},
                    "faultstring": {"type": "string"},
                    "faultactor": {"type": "string"},
                    "detail": {},
                },
                "required": ["faultcode", "faultstring"],
                "additionalProperties": false,
            }),
        ),
        (
            FAULT_MESSAGE.to_owned(),
            json!({
                "type": "object",
                "properties": {"Fault": {"$ref": format!("{REF_PREFIX}{FAULT}")}},
                "required": ["Fault"],
                "additionalProperties": false,
            }),
        ),
    ]
}

/// The statuses a fault is answered with, and when: `(status, response name, description)`.
const RESPONSES: [(&str, &str, &str); 4] = [
    (
        "400",
        "ClientFault",
        "A `Client` fault: the request is not JSON, names no method, or holds a value the \
         schema refuses (`Client.ValidationError`, naming where).",
    ),
    (
        "413",
        "RequestTooLong",
        "The request is larger than the endpoint's limit (`Client.RequestTooLong`).",
    ),
    (
        "500",
        "ServerFault",
        "A `Server` fault, or a fault the method raised that is not a `Client` one.",
    ),
    (
        "default",
        "OtherFault",
        "A fault the transport answers with another status: 408 when the call overran its \
         time limit, 503 when the server is saturated.",
    ),
];

/// The fault responses, for `components/responses`.
pub(crate) fn responses() -> Map<String, Value> {
    RESPONSES
        .iter()
        .map(|(_, name, description)| {
            (
                (*name).to_owned(),
                json!({
                    "description": description,
                    "content": {"application/json": {"schema": {
                        "$ref": format!("{REF_PREFIX}{FAULT_MESSAGE}")
                    }}},
                }),
            )
        })
        .collect()
}

/// An operation's `responses`: `ok` under 200, references to the fault responses under the
/// others.
pub(crate) fn operation_responses(ok: Value) -> Value {
    let mut map = Map::new();
    map.insert("200".into(), ok);
    for (status, name, _) in RESPONSES {
        map.insert(
            status.into(),
            json!({ "$ref": format!("#/components/responses/{name}") }),
        );
    }
    Value::Object(map)
}
