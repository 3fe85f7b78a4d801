//! The integration tests of this crate, as one test binary.

mod conformance;
mod unit;
