//! `MaxResults` / `NextToken` paging, the same way for every action that pages.
//!
//! Results are kept sorted by id, so a page token only needs the last id of the page it
//! follows: the next page starts with a binary search for it, and a page costs what it holds
//! (plus the items a filter skips), never the whole inventory.

use crate::services::AwsError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// How one action pages (EC2 API reference, each action's `MaxResults`).
pub(crate) struct PageRule {
    /// The action, so a token from one action is not accepted by another.
    pub action: &'static str,
    pub min: i64,
    pub max: i64,
    /// DescribeVolumes returns at most `max` items for a larger value instead of failing.
    pub clamp_above_max: bool,
    /// The id list's wire name when AWS refuses ids and `MaxResults` together
    /// (`InvalidParameterCombination` "The parameter {name} cannot be used with the parameter
    /// maxResults"), `None` when it pages the listed ids like anything else.
    pub ids_exclude_paging: Option<&'static str>,
}

/// The page a request asks for.
pub(crate) struct Paging {
    size: Option<usize>,
    after: Option<String>,
    action: &'static str,
}

/// Reads `MaxResults` and `NextToken`; `ids_given` says whether the request lists ids.
pub(crate) fn read(
    params: &rolecall_wire::form::Params,
    rule: &PageRule,
    ids_given: bool,
) -> Result<Paging, AwsError> {
    let max_results = params.get("MaxResults");
    if let (Some(name), true, Some(_)) = (rule.ids_exclude_paging, ids_given, max_results) {
        return Err(AwsError::new(
            400,
            "InvalidParameterCombination",
            format!("The parameter {name} cannot be used with the parameter maxResults"),
        ));
    }
    let size = match max_results {
        None => None,
        Some(text) => Some(page_size(text, rule)?),
    };
    let after = match params.get("NextToken") {
        None => None,
        Some(token) => Some(decode(token, rule.action)?),
    };
    Ok(Paging {
        size,
        after,
        action: rule.action,
    })
}

fn page_size(text: &str, rule: &PageRule) -> Result<usize, AwsError> {
    let n: i64 = text.trim().parse().map_err(|_| {
        AwsError::new(
            400,
            "InvalidParameterValue",
            format!("Invalid value '{text}' for maxResults"),
        )
    })?;
    if n < rule.min {
        // Observed AWS text (DescribeInstances), spaces inside the parentheses included.
        return Err(AwsError::new(
            400,
            "InvalidParameterValue",
            format!(
                "Value ( {n} ) for parameter maxResults is invalid. Expecting a value greater than {}.",
                rule.min
            ),
        ));
    }
    if n > rule.max && !rule.clamp_above_max {
        // Modelled on the observed lower-bound text.
        return Err(AwsError::new(
            400,
            "InvalidParameterValue",
            format!(
                "Value ( {n} ) for parameter maxResults is invalid. Expecting a value less than or equal to {}.",
                rule.max
            ),
        ));
    }
    // Between the rule's bounds, which are positive (DescribeVolumes clamps to the upper).
    Ok(usize::try_from(n.min(rule.max)).unwrap_or(0))
}

impl Paging {
    /// The requested page of `sorted` (ordered by `key`) among the items `keep` accepts, and the
    /// token of the next page when there is one.
    pub(crate) fn select<'a, T>(
        &self,
        sorted: &'a [T],
        key: impl Fn(&T) -> &str,
        keep: impl Fn(&T) -> bool,
    ) -> (Vec<&'a T>, Option<String>) {
        self.select_by(
            sorted,
            |item, after| key(item) <= after,
            |item| key(item).to_string(),
            keep,
        )
    }

    /// [`select`](Self::select) for items whose key is made rather than held: `up_to(item,
    /// after)` says whether the item sorts at or before the key `after`, `key` makes the key.
    pub(crate) fn select_by<'a, T>(
        &self,
        sorted: &'a [T],
        up_to: impl Fn(&T, &str) -> bool,
        key: impl Fn(&T) -> String,
        keep: impl Fn(&T) -> bool,
    ) -> (Vec<&'a T>, Option<String>) {
        let start = match &self.after {
            None => 0,
            Some(after) => sorted.partition_point(|item| up_to(item, after)),
        };
        let limit = self.size.map_or(usize::MAX, |n| n.saturating_add(1));
        let candidates = &sorted[start..];
        // Room for a page of up to EC2's largest MaxResults at once: a filtered iterator gives
        // no size, and growing the page by doubling copies it several times. Not room for all
        // candidates: a filter that keeps a few of a large inventory needs no large buffer.
        const ROOM: usize = 1000;
        let mut page = Vec::with_capacity(limit.min(candidates.len()).min(ROOM));
        page.extend(candidates.iter().filter(|item| keep(item)).take(limit));
        match self.size {
            Some(n) if page.len() > n => {
                page.truncate(n);
                let token = encode(self.action, &key(page[n - 1]));
                (page, Some(token))
            }
            _ => (page, None),
        }
    }
}

/// Tokens are opaque to clients: the action and the last key of the page, base64url-encoded.
fn encode(action: &str, last_key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{action}:{last_key}"))
}

fn decode(token: &str, action: &str) -> Result<String, AwsError> {
    URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.strip_prefix(action)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(str::to_string)
        })
        .ok_or_else(|| {
            AwsError::new(
                400,
                "InvalidParameterValue",
                format!("Invalid value '{token}' for nextToken"),
            )
        })
}
