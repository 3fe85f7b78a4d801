//! The SigV4 signing key: `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
//! "aws4_request")` (IAM user guide, `create-signed-request.md`, "Calculate the signature").
//!
//! Deriving it costs four HMACs, sixteen SHA-256 blocks, where checking a signature with it
//! costs three or four; hence [`super::SigningKeyCache`]. The key is kept as an HMAC state
//! with the key already absorbed, so a signature costs only the string to sign's blocks and
//! the outer block.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{string_to_sign_pieces, Authorization, TERMINATOR};

type HmacSha256 = Hmac<Sha256>;

/// A derived signing key, ready to sign strings to sign.
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacSha256,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey { .. }")
    }
}

impl SigningKey {
    /// The key for `secret` and the authorization's scope (date, region, service, as
    /// written; callers have checked the date and the terminator).
    pub fn derive(secret_access_key: &str, auth: &Authorization) -> SigningKey {
        SigningKey::from_scope(
            secret_access_key,
            &auth.scope_date,
            &auth.region,
            &auth.service,
        )
    }

    /// The key for `secret` and a scope given piece by piece.
    pub fn from_scope(
        secret_access_key: &str,
        scope_date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        let mut first = Vec::with_capacity(4 + secret_access_key.len());
        first.extend_from_slice(b"AWS4");
        first.extend_from_slice(secret_access_key.as_bytes());
        let date = hmac(&first, scope_date.as_bytes());
        let region = hmac(&date, region.as_bytes());
        let service = hmac(&region, service.as_bytes());
        let signing = hmac(&service, TERMINATOR.as_bytes());
        SigningKey {
            mac: HmacSha256::new_from_slice(&signing).expect("HMAC takes keys of any length"),
        }
    }

    /// The signature over the string to sign for `auth` and the canonical request's hex
    /// digest, as lowercase hex in `out`.
    pub(super) fn sign_hex<'o>(
        &self,
        auth: &Authorization,
        hashed_hex: &str,
        out: &'o mut [u8; 64],
    ) -> &'o [u8] {
        let mut mac = self.mac.clone();
        for piece in string_to_sign_pieces(auth, hashed_hex) {
            mac.update(piece.as_bytes());
        }
        // Cannot fail: the buffer is exactly twice the 32-byte tag.
        let _ = hex::encode_to_slice(mac.finalize().into_bytes(), out);
        &out[..]
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// A header-style Authorization for `AKIDEXAMPLE` on `date`'s scope, for the signing-key
/// and key-cache tests.
#[cfg(test)]
pub(crate) fn test_authorization(
    date: &str,
    region: &str,
    service: &str,
) -> Authorization<'static> {
    Authorization {
        style: super::AuthStyle::Header,
        access_key_id: "AKIDEXAMPLE".into(),
        scope_date: date.to_string().into(),
        region: region.to_string().into(),
        service: service.to_string().into(),
        terminator: TERMINATOR.into(),
        signed_headers: "host".into(),
        signature: String::new().into(),
        timestamp: time::OffsetDateTime::UNIX_EPOCH,
        timestamp_raw: format!("{date}T000000Z").into(),
        expires_secs: None,
        security_token: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sigv4::sign::v4::{calculate_signature, generate_signing_key};

    #[test]
    fn signs_as_the_aws_sigv4_crate_does() {
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        let auth = test_authorization("20150830", "us-east-1", "iam");
        let hashed = "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";
        let mut out = [0; 64];
        let ours = SigningKey::derive(secret, &auth).sign_hex(&auth, hashed, &mut out);

        let day = time::macros::datetime!(2015-08-30 00:00 UTC).into();
        let key = generate_signing_key(secret, day, "us-east-1", "iam");
        let string_to_sign = string_to_sign_pieces(&auth, hashed).concat();
        let theirs = calculate_signature(&key, string_to_sign.as_bytes());
        assert_eq!(std::str::from_utf8(ours).unwrap(), theirs);
    }
}
