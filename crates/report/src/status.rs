//! A record's `dedup.status`.

use std::fmt;
use std::str::FromStr;

use crate::error::UnknownStatus;

/// Whether a document repeats an earlier one, as the record schema's `dedup.status` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DedupStatus {
    /// `unique`: the first of its cluster, or alone.
    Unique,
    /// `exact`: the same text as an earlier document.
    Exact,
    /// `near`: nearly the same text as an earlier document.
    Near,
}

impl DedupStatus {
    /// The schema's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            DedupStatus::Unique => "unique",
            DedupStatus::Exact => "exact",
            DedupStatus::Near => "near",
        }
    }
}

impl fmt::Display for DedupStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DedupStatus {
    type Err = UnknownStatus;

    fn from_str(value: &str) -> Result<DedupStatus, UnknownStatus> {
        match value {
            "unique" => Ok(DedupStatus::Unique),
            "exact" => Ok(DedupStatus::Exact),
            "near" => Ok(DedupStatus::Near),
            _ => Err(UnknownStatus(value.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in [DedupStatus::Unique, DedupStatus::Exact, DedupStatus::Near] {
            assert_eq!(status.as_str().parse::<DedupStatus>(), Ok(status));
        }
        assert_eq!(
            "same".parse::<DedupStatus>(),
            Err(UnknownStatus("same".to_string()))
        );
    }
}
