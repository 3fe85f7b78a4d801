//! The bytes a session token carries its claims in.
//!
//! Every AssumeRole and GetSessionToken writes one, so the layout is a plain binary one that is
//! written with a few copies, not a self-describing text format (JSON cost far more, most of
//! it escaping strings no claim ever needs escaped). Only
//! this server reads it, and only after the token's HMAC has verified, but the reader still
//! checks every length and rejects anything left over, so no input can make it panic.
//!
//! Layout: a version byte, then the fields in declaration order. A string is its length as a
//! LEB128 varint and its UTF-8 bytes; a time is 8 bytes little-endian; a list is its count as
//! a varint and its items. One byte of flags says which optional fields follow.

use super::{InlineSessionPolicy, SessionClaims, SessionPrincipal};

/// Changes whenever the layout does; a token of another version does not open.
const VERSION: u8 = 1;

const CHAINED: u8 = 1;
const SOURCE_IDENTITY: u8 = 1 << 1;
const MFA: u8 = 1 << 2;
const SESSION_POLICY: u8 = 1 << 3;

const ROLE: u8 = 0;
const USER: u8 = 1;
const ROOT: u8 = 2;

/// Appends the claims' bytes to `out`.
pub(crate) fn encode(claims: &SessionClaims, out: &mut Vec<u8>) {
    out.push(VERSION);
    put_str(out, &claims.access_key_id);
    put_str(out, &claims.account);
    match &claims.principal {
        SessionPrincipal::Role { role, session } => {
            out.push(ROLE);
            put_str(out, role);
            put_str(out, session);
        }
        SessionPrincipal::User { user } => {
            out.push(USER);
            put_str(out, user);
        }
        SessionPrincipal::Root => out.push(ROOT),
    }
    out.extend_from_slice(&claims.issued.to_le_bytes());
    out.extend_from_slice(&claims.expires.to_le_bytes());
    let mut flags = 0;
    for (set, flag) in [
        (claims.chained, CHAINED),
        (claims.source_identity.is_some(), SOURCE_IDENTITY),
        (claims.mfa_authenticated_at.is_some(), MFA),
        (claims.session_policy.is_some(), SESSION_POLICY),
    ] {
        if set {
            flags |= flag;
        }
    }
    out.push(flags);
    if let Some(source) = &claims.source_identity {
        put_str(out, source);
    }
    if let Some(at) = claims.mfa_authenticated_at {
        out.extend_from_slice(&at.to_le_bytes());
    }
    if let Some(policy) = &claims.session_policy {
        put_str(out, &policy.digest);
        put_str(out, &policy.text);
    }
    put_len(out, claims.tags.len());
    for (key, value) in &claims.tags {
        put_str(out, key);
        put_str(out, value);
    }
    put_len(out, claims.transitive_tag_keys.len());
    for key in &claims.transitive_tag_keys {
        put_str(out, key);
    }
    put_len(out, claims.policy_arns.len());
    for arn in &claims.policy_arns {
        put_str(out, arn);
    }
}

