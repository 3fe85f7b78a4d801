//! Requests that name resources by id: every id must exist, or the action fails with the
//! resource's `NotFound` code, naming the first id that does not.

use crate::services::AwsError;
use rolecall_model::inventory::{find, Keyed};

/// The items `ids` name, deduplicated and in id order (the order the inventory keeps).
/// `missing` builds the error for the first unknown id.
pub(crate) fn by_ids<'a, T: Keyed>(
    sorted: &'a [T],
    ids: &[&str],
    missing: impl Fn(&str) -> AwsError,
) -> Result<Vec<&'a T>, AwsError> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        match find(sorted, id) {
            Some(item) => found.push(item),
            None => return Err(missing(id)),
        }
    }
    found.sort_by(|a, b| a.key().cmp(b.key()));
    found.dedup_by(|a, b| a.key() == b.key());
    Ok(found)
}

/// A `400` error with `code` and `message`.
pub(crate) fn not_found(code: &'static str, message: String) -> AwsError {
    AwsError::new(400, code, message)
}
