//! XML members several Describe actions share.

use rolecall_model::inventory::{IpPermission, PublicAddress};
use rolecall_wire::format_timestamp_millis;
use rolecall_wire::xml::XmlWriter;
use time::OffsetDateTime;

/// `<tagSet>` with one `<item><key/><value/></item>` per tag. AWS leaves the member out for a
/// resource without tags (the CLI then shows no `Tags` key), so nothing is written for none.
pub(crate) fn tag_set(w: &mut XmlWriter, tags: &[(String, String)]) {
    if tags.is_empty() {
        return;
    }
    w.nest("tagSet", |w| {
        for (k, v) in tags {
            w.nest("item", |w| {
                w.element("key", k);
                w.element("value", v);
            });
        }
    });
}

/// `<groupSet>` with one `<item><groupId/><groupName/></item>` per security group (an
/// instance's, or a network interface's).
pub(crate) fn group_set<'a>(
    w: &mut XmlWriter,
    groups: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    w.nest("groupSet", |w| {
        for (id, name) in groups {
            w.nest("item", |w| {
                w.element("groupId", id);
                w.element("groupName", name);
            });
        }
    });
}

/// Whose `association` is written: an instance's interface (InstanceNetworkInterfaceAssociation)
/// or DescribeNetworkInterfaces' (NetworkInterfaceAssociation, which also names an Elastic IP's
/// allocation and association).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AssociationOf {
    Instance,
    Interface,
}

/// `<association>` of an interface's public IPv4 address: the address, its public DNS name
/// (empty when the VPC gives none) and its owner (EC2 API reference, the two shapes above).
pub(crate) fn association(w: &mut XmlWriter, a: &PublicAddress, of: AssociationOf) {
    w.nest("association", |w| {
        w.element("publicIp", a.ip);
        w.element("publicDnsName", a.dns_name);
        w.element("ipOwnerId", a.owner());
        if let (AssociationOf::Interface, Some(elastic)) = (of, a.elastic) {
            w.element("allocationId", &elastic.allocation_id);
            if let Some(x) = &elastic.association {
                w.element("associationId", &x.association_id);
            }
        }
    });
}

pub(crate) fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// EC2 writes times with milliseconds: `2025-06-01T09:00:00.000Z`.
pub(crate) fn time(w: &mut XmlWriter, name: &str, t: OffsetDateTime) {
    w.element(name, &format_timestamp_millis(t));
}

/// An `IpPermission` list (`ipPermissions` / `ipPermissionsEgress`).
pub(crate) fn ip_permissions(w: &mut XmlWriter, name: &str, rules: &[IpPermission]) {
    w.nest(name, |w| {
        for rule in rules {
            w.nest("item", |w| {
                w.element("ipProtocol", &rule.protocol);
                if let Some(from) = rule.from_port {
                    w.element("fromPort", &from.to_string());
                }
                if let Some(to) = rule.to_port {
                    w.element("toPort", &to.to_string());
                }
                w.nest("groups", |w| {
                    for (group_id, owner) in &rule.groups {
                        w.nest("item", |w| {
                            w.element("userId", owner);
                            w.element("groupId", group_id);
                        });
                    }
                });
                w.nest("ipRanges", |w| {
                    for cidr in &rule.cidrs {
                        w.nest("item", |w| w.element("cidrIp", cidr));
                    }
                });
                w.nest("ipv6Ranges", |_| {});
                w.nest("prefixListIds", |_| {});
            });
        }
    });
}
