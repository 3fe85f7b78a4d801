//! EC2 `Filter.N.Name` / `Filter.N.Value.M` filters.
//!
//! Values OR within a filter and filters AND together; values may use `*` and `?` wildcards
//! (EC2 API reference, "List and filter using the CLI and API").

use crate::services::AwsError;
use rolecall_wire::form::Params;

/// One filter: a name and the values any of which may match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub name: String,
    pub values: Vec<String>,
}

impl Filter {
    /// True when any of the filter's values matches `candidate`.
    pub fn matches(&self, candidate: &str) -> bool {
        self.values.iter().any(|v| wildcard_match(v, candidate))
    }
}

/// At most this many filter values in one call, all filters together (observed:
/// FilterLimitExceeded "The maximum number of filter values specified on a single call is
/// 200", e.g. aws/aws-sdk-java#320 and public reports from DescribeInstances and DescribeTags).
const MAX_FILTER_VALUES: usize = 200;
/// The longest a filter value may be (observed: FilterLimitExceeded "The maximum length for a
/// filter value is 255 characters", ansible-collections/amazon.aws#2393).
const MAX_FILTER_VALUE_CHARS: usize = 255;

fn limit_exceeded(message: &'static str) -> AwsError {
    AwsError::new(400, "FilterLimitExceeded", message)
}

/// Reads the request's filters: first the call's limits on values (FilterLimitExceeded), then
/// the names, refusing one the action does not know with EC2's text (observed:
/// InvalidParameterValue "The filter 'x' is invalid").
pub fn parse(params: &Params, known: impl Fn(&str) -> bool) -> Result<Vec<Filter>, AwsError> {
    let views = params.structs("Filter");
    let mut values = 0;
    for view in &views {
        for value in view.flat_list("Value") {
            values += 1;
            if values > MAX_FILTER_VALUES {
                return Err(limit_exceeded(
                    "The maximum number of filter values specified on a single call is 200",
                ));
            }
            if value.chars().count() > MAX_FILTER_VALUE_CHARS {
                return Err(limit_exceeded(
                    "The maximum length for a filter value is 255 characters",
                ));
            }
        }
    }
    let mut filters = Vec::with_capacity(views.len());
    for view in views {
        let Some(name) = view.get("Name") else {
            return Err(AwsError::new(
                400,
                "InvalidParameterValue",
                "The filter 'null' is invalid",
            ));
        };
        if !known(name) {
            return Err(AwsError::new(
                400,
                "InvalidParameterValue",
                format!("The filter '{name}' is invalid"),
            ));
        }
        let values: Vec<String> = view
            .flat_list("Value")
            .into_iter()
            .map(str::to_string)
            .collect();
        filters.push(Filter {
            name: name.to_string(),
            values,
        });
    }
    Ok(filters)
}

/// The tag filters most Describe actions share: `tag:<key>` (the tag's value under that key),
/// `tag-key` and `tag-value`. `None` when `filter` is not one of them.
pub fn tag_filter(filter: &Filter, tags: &[(String, String)]) -> Option<bool> {
    let name = filter.name.as_str();
    Some(if let Some(key) = name.strip_prefix("tag:") {
        tags.iter().any(|(k, v)| k == key && filter.matches(v))
    } else if name == "tag-key" {
        tags.iter().any(|(k, _)| filter.matches(k))
    } else if name == "tag-value" {
        tags.iter().any(|(_, v)| filter.matches(v))
    } else {
        return None;
    })
}

/// A filter test for a boolean member, which EC2 compares as `true` / `false`.
pub fn matches_bool(filter: &Filter, value: bool) -> bool {
    filter.matches(if value { "true" } else { "false" })
}

/// True when the name is a tag filter or one of `names`.
pub fn known_or_tag(names: &[&str], name: &str) -> bool {
    name.starts_with("tag:") || name == "tag-key" || names.contains(&name)
}

/// `*` matches any run of characters, `?` exactly one; everything else literally.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards_match_as_ec2_documents() {
        assert!(wildcard_match("web-*", "web-1"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("i-0?3", "i-023"));
        assert!(!wildcard_match("web-?", "web-12"));
        assert!(wildcard_match("*prod*", "eu-prod-1"));
        assert!(!wildcard_match("prod", "Prod"));
    }
}
