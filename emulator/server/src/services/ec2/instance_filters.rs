//! DescribeInstances' filters: every name the EC2 API reference documents for the action is
//! accepted, and each is answered from what the instance's answer says.
//!
//! A filter on something the answer shows (its state, type, placement, groups, block devices,
//! interface, launch time, the constants of the instance model such as `architecture`)
//! matches as the shown value would. A filter on something the emulated instances never have
//! (Spot requests, Dedicated Hosts, capacity reservations, IAM instance profiles, IPv6, …)
//! matches no instance, as on AWS for instances without it. A name AWS does not document is
//! refused with AWS's error. `network-interface.*` filters are the interface's: the rest of the
//! name means what it means to DescribeNetworkInterfaces.

use super::describe_instances::{PLATFORM_DETAILS, USAGE_OPERATION};
use super::describe_network_interfaces;
use super::filters::{self, Filter};
use crate::services::AwsError;
use rolecall_model::inventory::{find, Instance, InstanceState, RegionInventory, ROOT_DEVICE};
use rolecall_wire::form::Params;
use rolecall_wire::format_timestamp_millis;

/// The filter names of DescribeInstances (EC2 API reference, DescribeInstances, `Filter.N`),
/// besides `tag:<key>`. `tag-value` is no longer listed there; earlier versions of the
/// reference list it ("independent of the tag-key filter"), and it stays accepted here.
const NAMES: &[&str] = &[
    "affinity",
    "architecture",
    "availability-zone",
    "availability-zone-id",
    "block-device-mapping.attach-time",
    "block-device-mapping.delete-on-termination",
    "block-device-mapping.device-name",
    "block-device-mapping.status",
    "block-device-mapping.volume-id",
    "boot-mode",
    "capacity-reservation-id",
    "capacity-reservation-specification.capacity-reservation-preference",
    "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-id",
    "capacity-reservation-specification.capacity-reservation-target.capacity-reservation-resource-group-arn",
    "client-token",
    "current-instance-boot-mode",
    "dns-name",
    "ebs-optimized",
    "ena-support",
    "enclave-options.enabled",
    "hibernation-options.configured",
    "host-id",
    "hypervisor",
    "iam-instance-profile.arn",
    "iam-instance-profile.id",
    "image-id",
    "instance-id",
    "instance-lifecycle",
    "instance-state-code",
    "instance-state-name",
    "instance-type",
    "instance.group-id",
    "instance.group-name",
    "ip-address",
    "ipv6-address",
    "kernel-id",
    "key-name",
    "launch-index",
    "launch-time",
    "maintenance-options.auto-recovery",
    "metadata-options.http-endpoint",
    "metadata-options.http-protocol-ipv4",
    "metadata-options.http-protocol-ipv6",
    "metadata-options.http-put-response-hop-limit",
    "metadata-options.http-tokens",
    "metadata-options.instance-metadata-tags",
    "metadata-options.state",
    "monitoring-state",
    "network-performance-options.bandwidth-weighting",
    "operator.managed",
    "operator.principal",
    "outpost-arn",
    "owner-id",
    "placement-group-name",
    "placement-partition-number",
    "platform",
    "platform-details",
    "private-dns-name",
    "private-dns-name-options.enable-resource-name-dns-a-record",
    "private-dns-name-options.enable-resource-name-dns-aaaa-record",
    "private-dns-name-options.hostname-type",
    "private-ip-address",
    "product-code",
    "product-code.type",
    "ramdisk-id",
    "requester-id",
    "reservation-id",
    "root-device-name",
    "root-device-type",
    "source-dest-check",
    "spot-instance-request-id",
    "state-reason-code",
    "state-reason-message",
    "subnet-id",
    "tag-key",
    "tag-value",
    "tenancy",
    "tpm-support",
    "usage-operation",
    "usage-operation-update-time",
    "virtualization-type",
    "vpc-id",
];

