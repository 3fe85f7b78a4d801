//! From what AWS answered to what a user should do: the hints printed under a failed account.
//!
//! AWS words a missing role and an untrusting trust policy the same way (`User: … is not
//! authorized to perform: sts:AssumeRole on resource: …`), so the hint leans on what else is
//! known: an INVITED account never got OrganizationAccountAccessRole from Organizations, a
//! CREATED one did, so there the trust policy or a policy on the caller's side is the suspect.
//! Where the message names the policy type (`with an explicit deny in a service control
//! policy`, `because no identity-based policy allows`), the hint follows it.

use super::errors::ApiError;
use super::report::RegionReport;

/// The default role Organizations creates in the accounts it creates.
pub const ORGANIZATION_ROLE: &str = "OrganizationAccountAccessRole";

/// What the hints need to know about an account and the run.
pub struct Context<'a> {
    pub account_id: &'a str,
    pub joined_method: &'a str,
    pub role_name: &'a str,
    pub role_arn: &'a str,
    pub caller_arn: &'a str,
    /// The session ARN the assumed role acts as, when AssumeRole succeeded.
    pub session_arn: Option<&'a str>,
    /// `Some(description)` when EC2 was called after a failed AssumeRole (`--carry-on`).
    pub carried_on_with: Option<&'a str>,
    /// A scenario file to name in `rolecall explain` command lines.
    pub scenario: Option<&'a str>,
    /// A loopback endpoint serving rolecall's decision traces.
    pub trace_endpoint: Option<&'a str>,
    /// Whether `--external-id` was given.
    pub external_id_given: bool,
}

/// The hint for a failed AssumeRole.
pub fn for_assume_role(cx: &Context, error: &ApiError) -> Vec<String> {
    let mut hints = Vec::new();
    let explain = explain_command(cx, cx.caller_arn, "sts:AssumeRole", Some(cx.role_arn), None);
    match error.code.as_str() {
        "AccessDenied" if cx.joined_method == "INVITED" && cx.role_name == ORGANIZATION_ROLE => {
            hints.push(format!(
                "role missing: invited accounts have no {ORGANIZATION_ROLE}; create it in {} \
                 with a trust policy naming the management account, or use a role that exists \
                 there (--role-name)",
                cx.account_id
            ));
        }
        "AccessDenied" if cx.joined_method == "INVITED" => {
            hints.push(format!(
                "the role may be missing: Organizations creates no role in invited accounts, so \
                 {} exists only if someone created it; if it does, its trust policy or a policy \
                 on the caller's side refuses — run `{explain}`",
                cx.role_name
            ));
        }
        "AccessDenied" if error.message.contains("service control policy") => {
            hints.push(format!(
                "an SCP on the caller's account or OU denies sts:AssumeRole — run `{explain}`"
            ));
        }
        "AccessDenied" if error.message.contains("identity-based policy") => {
            hints.push(format!(
                "the caller's own IAM policies do not allow sts:AssumeRole on {} — run \
                 `{explain}`",
                cx.role_arn
            ));
        }
        "AccessDenied" => {
            hints.push(format!(
                "the role's trust policy does not trust the caller, or an SCP/the caller's \
                 policy blocks sts:AssumeRole — run `{explain}`"
            ));
        }
        "InvalidClientTokenId" | "ExpiredToken" | "SignatureDoesNotMatch" => {
            hints.push(format!(
                "STS rejected the base credentials themselves ({}): check the keys and the \
                 clock",
                error.code
            ));
        }
        "RegionDisabledException" => {
            hints.push(
                "STS is not activated in the home region for this account; use another \
                        region (AWS_REGION)"
                    .to_string(),
            );
        }
        _ => {}
    }
    if error.code == "AccessDenied" && cx.external_id_hint() {
        hints.push("the trust policy may require an external id (--external-id)".to_string());
    }
    if let (Some(endpoint), Some(id)) = (cx.trace_endpoint, &error.request_id) {
        hints.push(format!(
            "decision trace: curl -s {endpoint}/_rolecall/requests/{id}"
        ));
    }
    hints
}

