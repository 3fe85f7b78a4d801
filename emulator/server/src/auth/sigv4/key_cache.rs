//! Derived signing keys, kept so a client's requests after its first one skip the derivation.
//!
//! A signing key depends on the secret and the scope (date, region, service), so an SDK that
//! signs with one key pair in one region uses the same key all day. Deriving it is sixteen
//! SHA-256 blocks; looking it up here is one hash of the scope and a few comparisons.
//!
//! The cache is a [`SlotTable`] indexed by (access key id, date, region, service): a lookup
//! takes no lock, and memory is bounded by the table size however many keys and days go by (a
//! slot's newer key simply replaces the older one).
//!
//! An entry also holds the secret it was derived from, and a lookup must present the same
//! secret, compared in constant time. The secret presented is the one the credential store
//! holds now, so a key whose secret changed in a reloaded scenario derives afresh instead of
//! reusing the old key, and a key the scenario no longer has is refused before the cache is
//! consulted. Reloading also clears the table, so no old secret stays in memory; an entry a
//! request still running on the old scenario adds afterwards is unusable for the same reason.
//! A day's entries expire on their own: the scope date is part of what a lookup must match, and
//! a request dated outside the skew window never reaches verification.

use crate::constant_time;
use crate::slots::SlotTable;

use super::{Authorization, SigningKey};

pub struct SigningKeyCache {
    table: SlotTable<Entry>,
}

struct Entry {
    access_key_id: Box<str>,
    scope_date: Box<str>,
    region: Box<str>,
    service: Box<str>,
    /// The secret the key was derived from: a lookup with any other secret misses.
    secret: Box<[u8]>,
    key: SigningKey,
}

impl Entry {
    fn matches(&self, access_key_id: &str, secret: &str, auth: &Authorization) -> bool {
        *self.access_key_id == *access_key_id
            && *self.scope_date == *auth.scope_date
            && *self.region == *auth.region
            && *self.service == *auth.service
            && constant_time::equal(&self.secret, secret.as_bytes())
    }
}

/// What picks an entry's slot: the access key id and the scope.
fn slot_key<'a>(
    access_key_id: &'a str,
    auth: &'a Authorization,
) -> (&'a str, &'a str, &'a str, &'a str) {
    (access_key_id, &auth.scope_date, &auth.region, &auth.service)
}

impl SigningKeyCache {
    /// Enough for every key of a large scenario and the sessions of a discovery run in a few
    /// regions; a collision costs one derivation, not a failure.
    pub const DEFAULT_SLOTS: usize = 1024;

    pub fn new(slots: usize) -> SigningKeyCache {
        SigningKeyCache {
            table: SlotTable::new(slots),
        }
    }

    /// The key derived from `secret` for this access key id and the authorization's scope, if
    /// it is cached.
    pub fn get(
        &self,
        access_key_id: &str,
        secret: &str,
        auth: &Authorization,
    ) -> Option<SigningKey> {
        self.table.read(slot_key(access_key_id, auth), |e| {
            e.matches(access_key_id, secret, auth)
                .then(|| e.key.clone())
        })
    }

    /// Keeps a key that has just verified a signature, replacing whatever shared its slot.
    pub fn insert(&self, access_key_id: &str, secret: &str, auth: &Authorization, key: SigningKey) {
        let entry = Entry {
            access_key_id: access_key_id.into(),
            scope_date: (*auth.scope_date).into(),
            region: (*auth.region).into(),
            service: (*auth.service).into(),
            secret: secret.as_bytes().into(),
            key,
        };
        self.table.insert(slot_key(access_key_id, auth), entry);
    }

    /// Forgets every key (a reload: the secrets may have changed).
    pub fn clear(&self) {
        self.table.clear();
    }

    /// How many keys are kept (for tests).
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The most keys it can keep.
    pub fn capacity(&self) -> usize {
        self.table.capacity()
    }
}