/// The `network-interface.*` names of DescribeInstances, without the prefix.
const INTERFACE_NAMES: &[&str] = &[
    "addresses.association.allocation-id",
    "addresses.association.association-id",
    "addresses.association.carrier-ip",
    "addresses.association.customer-owned-ip",
    "addresses.association.ip-owner-id",
    "addresses.association.public-dns-name",
    "addresses.association.public-ip",
    "addresses.primary",
    "addresses.private-dns-name",
    "addresses.private-ip-address",
    "association.allocation-id",
    "association.association-id",
    "association.carrier-ip",
    "association.customer-owned-ip",
    "association.ip-owner-id",
    "association.public-dns-name",
    "association.public-ip",
    "attachment.attach-time",
    "attachment.attachment-id",
    "attachment.delete-on-termination",
    "attachment.device-index",
    "attachment.instance-id",
    "attachment.instance-owner-id",
    "attachment.network-card-index",
    "attachment.status",
    "availability-zone",
    "deny-all-igw-traffic",
    "description",
    "group-id",
    "group-name",
    "ipv4-prefixes.ipv4-prefix",
    "ipv6-address",
    "ipv6-addresses.ipv6-address",
    "ipv6-addresses.is-primary-ipv6",
    "ipv6-native",
    "ipv6-prefixes.ipv6-prefix",
    "mac-address",
    "network-interface-id",
    "operator.managed",
    "operator.principal",
    "outpost-arn",
    "owner-id",
    "private-dns-name",
    "private-ip-address",
    "public-dns-name",
    "requester-id",
    "requester-managed",
    "source-dest-check",
    "status",
    "subnet-id",
    "tag-key",
    "tag-value",
    "vpc-id",
];

const INTERFACE_PREFIX: &str = "network-interface.";

/// One filter of a DescribeInstances request.
pub(crate) enum InstanceFilter {
    /// On the instance itself.
    Instance(Filter),
    /// On its network interface, named as DescribeNetworkInterfaces names it.
    Interface(Filter),
}

/// Reads the request's filters, refusing a name AWS does not document for the action.
pub(crate) fn parse(params: &Params) -> Result<Vec<InstanceFilter>, AwsError> {
    let known = |name: &str| {
        name.starts_with("tag:")
            || NAMES.contains(&name)
            || name
                .strip_prefix(INTERFACE_PREFIX)
                .is_some_and(|rest| INTERFACE_NAMES.contains(&rest))
    };
    Ok(filters::parse(params, known)?
        .into_iter()
        .map(|f| match f.name.strip_prefix(INTERFACE_PREFIX) {
            Some(rest) => InstanceFilter::Interface(Filter {
                name: rest.to_string(),
                values: f.values,
            }),
            None => InstanceFilter::Instance(f),
        })
        .collect())
}

/// True when `i` passes every filter.
pub(crate) fn matches_all(filters: &[InstanceFilter], i: &Instance, inv: &RegionInventory) -> bool {
    filters.iter().all(|filter| match filter {
        InstanceFilter::Instance(f) => instance_matches(f, i, inv),
        InstanceFilter::Interface(f) => interface_matches(f, i, inv),
    })
}

fn interface_matches(f: &Filter, i: &Instance, inv: &RegionInventory) -> bool {
    let Some(eni) = i
        .network_interface_id
        .as_deref()
        .and_then(|id| find(&inv.network_interfaces, id))
    else {
        // A terminated instance has no interface left.
        return false;
    };
    match f.name.as_str() {
        // Documented for DescribeInstances only; the instance's answer writes them.
        "attachment.network-card-index" => f.matches("0"),
        "addresses.private-dns-name" => f.matches(&i.private_dns_name()),
        _ => describe_network_interfaces::eni_matches(f, eni, inv),
    }
}

