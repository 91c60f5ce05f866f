//! [`Limits`]: bounds on what a request may cost to read.

/// Bounds on the size and shape of incoming messages; anything beyond them is refused with a
/// `Client` (SOAP 1.2: `Sender`) fault before it can cost much time or memory.
///
/// Reading is a single streaming pass, so memory is bounded by the input size plus the values
/// built from it; these limits bound the rest.
///
/// ```
/// use rpclib_protocol_soap::{Limits, Soap11};
///
/// let soap = Soap11::with_limits(Limits::default().max_input_bytes(64 * 1024).max_depth(32));
/// assert_eq!(soap.limits().max_depth, 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted message, in bytes (default 10 MiB, [`Limits::DEFAULT_MAX_INPUT_BYTES`]).
    pub max_input_bytes: usize,
    /// Deepest element nesting, the envelope included (default 128; at most 256).
    pub max_depth: usize,
    /// Most elements in one message (default 1,000,000).
    pub max_elements: usize,
    /// Most items in one array, wrapped or unwrapped (default 100,000).
    pub max_array_items: usize,
    /// Longest text of one simple value, in bytes after entity expansion, and longest raw XML
    /// (`AnyXml`) value with the namespace declarations copied onto it (default 4 MiB).
    pub max_string_bytes: usize,
    /// Most attributes on one element (default 64).
    pub max_attributes: usize,
}

impl Limits {
    /// Default of [`max_input_bytes`](Self::max_input_bytes): 10 MiB.
    pub const DEFAULT_MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;
    /// Upper bound of [`max_depth`](Self::max_depth): deeper nesting is never accepted, so
    /// that reading recursive types cannot exhaust a thread's stack.
    pub const MAX_DEPTH_CEILING: usize = 256;

    /// Sets the largest accepted message, in bytes.
    pub fn max_input_bytes(mut self, bytes: usize) -> Self {
        self.max_input_bytes = bytes;
        self
    }

    /// Sets the deepest element nesting (clamped to [`Limits::MAX_DEPTH_CEILING`]).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth.min(Self::MAX_DEPTH_CEILING);
        self
    }

    /// Sets the most elements in one message.
    pub fn max_elements(mut self, elements: usize) -> Self {
        self.max_elements = elements;
        self
    }

    /// Sets the most items in one array.
    pub fn max_array_items(mut self, items: usize) -> Self {
        self.max_array_items = items;
        self
    }

    /// Sets the longest text of one simple value, in bytes.
    pub fn max_string_bytes(mut self, bytes: usize) -> Self {
        self.max_string_bytes = bytes;
        self
    }

    /// Sets the most attributes on one element.
    pub fn max_attributes(mut self, attributes: usize) -> Self {
        self.max_attributes = attributes;
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
            max_input_bytes: Self::DEFAULT_MAX_INPUT_BYTES,
            max_depth: 128,
            max_elements: 1_000_000,
            max_array_items: 100_000,
            max_string_bytes: 4 * 1024 * 1024,
            max_attributes: 64,
        }
    }
}
