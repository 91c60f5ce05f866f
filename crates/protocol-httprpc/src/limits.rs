//! [`Limits`]: bounds on what an HttpRpc request may cost to read.

/// Bounds on the size and shape of incoming HttpRpc requests; anything beyond them is
/// refused with a `Client.RequestTooLong` (size) or `Client.LimitExceeded` (shape) fault
/// naming the limit.
///
/// The size (query string and body together) is checked before anything is decoded; the
/// other limits while the form is split, so a request never builds more than they allow.
///
/// ```
/// use rpclib_protocol_httprpc::{HttpRpc, Limits};
///
/// let rpc = HttpRpc::with_limits(Limits::default().max_keys(50).max_depth(4));
/// assert_eq!(rpc.limits().max_keys, 50);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest query string plus body, in bytes (default 4 MiB).
    pub max_input_bytes: usize,
    /// Most key/value pairs (query pairs, form pairs and multipart parts together; default
    /// 1,000). Also bounds array indices (`people[i]`: `i` below this limit).
    pub max_keys: usize,
    /// Most steps in one key (`a.b[0].c` has four; default 16).
    pub max_depth: usize,
    /// Most parts in a `multipart/form-data` body (default 100).
    pub max_parts: usize,
    /// Longest key, in bytes after percent-decoding (default 256).
    pub max_key_bytes: usize,
}

impl Limits {
    /// Sets the largest query string plus body, in bytes.
    pub fn max_input_bytes(mut self, bytes: usize) -> Self {
        self.max_input_bytes = bytes;
        self
    }

    /// Sets the most key/value pairs.
    pub fn max_keys(mut self, keys: usize) -> Self {
        self.max_keys = keys;
        self
    }

    /// Sets the most steps in one key.
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets the most parts in a multipart body.
    pub fn max_parts(mut self, parts: usize) -> Self {
        self.max_parts = parts;
        self
    }

    /// Sets the longest key, in bytes.
    pub fn max_key_bytes(mut self, bytes: usize) -> Self {
        self.max_key_bytes = bytes;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 4 * 1024 * 1024,
            max_keys: 1000,
            max_depth: 16,
            max_parts: 100,
            max_key_bytes: 256,
        }
    }
}
