//! DescribeInstances: the account's instances in the request's region, grouped in
//! reservations, filtered and paged.

use super::filters::{self, Filter};
use super::paging::{self, PageRule};
use super::write::{bool_text, group_set, tag_set, time};
use super::{begin, inventory, success};
use crate::protocol::xml::XmlWriter;
use crate::services::{Call, Reply, ServiceError};
use crate::world::inventory::{find, Instance, InstanceState, RegionInventory, ROOT_DEVICE};

/// The filters this emulator answers from its inventory (a subset of the ones AWS documents
/// for DescribeInstances; every name here is an AWS filter name).
fn known_filter(name: &str) -> bool {
    name.starts_with("tag:")
        || matches!(
            name,
            "availability-zone"
                | "image-id"
                | "instance-id"
                | "instance-state-code"
                | "instance-state-name"
                | "instance-type"
                | "key-name"
                | "owner-id"
                | "private-dns-name"
                | "private-ip-address"
                | "ip-address"
                | "reservation-id"
                | "subnet-id"
                | "tag-key"
                | "tag-value"
                | "vpc-id"
        )
}

/// MaxResults 5 to 1000, never with InstanceId.N (EC2 API reference; observed text
/// "The parameter instancesSet cannot be used with the parameter maxResults").
const PAGING: PageRule = PageRule {
    action: "DescribeInstances",
    min: 5,
    max: 1000,
    clamp_above_max: false,
    ids_exclude_paging: Some("instancesSet"),
};

pub fn handle(call: &Call) -> Result<Reply, ServiceError> {
    begin(call, "ec2:DescribeInstances")?;
    let params = call.params;
    let ids = params.flat_list("InstanceId");
    let paging = paging::read(params, &PAGING, !ids.is_empty())?;
    let filters = filters::parse(params, known_filter)?;
    let inv = inventory(call);
    let keep = |i: &Instance| filters.iter().all(|f| instance_matches(f, i));

    let (page, next_token): (Vec<&Instance>, Option<String>) = if ids.is_empty() {
        paging.select(&inv.instances, |i| &i.id, keep)
    } else {
        let mut found = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in &ids {
            if !is_instance_id(id) {
                // Observed AWS text: InvalidInstanceID.Malformed `Invalid id: "i-zzz"`.
                return Err(ServiceError::new(
                    400,
                    "InvalidInstanceID.Malformed",
                    format!("Invalid id: \"{id}\""),
                ));
            }
            match inv.instance(id) {
                Some(i) => found.push(i),
                None => missing.push(*id),
            }
        }
        if !missing.is_empty() {
            return Err(not_found(&missing));
        }
        (found.into_iter().filter(|i| keep(i)).collect(), None)
    };
    Ok(success(call, "DescribeInstances", |w| {
        w.reserve(page.iter().map(|i| reservation_size(i)).sum());
        w.nest("reservationSet", |w| {
            for instance in &page {
                write_reservation(w, call, instance, inv);
            }
        });
        if let Some(token) = &next_token {
            w.element("nextToken", token);
        }
    }))
}

fn not_found(missing: &[&str]) -> ServiceError {
    // Observed AWS texts: "The instance ID 'i-…' does not exist" and, for several,
    // "The instance IDs 'i-…, i-…' do not exist".
    let message = if missing.len() == 1 {
        format!("The instance ID '{}' does not exist", missing[0])
    } else {
        format!("The instance IDs '{}' do not exist", missing.join(", "))
    };
    ServiceError::new(400, "InvalidInstanceID.NotFound", message)
}

