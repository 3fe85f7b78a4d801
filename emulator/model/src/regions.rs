//! The regions EC2's DescribeRegions lists and the credential scope may name, and the
//! Availability Zones in each.
//!
//! Regions launched before March 20, 2019 are enabled in every account ("opt-in-not-required").
//! Every later region is an opt-in region: disabled until the account enables it, and while it
//! is disabled EC2 refuses the account's credentials there (AWS General Reference, "Regions and
//! Zones"; Account Management reference, "Specify which AWS Regions your account can use").

/// The regions enabled by default in every account ("opt-in-not-required").
pub const DEFAULT_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// The commercial regions that must be enabled before use, in name order: every region
/// launched after March 20, 2019, up to Taipei (ap-east-2) and Auckland (ap-southeast-6) in 2025.
pub const OPT_IN_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-west-1",
    "eu-central-2",
    "eu-south-1",
    "eu-south-2",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
];

/// True for any region this emulator serves, opt-in or not.
pub fn is_known(region: &str) -> bool {
    known(region).is_some()
}

/// The region's name as this emulator keeps it, when it serves the region.
pub fn known(region: &str) -> Option<&'static str> {
    DEFAULT_REGIONS
        .iter()
        .chain(OPT_IN_REGIONS)
        .find(|r| **r == region)
        .copied()
}

/// True for a region an account must enable before using it.
pub fn is_opt_in(region: &str) -> bool {
    OPT_IN_REGIONS.contains(&region)
}

/// Every region, default and opt-in, in name order.
pub fn all_regions() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = DEFAULT_REGIONS
        .iter()
        .chain(OPT_IN_REGIONS)
        .copied()
        .collect();
    all.sort_unstable();
    all
}

/// One Availability Zone as DescribeAvailabilityZones reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zone {
    /// `us-east-1a`: the letter is the account's view of the zone.
    pub name: String,
    /// `use1-az1`: the same physical zone in every account.
    pub id: String,
}

/// Per region: the zone-id prefix AWS uses and the zone letters most accounts see.
///
/// Zone ids are `<prefix>-az<N>` (EC2 user guide, "AZ IDs"). AWS maps letters to zone ids
/// differently per account for older regions; this table pairs them in order, which is one
/// valid mapping.
const ZONE_LAYOUT: &[(&str, &str, &str)] = &[
    ("af-south-1", "afs1", "abc"),
    ("ap-east-1", "ape1", "abc"),
    ("ap-east-2", "ape2", "abc"),
    ("ap-northeast-1", "apne1", "acd"),
    ("ap-northeast-2", "apne2", "abcd"),
    ("ap-northeast-3", "apne3", "abc"),
    ("ap-south-1", "aps1", "abc"),
    ("ap-south-2", "aps2", "abc"),
    ("ap-southeast-1", "apse1", "abc"),
    ("ap-southeast-2", "apse2", "abc"),
    ("ap-southeast-3", "apse3", "abc"),
    ("ap-southeast-4", "apse4", "abc"),
    ("ap-southeast-5", "apse5", "abc"),
    ("ap-southeast-6", "apse6", "abc"),
    ("ap-southeast-7", "apse7", "abc"),
    ("ca-central-1", "cac1", "abd"),
    ("ca-west-1", "caw1", "abc"),
    ("eu-central-1", "euc1", "abc"),
    ("eu-central-2", "euc2", "abc"),
    ("eu-north-1", "eun1", "abc"),
    ("eu-south-1", "eus1", "abc"),
    ("eu-south-2", "eus2", "abc"),
    ("eu-west-1", "euw1", "abc"),
    ("eu-west-2", "euw2", "abc"),
    ("eu-west-3", "euw3", "abc"),
    ("il-central-1", "ilc1", "abc"),
    ("me-central-1", "mec1", "abc"),
    ("me-south-1", "mes1", "abc"),
    ("mx-central-1", "mxc1", "abc"),
    ("sa-east-1", "sae1", "abc"),
    ("us-east-1", "use1", "abcdef"),
    ("us-east-2", "use2", "abc"),
    ("us-west-1", "usw1", "ac"),
    ("us-west-2", "usw2", "abcd"),
];

/// The region's Availability Zones in name order; empty for a region this emulator does not
/// serve.
pub fn zones(region: &str) -> Vec<Zone> {
    let Some((_, prefix, letters)) = ZONE_LAYOUT.iter().find(|(r, _, _)| *r == region) else {
        return Vec::new();
    };
    letters
        .chars()
        .enumerate()
        .map(|(n, letter)| Zone {
            name: format!("{region}{letter}"),
            id: format!("{prefix}-az{}", n + 1),
        })
        .collect()
}

/// The private DNS suffix of instances in the region (`ec2.internal` in us-east-1 only).
pub fn private_dns_suffix(region: &str) -> String {
    if region == "us-east-1" {
        "ec2.internal".to_string()
    } else {
        format!("{region}.compute.internal")
    }
}

/// The public DNS name of a public IPv4 address: `ec2-203-0-113-25.compute-1.amazonaws.com` in
/// us-east-1, `ec2-203-0-113-25.REGION.compute.amazonaws.com` elsewhere (EC2 user guide, "EC2
/// instance hostnames, DNS names, and domains": public IPv4 DNS).
pub fn public_dns_name(ip: &str, region: &str) -> String {
    let dashed = ip.replace('.', "-");
    if region == "us-east-1" {
        format!("ec2-{dashed}.compute-1.amazonaws.com")
    } else {
        format!("ec2-{dashed}.{region}.compute.amazonaws.com")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_has_zones_and_no_region_is_listed_twice() {
        let all = all_regions();
        let mut dedup = all.clone();
        dedup.dedup();
        assert_eq!(all, dedup);
        assert_eq!(all.len(), ZONE_LAYOUT.len());
        for region in all {
            assert!(!zones(region).is_empty(), "{region}");
        }
        assert_eq!(zones("us-east-1")[0].id, "use1-az1");
        assert_eq!(zones("ap-northeast-1")[1].name, "ap-northeast-1c");
    }

    #[test]
    fn public_dns_names_take_the_region_form() {
        assert_eq!(
            public_dns_name("203.0.113.25", "us-east-1"),
            "ec2-203-0-113-25.compute-1.amazonaws.com"
        );
        assert_eq!(
            public_dns_name("203.0.113.25", "eu-west-1"),
            "ec2-203-0-113-25.eu-west-1.compute.amazonaws.com"
        );
    }
}
