//! The EC2 inventory of an account, with the defaults that keep scenarios short: each region's
//! instances live in the account's default VPC unless told otherwise, as they would on AWS.

use super::build::{parse_time, Problems};
use super::spec::RegionInventorySpec;
use crate::world::ids::derived_hex;
use crate::world::inventory::{AccountInventory, Instance, InstanceState, RegionInventory};
use crate::world::regions;
use serde_saphyr::Spanned;
use std::collections::{HashMap, HashSet};
use time::macros::datetime;

pub(super) fn build_inventory(
    account: &str,
    regions_spec: &HashMap<Spanned<String>, RegionInventorySpec>,
    p: &mut Problems,
) -> AccountInventory {
    let mut out = HashMap::new();
    for (region, spec) in regions_spec {
        if !regions::is_known(&region.value) {
            p.at(
                region,
                format!(
                    "'{}' is not a region this emulator serves; use one of: {}",
                    region.value,
                    regions::DEFAULT_REGIONS.join(", ")
                ),
            );
            continue;
        }
        out.insert(
            region.value.clone(),
            build_region(account, &region.value, spec, p),
        );
    }
    AccountInventory::new(out)
}

fn build_region(
    account: &str,
    region: &str,
    spec: &RegionInventorySpec,
    p: &mut Problems,
) -> RegionInventory {
    let default_vpc = format!(
        "vpc-{}",
        derived_hex(&format!("{account}/{region}/vpc"), 17)
    );
    let mut seen = HashSet::new();
    let mut instances = Vec::with_capacity(spec.instances.len());
    for (n, i) in spec.instances.iter().enumerate() {
        let id = &i.id.value;
        if !is_instance_id(id) {
            p.at(
                &i.id,
                format!("'{id}' is not an instance id (i- followed by 8 or 17 hex digits)"),
            );
            continue;
        }
        if !seen.insert(id.clone()) {
            p.at(
                &i.id,
                format!("instance {id} is declared twice in {region}"),
            );
            continue;
        }
        let state = match &i.state {
            Some(s) => match InstanceState::parse(&s.value) {
                Some(st) => st,
                None => {
                    p.at(s, format!("'{}' is not an instance state (pending, running, shutting-down, terminated, stopping, stopped)", s.value));
                    continue;
                }
            },
            None => InstanceState::Running,
        };
        let az = i
            .availability_zone
            .clone()
            .unwrap_or_else(|| format!("{region}a"));
        let vpc_id = i.vpc_id.clone().unwrap_or_else(|| default_vpc.clone());
        let subnet_id = i
            .subnet_id
            .clone()
            .unwrap_or_else(|| format!("subnet-{}", derived_hex(&format!("{vpc_id}/{az}"), 17)));
        // Default VPCs use 172.31.0.0/16 (VPC user guide, "Default VPCs").
        let private_ip = i
            .private_ip
            .clone()
            .unwrap_or_else(|| format!("172.31.{}.{}", (n / 250) % 256, 10 + n % 250));
        let dns_suffix = if region == "us-east-1" {
            "ec2.internal".to_string()
        } else {
            format!("{region}.compute.internal")
        };
        let launch_time = i
            .launch_time
            .as_ref()
            .and_then(|t| parse_time(t, p))
            .unwrap_or(datetime!(2025-06-01 09:00 UTC));
        instances.push(Instance {
            reservation_id: format!("r-{}", derived_hex(id, 17)),
            owner_id: account.to_string(),
            instance_type: i.instance_type.clone().unwrap_or_else(|| "t3.micro".into()),
            state,
            image_id: i
                .image_id
                .clone()
                .unwrap_or_else(|| format!("ami-{}", derived_hex(&format!("{region}/ami"), 17))),
            availability_zone: az,
            vpc_id,
            subnet_id,
            private_dns_name: format!("ip-{}.{dns_suffix}", private_ip.replace('.', "-")),
            private_ip,
            public_ip: i.public_ip.clone(),
            launch_time,
            key_name: i.key_name.clone(),
            tags: i.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            id: id.clone(),
        });
    }
    instances.sort_by(|a, b| a.id.cmp(&b.id));
    RegionInventory { instances }
}

fn is_instance_id(id: &str) -> bool {
    id.strip_prefix("i-").is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}