impl Default for SigningKeyCache {
    fn default() -> Self {
        SigningKeyCache::new(Self::DEFAULT_SLOTS)
    }
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "SigningKeyCache {{ {} of {} }}",
            self.len(),
            self.capacity()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    fn auth(date: &str, region: &str) -> Authorization<'static> {
        super::super::signing_key::test_authorization(date, region, "sts")
    }

    /// Whether two keys sign alike (keys do not compare, their signatures do).
    fn same_key(a: &SigningKey, b: &SigningKey) -> bool {
        let auth = auth("20260101", "us-east-1");
        let (mut x, mut y) = ([0; 64], [0; 64]);
        a.sign_hex(&auth, "00", &mut x) == b.sign_hex(&auth, "00", &mut y)
    }

    fn cached(cache: &SigningKeyCache, key_id: &str, secret: &str, a: &Authorization) {
        cache.insert(key_id, secret, a, SigningKey::derive(secret, a));
    }

    #[test]
    fn a_key_is_found_for_its_id_secret_and_scope_only() {
        let cache = SigningKeyCache::new(64);
        let today = auth("20260101", "us-east-1");
        assert!(cache.get("AKIDEXAMPLE", SECRET, &today).is_none());
        cached(&cache, "AKIDEXAMPLE", SECRET, &today);
        let hit = cache.get("AKIDEXAMPLE", SECRET, &today).expect("cached");
        assert!(same_key(&hit, &SigningKey::derive(SECRET, &today)));

        assert!(cache.get("AKIDOTHER", SECRET, &today).is_none());
        assert!(cache
            .get("AKIDEXAMPLE", SECRET, &auth("20260101", "eu-west-1"))
            .is_none());
        let mut ec2 = today.clone();
        ec2.service = "ec2".into();
        assert!(cache.get("AKIDEXAMPLE", SECRET, &ec2).is_none());
    }

    #[test]
    fn a_key_expires_with_its_scope_date() {
        let cache = SigningKeyCache::new(64);
        cached(
            &cache,
            "AKIDEXAMPLE",
            SECRET,
            &auth("20260101", "us-east-1"),
        );
        // The next day's requests need the next day's key: yesterday's entry never matches.
        assert!(cache
            .get("AKIDEXAMPLE", SECRET, &auth("20260102", "us-east-1"))
            .is_none());
    }

    #[test]
    fn a_rotated_secret_never_reuses_the_old_key() {
        let cache = SigningKeyCache::new(64);
        let today = auth("20260101", "us-east-1");
        cached(&cache, "AKIDEXAMPLE", SECRET, &today);
        // The same key id with the secret a reloaded scenario now holds: a miss, even though
        // the old entry is still in the table.
        let rotated = "AnotherSecretAnotherSecretAnotherSecret1";
        assert!(cache.get("AKIDEXAMPLE", rotated, &today).is_none());
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn clearing_forgets_every_key() {
        let cache = SigningKeyCache::new(64);
        for region in ["us-east-1", "us-west-2", "eu-west-1"] {
            cached(&cache, "AKIDEXAMPLE", SECRET, &auth("20260101", region));
        }
        assert!(!cache.is_empty());
        cache.clear();
        assert!(cache.is_empty());
        assert!(cache
            .get("AKIDEXAMPLE", SECRET, &auth("20260101", "us-east-1"))
            .is_none());
    }

    #[test]
    fn the_table_never_grows_past_its_slots() {
        let cache = SigningKeyCache::new(8);
        let today = auth("20260101", "us-east-1");
        for i in 0..200 {
            cached(&cache, &format!("AKID{i:016}"), SECRET, &today);
        }
        assert!(cache.len() <= cache.capacity());
        assert_eq!(cache.capacity(), 8);
        // The latest key is always found: an insert replaces what shared its slot.
        assert!(cache
            .get(&format!("AKID{:016}", 199), SECRET, &today)
            .is_some());
    }
}
