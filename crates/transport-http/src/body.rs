//! Reading a request body whole, within a size limit.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use http_body::Body;
use http_body_util::BodyExt;

/// Why a request body could not be read.
pub(crate) enum BodyError {
    /// It is longer than the limit.
    TooLong,
    /// The body stream failed (the connection broke, a malformed chunk).
    Failed(Box<dyn std::error::Error + Send + Sync>),
}

/// Reads `body` whole, failing as soon as it exceeds `max` bytes; trailers are ignored.
///
/// A body that arrives as one chunk (the usual case: hyper hands over what it read with the
/// headers) is returned as it came, without a copy or an allocation; only a body in several
/// chunks is gathered into one buffer. (http-body-util's `Limited` + `collect` queue every
/// chunk first: one allocation per request even for a single chunk.)
pub(crate) async fn read_body<B>(body: B, max: usize) -> Result<Bytes, BodyError>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let mut body = std::pin::pin!(body);
    let mut first: Option<Bytes> = None;
    let mut gathered = BytesMut::new();
    let mut length = 0usize;
    while let Some(frame) = body.as_mut().frame().await {
        let frame = frame.map_err(|e| BodyError::Failed(e.into()))?;
        let Ok(mut data) = frame.into_data() else {
            continue;
        };
        let size = data.remaining();
        length = length.saturating_add(size);
        if length > max {
            return Err(BodyError::TooLong);
        }
        if first.is_none() && gathered.is_empty() {
            first = Some(data.copy_to_bytes(size));
        } else {
            if let Some(earlier) = first.take() {
                gathered.reserve(length);
                gathered.put(earlier);
            }
            gathered.put(data);
        }
    }
    Ok(first.unwrap_or_else(|| gathered.freeze()))
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use http_body::Frame;

    use super::*;

    /// A body that hands out its chunks one by one, then fails if told to.
    struct Chunks {
        chunks: VecDeque<&'static [u8]>,
        fail_at_end: bool,
    }

    impl Body for Chunks {
        type Data = Bytes;
        type Error = std::io::Error;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            Poll::Ready(match self.chunks.pop_front() {
                Some(chunk) => Some(Ok(Frame::data(Bytes::from_static(chunk)))),
                None if self.fail_at_end => {
                    self.fail_at_end = false;
                    Some(Err(std::io::Error::other("connection reset")))
                }
                None => None,
            })
        }
    }

    fn chunks(parts: &[&'static str]) -> Chunks {
        Chunks {
            chunks: parts.iter().map(|p| p.as_bytes()).collect(),
            fail_at_end: false,
        }
    }

    #[tokio::test]
    async fn one_chunk_comes_back_without_a_copy() {
        let whole = "<a>hello</a>";
        let bytes = read_body(chunks(&[whole]), 100).await.ok().unwrap();
        assert_eq!(bytes.as_ptr(), whole.as_ptr());
    }

    #[tokio::test]
    async fn several_chunks_are_gathered_in_order() {
        let bytes = read_body(chunks(&["<a>", "", "hello", "</a>"]), 12)
            .await
            .ok()
            .unwrap();
        assert_eq!(&bytes[..], b"<a>hello</a>");
        let empty = read_body(chunks(&[]), 0).await.ok().unwrap();
        assert!(empty.is_empty());
    }

    #[tokio::test]
    async fn a_body_past_the_limit_is_refused() {
        let result = read_body(chunks(&["<a>", "hello", "</a>"]), 11).await;
        assert!(matches!(result, Err(BodyError::TooLong)));
    }

    #[tokio::test]
    async fn a_failing_body_reports_its_error() {
        let mut body = chunks(&["<a>"]);
        body.fail_at_end = true;
        match read_body(body, 100).await {
            Err(BodyError::Failed(e)) => assert_eq!(e.to_string(), "connection reset"),
            _ => panic!("the error was not reported"),
        }
    }
}
