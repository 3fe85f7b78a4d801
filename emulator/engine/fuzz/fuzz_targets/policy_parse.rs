//! Any text given to the policy parser must come back as a policy or an error, never a
//! panic; a parsed policy must survive every kind check and an evaluation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolecall_engine::authz::{
    authorize, Caller, CallerKind, Context, PolicyType, Request, ResourcePolicy,
};
use rolecall_engine::policy::{NamedPolicy, Policy};
use std::sync::Arc;

const KINDS: [PolicyType; 7] = [
    PolicyType::ServiceControl,
    PolicyType::ResourceControl,
    PolicyType::ResourceBased,
    PolicyType::RoleTrust,
    PolicyType::IdentityBased,
    PolicyType::PermissionsBoundary,
    PolicyType::Session,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::from_json(text) else {
        return;
    };
    for kind in KINDS {
        let _ = policy.check_for(kind);
    }
    let named = Arc::new(NamedPolicy {
        name: "fuzzed".to_string(),
        arn: None,
        policy,
    });
    let caller = Caller {
        arn: "arn:aws:sts::111111111111:assumed-role/Role/session",
        account: "111111111111",
        kind: CallerKind::RoleSession {
            role_arn: "arn:aws:iam::111111111111:role/Role",
        },
    };
    let mut context = Context::new();
    context.insert("aws:username", "alice");
    context.insert("aws:SourceIp", "203.0.113.7");
    context.insert("aws:CurrentTime", "2026-01-01T00:00:00Z");
    context.insert_multi("aws:TagKeys", vec!["env".into(), "team".into()]);
    let identity = [named.clone()];
    let request = Request {
        caller: &caller,
        action: "sts:AssumeRole",
        resource: "arn:aws:iam::222222222222:role/Target",
        resource_account: Some("222222222222"),
        context: &context,
        identity_policies: &identity,
        permissions_boundary: Some(&named),
        session_policies: Some(&identity),
        scps: &[],
        rcps: &[],
        resource_policy: ResourcePolicy::RoleTrust(Some(&named)),
        same_organization: true,
    };
    let decision = authorize(&request);
    let _ = decision.denial_message(&request, true);
});
