//! Reading a document tree into a typed [`Policy`], with the position of every mistake.
//!
//! Grammar facts from the IAM User Guide (reference_policies_grammar.md and the element
//! pages): top-level `Version`, `Id`, `Statement`; a statement is an object or a list of
//! objects; `Effect` is `Allow` or `Deny`, case-sensitively
//! (reference_policies_elements_effect.md); each statement has exactly one of `Action` and
//! `NotAction`, at most one of `Resource`/`NotResource` and of `Principal`/`NotPrincipal`.

use super::condition::{parse_operator_name, Condition};
use super::node::{Node, NodeValue};
use super::pattern::{ArnPattern, Pattern, Syntax};
use super::principal::{AwsPrincipal, Principals};
use super::{Effect, Policy, PolicyError, PrincipalElement, Statement, Target, Version};

type Result<T> = std::result::Result<T, PolicyError>;

fn error(node: &Node, message: impl Into<String>) -> PolicyError {
    PolicyError {
        at: node.at,
        message: message.into(),
    }
}

/// The entries of a map node, rejecting non-string and duplicate keys.
fn entries<'n>(node: &'n Node, what: &str) -> Result<Vec<(&'n str, &'n Node, &'n Node)>> {
    let NodeValue::Map(pairs) = &node.value else {
        return Err(error(
            node,
            format!("{what} must be a map, not {}", node.kind()),
        ));
    };
    let mut out: Vec<(&str, &Node, &Node)> = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        let Some(name) = key.as_str() else {
            return Err(error(key, format!("keys of {what} must be strings")));
        };
        if out.iter().any(|(seen, _, _)| *seen == name) {
            return Err(error(key, format!("duplicate key \"{name}\" in {what}")));
        }
        out.push((name, key, value));
    }
    Ok(out)
}

/// A scalar read as text: strings as they are, numbers as written, booleans as
/// `true`/`false` (AWS reads condition values as strings).
fn scalar_text(node: &Node, what: &str) -> Result<String> {
    match &node.value {
        NodeValue::String(s) => Ok(s.clone()),
        NodeValue::Number(n) => Ok(n.clone()),
        NodeValue::Bool(b) => Ok(b.to_string()),
        _ => Err(error(
            node,
            format!("{what} must be a string, not {}", node.kind()),
        )),
    }
}

/// A string or a non-empty list of strings, each with its node.
fn string_list<'n>(node: &'n Node, what: &str) -> Result<Vec<(&'n str, &'n Node)>> {
    let items: Vec<&Node> = match &node.value {
        NodeValue::List(items) if items.is_empty() => {
            return Err(error(node, format!("{what} must not be an empty list")))
        }
        NodeValue::List(items) => items.iter().collect(),
        _ => vec![node],
    };
    items
        .into_iter()
        .map(|item| match item.as_str() {
            Some(s) => Ok((s, item)),
            None => Err(error(
                item,
                format!(
                    "{what} must be a string or a list of strings, not {}",
                    item.kind()
                ),
            )),
        })
        .collect()
}

pub(crate) fn policy(node: &Node) -> Result<Policy> {
    let fields = entries(node, "a policy")?;
    let mut version = Version::V2008_10_17;
    let mut id = None;
    let mut statement_node = None;
    for (name, key, value) in &fields {
        match *name {
            "Version" => {
                version = match value.as_str() {
                    Some("2012-10-17") => Version::V2012_10_17,
                    Some("2008-10-17") => Version::V2008_10_17,
                    _ => {
                        return Err(error(
                            value,
                            "Version must be \"2012-10-17\" or \"2008-10-17\"",
                        ))
                    }
                }
            }
            "Id" => id = Some(scalar_text(value, "Id")?),
            "Statement" => statement_node = Some(*value),
            other => {
                return Err(error(
                    key,
                    format!(
                        "unknown policy element \"{other}\" (expected Version, Id or Statement)"
                    ),
                ))
            }
        }
    }
    let Some(statement_node) = statement_node else {
        return Err(error(node, "the policy has no Statement"));
    };
    let statement_nodes: Vec<&Node> = match &statement_node.value {
        NodeValue::List(items) => items.iter().collect(),
        _ => vec![statement_node],
    };
    let statements = statement_nodes
        .into_iter()
        .map(|s| statement(s, version))
        .collect::<Result<Vec<_>>>()?;
    Ok(Policy {
        version,
        id,
        statements,
    })
}

