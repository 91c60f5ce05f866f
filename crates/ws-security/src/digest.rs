//! `PasswordDigest` = Base64(SHA-1(nonce + created + password)), nonce as raw bytes (WSS
//! UsernameToken profile 1.0, section 3.1).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha1::{Digest, Sha1};

/// The raw SHA-1 of `nonce + created + password`.
pub(crate) fn digest_bytes(nonce: &[u8], created: &str, password: &str) -> [u8; 20] {
    let mut h = Sha1::new();
    h.update(nonce);
    h.update(created.as_bytes());
    h.update(password.as_bytes());
    h.finalize().into()
}

/// The `PasswordDigest` text for `nonce`, `created` (as written in the token) and `password`.
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    STANDARD.encode(digest_bytes(nonce, created, password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        // Computed independently (Python's hashlib): the nonce as raw bytes, then the
        // created text, then the password.
        let nonce = STANDARD
            .decode("LKqI6G/AikKCQrN0zqZFlg==")
            .expect("valid base64");
        assert_eq!(
            password_digest(&nonce, "2010-09-16T07:50:45Z", "verySecret"),
            "M0kiHohLe+rKaIpy2f4NAwvX7TE="
        );
        assert_eq!(
            password_digest(b"a", "b", "c"),
            "qZk+NkcGgWq6PiVxeFDCbJzQ2J0="
        );
        assert_eq!(password_digest(b"", "", ""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
    }
}
