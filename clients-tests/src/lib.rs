//! Tests that drive rolecall with real AWS clients live in tests/.
