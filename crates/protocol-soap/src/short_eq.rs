//! Equality of short byte strings (element names, prefixes, namespace names) without a call.
//!
//! Comparing two slices with `==` calls `memcmp`, which for the names of a SOAP message (a
//! few to a few dozen bytes) costs more in the call and its set-up than in comparing. The
//! reader compares such names for every element (its end tag, the field it names, the item
//! of an array), so names of up to 16 bytes are compared here as at most two overlapping
//! words instead.

/// Whether `a` and `b` hold the same bytes.
#[inline(always)]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        // Two words that cover the name between them (overlapping when shorter than 16).
        8..=16 => {
            a.first_chunk::<8>() == b.first_chunk::<8>()
                && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        4..=7 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// [`same`] for text.
#[inline(always)]
pub(crate) fn same_str(a: &str, b: &str) -> bool {
    same(a.as_bytes(), b.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_slice_equality_at_every_length_and_difference() {
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for n in 0..=base.len() {
            let a = &base[..n];
            assert!(same(a, a));
            assert!(!same(a, &base[..n.saturating_sub(1)]) || n == 0);
            // One byte changed, at each position in turn: never equal.
            for at in 0..n {
                let mut b = a.to_vec();
                b[at] ^= 0x20;
                assert!(!same(a, &b), "length {n}, difference at {at}");
                assert_eq!(same(a, &b), a == b.as_slice());
            }
        }
        assert!(same_str("tns:Person", "tns:Person"));
        assert!(!same_str("tns:Person", "tns:person"));
        assert!(!same_str("tns:name", "tns:nam"));
    }
}
