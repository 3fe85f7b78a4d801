//! Properties of the decision procedure over random policy sets:
//! - adding an explicit Deny never turns a denial into an allow (and a Deny matching
//!   everything in any applicable layer always denies, explicitly);
//! - removing an Allow never turns a denial into an allow;
//! - an SCP Deny at any level denies every account below it (ORG-SCP: "If a permission is
//!   blocked at any level above the account ... a user or role in the affected account
//!   can't use that permission").

use crate::support::*;
use proptest::prelude::*;
use rolecall_engine::authz::{Outcome, PolicyType};

const ACTIONS: [&str; 5] = [
    "sts:AssumeRole",
    "sts:*",
    "ec2:Describe*",
    "*",
    "ec2:RunInstances",
];
const RESOURCES: [&str; 4] = ["*", OAAR_B, TARGET_ROLE_A, "arn:aws:iam::*:role/*"];
const PRINCIPALS: [&str; 6] = [
    "\"*\"",
    "\"111111111111\"",
    "\"arn:aws:iam::111111111111:root\"",
    "\"arn:aws:iam::111111111111:user/alice\"",
    "\"arn:aws:iam::111111111111:role/Deployer\"",
    "\"999999999999\"",
];
const CONDITIONS: [&str; 3] = [
    r#""Condition":{"StringEquals":{"aws:username":"alice"}}"#,
    r#""Condition":{"Bool":{"aws:SecureTransport":"true"}}"#,
    r#""Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}"#,
];

#[derive(Debug, Clone)]
struct Stmt {
    allow: bool,
    action: usize,
    resource: usize,
    principal: usize,
    condition: Option<usize>,
}

