//! Virtual MFA devices: a base32 secret shared with an authenticator app, and the six-digit
//! time-based one-time passwords (TOTP, RFC 6238) it shows.
//!
//! AWS's virtual MFA devices are standard TOTP: HMAC-SHA1, 30-second steps, six digits (IAM
//! user guide, "Assigning a virtual MFA device": "a virtual MFA app … generates a six-digit
//! numeric code based upon a time-synchronized one-time password algorithm"). A code is
//! accepted for the current step and the steps either side, so a code read a moment before
//! the step changed still works.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// A virtual MFA device assigned to an IAM user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaDevice {
    /// `arn:aws:iam::ACCOUNT:mfa/NAME`: what clients pass as `SerialNumber`.
    pub serial: String,
    /// The shared secret, decoded from its base32 form.
    pub secret: Vec<u8>,
}

/// RFC 6238's time step.
pub const STEP_SECONDS: i64 = 30;

impl MfaDevice {
    /// Whether `code` is the device's code for the step of `unix_time` or a neighbouring step.
    pub fn accepts(&self, code: &str, unix_time: i64) -> bool {
        let Ok(wanted) = code.parse::<u32>() else {
            return false;
        };
        if code.len() != 6 {
            return false;
        }
        let step = unix_time.div_euclid(STEP_SECONDS);
        (step - 1..=step + 1)
            .filter_map(|s| u64::try_from(s).ok())
            .any(|s| totp_at_step(&self.secret, s) == wanted)
    }
}

/// The six-digit code for `unix_time` (what an authenticator app shows), as a number.
pub fn totp(secret: &[u8], unix_time: i64) -> u32 {
    totp_at_step(
        secret,
        u64::try_from(unix_time.div_euclid(STEP_SECONDS)).unwrap_or(0),
    )
}

/// HOTP (RFC 4226) of the step counter, truncated to six digits.
fn totp_at_step(secret: &[u8], step: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // Dynamic truncation: the low nibble of the last byte picks four bytes.
    let offset = (digest[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    bin % 1_000_000
}

/// Decodes RFC 4648 base32 (upper or lower case, `=` padding and spaces ignored), the form
/// authenticator apps and AWS's `Base32StringSeed` use. None on any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u64 = 0;
    let mut bits = 0u32;
    for c in text.chars().filter(|c| *c != '=' && *c != ' ') {
        let value = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u64 - 'A' as u64,
            c @ '2'..='7' => c as u64 - '2' as u64 + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            // The low byte: `buffer` holds at most 12 bits here.
            out.push((buffer >> bits).to_le_bytes()[0]);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 vectors (secret "12345678901234567890"); the RFC prints
    /// eight digits, of which a six-digit code is the last six.
    #[test]
    fn rfc_6238_vectors() {
        let secret = b"12345678901234567890";
        assert_eq!(totp(secret, 59), 287_082);
        assert_eq!(totp(secret, 1_111_111_109), 81_804);
        assert_eq!(totp(secret, 1_234_567_890), 5_924);
        assert_eq!(totp(secret, 2_000_000_000), 279_037);
    }

    #[test]
    fn base32_round_trips_the_rfc_secret() {
        // "12345678901234567890" in base32.
        let decoded = base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        assert_eq!(decoded, b"12345678901234567890");
        assert_eq!(
            base32_decode("gezdgnbv gy3tqojq"),
            base32_decode("GEZDGNBVGY3TQOJQ")
        );
        assert_eq!(base32_decode("GEZ1"), None);
    }

    #[test]
    fn codes_of_neighbouring_steps_are_accepted_and_others_not() {
        let device = MfaDevice {
            serial: "arn:aws:iam::111111111111:mfa/discovery".into(),
            secret: b"12345678901234567890".to_vec(),
        };
        let now = 1_234_567_890;
        let code = |t: i64| format!("{:06}", totp(&device.secret, t));
        assert!(device.accepts(&code(now), now));
        assert!(device.accepts(&code(now - 30), now));
        assert!(device.accepts(&code(now + 30), now));
        assert!(!device.accepts(&code(now - 90), now));
        assert!(!device.accepts("12345", now));
        assert!(!device.accepts("abcdef", now));
    }
}