/// The claims `bytes` hold; None unless they are exactly what [`encode`] writes.
pub(crate) fn decode(bytes: &[u8]) -> Option<SessionClaims> {
    let mut r = Reader { rest: bytes };
    if r.byte()? != VERSION {
        return None;
    }
    let access_key_id = r.string()?;
    let account = r.string()?;
    let principal = match r.byte()? {
        ROLE => SessionPrincipal::Role {
            role: r.string()?,
            session: r.string()?,
        },
        USER => SessionPrincipal::User { user: r.string()? },
        ROOT => SessionPrincipal::Root,
        _ => return None,
    };
    let mut claims = SessionClaims::new(access_key_id, account, principal, r.time()?, r.time()?);
    let flags = r.byte()?;
    if flags & !(CHAINED | SOURCE_IDENTITY | MFA | SESSION_POLICY) != 0 {
        return None;
    }
    claims.chained = flags & CHAINED != 0;
    if flags & SOURCE_IDENTITY != 0 {
        claims.source_identity = Some(r.string()?);
    }
    if flags & MFA != 0 {
        claims.mfa_authenticated_at = Some(r.time()?);
    }
    if flags & SESSION_POLICY != 0 {
        claims.session_policy = Some(InlineSessionPolicy {
            digest: r.string()?,
            text: r.string()?,
        });
    }
    claims.tags = r.list(|r| Some((r.string()?, r.string()?)))?;
    claims.transitive_tag_keys = r.list(Reader::string)?;
    claims.policy_arns = r.list(Reader::string)?;
    r.rest.is_empty().then_some(claims)
}

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    // Seven bits a byte, low first, each but the last with its high bit set.
    while n >= 0x80 {
        out.push((n.to_le_bytes()[0] & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n.to_le_bytes()[0]);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    rest: &'a [u8],
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn len(&mut self) -> Option<usize> {
        let mut n: usize = 0;
        // A usize has at most ten 7-bit groups; more is not a length this writer wrote.
        for shift in (0..usize::BITS).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn string(&mut self) -> Option<String> {
        let n = self.len()?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).ok()
    }

    fn time(&mut self) -> Option<i64> {
        let bytes = self.take(8)?;
        Some(i64::from_le_bytes(bytes.try_into().ok()?))
    }

    fn list<T>(&mut self, item: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        // Every item takes at least one byte, so a count beyond what is left is not real
        // (and must not size an allocation).
        if n > self.rest.len() {
            return None;
        }
        (0..n).map(|_| item(self)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::claims as role_claims;
    use super::*;
    use proptest::prelude::*;

    fn encoded(claims: &SessionClaims) -> Vec<u8> {
        let mut out = Vec::new();
        encode(claims, &mut out);
        out
    }

    #[test]
    fn a_role_session_without_extras_is_a_few_dozen_bytes() {
        let bytes = encoded(&role_claims());
        assert_eq!(decode(&bytes), Some(role_claims()));
        assert!(bytes.len() < 100, "{} bytes", bytes.len());
    }

    #[test]
    fn every_prefix_and_any_trailing_byte_is_refused() {
        let mut c = role_claims();
        c.tags = vec![("Project".into(), "blue".into())];
        c.source_identity = Some("alice".into());
        let bytes = encoded(&c);
        for end in 0..bytes.len() {
            assert_eq!(decode(&bytes[..end]), None, "prefix of {end} bytes");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), None);
    }

    #[test]
    fn another_version_unknown_flags_or_principal_kind_are_refused() {
        let bytes = encoded(&role_claims());
        let mut other_version = bytes.clone();
        other_version[0] = VERSION + 1;
        assert_eq!(decode(&other_version), None);
        // The principal kind follows the version and two strings.
        let kind_at = 1 + 1 + 20 + 1 + 12;
        let mut other_kind = bytes.clone();
        other_kind[kind_at] = 9;
        assert_eq!(decode(&other_kind), None);
        let flags_at = bytes.len() - 4;
        let mut other_flags = bytes;
        other_flags[flags_at] = 0x80;
        assert_eq!(decode(&other_flags), None);
    }

    #[test]
    fn a_count_larger_than_the_bytes_left_is_refused_without_allocating_it() {
        let mut bytes = encoded(&role_claims());
        bytes.truncate(bytes.len() - 3);
        // Tags: a count of 2^62.
        bytes.extend_from_slice(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
        assert_eq!(decode(&bytes), None);
    }

    fn text() -> impl Strategy<Value = String> {
        // Mostly short, sometimes past one varint byte (128) and two (16384).
        prop_oneof![
            ".{0,40}",
            ".{120,200}",
            (16380usize..16390).prop_map(|n| "x".repeat(n)),
        ]
    }

    fn principal() -> impl Strategy<Value = SessionPrincipal> {
        prop_oneof![
            (text(), text()).prop_map(|(role, session)| SessionPrincipal::Role { role, session }),
            text().prop_map(|user| SessionPrincipal::User { user }),
            Just(SessionPrincipal::Root),
        ]
    }

    prop_compose! {
        fn any_claims()(
            key in text(), account in text(), principal in principal(),
            issued in any::<i64>(), expires in any::<i64>(), chained in any::<bool>(),
            source in proptest::option::of(text()),
            mfa in proptest::option::of(any::<i64>()),
            policy in proptest::option::of((text(), text())),
            tags in proptest::collection::vec((text(), text()), 0..4),
            transitive in proptest::collection::vec(text(), 0..4),
            arns in proptest::collection::vec(text(), 0..4),
        ) -> SessionClaims {
            let mut c = SessionClaims::new(key, account, principal, issued, expires);
            c.chained = chained;
            c.source_identity = source;
            c.mfa_authenticated_at = mfa;
            c.session_policy = policy.map(|(digest, text)| InlineSessionPolicy { digest, text });
            c.tags = tags;
            c.transitive_tag_keys = transitive;
            c.policy_arns = arns;
            c
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_claims_come_back_as_they_went_in(c in any_claims()) {
            prop_assert_eq!(decode(&encoded(&c)), Some(c));
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes);
        }
    }
}
