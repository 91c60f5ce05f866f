//! [`RequestMeta`]: what a transport tells protocols about the request, without naming the
//! transport.

/// The transport-neutral description of an incoming request: its method, path, query string,
/// content type and headers, as plain strings and bytes.
///
/// A server transport fills it ([`MethodContext::request`](crate::MethodContext::request))
/// right after creating the context, before the in-protocol runs; a protocol reads it without
/// knowing which transport carried the request (the HTTP transport sets every part; a queue
/// or an in-process call may leave the slot empty, and a protocol must cope with `None`).
/// Protocols take it as context (e.g. a protocol that reads the method from the path, or
/// picks a format from the `Accept` header), never as a replacement for the message itself.
///
/// Header names are stored lower-case (as HTTP/2 sends them); lookups ignore case. Values
/// are bytes, as received: [`header_str`](Self::header_str) gives the ones that are text.
///
/// ```
/// use rpclib_core::RequestMeta;
///
/// let meta = RequestMeta::new("POST", "/json/say_hello")
///     .with_query("debug=1")
///     .with_header("Content-Type", "application/json")
///     .with_header("X-Trace", "abc");
/// assert_eq!(meta.content_type(), Some("application/json"));
/// assert_eq!(meta.header_str("x-trace"), Some("abc"));
/// assert_eq!(meta.query.as_deref(), Some("debug=1"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    /// The request method (HTTP: `POST`, `GET`...); empty when the transport has none.
    pub method: String,
    /// The path the request was sent to (HTTP: the URI's path, still percent-encoded).
    pub path: String,
    /// The query string without its `?`, as received (not decoded), if there was one.
    pub query: Option<String>,
    /// The headers in the order received, names lower-case; a repeated header appears once
    /// per occurrence.
    pub headers: Vec<(String, Vec<u8>)>,
}

impl RequestMeta {
    /// A request with `method` and `path`, no query and no headers.
    pub fn new(method: impl Into<String>, path: impl Into<String>) -> Self {
        RequestMeta {
            method: method.into(),
            path: path.into(),
            query: None,
            headers: Vec::new(),
        }
    }

    /// Sets the query string (without its `?`).
    pub fn with_query(mut self, query: impl Into<String>) -> Self {
        self.query = Some(query.into());
        self
    }

    /// Adds a header (its name is stored lower-case).
    pub fn with_header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Self {
        self.push_header(name, value);
        self
    }

    /// Adds a header (its name is stored lower-case).
    pub fn push_header(&mut self, name: &str, value: impl Into<Vec<u8>>) {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
    }

    /// The first value of header `name` (any case), as bytes.
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// Every value of header `name` (any case), in the order received.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// The first value of header `name` (any case), if it is UTF-8 text.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header(name).and_then(|v| std::str::from_utf8(v).ok())
    }

    /// The request's media type (the `Content-Type` header), if it was sent as text.
    pub fn content_type(&self) -> Option<&str> {
        self.header_str("content-type")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_ignore_case_and_keep_repeats() {
        let meta = RequestMeta::new("POST", "/x")
            .with_header("Accept", "a")
            .with_header("ACCEPT", "b")
            .with_header("X-Bin", vec![0xff, 0]);
        assert_eq!(meta.header_all("accept").collect::<Vec<_>>(), [b"a", b"b"]);
        assert_eq!(meta.header("x-bin"), Some(&[0xff, 0][..]));
        assert_eq!(meta.header_str("x-bin"), None);
        assert_eq!(meta.content_type(), None);
        assert_eq!(meta.headers[0].0, "accept");
    }
}
