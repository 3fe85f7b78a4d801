//! The authorization engine: AWS's documented decision order over typed policies.
