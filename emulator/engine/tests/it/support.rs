//! Shared fixtures for the authorization engine tests: callers, policy builders and a
//! request description that owns everything a `Request` borrows.
#![allow(dead_code)]

use rolecall_engine::authz::{
    authorize, authorize_traced, Caller, CallerKind, Context, Decision, PolicyLevel, Request,
    ResourcePolicy, Trace,
};
use rolecall_engine::policy::{NamedPolicy, Policy};
use std::sync::Arc;

pub(crate) const A: &str = "111111111111";
pub(crate) const B: &str = "222222222222";
pub(crate) const MGMT: &str = "999999999999";

pub(crate) const ALICE_ARN: &str = "arn:aws:iam::111111111111:user/alice";
pub(crate) const DEPLOYER_ROLE: &str = "arn:aws:iam::111111111111:role/Deployer";
pub(crate) const DEPLOYER_SESSION: &str = "arn:aws:sts::111111111111:assumed-role/Deployer/build";
pub(crate) const BOB_FEDERATED: &str = "arn:aws:sts::111111111111:federated-user/bob";
pub(crate) const ROOT_A: &str = "arn:aws:iam::111111111111:root";
pub(crate) const TARGET_ROLE_A: &str = "arn:aws:iam::111111111111:role/Target";
pub(crate) const OAAR_B: &str = "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole";

pub(crate) fn alice() -> Caller<'static> {
    Caller {
        arn: ALICE_ARN,
        account: A,
        kind: CallerKind::User { name: "alice" },
    }
}

pub(crate) fn deployer_session() -> Caller<'static> {
    Caller {
        arn: DEPLOYER_SESSION,
        account: A,
        kind: CallerKind::RoleSession {
            role_arn: DEPLOYER_ROLE,
        },
    }
}

pub(crate) fn bob_federated() -> Caller<'static> {
    Caller {
        arn: BOB_FEDERATED,
        account: A,
        kind: CallerKind::FederatedUser,
    }
}

pub(crate) fn root_a() -> Caller<'static> {
    Caller {
        arn: ROOT_A,
        account: A,
        kind: CallerKind::Root,
    }
}

/// Parses a policy or panics with the parser's message.
pub(crate) fn parse(json: &str) -> Policy {
    Policy::from_json(json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

pub(crate) fn named(name: &str, json: &str) -> Arc<NamedPolicy> {
    Arc::new(NamedPolicy {
        name: name.to_string(),
        arn: None,
        policy: parse(json),
    })
}

/// A 2012-10-17 policy of the given statements (JSON objects).
pub(crate) fn doc(statements: &[&str]) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    )
}

/// `{"Effect":E,"Action":A,"Resource":R}` with optional extra members.
pub(crate) fn stmt(effect: &str, action: &str, resource: &str, extra: &str) -> String {
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(",{extra}")
    };
    format!(r#"{{"Effect":"{effect}","Action":{action},"Resource":{resource}{extra}}}"#)
}

pub(crate) fn allow(action: &str) -> String {
    doc(&[&stmt("Allow", &format!("\"{action}\""), "\"*\"", "")])
}

pub(crate) fn deny(action: &str) -> String {
    doc(&[&stmt("Deny", &format!("\"{action}\""), "\"*\"", "")])
}

