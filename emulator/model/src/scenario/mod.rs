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
    let spec = parsed.map_err(|e| ScenarioError {
        file: file.to_string(),
        problems: vec![Problem {
            at: e
                .location()
                .map_or(Location::UNKNOWN, |l| spanned::location(&l)),
            message: yaml_message(&e.to_string()),
        }],
    })?;
    build::build(spec, prebuilt).map_err(|mut problems| {
        problems.sort_by_key(|p| p.at);
        ScenarioError {
            file: file.to_string(),
            problems,
        }
    })
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
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = text.len().max(250_000);
    budget.max_events = text.len().max(1_000_000);
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
