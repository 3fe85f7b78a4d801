//! Temporary access key ids that carry their account, as AWS's own do.
//!
//! AWS does not document the layout, but it has been measured: after the four-letter prefix,
//! 16 base32 characters hold 80 bits; the first bit marks a "new generation" key and the next
//! 40 bits are the account number (labs.withsecure.com, "A bitwise analysis of AWS access key
//! identifiers"; medium.com/@TalBeerySec, "A short note on AWS KEY ID"). GetAccessKeyInfo
//! returns the account of keys it has never seen, even with the last characters changed
//! (awsteele.com/blog/2020/09/26/aws-access-key-format.html), so it decodes rather than looks
//! up. Issuing `ASIA` ids in the same layout lets GetAccessKeyInfo answer for any session this
//! server issued without remembering it, and lets offline tools that decode key ids work.

use rolecall_model::mfa::base32_decode;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/// The generation flag: the top bit of the first six bytes.
const NEW_GENERATION: u64 = 1 << 47;
/// The account's 40 bits, below the flag and above seven other bits.
const ACCOUNT_MASK: u64 = 0x7fff_ffff_ff80;

/// A fresh `ASIA…` id (20 characters) encoding `account` (12 digits).
pub fn temporary_key_id(account: &str) -> String {
    let account: u64 = account.parse().unwrap_or(0);
    let mut bytes: [u8; 10] = rand::random();
    let low = u64::from(bytes[5] & 0x7f);
    let head = NEW_GENERATION | ((account << 7) & ACCOUNT_MASK) | low;
    bytes[..6].copy_from_slice(&head.to_be_bytes()[2..]);
    let mut id = String::with_capacity(20);
    id.push_str("ASIA");
    let mut buffer: u128 = 0;
    for b in bytes {
        buffer = (buffer << 8) | u128::from(b);
    }
    for i in (0..16).rev() {
        id.push(BASE32[((buffer >> (i * 5)) & 31) as usize] as char);
    }
    id
}

/// The account a new-generation key id encodes; None for old-generation ids (which AWS maps
/// with its own records) and ids that are not base32 after their prefix.
pub fn account_of_key_id(key_id: &str) -> Option<String> {
    let body = key_id.get(4..)?;
    if body.len() < 16 {
        return None;
    }
    let bytes = base32_decode(&body[..16])?;
    let mut head = [0u8; 8];
    head[2..].copy_from_slice(bytes.get(..6)?);
    let head = u64::from_be_bytes(head);
    (head & NEW_GENERATION != 0).then(|| format!("{:012}", (head & ACCOUNT_MASK) >> 7))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_example_decodes_to_its_account() {
        // The example key and account of the published analyses.
        assert_eq!(
            account_of_key_id("ASIAY34FZKBOKMUTVV7A").as_deref(),
            Some("609629065308")
        );
    }

    #[test]
    fn issued_ids_carry_their_account() {
        for account in ["111111111111", "000000000042", "999999999999"] {
            let id = temporary_key_id(account);
            assert_eq!(id.len(), 20);
            assert!(id.starts_with("ASIA"));
            assert!(id[4..].bytes().all(|b| BASE32.contains(&b)));
            assert_eq!(account_of_key_id(&id).as_deref(), Some(account));
        }
        assert_ne!(
            temporary_key_id("111111111111"),
            temporary_key_id("111111111111")
        );
    }

    #[test]
    fn old_generation_and_garbage_ids_have_no_account() {
        // AKIAIOSFODNN7EXAMPLE is an old-generation id ('I' leaves the flag bit clear).
        assert_eq!(account_of_key_id("AKIAIOSFODNN7EXAMPLE"), None);
        assert_eq!(account_of_key_id("AKIA1111111111111111"), None);
        assert_eq!(account_of_key_id("ASIA"), None);
    }
}
