//! A JSON-RPC `error` object, as a client reads it: [`JsonRpcError`] keeps it whole, and
//! [`fault_of`] turns it into the [`Fault`] the typed client returns.

use std::fmt;

use rpclib_core::{Fault, FaultCode, MethodDescriptor};

use super::error::{
    INTERNAL_ERROR, INTERNAL_FAULT, INVALID_PARAMS, INVALID_REQUEST, INVALID_REQUEST_FAULT,
    METHOD_NOT_FOUND_CODE, PARSE_ERROR,
};
use super::response::invalid_response;
use crate::detail::typed_detail;
use crate::error::{JSON_SYNTAX_ERROR, METHOD_NOT_FOUND};
use crate::value::JsonValue;

/// A JSON-RPC 2.0 error object as the server sent it: the `code`, `message` and `data` of a
/// reply's `error`. A typed client's [`ClientError::Fault`](rpclib_core::ClientError::Fault)
/// carries it as the fault's [`source`](std::error::Error::source); [`JsonRpcError::of`]
/// finds it there.
///
/// ```
/// use rpclib_core::{ClientError, Fault};
/// use rpclib_protocol_json::JsonRpcError;
///
/// fn code(e: &ClientError) -> Option<i64> {
///     e.fault().and_then(JsonRpcError::of).map(|e| e.code)
/// }
/// assert_eq!(code(&ClientError::Fault(Fault::server("no JSON-RPC here"))), None);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JsonRpcError {
    /// The error code (`-32601` for "Method not found", ...).
    pub code: i64,
    /// The error's message.
    pub message: String,
    /// The error's `data` member, if it had one.
    pub data: Option<serde_json::Value>,
}

impl JsonRpcError {
    /// The JSON-RPC error a fault was read from, if it was (a fault a [`JsonRpc`](crate::JsonRpc)
    /// client read from a reply's `error`).
    pub fn of(fault: &Fault) -> Option<&JsonRpcError> {
        std::error::Error::source(fault)?.downcast_ref()
    }
}

impl fmt::Display for JsonRpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JSON-RPC error {}: {}", self.code, self.message)
    }
}

impl std::error::Error for JsonRpcError {}

/// The fault code a JSON-RPC error code stands for when the error carries no fault of ours
/// in its `data`: the inverse of the server's mapping (`code_of`), so that the protocol's own
/// errors come back as the faults they were. `-32000` to `-32099` (the spec's server errors)
/// and every application-defined code are `Server`: the code itself is in the
/// [`JsonRpcError`].
pub(crate) fn fault_code(code: i64) -> FaultCode {
    match code {
        PARSE_ERROR => FaultCode::client(JSON_SYNTAX_ERROR),
        INVALID_REQUEST => FaultCode::client(INVALID_REQUEST_FAULT),
        METHOD_NOT_FOUND_CODE => FaultCode::client(METHOD_NOT_FOUND),
        INVALID_PARAMS => FaultCode::client("ValidationError"),
        INTERNAL_ERROR => FaultCode::server(INTERNAL_FAULT),
        _ => FaultCode::SERVER,
    }
}

/// The string member `name` of an object's members.
fn text<'a>(members: &'a [(String, JsonValue)], name: &str) -> Option<&'a str> {
    members.iter().find_map(|(n, v)| match v {
        JsonValue::String(s) if n == name => Some(s.as_str()),
        _ => None,
    })
}

fn member<'a>(members: &'a [(String, JsonValue)], name: &str) -> Option<&'a JsonValue> {
    members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// Reads a reply's `error` object into the fault it reports.
