//! DescribeInstances: the account's instances in the request's region, grouped in
//! reservations, filtered and paged.

use super::filters::{self, Filter};
use super::{authorize_describe, success};
use crate::protocol::format_timestamp;
use crate::protocol::xml::XmlWriter;
use crate::services::{Call, Reply, ServiceError};
use crate::world::inventory::Instance;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

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

/// MaxResults bounds for DescribeInstances (EC2 API reference: 5 to 1000).
const MIN_RESULTS: usize = 5;
const MAX_RESULTS: usize = 1000;

pub fn handle(call: &Call) -> Result<Reply, ServiceError> {
    authorize_describe(call, "ec2:DescribeInstances")?;
    let params = call.params;
    let ids = params.flat_list("InstanceId");
    let max_results = params.get("MaxResults");
    if !ids.is_empty() && max_results.is_some() {
        // Observed AWS text (InvalidParameterCombination, 400).
        return Err(ServiceError::new(
            400,
            "InvalidParameterCombination",
            "The parameter instancesSet cannot be used with the parameter maxResults",
        ));
    }
    let page_size = match max_results {
        None => None,
        Some(text) => Some(parse_max_results(text)?),
    };
    let filters = filters::parse(params, known_filter)?;
    let inventory = call.principal.account().inventory.region(call.region);

    let selected: Vec<&Instance> = if ids.is_empty() {
        // Resume after the last id of the previous page: a binary search, so a page costs
        // what the page holds, not what the inventory holds.
        let start = match params.get("NextToken") {
            None => 0,
            Some(token) => {
                let after = decode_token(token)?;
                inventory
                    .instances
                    .partition_point(|i| i.id.as_str() <= after.as_str())
            }
        };
        inventory.instances[start..]
            .iter()
            .filter(|i| filters.iter().all(|f| instance_matches(f, i)))
            .take(page_size.map_or(usize::MAX, |n| n + 1))
            .collect()
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
            match inventory.instance(id) {
                Some(i) => found.push(i),
                None => missing.push(*id),
            }
        }
        if !missing.is_empty() {
            return Err(not_found(&missing));
        }
        found
            .into_iter()
            .filter(|i| filters.iter().all(|f| instance_matches(f, i)))
            .collect()
    };

    let (page, next_token) = match page_size {
        Some(n) if selected.len() > n => (&selected[..n], Some(encode_token(&selected[n - 1].id))),
        _ => (&selected[..], None),
    };
    Ok(success(call, "DescribeInstances", |w| {
        w.nest("reservationSet", |w| {
            for instance in page {
                write_reservation(w, instance);
            }
        });
        if let Some(token) = &next_token {
            w.element("nextToken", token);
        }
    }))
}

fn parse_max_results(text: &str) -> Result<usize, ServiceError> {
    let n: i64 = text.trim().parse().map_err(|_| {
        ServiceError::new(
            400,
            "InvalidParameterValue",
            format!("Invalid value '{text}' for maxResults"),
        )
    })?;
    if n < MIN_RESULTS as i64 {
        // Observed AWS text, spaces inside the parentheses included.
        return Err(ServiceError::new(
            400,
            "InvalidParameterValue",
            format!("Value ( {n} ) for parameter maxResults is invalid. Expecting a value greater than 5."),
        ));
    }
    if n > MAX_RESULTS as i64 {
        // The upper-bound text is modelled on the observed lower-bound one.
        return Err(ServiceError::new(
            400,
            "InvalidParameterValue",
            format!("Value ( {n} ) for parameter maxResults is invalid. Expecting a value less than or equal to 1000."),
        ));
    }
    Ok(n as usize)
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

/// Page tokens name the last instance id of the page, opaquely.
fn encode_token(last_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("rc1:{last_id}"))
}

fn decode_token(token: &str) -> Result<String, ServiceError> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("rc1:").map(str::to_string))
        .ok_or_else(|| {
            ServiceError::new(
                400,
                "InvalidParameterValue",
                format!("Invalid value '{token}' for nextToken"),
            )
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
        "instance-state-code" => filter.matches(&i.state.code().to_string()),
        "instance-state-name" => filter.matches(i.state.name()),
        "instance-type" => filter.matches(&i.instance_type),
        "key-name" => i.key_name.as_deref().is_some_and(|k| filter.matches(k)),
        "owner-id" => filter.matches(&i.owner_id),
        "private-dns-name" => filter.matches(&i.private_dns_name),
        "private-ip-address" => filter.matches(&i.private_ip),
        "ip-address" => i.public_ip.as_deref().is_some_and(|ip| filter.matches(ip)),
        "reservation-id" => filter.matches(&i.reservation_id),
        "subnet-id" => filter.matches(&i.subnet_id),
        "tag-key" => i.tags.iter().any(|(k, _)| filter.matches(k)),
        "tag-value" => i.tags.iter().any(|(_, v)| filter.matches(v)),
        "vpc-id" => filter.matches(&i.vpc_id),
        _ => false,
    }
}

/// One reservation holding one instance, with the members AWS returns for it.
fn write_reservation(w: &mut XmlWriter, i: &Instance) {
    w.nest("item", |w| {
        w.element("reservationId", &i.reservation_id);
        w.element("ownerId", &i.owner_id);
        w.nest("groupSet", |_| {});
        w.nest("instancesSet", |w| {
            w.nest("item", |w| write_instance(w, i));
        });
    });
}

fn write_instance(w: &mut XmlWriter, i: &Instance) {
    w.element("instanceId", &i.id);
    w.element("imageId", &i.image_id);
    w.nest("instanceState", |w| {
        w.element("code", &i.state.code().to_string());
        w.element("name", i.state.name());
    });
    w.element("privateDnsName", &i.private_dns_name);
    w.element("dnsName", "");
    w.element("reason", "");
    w.optional("keyName", i.key_name.as_deref());
    w.element("amiLaunchIndex", "0");
    w.nest("productCodes", |_| {});
    w.element("instanceType", &i.instance_type);
    w.element("launchTime", &format_timestamp(i.launch_time));
    w.nest("placement", |w| {
        w.element("availabilityZone", &i.availability_zone);
        w.element("groupName", "");
        w.element("tenancy", "default");
    });
    w.nest("monitoring", |w| w.element("state", "disabled"));
    w.element("subnetId", &i.subnet_id);
    w.element("vpcId", &i.vpc_id);
    w.element("privateIpAddress", &i.private_ip);
    w.optional("ipAddress", i.public_ip.as_deref());
    w.element("sourceDestCheck", "true");
    w.nest("groupSet", |_| {});
    w.element("architecture", "x86_64");
    w.element("rootDeviceType", "ebs");
    w.element("rootDeviceName", "/dev/xvda");
    w.nest("blockDeviceMapping", |_| {});
    w.element("virtualizationType", "hvm");
    w.element("clientToken", "");
    w.nest("tagSet", |w| {
        for (k, v) in &i.tags {
            w.nest("item", |w| {
                w.element("key", k);
                w.element("value", v);
            });
        }
    });
    w.element("hypervisor", "xen");
    w.nest("networkInterfaceSet", |_| {});
    w.element("ebsOptimized", "false");
}