fn statement(node: &Node, version: Version) -> Result<Statement> {
    let fields = entries(node, "a statement")?;
    let variables = version == Version::V2012_10_17;
    let mut sid = None;
    let mut effect = None;
    let mut principal: Option<PrincipalElement> = None;
    let mut action: Option<Target<Pattern>> = None;
    let mut resource: Option<Target<ArnPattern>> = None;
    let mut conditions = Vec::new();
    for (name, key, value) in fields {
        match name {
            "Sid" => sid = Some(scalar_text(value, "Sid")?),
            "Effect" => {
                effect = Some(match value.as_str() {
                    Some("Allow") => Effect::Allow,
                    Some("Deny") => Effect::Deny,
                    Some(other) => {
                        return Err(error(
                            value,
                            format!(
                        "Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"{other}\""
                    ),
                        ))
                    }
                    None => return Err(error(value, "Effect must be \"Allow\" or \"Deny\"")),
                })
            }
            "Principal" | "NotPrincipal" => {
                if principal.is_some() {
                    return Err(error(
                        key,
                        "a statement cannot have both Principal and NotPrincipal",
                    ));
                }
                principal = Some(PrincipalElement {
                    negated: name == "NotPrincipal",
                    principals: principals(value, name)?,
                    at: key.at,
                });
            }
            "Action" | "NotAction" => {
                if action.is_some() {
                    return Err(error(
                        key,
                        "a statement cannot have both Action and NotAction",
                    ));
                }
                action = Some(actions(key, value, name == "NotAction")?);
            }
            "Resource" | "NotResource" => {
                if resource.is_some() {
                    return Err(error(
                        key,
                        "a statement cannot have both Resource and NotResource",
                    ));
                }
                resource = Some(resources(key, value, name == "NotResource", variables)?);
            }
            "Condition" => conditions = condition_block(value, variables)?,
            other => {
                return Err(error(
                    key,
                    format!(
                        "unknown statement element \"{other}\" (expected Sid, Effect, Principal, \
                         NotPrincipal, Action, NotAction, Resource, NotResource or Condition)"
                    ),
                ))
            }
        }
    }
    let Some(effect) = effect else {
        return Err(error(node, "the statement has no Effect"));
    };
    let Some(action) = action else {
        return Err(error(
            node,
            "the statement has neither Action nor NotAction",
        ));
    };
    Ok(Statement {
        sid,
        effect,
        principal,
        action,
        resource,
        conditions,
        at: node.at,
    })
}

fn principals(node: &Node, element: &str) -> Result<Principals> {
    let mut out = Principals::default();
    if let Some(s) = node.as_str() {
        if s == "*" {
            out.aws.push(AwsPrincipal::Any);
            return Ok(out);
        }
        return Err(error(
            node,
            format!(
                "{element} must be \"*\" or a map with AWS, Service, Federated or CanonicalUser"
            ),
        ));
    }
    for (name, key, value) in entries(node, element)? {
        let list = string_list(value, &format!("{element}.{name}"))?;
        match name {
            "AWS" => {
                for (s, item) in list {
                    out.aws
                        .push(AwsPrincipal::parse(s).map_err(|m| error(item, m))?);
                }
            }
            "Service" => out.service.extend(list.iter().map(|(s, _)| s.to_string())),
            "Federated" => out.federated.extend(list.iter().map(|(s, _)| s.to_string())),
            "CanonicalUser" => out
                .canonical_user
                .extend(list.iter().map(|(s, _)| s.to_string())),
            other => {
                return Err(error(
                    key,
                    format!("unknown principal type \"{other}\" (expected AWS, Service, Federated or CanonicalUser)"),
                ))
            }
        }
    }
    Ok(out)
}

fn actions(key: &Node, node: &Node, negated: bool) -> Result<Target<Pattern>> {
    let syntax = Syntax {
        wildcards: true,
        variables: false,
    };
    let patterns = string_list(node, "Action")?
        .into_iter()
        .map(|(s, item)| {
            let well_formed = s == "*"
                || s.split_once(':').is_some_and(|(service, name)| {
                    !service.is_empty()
                        && !name.is_empty()
                        && service
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            if !well_formed {
                return Err(error(
                    item,
                    format!("action \"{s}\" must be \"*\" or service:action, e.g. sts:AssumeRole"),
                ));
            }
            Pattern::compile(s, syntax).map_err(|m| error(item, m))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Target {
        negated,
        patterns,
        at: key.at,
    })
}

fn resources(
    key: &Node,
    node: &Node,
    negated: bool,
    variables: bool,
) -> Result<Target<ArnPattern>> {
    let syntax = Syntax {
        wildcards: true,
        variables,
    };
    let patterns = string_list(node, "Resource")?
        .into_iter()
        .map(|(s, item)| {
            if s != "*" && !s.starts_with("arn:") {
                return Err(error(
                    item,
                    format!("resource \"{s}\" must be \"*\" or an ARN (arn:partition:service:region:account:resource)"),
                ));
            }
            ArnPattern::compile(s, syntax).map_err(|m| error(item, m))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Target {
        negated,
        patterns,
        at: key.at,
    })
}

fn condition_block(node: &Node, variables: bool) -> Result<Vec<Condition>> {
    let mut out = Vec::new();
    for (operator, op_key, keys) in entries(node, "Condition")? {
        let name = parse_operator_name(operator).map_err(|m| error(op_key, m))?;
        for (key, key_node, value) in entries(keys, &format!("the {operator} block"))? {
            let items: Vec<&Node> = match &value.value {
                NodeValue::List(items) if items.is_empty() => {
                    return Err(error(
                        value,
                        format!("condition key \"{key}\" has no values"),
                    ))
                }
                NodeValue::List(items) => items.iter().collect(),
                _ => vec![value],
            };
            let raw = items
                .iter()
                .map(|item| scalar_text(item, "a condition value"))
                .collect::<Result<Vec<_>>>()?;
            let mut condition = Condition::compile(name, key, &raw, variables)
                .map_err(|(i, m)| error(items[i], m))?;
            condition.at = key_node.at;
            out.push(condition);
        }
    }
    Ok(out)
}
