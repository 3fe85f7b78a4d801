//! The shape most Describe actions share, once the dispatcher has authorized them and honoured
//! DryRun: read `<Id>.N`, filters and paging, select from the region's sorted resources or
//! look the ids up, and write `<set><item>…</item></set>` with `nextToken`. Each action
//! supplies only what differs.

use super::filters::{self, Filter};
use super::paging::{self, PageRule};
use super::{inventory, lookup, success};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{Keyed, RegionInventory};
use rolecall_wire::xml::XmlWriter;

/// What one Describe action over one kind of resource varies in.
pub(super) struct Listing<T: 'static> {
    /// The flattened id list parameter, e.g. `VpcId` for `VpcId.N`.
    pub id_param: &'static str,
    /// The response's list element, e.g. `vpcSet`.
    pub set: &'static str,
    /// The filter names AWS documents that the inventory can answer (tag filters always).
    pub filters: &'static [&'static str],
    pub paging: &'static PageRule,
    /// The error for an id the region does not have.
    pub not_found: fn(&str) -> AwsError,
    pub resources: fn(&RegionInventory) -> &[T],
    /// Whether the resource passes the filter; the region is there for what a resource takes
    /// from another (an interface from its instance).
    pub matches: fn(&Filter, &T, &RegionInventory) -> bool,
    pub write: fn(&mut XmlWriter, &T, &RegionInventory),
}

pub(super) fn describe<T: Keyed>(
    call: &Call,
    op: &Operation,
    l: &Listing<T>,
) -> Result<Reply, AwsError> {
    let ids = call.params.flat_list(l.id_param);
    let filters = filters::parse(call.params, |n| filters::known_or_tag(l.filters, n))?;
    let paging = paging::read(call.params, l.paging, !ids.is_empty())?;
    let region = inventory(call);
    let all = (l.resources)(region);
    let keep = |r: &T| filters.iter().all(|f| (l.matches)(f, r, region));
    let (page, next) = if ids.is_empty() {
        paging.select(all, |r| r.key(), keep)
    } else {
        let found = lookup::by_ids(all, &ids, l.not_found)?;
        let (page, next) = paging.select(&found, |r| r.key(), |r| keep(r));
        (page.into_iter().copied().collect(), next)
    };
    Ok(success(call, op, |w| {
        w.nest(l.set, |w| {
            for r in &page {
                w.nest("item", |w| (l.write)(w, r, region));
            }
        });
        w.optional("nextToken", next.as_deref());
    }))
}
