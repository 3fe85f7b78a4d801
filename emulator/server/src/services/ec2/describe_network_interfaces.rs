//! DescribeNetworkInterfaces: the primary interface of every instance that is not terminated.

use super::filters::{self, Filter};
use super::listing::{self, Listing};
use super::lookup;
use super::paging::PageRule;
use super::write::{association, group_set, tag_set, time, AssociationOf};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{NetworkInterface, RegionInventory};
use rolecall_wire::format_timestamp_millis;
use rolecall_wire::xml::XmlWriter;

/// The filters AWS documents for DescribeNetworkInterfaces that this inventory can answer.
/// The filters the EC2 API reference documents for DescribeNetworkInterfaces (`group-name`
/// from its earlier versions). Those about what emulated interfaces never have (IPv6,
/// operators, requesters) are accepted and match none.
const FILTERS: &[&str] = &[
    "addresses.association.owner-id",
    "addresses.association.public-ip",
    "addresses.primary",
    "addresses.private-ip-address",
    "association.allocation-id",
    "association.association-id",
    "association.ip-owner-id",
    "association.public-dns-name",
    "association.public-ip",
    "attachment.attach-time",
    "attachment.attachment-id",
    "attachment.delete-on-termination",
    "attachment.device-index",
    "attachment.instance-id",
    "attachment.instance-owner-id",
    "attachment.status",
    "availability-zone",
    "availability-zone-id",
    "description",
    "group-id",
    "group-name",
    "interface-type",
    "ipv6-addresses.ipv6-address",
    "mac-address",
    "network-interface-id",
    "operator.managed",
    "operator.principal",
    "owner-id",
    "private-dns-name",
    "private-ip-address",
    "requester-id",
    "requester-managed",
    "source-dest-check",
    "status",
    "subnet-id",
    "vpc-id",
];

/// MaxResults 5 to 1000 (EC2 API reference, DescribeNetworkInterfaces).
const PAGING: PageRule = PageRule {
    action: "DescribeNetworkInterfaces",
    min: 5,
    max: 1000,
    clamp_above_max: false,
    ids_exclude_paging: None,
};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    listing::describe(
        call,
        op,
        &Listing {
            id_param: "NetworkInterfaceId",
            set: "networkInterfaceSet",
            filters: FILTERS,
            paging: &PAGING,
            // Observed AWS text: "The networkInterface ID 'eni-…' does not exist".
            not_found: |id| {
                lookup::not_found(
                    "InvalidNetworkInterfaceID.NotFound",
                    format!("The networkInterface ID '{id}' does not exist"),
                )
            },
            resources: |inv: &RegionInventory| inv.network_interfaces.as_slice(),
            matches: eni_matches,
            write: write_interface,
        },
    )
}

pub(super) fn eni_matches(f: &Filter, e: &NetworkInterface, inv: &RegionInventory) -> bool {
    if let Some(hit) = filters::tag_filter(f, &e.tags) {
        return hit;
    }
    // Every interface is its instance's (an invariant of the inventory).
    let Some(i) = inv.instance(&e.instance_id) else {
        return false;
    };
    match f.name.as_str() {
        "addresses.private-ip-address" | "private-ip-address" => f.matches(&i.private_ip_text()),
        "addresses.primary" | "attachment.delete-on-termination" | "source-dest-check" => {
            filters::matches_bool(f, true)
        }
        // What the answer's `association` shows (DescribeInstances names the address's
        // `addresses.association.*` too).
        "association.public-ip" | "addresses.association.public-ip" => {
            inv.public_address(i).is_some_and(|a| f.matches(a.ip))
        }
        "association.public-dns-name"
        | "addresses.association.public-dns-name"
        | "public-dns-name" => inv.public_address(i).is_some_and(|a| f.matches(a.dns_name)),
        "association.ip-owner-id"
        | "addresses.association.ip-owner-id"
        | "addresses.association.owner-id" => {
            inv.public_address(i).is_some_and(|a| f.matches(a.owner()))
        }
        "association.allocation-id" | "addresses.association.allocation-id" => inv
            .elastic_ip_of(&i.id)
            .is_some_and(|a| f.matches(&a.allocation_id)),
        "association.association-id" | "addresses.association.association-id" => inv
            .elastic_ip_of(&i.id)
            .and_then(|a| a.association.as_ref())
            .is_some_and(|x| f.matches(&x.association_id)),
        "attachment.attach-time" => f.matches(&format_timestamp_millis(i.launch_time)),
        "attachment.attachment-id" => f.matches(&e.attachment_id()),
        "attachment.device-index" => f.matches("0"),
        "attachment.instance-id" => f.matches(&e.instance_id),
        "attachment.instance-owner-id" | "owner-id" => f.matches(&i.owner_id),
        "attachment.status" => f.matches("attached"),
        "availability-zone" => f.matches(&i.availability_zone),
        "description" => f.matches(""),
        "group-id" => inv.groups(&i.security_groups).any(|(id, _)| f.matches(id)),
        "group-name" => inv
            .groups(&i.security_groups)
            .any(|(_, name)| f.matches(name)),
        "interface-type" => f.matches("interface"),
        "mac-address" => f.matches(&e.mac_address()),
        "network-interface-id" => f.matches(&e.id),
        "private-dns-name" => f.matches(&i.private_dns_name()),
        "requester-managed" => filters::matches_bool(f, false),
        "status" => f.matches("in-use"),
        "subnet-id" => f.matches(&i.subnet_id),
        "vpc-id" => f.matches(&i.vpc_id),
        _ => false,
    }
}

/// The members botocore's `NetworkInterface` shape names (`networkInterfaceSet` items).
fn write_interface(w: &mut XmlWriter, e: &NetworkInterface, inv: &RegionInventory) {
    w.element("networkInterfaceId", &e.id);
    // Every interface is its instance's (an invariant of the inventory).
    let Some(i) = inv.instance(&e.instance_id) else {
        return;
    };
    w.element("subnetId", &i.subnet_id);
    w.element("vpcId", &i.vpc_id);
    w.element("availabilityZone", &i.availability_zone);
    w.element("description", "");
    w.element("ownerId", &i.owner_id);
    w.element("requesterManaged", "false");
    w.element("status", "in-use");
    w.element("macAddress", &e.mac_address());
    w.element("privateIpAddress", &i.private_ip_text());
    w.element("privateDnsName", &i.private_dns_name());
    w.element("sourceDestCheck", "true");
    group_set(w, inv.groups(&i.security_groups));
    w.nest("attachment", |w| {
        w.element("attachmentId", &e.attachment_id());
        w.element("instanceId", &e.instance_id);
        w.element("instanceOwnerId", &i.owner_id);
        w.element("deviceIndex", "0");
        w.element("status", "attached");
        time(w, "attachTime", i.launch_time);
        w.element("deleteOnTermination", "true");
        w.element("networkCardIndex", "0");
    });
    let public = inv.public_address(i);
    let association = |w: &mut XmlWriter| {
        if let Some(a) = &public {
            association(w, a, AssociationOf::Interface);
        }
    };
    association(w);
    tag_set(w, &e.tags);
    w.nest("privateIpAddressesSet", |w| {
        w.nest("item", |w| {
            w.element("privateIpAddress", &i.private_ip_text());
            w.element("privateDnsName", &i.private_dns_name());
            w.element("primary", "true");
            association(w);
        });
    });
    w.nest("ipv6AddressesSet", |_| {});
    w.element("interfaceType", "interface");
}
