//! The EC2 inventory of an account, with the defaults that keep scenarios short: every enabled
//! region has what AWS creates by itself (a default VPC, a default subnet per Availability Zone,
//! a default security group per VPC), instances live in the default VPC unless told otherwise,
//! and each instance brings its primary network interface and root volume.
//!
//! Every reference is checked (a subnet's VPC, an instance's subnet and groups, a volume's
//! instance, an address's instance) and reported at its line and column.

mod checks;
mod instances;
mod network;
mod storage;

use super::build::Problems;
use super::spanned::Spanned;
use super::spec::RegionInventorySpec;
use crate::inventory::{AccountInventory, RegionInventory};
use crate::regions;
use std::collections::HashMap;

/// The inventory of every region the account can use: the default regions and the opt-in
/// regions it enabled.
pub(super) fn build_inventory(
    account: &str,
    regions_spec: &HashMap<Spanned<String>, RegionInventorySpec>,
    opt_in: &[Spanned<String>],
    p: &mut Problems,
) -> AccountInventory {
    let enabled_opt_in = enabled_opt_in_regions(account, opt_in, p);
    let mut declared: HashMap<&'static str, RegionInventory> = HashMap::new();
    for (region, spec) in regions_spec {
        let name = region.value.as_str();
        match regions::known(name) {
            None => p.at(
                region,
                format!(
                    "'{name}' is not a region this emulator serves; use one of: {}",
                    regions::all_regions().join(", ")
                ),
            ),
            Some(name) if regions::is_opt_in(name) && !enabled_opt_in.iter().any(|r| r == name) => {
                p.at(
                    region,
                    format!("'{name}' is an opt-in region that account {account} has not enabled; list it under opt_in_regions"),
                );
            }
            Some(name) => {
                declared.insert(name, build_region(account, name, spec, p));
            }
        }
    }
    let enabled: Vec<&'static str> = regions::DEFAULT_REGIONS
        .iter()
        .copied()
        .chain(enabled_opt_in.iter().filter_map(|r| regions::known(r)))
        .collect();
    AccountInventory::new(account, enabled, declared, enabled_opt_in, default_region)
}

/// A region the scenario declares nothing in: the default VPC, its subnets and security group.
fn default_region(account: &str, region: &str) -> RegionInventory {
    let mut p = Problems::default();
    let built = build_region(account, region, &RegionInventorySpec::default(), &mut p);
    debug_assert!(p.is_empty(), "defaults alone raise no problems");
    built
}

fn enabled_opt_in_regions(
    account: &str,
    opt_in: &[Spanned<String>],
    p: &mut Problems,
) -> Vec<String> {
    let mut enabled: Vec<String> = Vec::new();
    for region in opt_in {
        let name = &region.value;
        if regions::DEFAULT_REGIONS.contains(&name.as_str()) {
            p.at(region, format!("'{name}' is enabled in every account; only opt-in regions go under opt_in_regions ({})", regions::OPT_IN_REGIONS.join(", ")));
        } else if !regions::is_opt_in(name) {
            p.at(
                region,
                format!(
                    "'{name}' is not an opt-in region; use one of: {}",
                    regions::OPT_IN_REGIONS.join(", ")
                ),
            );
        } else if enabled.contains(name) {
            p.at(
                region,
                format!("'{name}' is listed twice for account {account}"),
            );
        } else {
            enabled.push(name.clone());
        }
    }
    enabled
}

/// One region's resources, defaults first, then the declared ones in dependency order.
fn build_region(
    account: &str,
    region: &str,
    spec: &RegionInventorySpec,
    p: &mut Problems,
) -> RegionInventory {
    let mut inv = RegionInventory {
        zones: regions::zones(region),
        ..RegionInventory::default()
    };
    let scope = checks::Scope { account, region };
    network::add_default_network(&scope, &mut inv);
    network::add_vpcs(&scope, &spec.vpcs, &mut inv, p);
    network::add_subnets(&scope, &spec.subnets, &mut inv, p);
    network::add_default_security_groups(&scope, &mut inv);
    network::add_security_groups(&scope, &spec.security_groups, &mut inv, p);
    instances::add_instances(&scope, &spec.instances, &mut inv, p);
    storage::add_volumes(&scope, &spec.volumes, &mut inv, p);
    storage::add_images(&scope, &spec.images, &mut inv, p);
    storage::add_key_pairs(&scope, &spec.key_pairs, &mut inv, p);
    network::add_addresses(&scope, &spec.addresses, &mut inv, p);
    network::name_public_addresses(&scope, &mut inv);
    network::count_free_addresses(&mut inv);
    inv.finish();
    inv
}
