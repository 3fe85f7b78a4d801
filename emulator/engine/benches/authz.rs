//! One `sts:AssumeRole` decision through a three-level SCP chain, a trust policy, two
//! identity policies, a permissions boundary and a session policy.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rolecall_engine::authz::{
    authorize, authorize_traced, Caller, CallerKind, Context, PolicyLevel, Request, ResourcePolicy,
};
use rolecall_engine::policy::{NamedPolicy, Policy};
use std::sync::Arc;

fn named(name: &str, json: &str) -> Arc<NamedPolicy> {
    Arc::new(NamedPolicy {
        name: name.to_string(),
        arn: None,
        policy: Policy::from_json(json).expect("valid policy"),
    })
}

const FULL_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const REGION_GUARD: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"DenyOtherRegions","Effect":"Deny","NotAction":["iam:*","sts:*","organizations:*"],"Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}"#;
const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ec2:Describe*","organizations:List*"],"Resource":"*"},{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::*:role/OrganizationAccountAccessRole","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#;
const BOUNDARY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:*","ec2:*"],"Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}"#;
const SESSION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::${aws:PrincipalAccount}:role/*"},{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::222222222222:role/*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-example"}}}]}"#;

fn assume_role(c: &mut Criterion) {
    let caller = Caller {
        arn: "arn:aws:sts::111111111111:assumed-role/Discovery/run",
        account: "111111111111",
        kind: CallerKind::RoleSession {
            role_arn: "arn:aws:iam::111111111111:role/Discovery",
        },
    };
    let mut context = Context::new();
    for (k, v) in [
        (
            "aws:PrincipalArn",
            "arn:aws:iam::111111111111:role/Discovery",
        ),
        ("aws:PrincipalAccount", "111111111111"),
        ("aws:PrincipalOrgID", "o-example"),
        ("aws:ResourceOrgID", "o-example"),
        ("aws:PrincipalType", "AssumedRole"),
        ("aws:userid", "AROAEXAMPLE:run"),
        ("aws:SecureTransport", "true"),
        ("aws:RequestedRegion", "us-east-1"),
        ("aws:SourceIp", "203.0.113.7"),
        ("aws:CurrentTime", "2026-01-01T00:00:00Z"),
        ("sts:RoleSessionName", "run"),
    ] {
        context.insert(k, v);
    }
    let scps: Vec<PolicyLevel> = ["r-root", "ou-workloads", "111111111111"]
        .iter()
        .map(|target| PolicyLevel {
            target: target.to_string(),
            policies: vec![
                named("FullAWSAccess", FULL_ACCESS),
                named("RegionGuard", REGION_GUARD),
            ],
        })
        .collect();
    let identity = vec![named("Discovery", IDENTITY)];
    let boundary = named("Boundary", BOUNDARY);
    let session = vec![named("Session", SESSION)];
    let trust = named("trust", TRUST);
    let request = Request {
        caller: &caller,
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
        resource_account: Some("222222222222"),
        context: &context,
        identity_policies: &identity,
        permissions_boundary: Some(&boundary),
        session_policies: Some(&session),
        scps: &scps,
        rcps: &[],
        resource_policy: ResourcePolicy::RoleTrust(Some(&trust)),
        same_organization: true,
    };
    assert!(authorize(&request).is_allowed());
    c.bench_function(
        "authorize AssumeRole (3-level SCPs, boundary, session)",
        |b| b.iter(|| authorize(black_box(&request))),
    );
    c.bench_function("authorize_traced AssumeRole (same request)", |b| {
        b.iter(|| authorize_traced(black_box(&request)))
    });
}

criterion_group!(benches, assume_role);
criterion_main!(benches);
