//! DescribeKeyPairs: the declared key pairs, by name or id, filtered. It does not page.

use super::filters::{self, Filter};
use super::write::{tag_set, time};
use super::{inventory, lookup, success};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::KeyPair;
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeKeyPairs.
const FILTERS: &[&str] = &["fingerprint", "key-name", "key-pair-id"];

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let names = call.params.flat_list("KeyName");
    let ids = call.params.flat_list("KeyPairId");
    let filters = filters::parse(call.params, |n| filters::known_or_tag(FILTERS, n))?;
    let inv = inventory(call);
    let mut selected: Vec<&KeyPair> = if names.is_empty() && ids.is_empty() {
        inv.key_pairs.iter().collect()
    } else {
        // Observed AWS text: InvalidKeyPair.NotFound "The key pair 'name' does not exist".
        let missing = |id: &str| {
            lookup::not_found(
                "InvalidKeyPair.NotFound",
                format!("The key pair '{id}' does not exist"),
            )
        };
        let mut found = lookup::by_ids(&inv.key_pairs, &names, missing)?;
        for id in &ids {
            found.push(
                inv.key_pairs
                    .iter()
                    .find(|k| k.id == *id)
                    .ok_or_else(|| missing(id))?,
            );
        }
        found
    };
    selected.sort_by(|a, b| a.name.cmp(&b.name));
    selected.dedup_by(|a, b| a.name == b.name);
    selected.retain(|k| filters.iter().all(|f| key_matches(f, k)));
    Ok(success(call, op, |w| {
        w.nest("keySet", |w| {
            for key in &selected {
                w.nest("item", |w| write_key(w, key));
            }
        });
    }))
}

fn key_matches(f: &Filter, k: &KeyPair) -> bool {
    if let Some(hit) = filters::tag_filter(f, &k.tags) {
        return hit;
    }
    match f.name.as_str() {
        "fingerprint" => f.matches(&k.fingerprint),
        "key-name" => f.matches(&k.name),
        "key-pair-id" => f.matches(&k.id),
        _ => false,
    }
}

/// The members botocore's `KeyPairInfo` shape names (`keySet` items).
fn write_key(w: &mut XmlWriter, k: &KeyPair) {
    w.element("keyPairId", &k.id);
    w.element("keyFingerprint", &k.fingerprint);
    w.element("keyName", &k.name);
    w.element("keyType", &k.key_type);
    tag_set(w, &k.tags);
    time(w, "createTime", k.create_time);
}
