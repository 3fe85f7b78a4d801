//! DescribeAddresses: the declared Elastic IP addresses. It does not page.

use super::filters::{self, Filter};
use super::write::tag_set;
use super::{inventory, lookup, success};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::Address;
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeAddresses.
const FILTERS: &[&str] = &[
    "allocation-id",
    "association-id",
    "domain",
    "instance-id",
    "network-border-group",
    "network-interface-id",
    "network-interface-owner-id",
    "private-ip-address",
    "public-ip",
];

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let ips = call.params.flat_list("PublicIp");
    let allocation_ids = call.params.flat_list("AllocationId");
    let filters = filters::parse(call.params, |n| filters::known_or_tag(FILTERS, n))?;
    let inv = inventory(call);
    let mut selected: Vec<&Address> = if ips.is_empty() && allocation_ids.is_empty() {
        inv.addresses.iter().collect()
    } else {
        // Observed AWS text: "The allocation ID 'eipalloc-…' does not exist".
        let mut found = lookup::by_ids(&inv.addresses, &allocation_ids, |id| {
            lookup::not_found(
                "InvalidAllocationID.NotFound",
                format!("The allocation ID '{id}' does not exist"),
            )
        })?;
        for ip in &ips {
            let address = inv.addresses.iter().find(|a| a.public_ip == *ip);
            // AWS answers InvalidAddress.NotFound; this text is modelled on observed output.
            found.push(address.ok_or_else(|| {
                lookup::not_found(
                    "InvalidAddress.NotFound",
                    format!("Address '{ip}' not found."),
                )
            })?);
        }
        found
    };
    selected.sort_by(|a, b| a.allocation_id.cmp(&b.allocation_id));
    selected.dedup_by(|a, b| a.allocation_id == b.allocation_id);
    selected.retain(|a| filters.iter().all(|f| address_matches(f, a)));
    Ok(success(call, op, |w| {
        w.nest("addressesSet", |w| {
            for address in &selected {
                w.nest("item", |w| write_address(w, address));
            }
        });
    }))
}

fn address_matches(f: &Filter, a: &Address) -> bool {
    if let Some(hit) = filters::tag_filter(f, &a.tags) {
        return hit;
    }
    let assoc = a.association.as_ref();
    match f.name.as_str() {
        "allocation-id" => f.matches(&a.allocation_id),
        "association-id" => assoc.is_some_and(|x| f.matches(&x.association_id)),
        "domain" => f.matches("vpc"),
        "instance-id" => assoc.is_some_and(|x| f.matches(&x.instance_id)),
        "network-border-group" => f.matches(&a.network_border_group),
        "network-interface-id" => assoc.is_some_and(|x| f.matches(&x.network_interface_id)),
        "network-interface-owner-id" => assoc.is_some_and(|_| f.matches(&a.owner_id)),
        "private-ip-address" => assoc.is_some_and(|x| f.matches(&x.private_ip)),
        "public-ip" => f.matches(&a.public_ip),
        _ => false,
    }
}

/// The members botocore's `Address` shape names (`addressesSet` items).
fn write_address(w: &mut XmlWriter, a: &Address) {
    w.element("publicIp", &a.public_ip);
    w.element("allocationId", &a.allocation_id);
    w.element("domain", "vpc");
    if let Some(x) = &a.association {
        w.element("instanceId", &x.instance_id);
        w.element("associationId", &x.association_id);
        w.element("networkInterfaceId", &x.network_interface_id);
        w.element("networkInterfaceOwnerId", &a.owner_id);
        w.element("privateIpAddress", &x.private_ip);
    }
    tag_set(w, &a.tags);
    w.element("publicIpv4Pool", "amazon");
    w.element("networkBorderGroup", &a.network_border_group);
}
