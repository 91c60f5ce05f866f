//! [`Reply`]: a response as the server makes it, before it becomes an [`HttpResponse`].

use std::io::Cursor;

use bytes::{Buf, Bytes};
use http::Response;
use http_body_util::Full;

use crate::HttpResponse;
use crate::spare;

/// A response whose body is the bytes as they were made: the server's own connections hand
/// it to hyper as it is ([`into_hyper`](ReplyBytes::into_hyper)), and
/// [`RpcService`](crate::RpcService) and [`Endpoints`](crate::Endpoints) turn it into an
/// [`HttpResponse`] for the callers of their public API ([`into_public`]).
pub(crate) type Reply = Response<ReplyBytes>;

/// The body of a [`Reply`] on the server's own connections.
pub(crate) type HyperBody = Full<ReplyBytes>;

/// A response body's bytes: a buffer the out-protocol wrote, or shared bytes (a fixed
/// document, a static text).
///
/// A written buffer goes to hyper as the `Vec` it is: making `Bytes` of a `Vec` whose
/// capacity exceeds its length (the writer's always does) allocates the shared header that
/// `Bytes` counts references in, one allocation per response.
#[derive(Debug)]
pub(crate) enum ReplyBytes {
    /// A buffer written for this response.
    Written(Written),
    /// Shared bytes.
    Shared(Bytes),
}

/// A buffer written for one response, and how far it has been sent. Once dropped (hyper
/// drops a body it has sent), the buffer goes back to the thread for the next reply to be
/// written into ([`spare::keep_reply_buffer`]).
#[derive(Debug)]
pub(crate) struct Written(Cursor<Vec<u8>>);

impl Drop for Written {
    fn drop(&mut self) {
        spare::keep_reply_buffer(std::mem::take(self.0.get_mut()));
    }
}

impl ReplyBytes {
    /// The bytes of a buffer written for this response.
    pub(crate) fn written(bytes: Vec<u8>) -> ReplyBytes {
        ReplyBytes::Written(Written(Cursor::new(bytes)))
    }

    /// The body hyper sends on the server's own connections.
    pub(crate) fn into_hyper(self) -> HyperBody {
        Full::new(self)
    }
}

impl From<Bytes> for ReplyBytes {
    fn from(bytes: Bytes) -> Self {
        ReplyBytes::Shared(bytes)
    }
}

impl From<ReplyBytes> for Bytes {
    fn from(reply: ReplyBytes) -> Self {
        match reply {
            ReplyBytes::Written(mut written) => {
                let at = usize::try_from(written.0.position()).unwrap_or(usize::MAX);
                // Taken: the `Bytes` owns the buffer from here (nothing goes back).
                let mut bytes = Bytes::from(std::mem::take(written.0.get_mut()));
                bytes.advance(at.min(bytes.len()));
                bytes
            }
            ReplyBytes::Shared(bytes) => bytes,
        }
    }
}

impl Buf for ReplyBytes {
    fn remaining(&self) -> usize {
        match self {
            ReplyBytes::Written(written) => written.0.remaining(),
            ReplyBytes::Shared(bytes) => bytes.remaining(),
        }
    }

    fn chunk(&self) -> &[u8] {
        match self {
            ReplyBytes::Written(written) => written.0.chunk(),
            ReplyBytes::Shared(bytes) => bytes.chunk(),
        }
    }

    fn advance(&mut self, count: usize) {
        match self {
            ReplyBytes::Written(written) => written.0.advance(count),
            ReplyBytes::Shared(bytes) => bytes.advance(count),
        }
    }
}

/// `reply` for the public API: its body as `Bytes`.
pub(crate) fn into_public(reply: Reply) -> HttpResponse {
    reply.map(|bytes| Full::new(Bytes::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_and_shared_bytes_read_the_same() {
        let mut written = ReplyBytes::written(b"<reply/>".to_vec());
        let mut shared = ReplyBytes::from(Bytes::from_static(b"<reply/>"));
        for body in [&mut written, &mut shared] {
            assert_eq!(body.remaining(), 8);
            assert_eq!(body.chunk(), b"<reply/>");
            body.advance(1);
            assert_eq!(body.chunk(), b"reply/>");
        }
        // What was not sent yet is what the public form carries.
        assert_eq!(Bytes::from(written), Bytes::from_static(b"reply/>"));
        assert_eq!(Bytes::from(shared), Bytes::from_static(b"reply/>"));
    }
}
