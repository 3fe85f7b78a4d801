//! The integration tests of this crate, as one test binary.

mod conditions;
mod layers;
mod matching;
mod parse_errors;
mod parser_robustness;
mod properties;
mod support;
