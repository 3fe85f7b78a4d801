//! DescribeTags: the tags of every resource in the region, filtered and paged.

use super::filters::{self, Filter};
use super::paging::{self, PageRule};
use super::{inventory, success};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{TagEntry, TagRef};

/// The filters AWS documents for DescribeTags.
const FILTERS: &[&str] = &["key", "resource-id", "resource-type", "value"];

/// MaxResults 5 to 1000 (EC2 API reference, DescribeTags).
const PAGING: PageRule = PageRule {
    action: "DescribeTags",
    min: 5,
    max: 1000,
    clamp_above_max: false,
    ids_exclude_paging: None,
};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let filters = filters::parse(call.params, |n| {
        n.starts_with("tag:") || FILTERS.contains(&n)
    })?;
    let paging = paging::read(call.params, &PAGING, false)?;
    let inv = inventory(call);
    let entry = |t: &TagRef| inv.tag(*t);
    let (page, next) = paging.select_by(
        &inv.tags,
        |t, after| entry(t).is_some_and(|e| before_or_at(&e, after)),
        |t| entry(t).map(|e| e.position()).unwrap_or_default(),
        |t| entry(t).is_some_and(|e| filters.iter().all(|f| tag_matches(f, &e))),
    );
    Ok(success(call, op, |w| {
        w.nest("tagSet", |w| {
            for tag in page.iter().filter_map(|t| entry(t)) {
                w.nest("item", |w| {
                    w.element("resourceId", tag.resource_id);
                    w.element("resourceType", tag.resource_type);
                    w.element("key", tag.key);
                    w.element("value", tag.value);
                });
            }
        });
        w.optional("nextToken", next.as_deref());
    }))
}

/// Whether `e` sorts at or before the page token's key `after` (`resource_id`, a tab, `key`),
/// compared as the pair it stands for, without building the entry's own key.
fn before_or_at(e: &TagEntry, after: &str) -> bool {
    let (id, key) = after.split_once('\t').unwrap_or((after, ""));
    (e.resource_id, e.key) <= (id, key)
}

fn tag_matches(f: &Filter, t: &TagEntry) -> bool {
    if let Some(key) = f.name.strip_prefix("tag:") {
        return t.key == key && f.matches(t.value);
    }
    match f.name.as_str() {
        "key" => f.matches(t.key),
        "resource-id" => f.matches(t.resource_id),
        "resource-type" => f.matches(t.resource_type),
        "value" => f.matches(t.value),
        _ => false,
    }
}
