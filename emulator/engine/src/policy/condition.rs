//! Condition operators and their evaluation.
//!
//! Rules from the IAM User Guide (reference_policies_elements_condition_operators.md and
//! reference_policies_multi-value-conditions.md):
//! - a key missing from the request makes a condition false, except that negated operators
//!   (`StringNotEquals`, `ArnNotLike`, ...) are then true, `...IfExists` is then true, and
//!   `Null` tests exactly for absence;
//! - several values of one key are OR'ed; a negated operator must match none of them;
//! - `ForAllValues:` is true when every request value matches, and also when the key is
//!   missing or its set is empty; `ForAnyValue:` needs one match and is false when the key
//!   is missing or its set is empty;
//! - variables are allowed in String, ARN and Bool operators; not in Numeric, Date,
//!   Binary, IP or Null ones (Date is not stated; values there are read literally).

use super::eval::RequestValues;
use super::pattern::{ArnPattern, Pattern, Syntax};
use crate::Location;
use base64::Engine;
use ipnet::IpNet;
use std::net::IpAddr;

/// The base operators, without qualifier or `IfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

use Operator::*;

const ALL: [Operator; 27] = [
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
];

impl Operator {
    /// The operator's name as written in policies.
    pub fn name(self) -> &'static str {
        match self {
            StringEquals => "StringEquals",
            StringNotEquals => "StringNotEquals",
            StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            StringLike => "StringLike",
            StringNotLike => "StringNotLike",
            NumericEquals => "NumericEquals",
            NumericNotEquals => "NumericNotEquals",
            NumericLessThan => "NumericLessThan",
            NumericLessThanEquals => "NumericLessThanEquals",
            NumericGreaterThan => "NumericGreaterThan",
            NumericGreaterThanEquals => "NumericGreaterThanEquals",
            DateEquals => "DateEquals",
            DateNotEquals => "DateNotEquals",
            DateLessThan => "DateLessThan",
            DateLessThanEquals => "DateLessThanEquals",
            DateGreaterThan => "DateGreaterThan",
            DateGreaterThanEquals => "DateGreaterThanEquals",
            Bool => "Bool",
            BinaryEquals => "BinaryEquals",
            IpAddress => "IpAddress",
            NotIpAddress => "NotIpAddress",
            ArnEquals => "ArnEquals",
            ArnLike => "ArnLike",
            ArnNotEquals => "ArnNotEquals",
            ArnNotLike => "ArnNotLike",
            Null => "Null",
        }
    }

    /// Operators that are true when their key is absent: the negated ones.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }
}

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// The policy-side values of one condition, compiled for its operator.
#[derive(Debug, Clone, PartialEq)]
enum Values {
    /// String operators and Bool (compared case-insensitively for Bool).
    Text(Vec<Pattern>),
    Numbers(Vec<f64>),
    Dates(Vec<i64>),
    Binary(Vec<Vec<u8>>),
    Networks(Vec<IpNet>),
    Arns(Vec<ArnPattern>),
    /// `Null`: true means "the key must be absent".
    Absent(bool),
}

/// One operator applied to one key, e.g. `"StringEquals": {"aws:username": ["a", "b"]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: Operator,
    pub qualifier: Option<SetQualifier>,
    pub if_exists: bool,
    /// The key as written; lookups ignore case.
    pub key: String,
    values: Values,
    pub at: Location,
}

/// An operator name split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperatorName {
    pub operator: Operator,
    pub qualifier: Option<SetQualifier>,
    pub if_exists: bool,
}

/// Reads `ForAnyValue:StringLikeIfExists` and the like; operator names are spelt exactly as
/// AWS documents them.
pub fn parse_operator_name(full: &str) -> Result<OperatorName, String> {
    let (qualifier, rest) = if let Some(rest) = full.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::ForAllValues), rest)
    } else if let Some(rest) = full.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::ForAnyValue), rest)
    } else {
        (None, full)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(base) => (base, true),
        None => (rest, false),
    };
    let operator = ALL
        .iter()
        .copied()
        .find(|op| op.name() == base)
        .ok_or_else(|| format!("unknown condition operator \"{full}\""))?;
    if operator == Null && if_exists {
        return Err("the Null operator cannot take the IfExists suffix".to_string());
    }
    Ok(OperatorName {
        operator,
        qualifier,
        if_exists,
    })
}

