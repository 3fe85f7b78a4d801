//! DescribeOrganization: the caller's organization. Any account in the organization may call
//! it (API reference: "You can call this operation from any account in a organization").
//!
//! `AvailablePolicyTypes` is deprecated but still sent. The model says of it "Do not use. This
//! field is deprecated and doesn't provide complete information about the policies in your
//! organization" and points to ListRoots instead; the API reference's example shows SCPs
//! alone, so SCPs alone are sent here even when RCPs are enabled (ListRoots shows both). That
//! AWS leaves RCPs out of it is inferred from "doesn't provide complete information",
//! unconfirmed.

use super::input::Input;
use super::shapes::account_arn;
use super::{admit, AwsError, Callers};
use crate::services::{Call, Operation};
use serde_json::{json, Value};

pub(crate) fn handle(call: &Call, op: &Operation, _input: &Input) -> Result<Value, AwsError> {
    let org = admit(call, op, Callers::AnyMember, |_| "*".to_string())?;
    let email = call
        .world
        .account(&org.management_account)
        .map(|a| a.email.clone())
        .unwrap_or_default();
    Ok(json!({
        "Organization": {
            "Id": org.id,
            "Arn": org.arn,
            "FeatureSet": "ALL",
            "MasterAccountArn": account_arn(org, &org.management_account),
            "MasterAccountId": org.management_account,
            "MasterAccountEmail": email,
            "AvailablePolicyTypes": [{ "Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED" }],
        }
    }))
}