/// The hints for regions whose EC2 calls failed. Regions that failed the same way (same call,
/// code, message and opt-in status) share one hint that names them all.
pub fn for_regions(cx: &Context, regions: &[RegionReport]) -> Vec<String> {
    let mut groups: Vec<(&RegionReport, Vec<&str>)> = Vec::new();
    for region in regions {
        let Some(failure) = &region.error else {
            continue;
        };
        let same = groups.iter_mut().find(|(first, _)| {
            let f = first
                .error
                .as_ref()
                .map(|e| (&e.action, &e.error.code, &e.error.message));
            f == Some((&failure.action, &failure.error.code, &failure.error.message))
                && first.opt_in_status == region.opt_in_status
        });
        match same {
            Some((_, names)) => names.push(&region.region),
            None => groups.push((region, vec![&region.region])),
        }
    }
    groups
        .into_iter()
        .flat_map(|(first, names)| for_region(cx, first, &names.join(", ")))
        .collect()
}

/// The hint for one failure, seen in `regions` (one name or several).
fn for_region(cx: &Context, region: &RegionReport, regions: &str) -> Vec<String> {
    let Some(failure) = &region.error else {
        return Vec::new();
    };
    let e = &failure.error;
    let action = format!("ec2:{}", failure.action);
    let mut hints = Vec::new();
    match e.code.as_str() {
        "AuthFailure" if region.opt_in_status.as_deref() == Some("not-opted-in") => {
            hints.push(format!(
                "{regions}: opt-in region not enabled: account {} has not enabled it, and EC2 \
                 answers AuthFailure to valid credentials there; enable the region or leave it \
                 out (DescribeRegions without AllRegions lists only enabled regions)",
                cx.account_id
            ));
        }
        "AuthFailure" => {
            let why = match cx.carried_on_with {
                Some(with) => format!(
                    "the walk carried on after AssumeRole failed and signed with {with}, which \
                     is not a session for {}",
                    cx.account_id
                ),
                None => "the credentials are unknown, expired or revoked, or this is an opt-in \
                         region the account has not enabled"
                    .to_string(),
            };
            hints.push(format!(
                "{regions}: EC2 rejected the credentials: {} ({why})",
                e.message
            ));
        }
        "UnauthorizedOperation" if cx.carried_on_with.is_some() => {
            hints.push(format!(
                "{regions}: EC2 judged the caller's own identity, not a session in {}: the walk \
                 carried on with {}; with EC2 permissions it would have listed the caller's own \
                 account's resources under this account's name",
                cx.account_id,
                cx.carried_on_with.unwrap_or_default()
            ));
        }
        "UnauthorizedOperation" => {
            let principal = cx.session_arn.unwrap_or(cx.caller_arn);
            let first_region = regions.split(", ").next().unwrap_or(regions);
            let explain = explain_command(cx, principal, &action, None, Some(first_region));
            let what = if e.message.contains("service control policy") {
                format!(
                    "an SCP on account {} or one of its OUs denies {action}",
                    cx.account_id
                )
            } else if cx.session_arn.is_some() {
                format!("the role's permissions do not allow {action}")
            } else {
                format!("the caller's own permissions do not allow {action}")
            };
            hints.push(format!("{regions}: {what} — run `{explain}`"));
        }
        "RequestExpired" | "ExpiredToken" => {
            hints.push(format!(
                "{regions}: the session expired during the walk; assume the role again"
            ));
        }
        _ => {}
    }
    if let (Some(endpoint), Some(id)) = (cx.trace_endpoint, &e.request_id) {
        if e.code == "UnauthorizedOperation" {
            hints.push(format!(
                "decision trace: curl -s {endpoint}/_rolecall/requests/{id}"
            ));
        }
    }
    hints
}

impl Context<'_> {
    /// An external id is worth mentioning only for roles other than Organizations' own, whose
    /// trust policy never asks for one.
    fn external_id_hint(&self) -> bool {
        !self.external_id_given
            && self.role_name != ORGANIZATION_ROLE
            && self.joined_method != "INVITED"
    }
}

/// The `rolecall explain` command line that evaluates the same request offline.
fn explain_command(
    cx: &Context,
    principal: &str,
    action: &str,
    resource: Option<&str>,
    region: Option<&str>,
) -> String {
    let mut line = String::from("rolecall explain");
    if let Some(s) = cx.scenario {
        line.push_str(&format!(" --scenario {}", shell_word(s)));
    }
    line.push_str(&format!(" --principal {principal} --action {action}"));
    if let Some(r) = resource {
        line.push_str(&format!(" --resource {r}"));
    }
    if let Some(r) = region {
        line.push_str(&format!(" --region {r}"));
    }
    line
}

/// `s` quoted for a POSIX shell when it holds anything but plain path characters.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:=@,".contains(c))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
