//! Equality of secrets in constant time: a signature, a secret access key, a session token.
//!
//! No early exit, so how long a wrong value takes to refuse says nothing about how much of it
//! was right. The bytes are compared a word at a time, which keeps a kilobyte session token as
//! cheap to check as the rest of the lookup it guards; only the length, which is not secret,
//! decides early.

/// Whether `a` and `b` hold the same bytes, in time that depends only on their lengths.
pub(crate) fn equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (words_a, words_b) = (a.chunks_exact(8), b.chunks_exact(8));
    let mut diff = words_a
        .remainder()
        .iter()
        .zip(words_b.remainder())
        .fold(0u64, |acc, (x, y)| acc | u64::from(x ^ y));
    for (x, y) in words_a.zip(words_b) {
        let word = |w: &[u8]| u64::from_ne_bytes(w.try_into().expect("chunks of eight"));
        diff |= word(x) ^ word(y);
    }
    // Keeps the compiler from turning the accumulation into a loop that stops at the first
    // difference.
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::equal;

    #[test]
    fn values_are_equal_only_byte_for_byte() {
        let a: Vec<u8> = (0..=255).collect();
        assert!(equal(&a, &a.clone()));
        for at in [0, 7, 8, 200, 255] {
            let mut b = a.clone();
            b[at] ^= 1;
            assert!(!equal(&a, &b), "differs at {at}");
        }
        assert!(!equal(&a, &a[..255]));
        assert!(equal(b"", b""));
        // Shorter than one word: only the remainder is compared.
        assert!(equal(b"abc", b"abc"));
        assert!(!equal(b"abc", b"abd"));
    }
}