fn instance_matches(f: &Filter, i: &Instance, inv: &RegionInventory) -> bool {
    if let Some(hit) = filters::tag_filter(f, &i.tags) {
        return hit;
    }
    // A terminated instance's answer shows no network placement (no subnet, VPC, addresses
    // or groups, an empty private DNS name), so filters on those do not select it.
    let terminated = i.state == InstanceState::Terminated;
    match f.name.as_str() {
        "architecture" => f.matches(inv.architecture(i)),
        "availability-zone" => f.matches(&i.availability_zone),
        "block-device-mapping.attach-time" => inv
            .block_devices(i)
            .any(|(_, a)| f.matches(&format_timestamp_millis(a.attach_time))),
        "block-device-mapping.delete-on-termination" => inv
            .block_devices(i)
            .any(|(_, a)| filters::matches_bool(f, a.delete_on_termination)),
        "block-device-mapping.device-name" => {
            inv.block_devices(i).any(|(_, a)| f.matches(a.device))
        }
        "block-device-mapping.status" => inv.block_devices(i).any(|_| f.matches("attached")),
        "block-device-mapping.volume-id" => inv.block_devices(i).any(|(id, _)| f.matches(id)),
        "dns-name" => f.matches(i.public_dns_name.as_deref().unwrap_or("")),
        // Written empty: no client token, no placement group.
        "client-token" | "placement-group-name" => f.matches(""),
        "ebs-optimized" | "hibernation-options.configured" => filters::matches_bool(f, false),
        "ena-support" => filters::matches_bool(f, true),
        "capacity-reservation-specification.capacity-reservation-preference" => f.matches("open"),
        "maintenance-options.auto-recovery" => f.matches("default"),
        "platform-details" => f.matches(PLATFORM_DETAILS),
        "usage-operation" => f.matches(USAGE_OPERATION),
        "usage-operation-update-time" => f.matches(&format_timestamp_millis(i.launch_time)),
        "private-dns-name-options.hostname-type" => f.matches("ip-name"),
        "private-dns-name-options.enable-resource-name-dns-a-record"
        | "private-dns-name-options.enable-resource-name-dns-aaaa-record" => {
            filters::matches_bool(f, false)
        }
        "hypervisor" => f.matches("xen"),
        "image-id" => f.matches(&i.image_id),
        "instance-id" => f.matches(&i.id),
        "instance-state-code" => f.matches(i.state.code()),
        "instance-state-name" => f.matches(i.state.name()),
        "instance-type" => f.matches(&i.instance_type),
        "instance.group-id" => {
            !terminated && inv.groups(&i.security_groups).any(|(id, _)| f.matches(id))
        }
        "instance.group-name" => {
            !terminated
                && inv
                    .groups(&i.security_groups)
                    .any(|(_, name)| f.matches(name))
        }
        "ip-address" => !terminated && i.public_ip.as_deref().is_some_and(|ip| f.matches(ip)),
        "key-name" => i.key_name.as_deref().is_some_and(|k| f.matches(k)),
        "launch-index" => f.matches("0"),
        "launch-time" => f.matches(&format_timestamp_millis(i.launch_time)),
        "monitoring-state" => f.matches("disabled"),
        "owner-id" => f.matches(&i.owner_id),
        "private-dns-name" => {
            if terminated {
                f.matches("")
            } else {
                f.matches(&i.private_dns_name())
            }
        }
        "private-ip-address" => !terminated && f.matches(&i.private_ip_text()),
        "reservation-id" => f.matches(&i.reservation_id()),
        "root-device-name" => f.matches(ROOT_DEVICE),
        "root-device-type" => f.matches("ebs"),
        "source-dest-check" => filters::matches_bool(f, true),
        "state-reason-code" => i.state.is_halted() && f.matches("Client.UserInitiatedShutdown"),
        "state-reason-message" => {
            i.state.is_halted()
                && f.matches("Client.UserInitiatedShutdown: User initiated shutdown")
        }
        "subnet-id" => !terminated && f.matches(&i.subnet_id),
        "tenancy" => f.matches("default"),
        "virtualization-type" => f.matches("hvm"),
        "vpc-id" => !terminated && f.matches(&i.vpc_id),
        // Documented, but about something the emulated instances never have.
        _ => false,
    }
}
