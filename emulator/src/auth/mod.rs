//! Authentication: who is calling. SigV4 verification and caller resolution.
