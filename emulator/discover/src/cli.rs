//! The command line of `rolecall discover`.

use super::ec2::RESOURCES;
use super::hints::ORGANIZATION_ROLE;
use super::walk::CarryOn;
use clap::builder::PossibleValuesParser;

/// Walk an AWS Organization (or a rolecall server) the way discovery tools do.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Send every service to this URL (e.g. http://127.0.0.1:4566); default
    /// AWS_ENDPOINT_URL_STS/_ORGANIZATIONS/_EC2, AWS_ENDPOINT_URL, or the profile's
    /// endpoint_url, else the public AWS endpoints (HTTPS).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Trust only the CA certificates in this PEM file for HTTPS; default AWS_CA_BUNDLE, or
    /// the profile's ca_bundle, else the system trust store.
    #[arg(long, value_name = "FILE")]
    pub ca_bundle: Option<std::path::PathBuf>,
    /// The role to assume in each member account.
    #[arg(long, default_value = ORGANIZATION_ROLE)]
    pub role_name: String,
    /// The external id the roles' trust policies require, if any.
    #[arg(long)]
    pub external_id: Option<String>,
    /// Regions to walk, comma-separated; default: DescribeRegions in each account, with that
    /// account's credentials (opt-in regions differ per account).
    #[arg(long, value_delimiter = ',')]
    pub regions: Option<Vec<String>>,
    /// Accounts walked at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=512))]
    pub concurrency: u16,
    /// Resources to count, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "instances", value_parser = resource_names())]
    pub resources: Vec<String>,
    /// After a failed AssumeRole, call EC2 anyway as careless clients do: with an empty
    /// session (`empty`, the default: 401 AuthFailure) or the base credentials (`base`).
    #[arg(long, value_enum, num_args = 0..=1, default_missing_value = "empty")]
    pub carry_on: Option<CarryOn>,
    /// Also walk the caller's own account, with the base credentials.
    #[arg(long)]
    pub include_caller_account: bool,
    /// The scenario file the endpoint serves, named in the `rolecall explain` lines of hints.
    #[arg(long)]
    pub scenario: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

fn resource_names() -> PossibleValuesParser {
    PossibleValuesParser::new(RESOURCES.iter().map(|r| r.name))
}

/// Lets tests and tools parse a discover command line without the rest of `rolecall`.
#[derive(clap::Parser)]
#[command(name = "discover")]
struct Standalone {
    #[command(flatten)]
    args: Args,
}

/// Parses `discover` options; the first item is the program name, as in `std::env::args`.
pub fn parse<I, T>(args: I) -> Result<Args, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::Parser;
    Standalone::try_parse_from(args).map(|s| s.args)
}
