//! The walk: who am I, which accounts, then each account (a bounded number at a time): assume
//! its role, pick its regions, count its resources region by region.
//!
//! Accounts are independent, so they run as tokio tasks; a semaphore keeps at most
//! `concurrency` of them calling AWS at once. Within an account the regions and resources go
//! one after another, which keeps the number of requests in flight equal to the concurrency.

use super::credentials::{Base, Credentials};
use super::ec2::{self, Resource};
use super::errors::ApiError;
use super::hints::{self, Context};
use super::http::Client;
use super::organizations::{self, Account};
use super::progress::Progress;
use super::report::{AccountReport, RegionError, RegionReport, Report, Summary, Verdict};
use super::sts::{self, AssumeRequest, Caller};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The session name AssumeRole is given; it shows up in the member's CloudTrail.
pub const SESSION_NAME: &str = "rolecall-discover";

/// What to sign EC2 calls with after AssumeRole failed, as careless clients do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CarryOn {
    /// The base access key and secret with the empty session token the failed AssumeRole left:
    /// EC2 cannot validate them (401 AuthFailure).
    Empty,
    /// The base credentials unchanged: EC2 judges the caller's own identity, in the caller's own
    /// account (403 UnauthorizedOperation without EC2 permissions, or silently the wrong
    /// account's resources with them).
    Base,
}

impl CarryOn {
    fn credentials(self, base: &Credentials) -> Credentials {
        match self {
            CarryOn::Empty => Credentials {
                session_token: Some(String::new()),
                ..base.clone()
            },
            CarryOn::Base => base.clone(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            CarryOn::Empty => "the base keys with an empty session token",
            CarryOn::Base => "the base credentials",
        }
    }
}

/// Everything a walk is told.
#[derive(Debug, Clone)]
pub struct Plan {
    pub role_name: String,
    pub external_id: Option<String>,
    /// `None`: DescribeRegions in each account, with that account's credentials.
    pub regions: Option<Vec<String>>,
    pub resources: Vec<&'static Resource>,
    pub concurrency: usize,
    pub carry_on: Option<CarryOn>,
    /// Walk the caller's own account too, with the base credentials.
    pub include_caller_account: bool,
    /// A scenario file to name in `rolecall explain` hints.
    pub scenario: Option<String>,
}

/// Why a walk could not start.
#[derive(Debug)]
pub enum SetupError {
    /// GetCallerIdentity failed: the base credentials or the endpoint are wrong.
    Identity(ApiError),
    /// ListAccounts failed: neither the management account nor a delegated administrator, or
    /// no permission.
    Organization(Caller, ApiError),
    Other(String),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::Identity(e) => write!(f, "GetCallerIdentity failed: {e}"),
            SetupError::Organization(caller, e) => write!(
                f,
                "ListAccounts as {} failed: {e} (run the walk from the management account or a \
                 delegated administrator, with organizations:ListAccounts allowed)",
                caller.arn
            ),
            SetupError::Other(e) => write!(f, "{e}"),
        }
    }
}

/// The shared, read-only state of one walk.
struct Walk {
    client: Client,
    base: Credentials,
    home: String,
    caller: Caller,
    plan: Plan,
    /// `arn:aws`, `arn:aws-cn`, …: taken from the caller's ARN.
    partition: String,
}

