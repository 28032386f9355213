//! What the index says about a document.

/// Whether a document repeats an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DuplicateStatus {
    /// No earlier document is the same article.
    Unique,
    /// An earlier document has the same canonical text.
    Exact,
    /// An earlier document is the same article with edits.
    Near,
}

impl DuplicateStatus {
    /// `unique`, `exact` or `near`.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateStatus::Unique => "unique",
            DuplicateStatus::Exact => "exact",
            DuplicateStatus::Near => "near",
        }
    }
}

/// The verdict on one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// Unique, exact or near duplicate.
    pub status: DuplicateStatus,
    /// The earlier document it repeats (the most similar one), if any.
    pub duplicate_of: Option<String>,
    /// The id of its cluster's representative: the earliest document of the cluster in input
    /// order (its own id when unique).
    pub cluster: String,
    /// Estimated similarity to `duplicate_of`: the larger of Jaccard and containment.
    pub similarity: Option<f64>,
}
