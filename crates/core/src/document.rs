//! What the document protocols (JSON, JSON-RPC, MessagePack, HttpRpc) share: the bounds on
//! an incoming message ([`DocumentLimits`]), the size check, the fault subcodes of input
//! beyond them, how reading errors become faults, and the HTTP statuses of those faults.
//! Written once here so that the protocols cannot drift apart in wording or behaviour.

use std::any::Any;
use std::borrow::Cow;

use crate::fault::{Fault, FaultClass, FaultCode};
use crate::model::{DeError, DeErrorKind};

/// Subcode of faults for messages beyond the size limit (Spyne's name).
pub const REQUEST_TOO_LONG: &str = "RequestTooLong";
/// Subcode of faults for messages beyond a shape limit (depth, items, values, lengths, keys).
pub const LIMIT_EXCEEDED: &str = "LimitExceeded";

/// Bounds on the size and shape of incoming documents (a JSON text, a MessagePack message);
/// anything beyond them is refused with a `Client.RequestTooLong` (size) or
/// `Client.LimitExceeded` (shape) fault.
///
/// The size is checked before parsing ([`message_bytes`](Self::message_bytes)); depth,
/// items, values and string lengths by each protocol's reader while it reads, so a request
/// never builds more than these bounds allow. `rpclib_protocol_json::Limits` and
/// `rpclib_protocol_msgpack::Limits` are this type.
///
/// ```
/// use rpclib_core::DocumentLimits;
///
/// let limits = DocumentLimits::default().max_depth(16).max_items(1000);
/// assert_eq!((limits.max_depth, limits.max_items), (16, 1000));
/// assert_eq!(DocumentLimits::default().max_depth(1000).depth(), DocumentLimits::MAX_DEPTH_CEILING);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DocumentLimits {
    /// Largest accepted message, in bytes (default 10 MiB).
    pub max_input_bytes: usize,
    /// Deepest nesting of arrays and objects (maps), the message itself included (default
    /// 64; at most [`DocumentLimits::MAX_DEPTH_CEILING`]).
    pub max_depth: usize,
    /// Most items in one array or members in one object (default 100,000).
    pub max_items: usize,
    /// Most values (scalars, arrays and objects; MessagePack counts map keys too) in one
    /// message (default 1,000,000).
    pub max_values: usize,
    /// Longest string (value or member name; MessagePack: or bin), in bytes after unescaping
    /// (default 4 MiB).
    pub max_string_bytes: usize,
}

impl DocumentLimits {
    /// Upper bound of [`max_depth`](Self::max_depth): serde_json refuses nesting deeper than
    /// 128 by itself, and the MessagePack decoder recurses once per level; staying below keeps
    /// our message (and fault code) the one reported, and the recursion shallow.
    pub const MAX_DEPTH_CEILING: usize = 100;

    /// Sets the largest accepted message, in bytes.
    pub fn max_input_bytes(mut self, bytes: usize) -> Self {
        self.max_input_bytes = bytes;
        self
    }

    /// Sets the deepest nesting (clamped to [`DocumentLimits::MAX_DEPTH_CEILING`]).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.min(Self::MAX_DEPTH_CEILING);
        self
    }

    /// Sets the most items in one array or members in one object.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = items;
        self
    }

    /// Sets the most values in one message.
    pub fn max_values(mut self, values: usize) -> Self {
        self.max_values = values;
        self
    }

    /// Sets the longest string, in bytes.
    pub fn max_string_bytes(mut self, bytes: usize) -> Self {
        self.max_string_bytes = bytes;
        self
    }

    /// The depth limit actually applied (the ceiling holds even if the field was set directly).
    pub fn depth(&self) -> usize {
        self.max_depth.min(Self::MAX_DEPTH_CEILING)
    }

    /// The message in `chunks` (a context's `in_string`) as one slice, borrowed when it is
    /// one chunk; a `Client.RequestTooLong` fault if it is longer than
    /// [`max_input_bytes`](Self::max_input_bytes), checked before anything is copied.
    pub fn message_bytes<'a>(&self, chunks: &'a [Vec<u8>]) -> Result<Cow<'a, [u8]>, Fault> {
        let size: usize = chunks.iter().map(Vec::len).sum();
        if size > self.max_input_bytes {
            return Err(Fault::client(
                REQUEST_TOO_LONG,
                format!(
                    "the message is {size} bytes, more than the limit of {}",
                    self.max_input_bytes
                ),
            ));
        }
        Ok(match chunks {
            [one] => Cow::Borrowed(one),
            chunks => Cow::Owned(chunks.concat()),
        })
    }
}

