//! The integration tests of this crate, as one test binary.

// The conformance runners print what they skipped and why.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod conformance;
mod unit;
