//! Declared EBS volumes, the account's own AMIs, and key pairs.

use super::super::build::Problems;
use super::super::spec::{ImageSpec, KeyPairSpec, VolumeSpec};
use super::checks::{self, Scope};
use crate::ids::derived_hex;
use crate::inventory::{
    DeclaredVolume, Image, KeyPair, RegionInventory, Volume, VolumeAttachment, VolumeSource,
    DEFAULT_ARCHITECTURE, ROOT_DEVICE,
};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use std::collections::HashSet;
use std::sync::Arc;

/// The volume types EC2 offers, with the baseline IOPS and throughput of each.
fn volume_performance(volume_type: &str, size: u32) -> Option<(Option<u32>, Option<u32>)> {
    Some(match volume_type {
        // gp3: 3000 IOPS and 125 MiB/s whatever the size (EBS user guide, "General Purpose SSD").
        "gp3" => (Some(3000), Some(125)),
        // gp2: 3 IOPS per GiB, at least 100, at most 16000.
        "gp2" => (Some((size * 3).clamp(100, 16000)), None),
        "io1" | "io2" => (Some(100u32.max(size.min(64000))), None),
        "st1" | "sc1" | "standard" => (None, None),
        _ => return None,
    })
}

pub(crate) fn add_volumes(
    scope: &Scope,
    specs: &[VolumeSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    if specs.is_empty() {
        // Nothing to check the instances' root volumes against.
        return;
    }
    let mut seen: HashSet<String> = inv.volumes.iter().map(|v| v.id.to_string()).collect();
    for spec in specs {
        if !checks::check_new_id(&spec.id, "vol", "volume", &mut seen, scope.region, p) {
            continue;
        }
        let volume_type = spec
            .volume_type
            .as_ref()
            .map_or("gp3", |t| t.value.as_str());
        let size = spec.size.unwrap_or(8);
        let Some((iops, throughput)) = volume_performance(volume_type, size) else {
            if let Some(t) = &spec.volume_type {
                p.at(t, format!("'{volume_type}' is not a volume type (gp3, gp2, io1, io2, st1, sc1, standard)"));
            }
            continue;
        };
        let zone = match &spec.availability_zone {
            Some(name) => match checks::check_zone(&inv.zones, name, scope.region, p) {
                Some(z) => Some(z.name.clone()),
                None => continue,
            },
            None => None,
        };
        let create_time = checks::time_or_default(spec.create_time.as_ref(), p);
        let (zone, attachment) = match &spec.attached_to {
            None => (
                Arc::from(zone.unwrap_or_else(|| inv.zones[0].name.clone())),
                None,
            ),
            Some(target) => {
                let Some(instance) = inv.instances.iter().find(|i| *i.id == *target.value) else {
                    p.at(
                        target,
                        format!("no instance '{}' in {}", target.value, scope.region),
                    );
                    continue;
                };
                if instance.root_volume_id.is_none() {
                    p.at(
                        target,
                        format!(
                            "instance {} is terminated; nothing can be attached to it",
                            instance.id
                        ),
                    );
                    continue;
                }
                if zone
                    .as_ref()
                    .is_some_and(|z| **z != *instance.availability_zone)
                {
                    p.at(
                        target,
                        format!(
                            "instance {} is in {}; a volume attaches only within its zone",
                            instance.id, instance.availability_zone
                        ),
                    );
                    continue;
                }
                let device = spec
                    .device
                    .clone()
                    .unwrap_or_else(|| "/dev/sdf".to_string());
                // The root volume is at ROOT_DEVICE; the others are the declared ones so far.
                let clash = device == ROOT_DEVICE
                    || inv.volumes.iter().any(|v| match &v.source {
                        VolumeSource::Declared(d) => d.attachment.as_ref().is_some_and(|a| {
                            *a.instance_id == *instance.id && *a.device == *device
                        }),
                        VolumeSource::Root { .. } => false,
                    });
                if clash {
                    p.at(
                        target,
                        format!("instance {} already has a volume at {device}", instance.id),
                    );
                    continue;
                }
                let attachment = VolumeAttachment {
                    instance_id: instance.id.clone(),
                    device: Arc::from(device),
                    attach_time: create_time.max(instance.launch_time),
                    delete_on_termination: false,
                };
                (instance.availability_zone.clone(), Some(attachment))
            }
        };
        inv.volumes.push(Volume {
            id: Arc::from(spec.id.value.as_str()),
            tags: checks::tags(&spec.tags),
            source: VolumeSource::Declared(Box::new(DeclaredVolume {
                size,
                volume_type: Arc::from(volume_type),
                iops,
                throughput,
                availability_zone: zone,
                encrypted: spec.encrypted,
                snapshot_id: Arc::from(""),
                create_time,
                attachment,
            })),
        });
    }
}

pub(crate) fn add_images(
    scope: &Scope,
    specs: &[ImageSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut names = HashSet::new();
    for spec in specs {
        if !checks::check_new_id(&spec.id, "ami", "image", &mut seen, scope.region, p) {
            continue;
        }
        // AMI names: 3 to 128 characters (EC2 API reference, CreateImage).
        let name = &spec.name.value;
        if !(3..=128).contains(&name.len()) {
            p.at(
                &spec.name,
                format!("'{name}' is not an AMI name (3 to 128 characters)"),
            );
            continue;
        }
        if !names.insert(name.clone()) {
            p.at(
                &spec.name,
                format!(
                    "an image named '{name}' is already declared in {}",
                    scope.region
                ),
            );
            continue;
        }
        let architecture = match &spec.architecture {
            None => DEFAULT_ARCHITECTURE.to_string(),
            Some(a) if matches!(a.value.as_str(), "x86_64" | "arm64" | "i386") => a.value.clone(),
            Some(a) => {
                p.at(
                    a,
                    format!("'{}' is not an architecture (x86_64, arm64, i386)", a.value),
                );
                continue;
            }
        };
        let id = spec.id.value.clone();
        inv.images.push(Image {
            owner_id: scope.account.to_string(),
            name: name.clone(),
            description: spec.description.clone(),
            architecture,
            creation_date: checks::time_or_default(spec.creation_date.as_ref(), p),
            root_device_name: ROOT_DEVICE.to_string(),
            root_snapshot_id: checks::root_snapshot_id(&id),
            root_volume_size: 8,
            tags: checks::tags(&spec.tags),
            id,
        });
    }
}

pub(crate) fn add_key_pairs(
    scope: &Scope,
    specs: &[KeyPairSpec],
    inv: &mut RegionInventory,
    p: &mut Problems,
) {
    let mut names = HashSet::new();
    for spec in specs {
        let name = &spec.name.value;
        if name.is_empty() || name.len() > 255 || !name.is_ascii() {
            p.at(
                &spec.name,
                format!("'{name}' is not a key pair name (1 to 255 ASCII characters)"),
            );
            continue;
        }
        if !names.insert(name.clone()) {
            p.at(
                &spec.name,
                format!(
                    "a key pair named '{name}' is already declared in {}",
                    scope.region
                ),
            );
            continue;
        }
        let key_type = match &spec.key_type {
            None => "rsa",
            Some(t) if matches!(t.value.as_str(), "rsa" | "ed25519") => t.value.as_str(),
            Some(t) => {
                p.at(t, format!("'{}' is not a key type (rsa, ed25519)", t.value));
                continue;
            }
        };
        inv.key_pairs.push(KeyPair {
            id: scope.derived_id("key", &format!("key-pair/{name}")),
            fingerprint: fingerprint(scope, name, key_type),
            key_type: key_type.to_string(),
            create_time: checks::DEFAULT_CREATED,
            name: name.clone(),
            tags: checks::tags(&spec.tags),
        });
    }
}

/// A fingerprint in the form AWS shows for keys it created: a colon-separated SHA-1 (20 bytes)
/// for RSA, a base64 SHA-256 for ED25519 (EC2 user guide, "Verify the fingerprint").
fn fingerprint(scope: &Scope, name: &str, key_type: &str) -> String {
    let seed = format!("{}/{}/key/{name}", scope.account, scope.region);
    if key_type == "ed25519" {
        let bytes = hex::decode(derived_hex(&seed, 64)).unwrap_or_default();
        STANDARD.encode(bytes)
    } else {
        let hex = derived_hex(&seed, 40);
        hex.as_bytes()
            .chunks(2)
            .map(|pair| std::str::from_utf8(pair).unwrap_or("00"))
            .collect::<Vec<_>>()
            .join(":")
    }
}
