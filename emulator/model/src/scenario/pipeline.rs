//! Building EC2 inventories while the YAML is still being read.
//!
//! In a large generated scenario (a thousand accounts, hundreds of instances each) reading the
//! YAML and building the inventories each take about half of the load. An account's inventory
//! depends only on that account's own `ec2` and `opt_in_regions` sections, so it can be built
//! as soon as the account has been read: [`parse_and_prebuild`] runs the parser on the calling
//! thread and hands each account's EC2 sections, as they are read, to worker threads
//! ([`accounts`] is the hand-off point, wired into [`ScenarioSpec`](super::spec::ScenarioSpec)).
//!
//! Nothing else changes: the builder takes the prebuilt inventory and its problems instead of
//! building the inventory itself, and problems are still reported in file order. Small files
//! are parsed without workers, since starting threads would cost more than it saves.

use super::build::Problems;
use super::ec2::build_inventory;
use super::spanned::Spanned;
use super::spec::{AccountSpec, RegionInventorySpec};
use crate::inventory::AccountInventory;
use serde::de::{Deserializer, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::mpsc::{channel, Receiver, Sender};

/// Below this many bytes of YAML the inventories are built after parsing, on one thread.
pub(crate) const PIPELINE_THRESHOLD: usize = 256 * 1024;

/// An account's inventory built during the parse, with the problems found building it.
pub(crate) type Prebuilt = (AccountInventory, Problems);

/// One account's EC2 sections, moved out of its spec for a worker to build.
struct Job {
    index: usize,
    account: String,
    ec2: HashMap<Spanned<String>, RegionInventorySpec>,
    opt_in: Vec<Spanned<String>>,
}

/// An account's EC2 sections, by region (handed back to the reader once built, to be freed there).
type Ec2Sections = HashMap<Spanned<String>, RegionInventorySpec>;

/// The workers' queues, seen by [`accounts`] while [`parse_and_prebuild`] runs its parser.
struct Handoff {
    workers: Vec<Sender<Job>>,
    next: usize,
    /// Sections the workers are done with. The parsing thread frees them as it goes: freeing
    /// memory that another thread allocated is the allocator's slow path, and holding them all
    /// to the end would double the peak memory of a large load.
    spent: Receiver<Ec2Sections>,
}

thread_local! {
    static HANDOFF: RefCell<Option<Handoff>> = const { RefCell::new(None) };
}

/// Runs `parse` on this thread with `workers` threads building the inventories of the accounts
/// it reads; answers what `parse` answered and, by account index, the prebuilt inventories.
pub(crate) fn parse_and_prebuild<T>(
    workers: usize,
    parse: impl FnOnce() -> T,
) -> (T, Vec<Option<Prebuilt>>) {
    std::thread::scope(|scope| {
        let mut queues = Vec::with_capacity(workers);
        let mut handles = Vec::with_capacity(workers);
        let (spent_tx, spent_rx) = channel::<Ec2Sections>();
        for _ in 0..workers.max(1) {
            let (tx, rx) = channel::<Job>();
            let spent = spent_tx.clone();
            queues.push(tx);
            handles.push(scope.spawn(move || {
                rx.into_iter()
                    .map(|job| {
                        let built = prebuild(&job.account, &job.ec2, &job.opt_in);
                        // Only fails once the parsing thread has stopped listening, and then
                        // the section is simply freed here.
                        let _ = spent.send(job.ec2);
                        (job.index, built)
                    })
                    .collect::<Vec<_>>()
            }));
        }
        drop(spent_tx);
        HANDOFF.with(|h| {
            *h.borrow_mut() = Some(Handoff {
                workers: queues,
                next: 0,
                spent: spent_rx,
            })
        });
        let parsed = parse();
        // Dropping the queues tells the workers that no more accounts are coming.
        let spent = HANDOFF
            .with(|h| h.borrow_mut().take())
            .map(|handoff| handoff.spent);
        let mut prebuilt: Vec<Option<Prebuilt>> = Vec::new();
        for handle in handles {
            let built = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (index, item) in built {
                if prebuilt.len() <= index {
                    prebuilt.resize_with(index + 1, || None);
                }
                prebuilt[index] = Some(item);
            }
        }
        if let Some(spent) = spent {
            spent.try_iter().for_each(drop);
        }
        (parsed, prebuilt)
    })
}

/// Builds one account's inventory from its EC2 sections, apart from the rest of the load: the
/// problems found come back with it, for the builder to report in file order.
pub(crate) fn prebuild(account: &str, ec2: &Ec2Sections, opt_in: &[Spanned<String>]) -> Prebuilt {
    let mut problems = Problems::default();
    let inventory = build_inventory(account, ec2, opt_in, &mut problems);
    (inventory, problems)
}

/// Reads the `accounts` list; while [`parse_and_prebuild`] is running, each account's EC2
/// sections go to a worker as soon as the account has been read (its spec keeps an empty `ec2`).
pub(crate) fn accounts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<AccountSpec>, D::Error> {
    struct Accounts;
    impl<'de> Visitor<'de> for Accounts {
        type Value = Vec<AccountSpec>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of accounts")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(mut account) = seq.next_element::<AccountSpec>()? {
                hand_off(out.len(), &mut account);
                out.push(account);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Accounts)
}

/// Gives the account's EC2 sections to the next worker, if workers are waiting.
fn hand_off(index: usize, account: &mut AccountSpec) {
    HANDOFF.with(|h| {
        let mut h = h.borrow_mut();
        let Some(handoff) = h.as_mut() else {
            return;
        };
        let job = Job {
            index,
            account: account.id.value.clone(),
            ec2: std::mem::take(&mut account.ec2),
            opt_in: account.opt_in_regions.clone(),
        };
        handoff.spent.try_iter().for_each(drop);
        let worker = handoff.next % handoff.workers.len();
        handoff.next += 1;
        if let Err(returned) = handoff.workers[worker].send(job) {
            // A worker that is gone has panicked; building inline keeps the load correct, and
            // the panic resurfaces when the worker is joined.
            account.ec2 = returned.0.ec2;
        }
    });
}
