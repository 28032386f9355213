//! The crate's one error.

/// A `dedup.status` that is not `unique`, `exact` or `near`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown dedup status {0:?}: expected unique, exact or near")]
pub struct UnknownStatus(pub String);
