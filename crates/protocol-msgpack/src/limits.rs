//! [`Limits`]: bounds on what a MessagePack request may cost to read.

/// Bounds on the size and shape of incoming MessagePack messages; anything beyond them is
/// refused with a `Client.RequestTooLong` (size) or `Client.LimitExceeded` (shape) fault.
///
/// The size is checked before decoding; every length a MessagePack header declares (array
/// items, map entries, string and bin bytes) is checked against these limits and against the
/// bytes left in the input before anything is allocated for it.
///
/// ```
/// use rpclib_protocol_msgpack::{Limits, MsgPack};
///
/// let msgpack = MsgPack::with_limits(Limits::default().max_depth(16).max_items(1000));
/// assert_eq!(msgpack.limits().max_depth, 16);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted message, in bytes (default 10 MiB).
    pub max_input_bytes: usize,
    /// Deepest nesting of arrays and maps, the message map included (default 64; at most
    /// [`Limits::MAX_DEPTH_CEILING`]: the decoder recurses once per level).
    pub max_depth: usize,
    /// Most items in one array or entries in one map (default 100,000).
    pub max_items: usize,
    /// Most values (scalars, arrays, maps, and map keys) in one message (default 1,000,000).
    pub max_values: usize,
    /// Longest string (value or map key) or bin, in bytes (default 4 MiB).
    pub max_string_bytes: usize,
}

impl Limits {
    /// Upper bound of [`max_depth`](Self::max_depth), keeping the decoder's recursion shallow.
    pub const MAX_DEPTH_CEILING: usize = 100;

    /// Sets the largest accepted message, in bytes.
    pub fn max_input_bytes(mut self, bytes: usize) -> Self {
        self.max_input_bytes = bytes;
        self
    }

    /// Sets the deepest nesting (clamped to [`Limits::MAX_DEPTH_CEILING`]).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.min(Self::MAX_DEPTH_CEILING);
        self
    }

    /// Sets the most items in one array or entries in one map.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = items;
        self
    }

    /// Sets the most values in one message.
    pub fn max_values(mut self, values: usize) -> Self {
        self.max_values = values;
        self
    }

    /// Sets the longest string or bin, in bytes.
    pub fn max_string_bytes(mut self, bytes: usize) -> Self {
        self.max_string_bytes = bytes;
        self
    }

    /// The depth limit actually applied (the ceiling holds even if the field was set directly).
    pub(crate) fn depth(&self) -> usize {
        self.max_depth.min(Self::MAX_DEPTH_CEILING)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 10 * 1024 * 1024,
            max_depth: 64,
            max_items: 100_000,
            max_values: 1_000_000,
            max_string_bytes: 4 * 1024 * 1024,
        }
    }
}