impl Stmt {
    fn json(&self, with_principal: bool) -> String {
        let effect = if self.allow { "Allow" } else { "Deny" };
        let mut members = vec![
            format!(r#""Effect":"{effect}""#),
            format!(r#""Action":"{}""#, ACTIONS[self.action]),
        ];
        if with_principal {
            members.push(format!(
                r#""Principal":{{"AWS":{}}}"#,
                PRINCIPALS[self.principal]
            ));
        } else {
            members.push(format!(r#""Resource":"{}""#, RESOURCES[self.resource]));
        }
        if let Some(c) = self.condition {
            members.push(CONDITIONS[c].to_string());
        }
        format!("{{{}}}", members.join(","))
    }

    fn deny_everything() -> Stmt {
        Stmt {
            allow: false,
            action: 3,
            resource: 0,
            principal: 0,
            condition: None,
        }
    }
}

type Policies = Vec<Vec<Stmt>>;

#[derive(Debug, Clone)]
struct World {
    session_caller: bool,
    assume_role: bool,
    cross_account: bool,
    identity: Policies,
    boundary: Option<Vec<Stmt>>,
    session: Option<Policies>,
    scps: Vec<Policies>,
    trust: Option<Vec<Stmt>>,
    context: Vec<(&'static str, &'static str)>,
}

fn statement() -> impl Strategy<Value = Stmt> {
    (
        any::<bool>(),
        0..ACTIONS.len(),
        0..RESOURCES.len(),
        0..PRINCIPALS.len(),
        proptest::option::of(0..CONDITIONS.len()),
    )
        .prop_map(|(allow, action, resource, principal, condition)| Stmt {
            allow,
            action,
            resource,
            principal,
            condition,
        })
}

fn statements() -> impl Strategy<Value = Vec<Stmt>> {
    proptest::collection::vec(statement(), 1..4)
}

fn policies() -> impl Strategy<Value = Policies> {
    proptest::collection::vec(statements(), 0..3)
}

prop_compose! {
    fn world()(
        session_caller in any::<bool>(),
        assume_role in any::<bool>(),
        cross_account in any::<bool>(),
        identity in policies(),
        boundary in proptest::option::of(statements()),
        session in proptest::option::of(proptest::collection::vec(statements(), 1..3)),
        scps in proptest::collection::vec(policies(), 0..4),
        trust in proptest::option::of(statements()),
        context in proptest::sample::subsequence(
            vec![
                ("aws:username", "alice"),
                ("aws:SecureTransport", "true"),
                ("aws:RequestedRegion", "us-east-1"),
            ],
            0..=3,
        ),
    ) -> World {
        World {
            session_caller,
            assume_role,
            cross_account,
            identity,
            boundary,
            session,
            scps,
            trust,
            context,
        }
    }
}

fn doc_of(statements: &[Stmt], with_principal: bool) -> String {
    let parts: Vec<String> = statements.iter().map(|s| s.json(with_principal)).collect();
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        parts.join(",")
    )
}

const SCP_TARGETS: [&str; 4] = ["r-root", "ou-a", "ou-b", "111111111111"];

impl World {
    fn case(&self) -> Case {
        let mut case = if self.assume_role {
            let (role, account) = if self.cross_account {
                (OAAR_B, B)
            } else {
                (TARGET_ROLE_A, A)
            };
            Case::assume(role, account, self.trust.as_ref().map(|t| doc_of(t, true)))
        } else {
            Case::default()
        };
        if self.session_caller {
            case.caller = deployer_session();
        }
        case.context = self.context.clone();
        case.identity = self.identity.iter().map(|p| doc_of(p, false)).collect();
        case.boundary = self.boundary.as_ref().map(|p| doc_of(p, false));
        case.session = self
            .session
            .as_ref()
            .map(|s| s.iter().map(|p| doc_of(p, false)).collect());
        case.scps = self
            .scps
            .iter()
            .zip(SCP_TARGETS)
            .map(|(level, target)| (target, level.iter().map(|p| doc_of(p, false)).collect()))
            .collect();
        case
    }

    /// Every applicable policy, as a mutable statement list.
    fn layers_mut(&mut self) -> Vec<&mut Vec<Stmt>> {
        let mut out: Vec<&mut Vec<Stmt>> = self.identity.iter_mut().collect();
        out.extend(self.boundary.as_mut());
        if let Some(s) = self.session.as_mut() {
            out.extend(s.iter_mut());
        }
        for level in self.scps.iter_mut() {
            out.extend(level.iter_mut());
        }
        if self.assume_role {
            out.extend(self.trust.as_mut());
        }
        out
    }

    fn allowed(&self) -> bool {
        self.case().run().0.is_allowed()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn adding_a_deny_never_allows(mut world in world(), pick in any::<prop::sample::Index>(), deny in statement()) {
        let before = world.allowed();
        let mut layers = world.layers_mut();
        if layers.is_empty() {
            return Ok(());
        }
        let i = pick.index(layers.len());
        layers[i].push(Stmt { allow: false, ..deny });
        prop_assert!(before || !world.allowed());
    }

    #[test]
    fn a_deny_of_everything_in_any_layer_denies_explicitly(mut world in world(), pick in any::<prop::sample::Index>()) {
        let mut layers = world.layers_mut();
        if layers.is_empty() {
            return Ok(());
        }
        let i = pick.index(layers.len());
        layers[i].push(Stmt::deny_everything());
        let (decision, _) = world.case().run();
        prop_assert_eq!(decision.outcome, Outcome::ExplicitDeny);
    }

    #[test]
    fn removing_an_allow_never_allows(mut world in world(), pick in any::<prop::sample::Index>()) {
        let before = world.allowed();
        let mut allows: Vec<(usize, usize)> = Vec::new();
        for (l, layer) in world.layers_mut().iter().enumerate() {
            allows.extend(layer.iter().enumerate().filter(|(_, s)| s.allow).map(|(s, _)| (l, s)));
        }
        if allows.is_empty() {
            return Ok(());
        }
        let (l, s) = allows[pick.index(allows.len())];
        world.layers_mut()[l].remove(s);
        prop_assert!(before || !world.allowed(), "removing an Allow turned a denial into an allow");
    }

    #[test]
    fn an_scp_deny_at_any_level_denies_every_member_below(
        depth in 1usize..=4,
        deny_at in any::<prop::sample::Index>(),
        identity in policies(),
        session_caller in any::<bool>(),
    ) {
        let deny_level = deny_at.index(depth);
        // Two member accounts under the same path down to the deny level's parent chain.
        for account in ["111111111111", "333333333333"] {
            let mut targets: Vec<&'static str> = vec!["r-root", "ou-a", "ou-b"];
            targets.truncate(depth - 1);
            targets.push(account);
            if deny_level == depth - 1 && account != "111111111111" {
                continue; // the deny is on the other account itself
            }
            let scps = targets
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let mut list = vec![allow("*")];
                    if i == deny_level {
                        list.push(deny("ec2:*"));
                    }
                    (*t, list)
                })
                .collect();
            let mut identity_docs: Vec<String> = identity.iter().map(|p| doc_of(p, false)).collect();
            identity_docs.push(allow("*"));
            let case = Case {
                caller: if session_caller { deployer_session() } else { alice() },
                identity: identity_docs,
                scps,
                ..Case::default()
            };
            let (decision, _) = case.run();
            prop_assert_eq!(decision.outcome, Outcome::ExplicitDeny);
            prop_assert_eq!(decision.policy_type, Some(PolicyType::ServiceControl));
            prop_assert_eq!(decision.level.as_deref(), Some(targets[deny_level]));
        }
    }
}