fn is_instance_id(id: &str) -> bool {
    id.strip_prefix("i-").is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn instance_matches(filter: &Filter, i: &Instance) -> bool {
    let name = filter.name.as_str();
    if let Some(key) = name.strip_prefix("tag:") {
        return i.tags.iter().any(|(k, v)| k == key && filter.matches(v));
    }
    match name {
        "availability-zone" => filter.matches(&i.availability_zone),
        "image-id" => filter.matches(&i.image_id),
        "instance-id" => filter.matches(&i.id),
        "instance-state-code" => filter.matches(i.state.code()),
        "instance-state-name" => filter.matches(i.state.name()),
        "instance-type" => filter.matches(&i.instance_type),
        "key-name" => i.key_name.as_deref().is_some_and(|k| filter.matches(k)),
        "owner-id" => filter.matches(&i.owner_id),
        "private-dns-name" => filter.matches(&i.private_dns_name),
        "private-ip-address" => filter.matches(&i.private_ip),
        "ip-address" => i.public_ip.as_deref().is_some_and(|ip| filter.matches(ip)),
        "reservation-id" => filter.matches(&i.reservation_id()),
        "subnet-id" => filter.matches(&i.subnet_id),
        "tag-key" => i.tags.iter().any(|(k, _)| filter.matches(k)),
        "tag-value" => i.tags.iter().any(|(_, v)| filter.matches(v)),
        "vpc-id" => filter.matches(&i.vpc_id),
        _ => false,
    }
}

/// How many bytes an instance's reservation takes: its kept rendering's, or a typical one's.
fn reservation_size(i: &Instance) -> usize {
    const TYPICAL: usize = 2560;
    i.reservation_xml.get().map_or(TYPICAL, |xml| xml.len())
}

/// One reservation holding one instance, with the members AWS returns for it; written once per
/// instance and copied afterwards, while the world's fragment budget lasts.
fn write_reservation(w: &mut XmlWriter, call: &Call, i: &Instance, inv: &RegionInventory) {
    if let Some(xml) = i.reservation_xml.get() {
        w.fragment(xml);
        return;
    }
    let at = w.position();
    render_reservation(w, i, inv);
    let xml = w.written_since(at);
    if call.world.take_fragment_budget(xml.len()) {
        // Another request may have kept the same fragment first; the copies are identical.
        let _ = i.reservation_xml.set(xml.into());
    }
}

fn render_reservation(w: &mut XmlWriter, i: &Instance, inv: &RegionInventory) {
    w.nest("item", |w| {
        w.element("reservationId", &i.reservation_id());
        w.element("ownerId", &i.owner_id);
        w.nest("groupSet", |_| {});
        w.nest("instancesSet", |w| {
            w.nest("item", |w| write_instance(w, i, inv));
        });
    });
}

fn write_instance(w: &mut XmlWriter, i: &Instance, inv: &RegionInventory) {
    // A terminated instance keeps no network placement in AWS's answer: no subnet, VPC,
    // private address or security groups, and an empty private DNS name.
    let terminated = i.state == InstanceState::Terminated;
    let halted = matches!(
        i.state,
        InstanceState::Stopping
            | InstanceState::Stopped
            | InstanceState::ShuttingDown
            | InstanceState::Terminated
    );
    let groups: Vec<(&str, &str)> = if terminated {
        Vec::new()
    } else {
        inv.groups(&i.security_groups).collect()
    };
    w.element("instanceId", &i.id);
    w.element("imageId", &i.image_id);
    w.nest("instanceState", |w| {
        w.element("code", i.state.code());
        w.element("name", i.state.name());
    });
    w.element(
        "privateDnsName",
        if terminated { "" } else { &i.private_dns_name },
    );
    w.element("dnsName", "");
    // Stopped and terminated instances say why and when (EC2 API reference, Instance:
    // stateTransitionReason "User initiated (YYYY-MM-DD hh:mm:ss GMT)"). Scenarios give no
    // transition time, so the launch time stands in for it.
    if halted {
        let at = i.launch_time;
        w.element(
            "reason",
            &format!(
                "User initiated ({:04}-{:02}-{:02} {:02}:{:02}:{:02} GMT)",
                at.year(),
                at.month() as u8,
                at.day(),
                at.hour(),
                at.minute(),
                at.second()
            ),
        );
    } else {
        w.element("reason", "");
    }
    w.optional("keyName", i.key_name.as_deref());
    w.element("amiLaunchIndex", "0");
    w.nest("productCodes", |_| {});
    w.element("instanceType", &i.instance_type);
    time(w, "launchTime", i.launch_time);
    w.nest("placement", |w| {
        w.element("availabilityZone", &i.availability_zone);
        w.element("groupName", "");
        w.element("tenancy", "default");
    });
    w.nest("monitoring", |w| w.element("state", "disabled"));
    if !terminated {
        w.element("subnetId", &i.subnet_id);
        w.element("vpcId", &i.vpc_id);
        w.element("privateIpAddress", &i.private_ip);
        w.optional("ipAddress", i.public_ip.as_deref());
    }
    w.element("sourceDestCheck", "true");
    group_set(w, groups.iter().copied());
    if halted {
        // The reason AWS gives for a user-initiated stop or termination.
        w.nest("stateReason", |w| {
            w.element("code", "Client.UserInitiatedShutdown");
            w.element(
                "message",
                "Client.UserInitiatedShutdown: User initiated shutdown",
            );
        });
    }
    w.element("architecture", "x86_64");
    w.element("rootDeviceType", "ebs");
    w.element("rootDeviceName", ROOT_DEVICE);
    // The root volume, then the declared volumes attached to the instance, by device (EC2
    // API reference, InstanceBlockDeviceMapping: every block device attached to it).
    w.nest("blockDeviceMapping", |w| {
        if let Some(volume_id) = &i.root_volume_id {
            ebs_mapping(w, ROOT_DEVICE, volume_id, i.launch_time, true);
        }
        for (device, volume_id) in inv.attached_volumes(&i.id) {
            let attachment = find(&inv.volumes, volume_id)
                .and_then(|v| v.facts(inv))
                .and_then(|facts| facts.attachment);
            if let Some(a) = attachment {
                ebs_mapping(w, device, volume_id, a.attach_time, a.delete_on_termination);
            }
        }
    });
    w.element("virtualizationType", "hvm");
    w.element("clientToken", "");
    tag_set(w, &i.tags);
    w.element("hypervisor", "xen");
    w.nest("networkInterfaceSet", |w| {
        let eni = i
            .network_interface_id
            .as_deref()
            .and_then(|id| find(&inv.network_interfaces, id));
        if let Some(eni) = eni {
            w.nest("item", |w| {
                w.element("networkInterfaceId", &eni.id);
                w.element("subnetId", &i.subnet_id);
                w.element("vpcId", &i.vpc_id);
                w.element("description", "");
                w.element("ownerId", &i.owner_id);
                w.element("status", "in-use");
                w.element("macAddress", &eni.mac_address());
                w.element("privateIpAddress", &i.private_ip);
                w.element("privateDnsName", &i.private_dns_name);
                w.element("sourceDestCheck", "true");
                group_set(w, groups.iter().copied());
                w.nest("attachment", |w| {
                    w.element("attachmentId", &eni.attachment_id());
                    w.element("deviceIndex", "0");
                    w.element("status", "attached");
                    time(w, "attachTime", i.launch_time);
                    w.element("deleteOnTermination", "true");
                    w.element("networkCardIndex", "0");
                });
                w.element("interfaceType", "interface");
            });
        }
    });
    w.element("ebsOptimized", "false");
}

/// One EBS item of an instance's `blockDeviceMapping`.
fn ebs_mapping(
    w: &mut XmlWriter,
    device: &str,
    volume_id: &str,
    attach_time: time::OffsetDateTime,
    delete_on_termination: bool,
) {
    w.nest("item", |w| {
        w.element("deviceName", device);
        w.nest("ebs", |w| {
            w.element("volumeId", volume_id);
            w.element("status", "attached");
            time(w, "attachTime", attach_time);
            w.element("deleteOnTermination", bool_text(delete_on_termination));
        });
    });
}
