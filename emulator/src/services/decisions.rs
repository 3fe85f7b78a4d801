//! The recent authorization decisions, so a denial can be explained after the fact:
//! `GET /_rolecall/requests/<RequestId>` reads them.
//!
//! A fixed ring of slots written with one atomic increment and one atomic pointer swap: the
//! request path never takes a lock and memory stays bounded however long the server runs.
//! Denials carry the engine's full trace (every policy and statement considered); allowed
//! decisions carry the allowing policy and statement, which is what explains them.

use crate::authz::{Decision, Trace};
use arc_swap::ArcSwapOption;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// One decision of one request (a request may need several, e.g. AssumeRole with tags).
#[derive(Debug, Clone, Serialize)]
pub struct DecisionRecord {
    /// The request id, caller, action and resource (each a field of the JSON).
    #[serde(flatten)]
    pub names: Names,
    pub decision: Decision,
    /// AWS's sentence for a denial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Trace>,
}

/// The texts that name a decision, kept in one allocation rather than four: every allowed
/// request records one, and most records are overwritten without ever being read.
#[derive(Debug, Clone)]
pub struct Names {
    /// The request id, caller ARN, action and resource, one after another.
    text: Box<str>,
    /// Where the first three end in `text`.
    ends: [usize; 3],
}

impl Names {
    pub fn new(request_id: &str, caller: &str, action: &str, resource: &str) -> Names {
        let mut text =
            String::with_capacity(request_id.len() + caller.len() + action.len() + resource.len());
        let mut ends = [0; 3];
        for (end, part) in ends.iter_mut().zip([request_id, caller, action]) {
            text.push_str(part);
            *end = text.len();
        }
        text.push_str(resource);
        Names {
            text: text.into_boxed_str(),
            ends,
        }
    }

    pub fn request_id(&self) -> &str {
        &self.text[..self.ends[0]]
    }

    pub fn caller(&self) -> &str {
        &self.text[self.ends[0]..self.ends[1]]
    }

    pub fn action(&self) -> &str {
        &self.text[self.ends[1]..self.ends[2]]
    }

    pub fn resource(&self) -> &str {
        &self.text[self.ends[2]..]
    }
}

impl Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("request_id", self.request_id())?;
        map.serialize_entry("caller", self.caller())?;
        map.serialize_entry("action", self.action())?;
        map.serialize_entry("resource", self.resource())?;
        map.end()
    }
}

pub struct DecisionLog {
    slots: Box<[ArcSwapOption<DecisionRecord>]>,
    next: AtomicUsize,
}

impl DecisionLog {
    /// How many decisions are kept: enough for a test run or an interactive session.
    pub const DEFAULT_CAPACITY: usize = 4096;

    pub fn new(capacity: usize) -> DecisionLog {
        DecisionLog {
            slots: (0..capacity.max(1))
                .map(|_| ArcSwapOption::empty())
                .collect(),
            next: AtomicUsize::new(0),
        }
    }

    pub fn record(&self, record: DecisionRecord) {
        let at = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len();
        self.slots[at].store(Some(Arc::new(record)));
    }

    /// The decisions recorded for a request, oldest first (an admin-path scan).
    pub fn find(&self, request_id: &str) -> Vec<Arc<DecisionRecord>> {
        let end = self.next.load(Ordering::Relaxed);
        let len = self.slots.len();
        let start = end.saturating_sub(len);
        (start..end)
            .filter_map(|i| self.slots[i % len].load_full())
            .filter(|r| r.names.request_id() == request_id)
            .collect()
    }
}

impl Default for DecisionLog {
    fn default() -> Self {
        DecisionLog::new(Self::DEFAULT_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_four_texts_apart() {
        let names = Names::new(
            "req-1",
            "arn:aws:iam::111111111111:user/a",
            "sts:AssumeRole",
            "*",
        );
        assert_eq!(names.request_id(), "req-1");
        assert_eq!(names.caller(), "arn:aws:iam::111111111111:user/a");
        assert_eq!(names.action(), "sts:AssumeRole");
        assert_eq!(names.resource(), "*");
        assert_eq!(
            serde_json::to_value(&names).unwrap(),
            serde_json::json!({
                "request_id": "req-1",
                "caller": "arn:aws:iam::111111111111:user/a",
                "action": "sts:AssumeRole",
                "resource": "*",
            })
        );
    }
}