impl Default for DocumentLimits {
    fn default() -> Self {
        DocumentLimits {
            max_input_bytes: 10 * 1024 * 1024,
            max_depth: 64,
            max_items: 100_000,
            max_values: 1_000_000,
            max_string_bytes: 4 * 1024 * 1024,
        }
    }
}

/// The fault for a model value a protocol's reader could not read: a limit problem as
/// `Client.LimitExceeded`, a reader bug as a `Server` fault, anything else as
/// `Client.ValidationError` (`Fault::from`); the error is the fault's source.
pub fn read_fault(e: DeError) -> Fault {
    match e.kind() {
        DeErrorKind::Limit => Fault::client(LIMIT_EXCEEDED, e.to_string()).with_source(e),
        DeErrorKind::Internal => Fault::server(e.to_string()).with_source(e),
        _ => Fault::from(e),
    }
}

/// The HTTP status of a fault as the document protocols answer it (Spyne's JSON protocols
/// do the same): 413 for a message too long, 400 for other `Client` faults, 500 for the rest.
pub fn fault_status(fault: &Fault) -> u16 {
    let code = &fault.code;
    if *code == FaultCode::client(REQUEST_TOO_LONG) {
        413
    } else if code.class() == FaultClass::Client {
        400
    } else {
        500
    }
}

/// Takes the value of type `T` a protocol stored in one of the context's document slots
/// (`ctx.in_document`, `ctx.in_body_doc`, `ctx.out_document`) between two of its stages;
/// `None` if the slot is empty or holds another type (a bug of the protocol, which it
/// reports as a `Server` fault).
pub fn take_slot<T: Any>(slot: &mut Option<Box<dyn Any + Send>>) -> Option<T> {
    slot.take().and_then(|b| b.downcast::<T>().ok()).map(|b| *b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_check_and_statuses() {
        let limits = DocumentLimits::default().max_input_bytes(4);
        let chunks = vec![b"ab".to_vec(), b"cd".to_vec()];
        assert_eq!(limits.message_bytes(&chunks).unwrap().as_ref(), b"abcd");
        assert!(matches!(
            limits.message_bytes(&chunks[..1]).unwrap(),
            Cow::Borrowed(b"ab")
        ));
        let fault = limits.message_bytes(&[b"abcde".to_vec()]).unwrap_err();
        assert_eq!(fault.code, FaultCode::client(REQUEST_TOO_LONG));
        assert_eq!(
            fault.string,
            "the message is 5 bytes, more than the limit of 4"
        );
        assert_eq!(fault_status(&fault), 413);
        assert_eq!(fault_status(&Fault::client("X", "")), 400);
        assert_eq!(fault_status(&Fault::server("")), 500);
        let limit = read_fault(DeError::with_kind(DeErrorKind::Limit, "deep"));
        assert_eq!(limit.code, FaultCode::client(LIMIT_EXCEEDED));
        let mut slot: Option<Box<dyn Any + Send>> = Some(Box::new(7u8));
        assert_eq!(take_slot::<u16>(&mut slot), None);
        let mut slot: Option<Box<dyn Any + Send>> = Some(Box::new(7u8));
        assert_eq!(take_slot::<u8>(&mut slot), Some(7));
        assert!(slot.is_none());
    }
}
