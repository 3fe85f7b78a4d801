//! Maps that refuse a key written twice.
//!
//! The YAML reader refuses a repeated mapping key itself, with its position, so in a file read
//! whole these checks never see one. The pieces of a large file (`super::split`) are read
//! without the reader remembering every mapping's keys (a set per mapping, which costs more
//! than the rest of reading a short one); there a repeated key fails the piece, and the file is
//! read whole, where the reader reports it. Structs need nothing of this: serde's derived
//! readers already refuse a repeated field.

use super::spanned::Spanned;
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::marker::PhantomData;

/// Tags (`key: value`).
pub(crate) fn tags<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, String>, D::Error> {
    struct Tags;
    impl<'de> Visitor<'de> for Tags {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of tag keys to values")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, String>()? {
                match out.entry(key) {
                    Entry::Vacant(slot) => {
                        slot.insert(value);
                    }
                    Entry::Occupied(slot) => return Err(repeated(slot.key())),
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(Tags)
}

/// Sections by region name. The keys keep their positions, so two keys with one name are
/// different map keys: the names are compared instead.
pub(crate) fn regions<'de, D, V>(d: D) -> Result<HashMap<Spanned<String>, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Regions<V>(PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for Regions<V> {
        type Value = HashMap<Spanned<String>, V>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of region names")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: HashMap<Spanned<String>, V> = HashMap::new();
            while let Some((key, value)) = map.next_entry::<Spanned<String>, V>()? {
                // A handful of regions: comparing with each costs less than a second set.
                if out.keys().any(|k| k.value == key.value) {
                    return Err(repeated(&key.value));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Regions(PhantomData))
}

fn repeated<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate mapping key: {key}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_saphyr::DuplicateKeyPolicy;

    #[derive(Debug, serde::Deserialize)]
    struct Doc {
        #[serde(deserialize_with = "tags")]
        tags: BTreeMap<String, String>,
        #[serde(deserialize_with = "regions")]
        regions: HashMap<Spanned<String>, u32>,
    }

    fn read(text: &str) -> Result<Doc, String> {
        let options = serde_saphyr::options! { duplicate_keys: DuplicateKeyPolicy::PassThrough };
        serde_saphyr::from_str_with_options::<Doc>(text, options).map_err(|e| e.to_string())
    }

    #[test]
    fn a_repeated_key_is_refused_even_when_the_reader_passes_it_through() {
        let ok = read("tags: {a: '1', b: '2'}\nregions: {us-east-1: 1, eu-west-1: 2}\n").unwrap();
        assert_eq!(ok.tags.len(), 2);
        assert_eq!(ok.regions.len(), 2);
        let e = read("tags: {a: '1', a: '2'}\nregions: {}\n").unwrap_err();
        assert!(e.contains("duplicate mapping key: a"), "{e}");
        let e = read("tags: {}\nregions: {us-east-1: 1, us-east-1: 2}\n").unwrap_err();
        assert!(e.contains("duplicate mapping key: us-east-1"), "{e}");
    }
}