/// A trust policy allowing `sts:AssumeRole` to the given `AWS` principal (JSON value).
pub(crate) fn trust(principal: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":{principal}}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// The resource-side policy of a case.
#[derive(Clone, Default)]
pub(crate) enum Side {
    #[default]
    NotApplicable,
    Trust(Option<String>),
    Based(String),
    NoneAttached,
    Required(Option<String>),
}

/// Everything one request needs, owned; `run` borrows it into a `Request`.
#[derive(Clone)]
pub(crate) struct Case {
    pub caller: Caller<'static>,
    pub action: &'static str,
    pub resource: &'static str,
    pub resource_account: Option<&'static str>,
    pub context: Vec<(&'static str, &'static str)>,
    pub identity: Vec<String>,
    pub boundary: Option<String>,
    pub session: Option<Vec<String>>,
    /// One entry per level, root first: (target, policies).
    pub scps: Vec<(&'static str, Vec<String>)>,
    pub rcps: Vec<(&'static str, Vec<String>)>,
    pub side: Side,
    pub show_resource: bool,
    /// The caller's and the resource's accounts are in one organization.
    pub same_organization: bool,
}

impl Default for Case {
    fn default() -> Case {
        Case {
            caller: alice(),
            action: "ec2:DescribeInstances",
            resource: "*",
            resource_account: None,
            context: Vec::new(),
            identity: Vec::new(),
            boundary: None,
            session: None,
            scps: Vec::new(),
            rcps: Vec::new(),
            side: Side::NotApplicable,
            show_resource: false,
            same_organization: false,
        }
    }
}

impl Case {
    /// `sts:AssumeRole` of `role` (in `account`) with the given trust policy.
    pub(crate) fn assume(role: &'static str, account: &'static str, trust: Option<String>) -> Case {
        Case {
            action: "sts:AssumeRole",
            resource: role,
            resource_account: Some(account),
            side: Side::Trust(trust),
            show_resource: true,
            ..Case::default()
        }
    }

    /// Puts both accounts in one organization, with its `aws:PrincipalOrgID` and
    /// `aws:ResourceOrgID`.
    pub(crate) fn same_org(mut self) -> Case {
        self.context.push(("aws:PrincipalOrgID", "o-example"));
        self.context.push(("aws:ResourceOrgID", "o-example"));
        self.same_organization = true;
        self
    }

    pub(crate) fn run(&self) -> (Decision, String) {
        let (d, m, _) = self.run_inner(false);
        (d, m)
    }

    pub(crate) fn run_traced(&self) -> (Decision, String, Trace) {
        self.run_inner(true)
    }

    fn run_inner(&self, traced: bool) -> (Decision, String, Trace) {
        let mut context = Context::new();
        for (k, v) in &self.context {
            if let Some(multi) = k.strip_prefix('+') {
                let values = v
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
                context.insert_multi(multi, values);
            } else {
                context.insert(k, *v);
            }
        }
        let policies = |list: &[String], prefix: &str| -> Vec<Arc<NamedPolicy>> {
            list.iter()
                .enumerate()
                .map(|(i, j)| named(&format!("{prefix}-{i}"), j))
                .collect()
        };
        let identity = policies(&self.identity, "identity");
        let boundary = self.boundary.as_deref().map(|j| named("boundary", j));
        let session = self.session.as_deref().map(|s| policies(s, "session"));
        let levels = |chain: &[(&str, Vec<String>)], prefix: &str| -> Vec<PolicyLevel> {
            chain
                .iter()
                .map(|(target, list)| PolicyLevel {
                    target: target.to_string(),
                    policies: policies(list, &format!("{prefix}@{target}")),
                })
                .collect()
        };
        let scps = levels(&self.scps, "scp");
        let rcps = levels(&self.rcps, "rcp");
        let side_policy = match &self.side {
            Side::Trust(Some(j)) => Some(named("trust", j)),
            Side::Based(j) | Side::Required(Some(j)) => Some(named("resource", j)),
            _ => None,
        };
        let resource_policy = match &self.side {
            Side::NotApplicable => ResourcePolicy::NotApplicable,
            Side::Trust(_) => ResourcePolicy::RoleTrust(side_policy.as_deref()),
            Side::Based(_) => ResourcePolicy::ResourceBased(side_policy.as_deref().unwrap()),
            Side::NoneAttached => ResourcePolicy::NoneAttached,
            Side::Required(_) => ResourcePolicy::Required(side_policy.as_deref()),
        };
        let req = Request {
            caller: &self.caller,
            action: self.action,
            resource: self.resource,
            resource_account: self.resource_account,
            context: &context,
            identity_policies: &identity,
            permissions_boundary: boundary.as_deref(),
            session_policies: session.as_deref(),
            scps: &scps,
            rcps: &rcps,
            resource_policy,
            same_organization: self.same_organization,
        };
        let (decision, trace) = if traced {
            authorize_traced(&req)
        } else {
            (authorize(&req), Trace::default())
        };
        if traced {
            assert_eq!(
                decision,
                authorize(&req),
                "traced and untraced decisions differ"
            );
        }
        let message = decision.denial_message(&req, self.show_resource);
        (decision, message, trace)
    }
}
