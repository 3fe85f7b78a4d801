//! What a walk found, account by account: the value both the table and `--json` are made from.

use super::errors::ApiError;
use super::sts::Caller;
use serde::Serialize;

/// The whole walk.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub caller: Caller,
    /// Where the base credentials came from (`environment`, `profile NAME (FILE)`).
    pub credentials_source: String,
    pub role_name: String,
    /// `--regions` or `DescribeRegions in each account`.
    pub regions_from: String,
    pub resources: Vec<String>,
    pub accounts: Vec<AccountReport>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub accounts: usize,
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
}

/// How an account ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every call answered.
    Ok,
    /// AssumeRole, or some EC2 call, failed.
    Failed,
    /// Not walked (the caller's own account, or an account that is not ACTIVE).
    Skipped,
}

/// One account of the organization.
#[derive(Debug, Clone, Serialize)]
pub struct AccountReport {
    pub id: String,
    pub name: String,
    pub status: String,
    /// `CREATED` or `INVITED`, as ListAccounts says.
    pub joined_method: String,
    pub verdict: Verdict,
    /// `ok`, `skipped`, `not needed` (the caller's own account, walked with the base
    /// credentials) or the error code.
    pub assume_role: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assume_role_error: Option<ApiError>,
    /// Which credentials the EC2 calls were signed with, when any were made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ec2_credentials: Option<String>,
    pub regions: Vec<RegionReport>,
    /// What a user should do or check, most important first.
    pub hints: Vec<String>,
}

/// One region of one account.
#[derive(Debug, Clone, Serialize)]
pub struct RegionReport {
    pub region: String,
    /// Resource name and count, in the order asked for; a resource after a failure is absent.
    /// In JSON, an object in that order.
    #[serde(serialize_with = "as_map")]
    pub counts: Vec<(String, u64)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<RegionError>,
    /// DescribeRegions' `optInStatus`, looked up when EC2 rejected credentials there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opt_in_status: Option<String>,
}

/// The call that failed in a region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionError {
    pub action: String,
    #[serde(flatten)]
    pub error: ApiError,
}

impl Report {
    /// 0 when every account walked is ok, 1 when any failed.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.summary.failed > 0)
    }

    /// The count of `resource` in `region` of `account`, if it was counted.
    pub fn count(&self, account: &str, region: &str, resource: &str) -> Option<u64> {
        self.account(account)?
            .regions
            .iter()
            .find(|r| r.region == region)?
            .counts
            .iter()
            .find(|(name, _)| name == resource)
            .map(|(_, n)| *n)
    }

    pub fn account(&self, id: &str) -> Option<&AccountReport> {
        self.accounts.iter().find(|a| a.id == id)
    }
}

impl Summary {
    pub fn of(accounts: &[AccountReport]) -> Summary {
        let count = |v: Verdict| accounts.iter().filter(|a| a.verdict == v).count();
        Summary {
            accounts: accounts.len(),
            ok: count(Verdict::Ok),
            failed: count(Verdict::Failed),
            skipped: count(Verdict::Skipped),
        }
    }
}

fn as_map<S: serde::Serializer>(pairs: &[(String, u64)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}