impl Condition {
    /// Compiles the policy values of one condition. `variables` is whether the document's
    /// version allows policy variables. Errors name the offending value.
    pub fn compile(
        name: OperatorName,
        key: &str,
        raw: &[String],
        variables: bool,
    ) -> Result<Condition, (usize, String)> {
        let op = name.operator;
        let each = |f: &dyn Fn(&str) -> Result<(), String>| {
            raw.iter()
                .enumerate()
                .try_for_each(|(i, v)| f(v).map_err(|m| (i, m)))
        };
        let values = match op {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike
            | Bool => {
                let wildcards = matches!(op, StringLike | StringNotLike);
                if op == Bool {
                    each(&|v| {
                        let ok = v.eq_ignore_ascii_case("true")
                            || v.eq_ignore_ascii_case("false")
                            || (variables && v.contains("${"));
                        ok.then_some(())
                            .ok_or_else(|| format!("Bool needs \"true\" or \"false\", not \"{v}\""))
                    })?;
                }
                let syntax = Syntax {
                    wildcards,
                    variables,
                };
                Values::Text(compile_all(raw, |v| Pattern::compile(v, syntax))?)
            }
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Values::Numbers(compile_all(raw, |v| {
                v.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| format!("{} needs a number, not \"{v}\"", op.name()))
            })?),
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Values::Dates(compile_all(raw, |v| {
                super::date::parse_millis(v).ok_or_else(|| {
                    format!(
                        "{} needs an ISO 8601 date or epoch seconds, not \"{v}\"",
                        op.name()
                    )
                })
            })?),
            BinaryEquals => Values::Binary(compile_all(raw, |v| {
                base64::engine::general_purpose::STANDARD
                    .decode(v)
                    .map_err(|_| format!("BinaryEquals needs a base64 value, not \"{v}\""))
            })?),
            IpAddress | NotIpAddress => Values::Networks(compile_all(raw, |v| {
                parse_network(v).ok_or_else(|| {
                    format!(
                        "{} needs an IP address or CIDR block, not \"{v}\"",
                        op.name()
                    )
                })
            })?),
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => {
                let syntax = Syntax {
                    wildcards: true,
                    variables,
                };
                Values::Arns(compile_all(raw, |v| ArnPattern::compile(v, syntax))?)
            }
            Null => {
                let [one] = raw else {
                    return Err((
                        0,
                        "Null takes exactly one value, \"true\" or \"false\"".into(),
                    ));
                };
                if one.eq_ignore_ascii_case("true") {
                    Values::Absent(true)
                } else if one.eq_ignore_ascii_case("false") {
                    Values::Absent(false)
                } else {
                    return Err((
                        0,
                        format!("Null needs \"true\" or \"false\", not \"{one}\""),
                    ));
                }
            }
        };
        Ok(Condition {
            operator: op,
            qualifier: name.qualifier,
            if_exists: name.if_exists,
            key: key.to_string(),
            values,
            at: Location::UNKNOWN,
        })
    }

    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn operator_name(&self) -> String {
        let qualifier = match self.qualifier {
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{qualifier}{}{suffix}", self.operator.name())
    }

    /// Evaluates the condition against the request.
    pub fn evaluate(&self, request: &dyn RequestValues) -> bool {
        let found = request.lookup(&self.key).filter(|v| !v.is_empty());
        if let Values::Absent(must_be_absent) = self.values {
            return must_be_absent == found.is_none();
        }
        let Some(found) = found else {
            if self.if_exists {
                return true;
            }
            return match self.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => self.operator.is_negated(),
            };
        };
        let negated = self.operator.is_negated();
        // A request value satisfies a negated operator when it matches none of the
        // policy values.
        let satisfies = |v: &String| self.any_policy_value_matches(v, request) != negated;
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => found.iter().all(satisfies),
            Some(SetQualifier::ForAnyValue) => found.iter().any(satisfies),
            // Without a qualifier, a multivalued key is read like a set that must match
            // as a whole: some value for positive operators, no value for negated ones.
            None => {
                let any = found
                    .iter()
                    .any(|v| self.any_policy_value_matches(v, request));
                any != negated
            }
        }
    }

    /// Whether `value` matches one of the policy values under the positive form of the
    /// operator (`StringEquals` for `StringNotEquals`, ...). A request value that is not
    /// of the operator's type matches nothing.
    fn any_policy_value_matches(&self, value: &str, request: &dyn RequestValues) -> bool {
        match &self.values {
            Values::Text(patterns) => {
                let fold_case = matches!(
                    self.operator,
                    StringEqualsIgnoreCase | StringNotEqualsIgnoreCase | Bool
                );
                patterns
                    .iter()
                    .any(|p| p.matches(value, fold_case, request))
            }
            Values::Numbers(numbers) => {
                let Some(v) = value.trim().parse::<f64>().ok() else {
                    return false;
                };
                numbers
                    .iter()
                    .any(|&n| compare(self.operator, v.partial_cmp(&n)))
            }
            Values::Dates(dates) => {
                let Some(v) = super::date::parse_millis(value) else {
                    return false;
                };
                dates
                    .iter()
                    .any(|&d| compare(self.operator, Some(v.cmp(&d))))
            }
            Values::Binary(blobs) => {
                let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(value) else {
                    return false;
                };
                blobs.contains(&bytes)
            }
            Values::Networks(nets) => {
                let Some(ip) = parse_network(value) else {
                    return false;
                };
                nets.iter().any(|n| n.contains(&ip))
            }
            Values::Arns(patterns) => patterns.iter().any(|p| p.matches(value, request)),
            Values::Absent(_) => false,
        }
    }

    /// The policy values as written, for traces.
    pub fn value_texts(&self) -> Vec<String> {
        match &self.values {
            Values::Text(p) => p.iter().map(|p| p.source().to_string()).collect(),
            Values::Numbers(n) => n.iter().map(|n| n.to_string()).collect(),
            Values::Dates(d) => d.iter().map(|d| format!("{d}ms")).collect(),
            Values::Binary(b) => b
                .iter()
                .map(|b| base64::engine::general_purpose::STANDARD.encode(b))
                .collect(),
            Values::Networks(n) => n.iter().map(|n| n.to_string()).collect(),
            Values::Arns(a) => a.iter().map(ArnPattern::source).collect(),
            Values::Absent(a) => vec![a.to_string()],
        }
    }
}

fn compile_all<T>(
    raw: &[String],
    f: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, (usize, String)> {
    raw.iter()
        .enumerate()
        .map(|(i, v)| f(v).map_err(|m| (i, m)))
        .collect()
}

/// The ordering test of the Numeric and Date operators (positive forms).
fn compare(op: Operator, ord: Option<std::cmp::Ordering>) -> bool {
    use std::cmp::Ordering::*;
    let Some(ord) = ord else { return false };
    match op {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => ord == Equal,
        NumericLessThan | DateLessThan => ord == Less,
        NumericLessThanEquals | DateLessThanEquals => ord != Greater,
        NumericGreaterThan | DateGreaterThan => ord == Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => ord != Less,
        _ => false,
    }
}

/// A CIDR block, or a bare address read as a single-host network ("/32" for IPv4).
fn parse_network(s: &str) -> Option<IpNet> {
    let s = s.trim();
    s.parse::<IpNet>()
        .ok()
        .or_else(|| s.parse::<IpAddr>().ok().map(IpNet::from))
}
