//! The regions EC2's DescribeRegions lists and the credential scope may name.

/// The regions enabled by default in every account ("opt-in-not-required"), per the AWS
/// General Reference, "Regions and Zones": those launched before March 20, 2019.
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

pub fn is_known(region: &str) -> bool {
    DEFAULT_REGIONS.contains(&region)
}
