//! A JSON-RPC 2.0 request object, checked member by member against the spec.

use rpclib_core::Fault;

use super::error::invalid_request;
use crate::value::JsonValue;

/// What the reply of a request is addressed to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// A request with an `id` (a string, a number or `null`): answered, the id echoed as read.
    To(JsonValue),
    /// A notification (no `id` member): run, never answered, not even with an error.
    Nothing,
}

/// A valid request object's parts.
#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// `None` when the request has no `params` member.
    pub(crate) params: Option<JsonValue>,
    pub(crate) reply: Reply,
}

/// The id an answer to a request object carries even when the object is invalid: its `id`
/// if that is a valid id (so that a client finds the error of its call in a batch), `null`
/// otherwise, as the spec requires when the id cannot be detected.
pub(crate) fn readable_id(members: &[(String, JsonValue)]) -> JsonValue {
    members
        .iter()
        .find(|(name, _)| name == "id")
        .map(|(_, id)| id)
        .filter(|id| valid_id(id))
        .cloned()
        .unwrap_or(JsonValue::Null)
}

fn valid_id(id: &JsonValue) -> bool {
    matches!(
        id,
        JsonValue::String(_)
            | JsonValue::Int(_)
            | JsonValue::Uint(_)
            | JsonValue::Number(_)
            | JsonValue::Null
    )
}

/// An invalid request object: the fault, and the id its answer goes to.
pub(crate) type Refused = Box<(Fault, JsonValue)>;

/// Checks a request object. `Err` carries the fault and the id its answer goes to (an
/// invalid request is always answered, also without an `id`).
pub(crate) fn read_request(doc: JsonValue) -> Result<Request, Refused> {
    let members = match doc {
        JsonValue::Object(members) => members,
        JsonValue::Array(items) if items.is_empty() => {
            return Err(Box::new((
                invalid_request("an empty batch (`[]`) is not a request"),
                JsonValue::Null,
            )));
        }
        JsonValue::Array(_) => {
            return Err(Box::new((
                invalid_request(
                    "a batch (an array of requests) must be split by the transport, and this one runs one call per message",
                ),
                JsonValue::Null,
            )));
        }
        other => {
            return Err(Box::new((
                invalid_request(format!(
                    "expected a request object (or a batch array), found {}",
                    other.kind()
                )),
                JsonValue::Null,
            )));
        }
    };
    let id = readable_id(&members);
    let fail = |message: String| Err(Box::new((invalid_request(message), id.clone())));
    let mut version = None;
    let mut method = None;
    let mut params = None;
    let mut reply = Reply::Nothing;
    for (name, value) in members {
        match name.as_str() {
            "jsonrpc" => version = Some(value),
            "method" => method = Some(value),
            "params" => params = Some(value),
            "id" => reply = Reply::To(value),
            other => {
                return fail(format!(
                    "unexpected member `{other}` in the request object (expected jsonrpc, method, params, id)"
                ));
            }
        }
    }
    match version {
        Some(JsonValue::String(v)) if v == "2.0" => {}
        Some(other) => {
            let shown = match &other {
                JsonValue::String(s) if s.len() <= 16 => format!("\"{s}\""),
                JsonValue::String(_) => "a longer string".to_owned(),
                other => other.kind().to_owned(),
            };
            return fail(format!("`jsonrpc` must be \"2.0\", found {shown}"));
        }
        None => return fail("the request object has no `jsonrpc` member (must be \"2.0\")".into()),
    }
    let method = match method {
        Some(JsonValue::String(m)) => m,
        Some(other) => return fail(format!("`method` must be a string, found {}", other.kind())),
        None => return fail("the request object has no `method` member".into()),
    };
    match params {
        None | Some(JsonValue::Object(_) | JsonValue::Array(_)) => {}
        Some(ref other) => {
            return fail(format!(
                "`params` must be an object (named) or an array (positional), found {}",
                other.kind()
            ));
        }
    }
    if let Reply::To(id) = &reply
        && !valid_id(id)
    {
        return fail(format!(
            "`id` must be a string, a number or null, found {}",
            id.kind()
        ));
    }
    Ok(Request {
        method,
        params,
        reply,
    })
}
