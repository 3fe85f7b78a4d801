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
    pub request_id: String,
    pub caller: String,
    pub action: String,
    pub resource: String,
    pub decision: Decision,
    /// AWS's sentence for a denial.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Trace>,
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
            .filter(|r| r.request_id == request_id)
            .collect()
    }
}

impl Default for DecisionLog {
    fn default() -> Self {
        DecisionLog::new(Self::DEFAULT_CAPACITY)
    }
}
