//! A JSON-RPC 2.0 response object, as a client reads it: checked member by member against
//! the spec and against the call it answers.

use rpclib_core::Fault;

use crate::value::JsonValue;
use crate::write::JsonWriter;

/// Subcode of the `Client` faults (inside
/// [`ClientError::InvalidReply`](rpclib_core::ClientError::InvalidReply)) for a reply that is
/// JSON but not a valid response to the call: no `"jsonrpc": "2.0"`, both or neither of
/// `result` and `error`, another call's `id`, an `error` without an integer `code`.
pub const INVALID_RESPONSE_FAULT: &str = "InvalidResponse";

/// A fault for a reply that breaks the spec or answers another call.
pub(crate) fn invalid_response(message: impl Into<String>) -> Fault {
    Fault::client(INVALID_RESPONSE_FAULT, message)
}

/// What a valid response carries.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The call's `result`.
    Result(JsonValue),
    /// The call's `error` (its object not checked yet).
    Error(JsonValue),
}

/// An id (or any value) for a message, short.
fn shown(value: &JsonValue) -> String {
    let mut w = JsonWriter::new();
    if w.value(value).is_err() {
        return value.kind().to_owned();
    }
    let text = String::from_utf8_lossy(&w.into_bytes()).into_owned();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Whether `id` is the integer `sent`.
fn is_id(id: &JsonValue, sent: u64) -> bool {
    match id {
        JsonValue::Int(n) => u64::try_from(*n).is_ok_and(|n| n == sent),
        JsonValue::Uint(n) => *n == sent,
        _ => false,
    }
}

/// Checks a response object against the spec and against the call whose id was `sent`.
///
/// Members other than `jsonrpc`, `result`, `error` and `id` are ignored (the spec defines no
/// others, and a client gains nothing by refusing an extension). An `error` whose `id` is
/// `null` is accepted: the spec answers so when the server could not read the request's id
/// (a parse error), and over a transport of one reply per request it is this call's.
pub(crate) fn read_response(doc: JsonValue, sent: Option<u64>) -> Result<Outcome, Fault> {
    let members = match doc {
        JsonValue::Object(members) => members,
        JsonValue::Array(_) => {
            return Err(invalid_response(
                "expected a response object, found an array (a batch reply to a single call)",
            ));
        }
        other => {
            return Err(invalid_response(format!(
                "expected a response object, found {}",
                other.kind()
            )));
        }
    };
    let mut version = None;
    let mut result = None;
    let mut error = None;
    let mut id = None;
    for (name, value) in members {
        match name.as_str() {
            "jsonrpc" => version = Some(value),
            "result" => result = Some(value),
            "error" => error = Some(value),
            "id" => id = Some(value),
            _ => {}
        }
    }
    match version {
        Some(JsonValue::String(v)) if v == "2.0" => {}
        Some(other) => {
            return Err(invalid_response(format!(
                "the reply's `jsonrpc` must be \"2.0\", found {}",
                shown(&other)
            )));
        }
        None => {
            return Err(invalid_response(
                "the reply has no `jsonrpc` member (must be \"2.0\")",
            ));
        }
    }
    let outcome = match (result, error) {
        (Some(result), None) => Outcome::Result(result),
        (None, Some(error)) => Outcome::Error(error),
        (Some(_), Some(_)) => {
            return Err(invalid_response(
                "the reply has both `result` and `error` (a response has exactly one)",
            ));
        }
        (None, None) => {
            return Err(invalid_response(
                "the reply has neither `result` nor `error` (a response has exactly one)",
            ));
        }
    };
    let Some(id) = id else {
        return Err(invalid_response("the reply has no `id` member"));
    };
    let unreadable_request = matches!(outcome, Outcome::Error(_)) && id == JsonValue::Null;
    if let Some(sent) = sent
        && !is_id(&id, sent)
        && !unreadable_request
    {
        return Err(invalid_response(format!(
            "the reply's `id` is {}, but the request's was {sent}",
            shown(&id)
        )));
    }
    Ok(outcome)
}
