//! Scenario files: YAML in, a validated [`World`] out.
//!
//! Loading reports every problem it finds as `file:line:column: what is wrong`, and builds
//! nothing until the whole file is valid, so a server reloading a bad file keeps what it had.
//! AWS's defaults are applied here: FullAWSAccess at every level of the organization,
//! OrganizationAccountAccessRole in accounts created through Organizations, a default VPC.

mod build;
mod defaults;
mod delegated;
mod document;
mod ec2;
mod org;
mod pipeline;
mod recover;
pub mod spanned;
pub mod spec;
mod split;
mod unique;

use crate::World;
use rolecall_engine::Location;
use std::fmt;
use std::path::Path;

/// The scenario served when no file is given: the invited-member-account reproduction.
pub const DEFAULT_SCENARIO: &str = include_str!("../../../../scenarios/kb-member-account-401.yaml");
/// The name the default scenario is reported under.
pub const DEFAULT_SCENARIO_NAME: &str = "scenarios/kb-member-account-401.yaml (embedded)";

/// One thing wrong with a scenario, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Location,
    pub message: String,
}

/// Why a scenario could not be loaded: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}:{}: {}", self.file, p.at, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioError {}

/// Loads and validates a scenario file.
pub fn load_file(path: &Path) -> Result<World, ScenarioError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: name.clone(),
        problems: vec![Problem {
            at: Location::UNKNOWN,
            message: format!("cannot read the file: {e}"),
        }],
    })?;
    load_str(&text, &name)
}

/// Loads and validates scenario text; `file` names it in error messages.
pub fn load_str(text: &str, file: &str) -> Result<World, ScenarioError> {
    let parse = || serde_saphyr::from_str_with_options::<spec::ScenarioSpec>(text, options(text));
    let (parsed, prebuilt) = if text.len() < pipeline::PIPELINE_THRESHOLD {
        (parse(), Vec::new())
    } else {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        // Every core reads and builds accounts; a file that cannot be read in pieces is read
        // on this thread while the other cores build inventories as accounts arrive.
        match split::read_in_parallel(text, cores, &budget(text)) {
            Some((spec, prebuilt)) => (Ok(spec), prebuilt),
            None => pipeline::parse_and_prebuild(cores.saturating_sub(1).max(1), parse),
        }
    };
    let scenario_error = |problems: Vec<Problem>| ScenarioError {
        file: file.to_string(),
        problems,
    };
    let (spec, prebuilt, mut problems) = match parsed {
        Ok(spec) => (spec, prebuilt, Vec::new()),
        Err(first) => match read_past_unknown_keys(text, first) {
            Ok((spec, problems)) => (spec, Vec::new(), problems),
            Err(problems) => return Err(scenario_error(problems)),
        },
    };
    match build::build(spec, prebuilt) {
        Ok(world) if problems.is_empty() => Ok(world),
        Ok(_) => Err(scenario_error(problems)),
        Err(more) => {
            problems.extend(more);
            problems.sort_by_key(|p| p.at);
            Err(scenario_error(problems))
        }
    }
}

/// At most this many keys the language does not have are read past in one file.
const MAX_UNKNOWN_KEYS: usize = 100;

/// After the reader stopped at `error`: when it is a key the scenario language does not have,
/// that key's entry is blanked out and the text read again, as many times as it takes, so the
/// problems found later (and the rest of the unknown keys) are reported with it. The spec
/// read at last, with the unknown keys' problems; or every problem found, when the reader
/// stops at something else.
fn read_past_unknown_keys(
    text: &str,
    mut error: serde_saphyr::Error,
) -> Result<(spec::ScenarioSpec, Vec<Problem>), Vec<Problem>> {
    let mut problems = Vec::new();
    let mut text = text.to_string();
    loop {
        let problem = problem_of(&error);
        let unknown_key = error.to_string().contains("unknown field");
        let repeated = problems.iter().any(|p: &Problem| p.at == problem.at);
        let at = problem.at;
        problems.push(problem);
        if !unknown_key || repeated || problems.len() > MAX_UNKNOWN_KEYS {
            return Err(problems);
        }
        let Some(next) = recover::blank_entry(&text, at) else {
            return Err(problems);
        };
        text = next;
        match serde_saphyr::from_str_with_options::<spec::ScenarioSpec>(&text, options(&text)) {
            Ok(spec) => return Ok((spec, problems)),
            Err(e) => error = e,
        }
    }
}

fn problem_of(error: &serde_saphyr::Error) -> Problem {
    Problem {
        at: error
            .location()
            .map_or(Location::UNKNOWN, |l| spanned::location(&l)),
        message: yaml_message(&error.to_string()),
    }
}

/// The YAML reader caps document size to refuse hostile input; a scenario is the user's own
/// file, and large generated organizations (thousands of accounts) must load, so the caps grow
/// with the text.
fn options(text: &str) -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: Some(budget(text)),
    }
}

fn budget(text: &str) -> serde_saphyr::Budget {
    budget_for(text.len())
}

/// Caps that grow with the text: no scenario has more nodes, events or scalar bytes than it
/// has bytes (aliases aside, which keep their own caps).
fn budget_for(len: usize) -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = len.max(budget.max_nodes);
    budget.max_events = len.max(budget.max_events);
    budget.max_total_scalar_bytes = len.max(budget.max_total_scalar_bytes);
    budget
}

/// The YAML parser's message without its own "error: line L column C:" prefix, since the
/// location is already in front of it.
fn yaml_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or_default();
    let rest = first.strip_prefix("error: ").unwrap_or(first);
    let rest = match rest.strip_prefix("line ") {
        Some(after) => after
            .split_once(": ")
            .filter(|(pos, _)| pos.contains(" column "))
            .map_or(rest, |(_, msg)| msg),
        None => rest,
    };
    rest.to_string()
}

/// The embedded default scenario.
pub fn default_world() -> World {
    load_str(DEFAULT_SCENARIO, DEFAULT_SCENARIO_NAME)
        .expect("the embedded default scenario is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    // A generated organization of a million instances is about 100 to 160 MB of YAML, most of
    // it scalars: the reader's default 64 MiB cap on scalar text refused it.
    #[test]
    fn the_reader_caps_grow_with_the_file() {
        let len = 200 << 20;
        let budget = budget_for(len);
        assert!(budget.max_total_scalar_bytes >= len);
        assert!(budget.max_nodes >= len && budget.max_events >= len);
        let small = budget_for(10);
        let default = serde_saphyr::Budget::default();
        assert_eq!(small.max_total_scalar_bytes, default.max_total_scalar_bytes);
        assert_eq!(small.max_nodes, default.max_nodes);
    }
}
