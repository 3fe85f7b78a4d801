//! The integration tests of this crate, as one test binary.

mod ec2_checks;
mod scenario_large;
mod scenario_load;
