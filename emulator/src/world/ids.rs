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
    fn temporary_key_ids_are_asia_and_20_long() {
        let k = random_temporary_key_id();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("ASIA"));
        assert_ne!(k, random_temporary_key_id());
    }
}