///
/// The object must have an integer `code` and a string `message` (the spec's MUST; an
/// `InvalidResponse` otherwise). When its `data` is a fault object (`faultcode`,
/// `faultstring`, `faultactor`, `detail`), as rpclib's server writes it, that fault is
/// rebuilt exactly (its detail read into a type `method` declares, when one reads it);
/// otherwise the code is mapped by [`fault_code`] and the message is the fault's string.
/// Either way the [`JsonRpcError`] is the fault's source.
pub(crate) fn fault_of(
    error: &JsonValue,
    method: Option<&MethodDescriptor>,
) -> Result<Fault, Fault> {
    let JsonValue::Object(members) = error else {
        return Err(invalid_response(format!(
            "the reply's `error` must be an object, found {}",
            error.kind()
        )));
    };
    let code = match member(members, "code") {
        Some(JsonValue::Int(code)) => *code,
        Some(other) => {
            return Err(invalid_response(format!(
                "the reply's `error.code` must be an integer, found {}",
                other.kind()
            )));
        }
        None => return Err(invalid_response("the reply's `error` has no `code` member")),
    };
    let message = match member(members, "message") {
        Some(JsonValue::String(message)) => message.clone(),
        Some(other) => {
            return Err(invalid_response(format!(
                "the reply's `error.message` must be a string, found {}",
                other.kind()
            )));
        }
        None => {
            return Err(invalid_response(
                "the reply's `error` has no `message` member",
            ));
        }
    };
    let data = member(members, "data");
    let ours = match data {
        Some(JsonValue::Object(fields)) => text(fields, "faultcode").map(|c| (fields, c)),
        _ => None,
    };
    let mut fault = match ours {
        Some((fields, faultcode)) => {
            let mut fault = Fault::new(
                FaultCode::new(faultcode.to_owned()),
                text(fields, "faultstring").unwrap_or(&message),
            );
            fault.actor = text(fields, "faultactor").map(str::to_owned);
            fault.detail = member(fields, "detail").and_then(|d| typed_detail(method, d));
            fault
        }
        None => Fault::new(fault_code(code), message.clone()),
    };
    fault = fault.with_source(JsonRpcError {
        code,
        message,
        data: data.map(to_serde),
    });
    Ok(fault)
}

/// A parsed value as serde_json's (members in document order; a number in its text).
fn to_serde(value: &JsonValue) -> serde_json::Value {
    use serde_json::Value;
    match value {
        JsonValue::Null => Value::Null,
        JsonValue::Bool(b) => Value::Bool(*b),
        JsonValue::Int(n) => Value::from(*n),
        JsonValue::Uint(n) => Value::from(*n),
        // The shortest text reading back to the same double: serde_json reads it the same.
        JsonValue::Number(text) => text
            .parse::<serde_json::Number>()
            .map_or_else(|_| Value::String(text.clone()), Value::Number),
        JsonValue::String(s) => Value::String(s.clone()),
        JsonValue::Array(items) => Value::Array(items.iter().map(to_serde).collect()),
        JsonValue::Object(members) => Value::Object(
            members
                .iter()
                .map(|(name, v)| (name.clone(), to_serde(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::error::{code_of, internal, invalid_request};
    use super::*;
    use crate::error::{LIMIT_EXCEEDED, REQUEST_TOO_LONG};

    /// The protocol's own faults come back with their code from the JSON-RPC code alone (a
    /// server that sends no fault in `data`); the limits' faults share Invalid Request.
    #[test]
    fn codes_map_back_to_the_faults_they_came_from() {
        let exact = [
            Fault::client(JSON_SYNTAX_ERROR, "x"),
            invalid_request("x"),
            Fault::client(METHOD_NOT_FOUND, "x"),
            Fault::client("ValidationError", "x"),
            internal("x"),
            Fault::server("database down"),
        ];
        for fault in exact {
            assert_eq!(fault_code(code_of(&fault).0), fault.code, "{fault}");
        }
        for fault in [
            Fault::client(LIMIT_EXCEEDED, "x"),
            Fault::client(REQUEST_TOO_LONG, "x"),
        ] {
            assert_eq!(
                fault_code(code_of(&fault).0),
                FaultCode::client(INVALID_REQUEST_FAULT)
            );
        }
    }
}
