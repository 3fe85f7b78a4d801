//! The integration tests of this crate, as one test binary.

mod default;
mod https;
mod mixed;
mod profile;
mod support;
mod tls_support;
