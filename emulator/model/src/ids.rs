//! Identifiers in AWS's formats: unique principal ids (`AIDA…`, `AROA…`), temporary access key
//! ids (`ASIA…`), and the short ids of Organizations and EC2 resources.
//!
//! Ids of things the scenario declares are derived from their names, so they are the same on
//! every start and tests can rely on them; ids of issued credentials are random.

use rand::Rng;
use sha2::{Digest, Sha256};

/// The characters AWS uses after an id's four-letter prefix (upper-case base32).
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `prefix` followed by 17 base32 characters derived from `seed`: 21 characters in all, the
/// length of real unique ids (IAM user guide, "Unique identifiers").
pub fn derived_unique_id(prefix: &str, seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    let mut id = String::with_capacity(prefix.len() + 17);
    id.push_str(prefix);
    id.extend(
        digest
            .iter()
            .take(17)
            .map(|b| BASE32[(b & 31) as usize] as char),
    );
    id
}

/// A fresh temporary access key id: `ASIA` and 16 base32 characters (20 in all, as AWS's).
pub fn random_temporary_key_id() -> String {
    let mut rng = rand::rng();
    let mut id = String::with_capacity(20);
    id.push_str("ASIA");
    id.extend((0..16).map(|_| BASE32[rng.random_range(0..32)] as char));
    id
}

/// `len` lowercase hex digits derived from `seed` (EC2 and Organizations resource ids).
pub fn derived_hex(seed: &str, len: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = Sha256::digest(seed.as_bytes());
    // Only the digits asked for are written: a scenario derives several ids per resource, and
    // large generated scenarios hold hundreds of thousands of resources.
    let mut out = String::with_capacity(len);
    for b in digest.iter().take(len.div_ceil(2)) {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out.truncate(len);
    out
}

/// `len` (at most 32) lowercase hex digits derived from `seed`, for the ids of EC2 resources
/// the scenario implies (default VPCs, network interfaces, volumes, reservations…).
///
/// A large generated scenario derives millions of these, so this is a fast non-cryptographic
/// hash rather than SHA-256: the ids only need to be stable and, at 17 digits (68 bits), not
/// to collide within one scenario. Two 64-bit lanes read the seed eight bytes at a time and
/// are finished with SplitMix64's mixer, so every input bit reaches every output bit.
pub fn resource_hex(seed: &str, len: usize) -> String {
    let mut out = String::with_capacity(len);
    push_resource_hex(&mut out, seed, len);
    out
}

/// Appends [`resource_hex`]`(seed, len)` to `out`.
pub fn push_resource_hex(out: &mut String, seed: &str, len: usize) {
    resource_hex_digits(seed.as_bytes(), len).push_to(out);
}

/// The digits of [`resource_hex`], without allocating: a large scenario derives millions.
/// Each lane gives 16 digits, most significant first, written a byte (two digits) at a time.
pub fn resource_hex_digits(seed: &[u8], len: usize) -> HexDigits {
    assert!(len <= 32, "resource_hex gives at most 32 digits");
    let (a, b) = lanes(seed);
    let mut digits = [0u8; 32];
    for (word, out) in [a, b].into_iter().zip(digits.chunks_exact_mut(16)) {
        for (byte, pair) in word.to_be_bytes().into_iter().zip(out.chunks_exact_mut(2)) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(byte)]);
        }
    }
    HexDigits { digits, len }
}

/// The two lowercase hex digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut pairs = [[0u8; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        pairs[byte] = [HEX[byte >> 4], HEX[byte & 15]];
        byte += 1;
    }
    pairs
};

/// Up to 32 lowercase hex digits (see [`resource_hex_digits`]).
pub struct HexDigits {
    digits: [u8; 32],
    len: usize,
}

