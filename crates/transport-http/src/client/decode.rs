//! Compressed replies: the `Accept-Encoding` the client sends and the bounded decoding of a
//! `Content-Encoding: gzip` or `deflate` body (flate2).

use std::io::Read;

use flate2::read::{DeflateDecoder, GzDecoder, ZlibDecoder};

use super::error::HttpClientError;

/// The `Accept-Encoding` value sent when compression is enabled.
pub(crate) const ACCEPT_ENCODING: &str = "gzip, deflate";

/// Decodes `body` as its `Content-Encoding` says, refusing a result over `limit` bytes (a small
/// body can inflate a thousandfold: the limit applies to what comes out, and decoding stops as
/// soon as it is passed). `None` or `identity` returns the body as it is.
pub(crate) fn decode(
    encoding: Option<&str>,
    body: Vec<u8>,
    limit: usize,
) -> Result<Vec<u8>, HttpClientError> {
    let Some(encoding) = encoding.map(str::trim).filter(|e| !e.is_empty()) else {
        return Ok(body);
    };
    let name = encoding.to_ascii_lowercase();
    match name.as_str() {
        "identity" => Ok(body),
        "gzip" | "x-gzip" => inflate(GzDecoder::new(&body[..]), &name, limit),
        // HTTP's "deflate" is the zlib format, but some servers send raw deflate data: a zlib
        // stream starts with a header whose two bytes are a multiple of 31.
        "deflate" if is_zlib(&body) => inflate(ZlibDecoder::new(&body[..]), &name, limit),
        "deflate" => inflate(DeflateDecoder::new(&body[..]), &name, limit),
        _ => Err(HttpClientError::Decode {
            encoding: encoding.to_owned(),
            reason: "unsupported content encoding (gzip and deflate are)".to_owned(),
        }),
    }
}

/// Whether `body` starts with a zlib header (deflate method, valid check bits).
fn is_zlib(body: &[u8]) -> bool {
    match body {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

/// Reads `decoder` to its end, at most `limit` bytes.
fn inflate(decoder: impl Read, encoding: &str, limit: usize) -> Result<Vec<u8>, HttpClientError> {
    let mut out = Vec::new();
    // One byte past the limit tells "exactly the limit" from "more".
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    decoder
        .take(cap)
        .read_to_end(&mut out)
        .map_err(|e| HttpClientError::Decode {
            encoding: encoding.to_owned(),
            reason: e.to_string(),
        })?;
    if out.len() > limit {
        return Err(HttpClientError::InflatedTooLarge {
            encoding: encoding.to_owned(),
            limit,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_zlib_and_raw_deflate_decode() {
        let text = b"<soap:Envelope>hello</soap:Envelope>".repeat(10);
        assert_eq!(decode(Some("gzip"), gzip(&text), 1 << 20).unwrap(), text);
        assert_eq!(decode(Some("X-GZIP"), gzip(&text), 1 << 20).unwrap(), text);
        let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(&text).unwrap();
        assert_eq!(
            decode(Some("deflate"), z.finish().unwrap(), 1 << 20).unwrap(),
            text
        );
        let mut d = DeflateEncoder::new(Vec::new(), Compression::default());
        d.write_all(&text).unwrap();
        assert_eq!(
            decode(Some("deflate"), d.finish().unwrap(), 1 << 20).unwrap(),
            text
        );
        assert_eq!(decode(None, text.clone(), 1).unwrap(), text);
        assert_eq!(decode(Some("identity"), text.clone(), 1).unwrap(), text);
    }

    #[test]
    fn the_limit_applies_to_the_inflated_size() {
        let bomb = gzip(&vec![0u8; 10 * 1024 * 1024]);
        assert!(bomb.len() < 20 * 1024, "{}", bomb.len());
        let err = decode(Some("gzip"), bomb.clone(), 1024 * 1024).unwrap_err();
        assert!(
            matches!(err, HttpClientError::InflatedTooLarge { limit, .. } if limit == 1024 * 1024)
        );
        assert!(err.to_string().contains("1048576"), "{err}");
        // Exactly the limit is accepted.
        let exact = decode(Some("gzip"), gzip(&[7u8; 100]), 100).unwrap();
        assert_eq!(exact.len(), 100);
    }

    #[test]
    fn corrupt_data_and_unknown_encodings_are_errors_naming_the_encoding() {
        let err = decode(Some("gzip"), b"not gzip at all".to_vec(), 1024).unwrap_err();
        assert!(matches!(&err, HttpClientError::Decode { encoding, .. } if encoding == "gzip"));
        let err = decode(Some("br"), b"x".to_vec(), 1024).unwrap_err();
        assert!(err.to_string().contains("br"), "{err}");
        let mut truncated = gzip(b"some text that is long enough to matter");
        truncated.truncate(truncated.len() - 6);
        assert!(decode(Some("gzip"), truncated, 1024).is_err());
    }
}
