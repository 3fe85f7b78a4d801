//! The recent authorization decisions, so a denial can be explained after the fact:
//! `GET /_rolecall/requests/<RequestId>` reads them.
//!
//! A fixed ring of slots, so memory stays bounded however long the server runs. A request
//! claims the next slot with one atomic increment and overwrites the record there in place,
//! reusing its buffers: an allowed request, by far the most common, records its decision
//! without allocating or freeing anything. Each slot has its own lock, which the request path
//! only ever tries: a slot that is busy (being read by an explanation, the one other user of a
//! slot) is passed over for the next one, so a request never waits.
//! Denials carry the engine's full trace (every policy and statement considered); allowed
//! decisions carry the allowing policy and statement, which is what explains them.

use rolecall_engine::authz::{Decision, Trace};
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

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

/// The texts that name a decision, kept in one buffer rather than four: every allowed
/// request records one, and most records are overwritten without ever being read.
#[derive(Debug, Clone)]
pub struct Names {
    /// The request id, caller ARN, action and resource, one after another.
    text: String,
    /// Where the first three end in `text`.
    ends: [usize; 3],
}

impl Names {
    pub fn new(request_id: &str, caller: &str, action: &str, resource: &str) -> Names {
        let mut names = Names {
            text: String::with_capacity(
                request_id.len() + caller.len() + action.len() + resource.len(),
            ),
            ends: [0; 3],
        };
        names.set(request_id, caller, action, resource);
        names
    }