/// Runs the whole walk.
pub async fn run(
    client: Client,
    base: Base,
    plan: Plan,
    progress: Progress,
) -> Result<Report, SetupError> {
    let home = base
        .region
        .clone()
        .unwrap_or_else(|| "us-east-1".to_string());
    let caller = sts::get_caller_identity(&client, &home, &base.credentials)
        .await
        .map_err(SetupError::Identity)?;
    progress.note(&format!("walking the organization as {}", caller.arn));
    let accounts = organizations::list_accounts(&client, &home, &base.credentials)
        .await
        .map_err(|e| SetupError::Organization(caller.clone(), e))?;
    let partition = caller
        .arn
        .split(':')
        .nth(1)
        .map(|p| format!("arn:{p}"))
        .unwrap_or_else(|| "arn:aws".into());
    let walk = Arc::new(Walk {
        client,
        base: base.credentials.clone(),
        home,
        caller: caller.clone(),
        plan: plan.clone(),
        partition,
    });
    let semaphore = Arc::new(Semaphore::new(plan.concurrency.max(1)));
    let progress = Arc::new(progress);
    progress.start(accounts.len());
    let mut tasks = Vec::with_capacity(accounts.len());
    for account in accounts {
        let walk = walk.clone();
        let semaphore = semaphore.clone();
        let progress = progress.clone();
        tasks.push(tokio::spawn(async move {
            let report = match semaphore.acquire_owned().await {
                Ok(_permit) => walk.account(account).await,
                Err(_) => walk.skipped(&account, "the walk was stopped"),
            };
            progress.tick();
            report
        }));
    }
    let mut reports = Vec::with_capacity(tasks.len());
    for task in tasks {
        reports.push(
            task.await
                .map_err(|e| SetupError::Other(format!("an account task failed: {e}")))?,
        );
    }
    progress.finish();
    Ok(Report {
        caller,
        credentials_source: base.source,
        role_name: plan.role_name.clone(),
        regions_from: match &plan.regions {
            Some(_) => "--regions".into(),
            None => "DescribeRegions in each account".into(),
        },
        resources: plan.resources.iter().map(|r| r.name.to_string()).collect(),
        summary: Summary::of(&reports),
        accounts: reports,
    })
}

impl Walk {
    fn blank(&self, account: &Account, verdict: Verdict, assume_role: &str) -> AccountReport {
        AccountReport {
            id: account.id.clone(),
            name: account.name.clone(),
            status: account.status.clone(),
            joined_method: account.joined_method.clone(),
            verdict,
            assume_role: assume_role.to_string(),
            assume_role_error: None,
            ec2_credentials: None,
            regions: Vec::new(),
            hints: Vec::new(),
        }
    }

    fn skipped(&self, account: &Account, why: &str) -> AccountReport {
        let mut report = self.blank(account, Verdict::Skipped, "skipped");
        report.hints.push(why.to_string());
        report
    }

    /// One account, start to end; never fails, since a failure is what the report is for.
    async fn account(&self, account: Account) -> AccountReport {
        let own = account.id == self.caller.account;
        if own && !self.plan.include_caller_account {
            return self.skipped(
                &account,
                "the caller's own account (--include-caller-account walks it with the base \
                 credentials)",
            );
        }
        if !account.status.is_empty() && account.status != "ACTIVE" {
            return self.skipped(&account, &format!("the account is {}", account.status));
        }
        let role_arn = format!(
            "{}:iam::{}:role/{}",
            self.partition, account.id, self.plan.role_name
        );
        let session_arn = format!(
            "{}:sts::{}:assumed-role/{}/{SESSION_NAME}",
            self.partition, account.id, self.plan.role_name
        );
        let mut report = self.blank(&account, Verdict::Ok, "ok");
        let mut carried_on = None;
        let credentials = if own {
            report.assume_role = "not needed".into();
            report.ec2_credentials = Some("the base credentials (the caller's own account)".into());
            self.base.clone()
        } else {
            let request = AssumeRequest {
                role_arn: &role_arn,
                session_name: SESSION_NAME,
                external_id: self.plan.external_id.as_deref(),
            };
            match sts::assume_role(&self.client, &self.home, &self.base, &request).await {
                Ok(credentials) => {
                    report.ec2_credentials = Some("the assumed role".into());
                    credentials
                }
                Err(error) => {
                    report.verdict = Verdict::Failed;
                    report.assume_role = error.code.clone();
                    report.assume_role_error = Some(error);
                    match self.plan.carry_on {
                        Some(mode) => {
                            carried_on = Some(mode.describe());
                            report.ec2_credentials =
                                Some(format!("{} (--carry-on)", mode.describe()));
                            mode.credentials(&self.base)
                        }
                        None => {
                            self.add_hints(&mut report, &role_arn, None, None);
                            return report;
                        }
                    }
                }
            }
        };
        self.walk_regions(&mut report, &credentials, carried_on.is_none() && !own)
            .await;
        if report.regions.iter().any(|r| r.error.is_some()) {
            report.verdict = Verdict::Failed;
        }
        let session = (report.assume_role == "ok").then_some(session_arn.as_str());
        self.add_hints(&mut report, &role_arn, session, carried_on);
        report
    }

