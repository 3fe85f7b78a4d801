//! DescribeInstances: the account's instances in the request's region, grouped in
//! reservations, filtered and paged.

use super::instance_filters;
use super::paging::{self, PageRule};
use super::write::{association, bool_text, group_set, tag_set, time, AssociationOf};
use super::{inventory, success_sized};
use crate::services::{AwsError, Call, Operation, Reply};
use rolecall_model::inventory::{find, Instance, InstanceState, RegionInventory, ROOT_DEVICE};
use rolecall_wire::xml::XmlWriter;

/// MaxResults 5 to 1000, never with InstanceId.N (EC2 API reference; observed text
/// "The parameter instancesSet cannot be used with the parameter maxResults").
const PAGING: PageRule = PageRule {
    action: "DescribeInstances",
    min: 5,
    max: 1000,
    clamp_above_max: false,
    ids_exclude_paging: Some("instancesSet"),
};

pub(crate) fn handle(call: &Call, op: &Operation) -> Result<Reply, AwsError> {
    let params = call.params;
    let ids = params.flat_list("InstanceId");
    let paging = paging::read(params, &PAGING, !ids.is_empty())?;
    let filters = instance_filters::parse(params)?;
    let inv = inventory(call);
    let keep = |i: &Instance| instance_filters::matches_all(&filters, i, inv);

    let (page, next_token): (Vec<&Instance>, Option<String>) = if ids.is_empty() {
        paging.select(&inv.instances, |i| &i.id, keep)
    } else {
        let mut found = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in &ids {
            if !is_instance_id(id) {
                // Observed AWS text: InvalidInstanceID.Malformed `Invalid id: "i-zzz"`.
                return Err(AwsError::new(
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
    // The reservations, the set around them and the token after it.
    let bytes = page.iter().map(|i| reservation_size(i)).sum::<usize>()
        + "<reservationSet></reservationSet><nextToken></nextToken>".len()
        + next_token.as_ref().map_or(0, String::len);
    Ok(success_sized(call, op, bytes, |w| {
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

fn not_found(missing: &[&str]) -> AwsError {
    // Observed AWS texts: "The instance ID 'i-…' does not exist" and, for several,
    // "The instance IDs 'i-…, i-…' do not exist".
    let message = if missing.len() == 1 {
        format!("The instance ID '{}' does not exist", missing[0])
    } else {
        format!("The instance IDs '{}' do not exist", missing.join(", "))
    };
    AwsError::new(400, "InvalidInstanceID.NotFound", message)
}

fn is_instance_id(id: &str) -> bool {
    id.strip_prefix("i-").is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17) && hex.bytes().all(|b| b.is_ascii_hexdigit())
    })
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
    let halted = i.state.is_halted();
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
    let private_dns_name = i.private_dns_name();
    w.element(
        "privateDnsName",
        if terminated { "" } else { &private_dns_name },
    );
    w.element("dnsName", i.public_dns_name.as_deref().unwrap_or(""));
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
        w.element("privateIpAddress", &i.private_ip_text());
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
    w.element("architecture", inv.architecture(i));
    w.element("rootDeviceType", "ebs");
    w.element("rootDeviceName", ROOT_DEVICE);
    // EC2 API reference, InstanceBlockDeviceMapping: every block device attached to it.
    w.nest("blockDeviceMapping", |w| {
        for (volume_id, a) in inv.block_devices(i) {
            w.nest("item", |w| {
                w.element("deviceName", a.device);
                w.nest("ebs", |w| {
                    w.element("volumeId", volume_id);
                    w.element("status", "attached");
                    time(w, "attachTime", a.attach_time);
                    w.element("deleteOnTermination", bool_text(a.delete_on_termination));
                });
            });
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
                w.element("privateIpAddress", &i.private_ip_text());
                w.element("privateDnsName", &i.private_dns_name());
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
                let public = inv.public_address(i);
                if let Some(a) = &public {
                    association(w, a, AssociationOf::Instance);
                }
                w.nest("privateIpAddressesSet", |w| {
                    w.nest("item", |w| {
                        w.element("privateIpAddress", &i.private_ip_text());
                        w.element("privateDnsName", &i.private_dns_name());
                        w.element("primary", "true");
                        if let Some(a) = &public {
                            association(w, a, AssociationOf::Instance);
                        }
                    });
                });
                w.nest("ipv6AddressesSet", |_| {});
                w.element("interfaceType", "interface");
            });
        }
    });
    w.element("ebsOptimized", "false");
    // What every instance launched from the emulator's images (ENA, Linux/UNIX, billed as
    // RunInstances, as DescribeImages says) with AWS's launch defaults shows: any open
    // Capacity Reservation, no hibernation, no enclave, IP-based private names, default
    // auto-recovery (EC2 API reference, Instance and the option shapes it names).
    w.element("enaSupport", "true");
    w.nest("capacityReservationSpecification", |w| {
        w.element("capacityReservationPreference", "open");
    });
    w.nest("hibernationOptions", |w| w.element("configured", "false"));
    w.nest("enclaveOptions", |w| w.element("enabled", "false"));
    w.element("platformDetails", PLATFORM_DETAILS);
    w.element("usageOperation", USAGE_OPERATION);
    time(w, "usageOperationUpdateTime", i.launch_time);
    w.nest("privateDnsNameOptions", |w| {
        w.element("hostnameType", "ip-name");
        w.element("enableResourceNameDnsARecord", "false");
        w.element("enableResourceNameDnsAAAARecord", "false");
    });
    w.nest("maintenanceOptions", |w| {
        w.element("autoRecovery", "default")
    });
}

/// The platform and billing operation of the emulator's (Linux) images and their instances.
pub(crate) const PLATFORM_DETAILS: &str = "Linux/UNIX";
pub(crate) const USAGE_OPERATION: &str = "RunInstances";
