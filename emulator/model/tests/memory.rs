//! What a loaded world holds per instance, counted by the allocator: a scenario of a million
//! instances must load in a small, known amount of memory.

use rolecall_model::scenario::load_str;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Instances as inventories have them: a type, a key pair, a launch time and two tags (what
/// `generate_scenario --detailed` writes).
fn detailed(accounts: usize, instances: usize) -> String {
    let mut text = String::from("accounts:\n");
    for a in 0..accounts {
        text.push_str(&format!(
            "  - id: \"{:012}\"\n    ec2:\n      us-east-1:\n        instances:\n",
            200_000_000_000u64 + a as u64
        ));
        for n in 0..instances {
            text.push_str(&format!(
                "          - {{ id: i-{a:06x}{n:011x}, type: m5.large, key_name: ops, \
                 launch_time: \"2026-01-02T08:00:00Z\", \
                 tags: {{ Name: app-{a:05}-{n:06}, team: platform }} }}\n"
            ));
        }
    }
    text
}

#[test]
fn a_loaded_instance_costs_at_most_its_budget() {
    const INSTANCES: usize = 20 * 1000;
    let text = detailed(20, 1000);
    let empty = load_str("accounts:\n  - id: \"200000000000\"\n", "empty.yaml").expect("loads");
    drop(empty);
    let region = Region::new(GLOBAL);
    let world = load_str(&text, "detailed.yaml").expect("loads");
    let change = region.change();
    // Reallocations are counted in both already.
    let held = change
        .bytes_allocated
        .saturating_sub(change.bytes_deallocated);
    let per_instance = held / INSTANCES;
    // An instance, its interface, its root volume, their ids, its tags and their index, and
    // each account's share of its default resources. It was 1,180 bytes, a third of it a tag
    // index that copied every tag.
    assert!(per_instance <= 800, "{per_instance} bytes per instance");
    drop(world);
}