impl HexDigits {
    /// The digits, as ASCII.
    pub fn as_bytes(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// The digits, as text.
    pub fn as_str(&self) -> &str {
        // Always ASCII; checking a few bytes costs less than pushing them one by one.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// Appends the digits to `out`.
    pub fn push_to(&self, out: &mut String) {
        out.push_str(self.as_str());
    }
}

/// A short id, address or host name (at most 64 ASCII bytes) made when it is asked for instead of kept:
/// a large scenario would otherwise hold hundreds of thousands of ids that are a function of
/// another id (reservation and attachment ids, MAC addresses).
#[derive(Clone, Copy)]
pub struct ShortText {
    bytes: [u8; ShortText::CAPACITY],
    len: usize,
}

impl ShortText {
    /// The longest text it holds: a private DNS name (`ip-` and an address with dashes, then
    /// `.REGION.compute.internal`) is at most 55 bytes.
    pub const CAPACITY: usize = 64;

    /// The pieces put together; those past [`CAPACITY`](Self::CAPACITY) bytes in all are cut
    /// off, so callers only put together pieces of known, short lengths.
    pub fn of(pieces: &[&[u8]]) -> ShortText {
        let mut text = ShortText {
            bytes: [0; ShortText::CAPACITY],
            len: 0,
        };
        for piece in pieces {
            let piece = &piece[..piece.len().min(ShortText::CAPACITY - text.len)];
            text.bytes[text.len..text.len + piece.len()].copy_from_slice(piece);
            text.len += piece.len();
        }
        text
    }

    pub fn as_str(&self) -> &str {
        // The pieces are ASCII ids and hex digits.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::ops::Deref for ShortText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for ShortText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The two lanes of [`resource_hex`].
fn lanes(seed: &[u8]) -> (u64, u64) {
    const K1: u64 = 0x9e37_79b9_7f4a_7c15;
    const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;
    let mut a = 0x243f_6a88_85a3_08d3_u64 ^ seed.len() as u64;
    let mut b = 0x1319_8a2e_0370_7344_u64;
    let mut chunks = seed.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        a = (a ^ word).wrapping_mul(K1).rotate_left(29);
        b = (b ^ word).wrapping_mul(K2).rotate_left(31);
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    let word = u64::from_le_bytes(tail);
    a = (a ^ word).wrapping_mul(K1).rotate_left(29);
    b = (b ^ word ^ a).wrapping_mul(K2).rotate_left(31);
    (splitmix(a), splitmix(b ^ a))
}

/// SplitMix64's finalizer.
fn splitmix(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// `len` lowercase letters and digits derived from `seed` (Organizations ids like `r-ab12`).
pub fn derived_lower_alnum(seed: &str, len: usize) -> String {
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let digest = Sha256::digest(seed.as_bytes());
    digest
        .iter()
        .cycle()
        .take(len)
        .map(|b| ALPHABET[(*b as usize) % 36] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_ids_have_awss_shape_and_are_stable() {
        let a = derived_unique_id("AIDA", "arn:aws:iam::111111111111:user/discovery");
        assert_eq!(a.len(), 21);
        assert!(a.starts_with("AIDA"));
        assert!(a[4..].bytes().all(|b| BASE32.contains(&b)));
        assert_eq!(
            a,
            derived_unique_id("AIDA", "arn:aws:iam::111111111111:user/discovery")
        );
    }

    #[test]
    fn resource_hex_is_stable_lowercase_hex_and_spreads() {
        let a = resource_hex("111111111111/us-east-1/eni/i-0123", 17);
        assert_eq!(a.len(), 17);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert_eq!(a, resource_hex("111111111111/us-east-1/eni/i-0123", 17));
        assert_eq!(resource_hex("x", 32).len(), 32);
        // Neighbouring seeds give different 17-digit ids.
        let ids: std::collections::HashSet<String> = (0..200_000)
            .map(|n| resource_hex(&format!("222222222222/eu-west-1/eni/{n}"), 17))
            .collect();
        assert_eq!(ids.len(), 200_000);
    }

    #[test]
    fn digits_are_the_lanes_nibbles_most_significant_first() {
        for seed in ["", "x", "111111111111/us-east-1/eni/i-0123", "eight by"] {
            let (a, b) = lanes(seed.as_bytes());
            let expected: String = (0..32)
                .map(|i| {
                    let word = if i < 16 { a } else { b };
                    char::from(b"0123456789abcdef"[((word >> (60 - 4 * (i % 16))) & 15) as usize])
                })
                .collect();
            for len in [0, 8, 10, 17, 32] {
                assert_eq!(resource_hex(seed, len), expected[..len]);
            }
        }
    }

    #[test]
    fn short_text_joins_its_pieces_up_to_its_capacity() {
        assert_eq!(&*ShortText::of(&[b"r-", b"0123"]), "r-0123");
        assert_eq!(&*ShortText::of(&[]), "");
        let long = [b"0123456789abcdef".as_slice(); 5];
        assert_eq!(ShortText::of(&long).len(), ShortText::CAPACITY);
    }

    #[test]
    fn temporary_key_ids_are_asia_and_20_long() {
        let k = random_temporary_key_id();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert_ne!(k, random_temporary_key_id());
    }
}