    /// Replaces the four texts, in the same buffer when they fit.
    fn set(&mut self, request_id: &str, caller: &str, action: &str, resource: &str) {
        self.text.clear();
        for (end, part) in self.ends.iter_mut().zip([request_id, caller, action]) {
            self.text.push_str(part);
            *end = self.text.len();
        }
        self.text.push_str(resource);
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

/// What a request records: its names and the engine's decision, with AWS's sentence and the
/// trace for a denial.
pub struct Entry<'a> {
    /// The request id, caller ARN, action and resource.
    pub names: [&'a str; 4],
    pub decision: &'a Decision,
    pub message: Option<String>,
    pub trace: Option<Trace>,
}

pub struct DecisionLog {
    slots: Box<[Mutex<Option<DecisionRecord>>]>,
    next: AtomicUsize,
}

impl DecisionLog {
    /// How many decisions are kept: enough for a test run or an interactive session.
    pub const DEFAULT_CAPACITY: usize = 4096;

    /// How many busy slots a request passes over before it waits for one. A slot is busy only
    /// while an explanation copies its record out, and an explanation holds one slot at a
    /// time, so the second slot tried is free unless the ring has wrapped around during one
    /// record, which takes as many requests in flight as there are slots.
    const TRIES: usize = 4;

    pub fn new(capacity: usize) -> DecisionLog {
        DecisionLog {
            slots: (0..capacity.max(1)).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
        }
    }

    pub fn record(&self, entry: Entry<'_>) {
        let mut slot = self.claim();
        let [request_id, caller, action, resource] = entry.names;
        match &mut *slot {
            Some(record) => {
                record.names.set(request_id, caller, action, resource);
                record.decision.clone_from(entry.decision);
                record.message = entry.message;
                record.trace = entry.trace;
            }
            empty => {
                *empty = Some(DecisionRecord {
                    names: Names::new(request_id, caller, action, resource),
                    decision: entry.decision.clone(),
                    message: entry.message,
                    trace: entry.trace,
                })
            }
        }
    }

    /// The next slot whose lock is free (see `TRIES`).
    fn claim(&self) -> MutexGuard<'_, Option<DecisionRecord>> {
        for _ in 1..Self::TRIES {
            match self
                .slot(self.next.fetch_add(1, Ordering::Relaxed))
                .try_lock()
            {
                Ok(slot) => return slot,
                // `record` writes every field of the slot, so whatever a write that panicked
                // left half-done is replaced.
                Err(TryLockError::Poisoned(poisoned)) => return poisoned.into_inner(),
                Err(TryLockError::WouldBlock) => continue,
            }
        }
        self.slot(self.next.fetch_add(1, Ordering::Relaxed))
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn slot(&self, index: usize) -> &Mutex<Option<DecisionRecord>> {
        &self.slots[index % self.slots.len()]
    }

    /// The decisions recorded for a request, oldest first (an admin-path scan).
    pub fn find(&self, request_id: &str) -> Vec<DecisionRecord> {
        let end = self.next.load(Ordering::Relaxed);
        let start = end.saturating_sub(self.slots.len());
        (start..end)
            .filter_map(|i| {
                let slot = self.slot(i).lock().unwrap_or_else(PoisonError::into_inner);
                slot.as_ref()
                    .filter(|r| r.names.request_id() == request_id)
                    .cloned()
            })
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
    use rolecall_engine::authz::{MessageForm, Outcome, StatementRef};
    use rolecall_engine::policy::PolicyType;

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

    fn decision(outcome: Outcome, policy: &str, sid: Option<&str>) -> Decision {
        Decision {
            outcome,
            policy_type: Some(PolicyType::IdentityBased),
            policy: Some(policy.to_string()),
            statement: Some(StatementRef {
                index: 0,
                sid: sid.map(str::to_string),
            }),
            level: None,
            form: MessageForm::Allowed,
        }
    }

    fn allowed(log: &DecisionLog, request_id: &str, caller: &str, decision: &Decision) {
        log.record(Entry {
            names: [request_id, caller, "sts:AssumeRole", "*"],
            decision,
            message: None,
            trace: None,
        });
    }

    #[test]
    fn a_request_finds_its_own_decisions_until_the_ring_overwrites_them() {
        let log = DecisionLog::new(4);
        let d = decision(Outcome::Allow, "Admin", None);
        for i in 0..6 {
            allowed(
                &log,
                &format!("req-{i}"),
                "arn:aws:iam::111111111111:user/a",
                &d,
            );
        }
        allowed(&log, "req-5", "arn:aws:iam::111111111111:user/a", &d);
        assert!(log.find("req-0").is_empty());
        assert!(log.find("req-2").is_empty());
        assert_eq!(log.find("req-3").len(), 1);
        assert_eq!(log.find("req-5").len(), 2, "both of req-5's decisions");
    }

    #[test]
    fn an_overwritten_record_keeps_nothing_of_the_one_before() {
        let log = DecisionLog::new(1);
        let denied = Decision {
            form: MessageForm::WithReason,
            level: Some("r-root".to_string()),
            ..decision(
                Outcome::ImplicitDeny,
                "a-much-longer-policy-name",
                Some("Sid1"),
            )
        };
        log.record(Entry {
            names: [
                "req-long",
                "arn:aws:iam::111111111111:user/with-a-long-name",
                "ec2:DescribeInstances",
                "*",
            ],
            decision: &denied,
            message: Some("User: … is not authorized".to_string()),
            trace: Some(Trace::default()),
        });
        let allow = decision(Outcome::Allow, "P", None);
        allowed(&log, "r", "arn:aws:iam::111111111111:user/b", &allow);
        let found = log.find("r");
        assert_eq!(found.len(), 1);
        let record = &found[0];
        assert_eq!(record.names.request_id(), "r");
        assert_eq!(record.names.caller(), "arn:aws:iam::111111111111:user/b");
        assert_eq!(record.names.action(), "sts:AssumeRole");
        assert_eq!(record.names.resource(), "*");
        assert_eq!(record.decision, allow);
        assert!(record.message.is_none() && record.trace.is_none());
        assert!(log.find("req-long").is_empty());
    }

    #[test]
    fn a_slot_being_read_is_passed_over_not_waited_for() {
        let log = DecisionLog::new(4);
        let d = decision(Outcome::Allow, "Admin", None);
        let busy = log.slots[0].lock().unwrap();
        allowed(&log, "req-1", "arn:aws:iam::111111111111:user/a", &d);
        drop(busy);
        assert!(log.slots[0].lock().unwrap().is_none());
        assert_eq!(log.find("req-1").len(), 1);
    }
}