    /// Every region, every resource; on an error the region's remaining resources are skipped,
    /// since they would be refused the same way.
    async fn walk_regions(
        &self,
        report: &mut AccountReport,
        credentials: &Credentials,
        valid_session: bool,
    ) {
        let regions = match &self.plan.regions {
            Some(list) => list.clone(),
            None => {
                match ec2::describe_regions(&self.client, &self.home, credentials, None).await {
                    Ok(list) => list.into_iter().map(|r| r.name).collect(),
                    Err(error) => {
                        report.regions.push(RegionReport {
                            region: self.home.clone(),
                            counts: Vec::new(),
                            error: Some(RegionError {
                                action: "DescribeRegions".into(),
                                error,
                            }),
                            opt_in_status: None,
                        });
                        return;
                    }
                }
            }
        };
        for region in regions {
            let mut entry = RegionReport {
                region: region.clone(),
                counts: Vec::new(),
                error: None,
                opt_in_status: None,
            };
            for resource in &self.plan.resources {
                match ec2::count(&self.client, &region, credentials, resource).await {
                    Ok(n) => entry.counts.push((resource.name.to_string(), n)),
                    Err(error) => {
                        if error.code == "AuthFailure" && valid_session && region != self.home {
                            entry.opt_in_status = self.opt_in_status(credentials, &region).await;
                        }
                        entry.error = Some(RegionError {
                            action: resource.action.to_string(),
                            error,
                        });
                        break;
                    }
                }
            }
            report.regions.push(entry);
        }
    }

    /// The region's opt-in status for the account, asked in the home region (which every
    /// account has enabled); `None` when that cannot be learnt.
    async fn opt_in_status(&self, credentials: &Credentials, region: &str) -> Option<String> {
        ec2::describe_regions(&self.client, &self.home, credentials, Some(region))
            .await
            .ok()?
            .into_iter()
            .find(|r| r.name == region)
            .map(|r| r.opt_in_status)
    }

    fn add_hints(
        &self,
        report: &mut AccountReport,
        role_arn: &str,
        session_arn: Option<&str>,
        carried_on_with: Option<&str>,
    ) {
        let trace_endpoint = self.client.endpoints().local().filter(|e| is_loopback(e));
        let cx = Context {
            account_id: &report.id,
            joined_method: &report.joined_method,
            role_name: &self.plan.role_name,
            role_arn,
            caller_arn: &self.caller.arn,
            session_arn,
            carried_on_with,
            scenario: self.plan.scenario.as_deref(),
            trace_endpoint,
            external_id_given: self.plan.external_id.is_some(),
        };
        let mut found = Vec::new();
        if let Some(error) = &report.assume_role_error {
            found.extend(hints::for_assume_role(&cx, error));
        }
        found.extend(hints::for_regions(&cx, &report.regions));
        report.hints.extend(found);
    }
}

/// Whether an endpoint URL names this machine (only then are rolecall's traces offered).
fn is_loopback(url: &str) -> bool {
    let host = url
        .trim_start_matches("http://")
        .trim_start_matches("https://");
    host.starts_with("127.") || host.starts_with("localhost") || host.starts_with("[::1]")
}
