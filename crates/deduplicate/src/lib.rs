//! Finds exact and near-duplicate news articles in a stream, the way syndicated wire copy
//! shows up in real dumps: a new headline, a dateline or a footer added, the end cut off, a
//! few words changed, different quotes and dashes.
//!
//! Each text gets a [`Fingerprint`]: a 128-bit hash of its canonical form (case-folded, words
//! only) for exact duplicates, and a MinHash signature of its word shingles for near ones.
//! Fingerprints are pure, so they can be computed on any thread. [`Deduplicator`] then checks
//! them in input order against an index of locality-sensitive band keys, verifies every
//! candidate by estimated Jaccard similarity and containment, and groups duplicates into
//! clusters whose representative is the earliest document.
//!
//! # Example
//!
//! ```
//! use docpipe_deduplicate::{DedupConfig, Deduplicator, DuplicateStatus};
//!
//! let story = "The central bank raised its main interest rate by a quarter point on Tuesday, \
//!     its third increase this year, citing persistent inflation in services and wages. \
//!     Officials said further moves would depend on data over the coming months. The decision \
//!     was not unanimous: two of the nine members voted to keep rates unchanged, arguing that \
//!     growth had slowed more than expected in the second quarter.";
//! let copy = format!("UPDATE 1-Central bank lifts rates\n\nLONDON (Reuters) - {story}");
//! let other = "The city council approved a new budget for schools and parks on Monday after \
//!     a long debate about property taxes and the cost of repairing old buildings downtown.";
//!
//! let mut dedup = Deduplicator::new(DedupConfig::default());
//! assert_eq!(dedup.check("a", story).status, DuplicateStatus::Unique);
//! let verdict = dedup.check("b", &copy);
//! assert_eq!(verdict.status, DuplicateStatus::Near);
//! assert_eq!(verdict.duplicate_of.as_deref(), Some("a"));
//! assert_eq!(dedup.check("c", story).status, DuplicateStatus::Exact);
//! assert_eq!(dedup.check("d", other).status, DuplicateStatus::Unique);
//! ```

#![deny(missing_docs)]

mod config;
mod fingerprint;
mod index;

pub use config::{
    DedupConfig, DEFAULT_BANDS, DEFAULT_CONTAINMENT, DEFAULT_JACCARD, DEFAULT_MIN_SHINGLES,
    DEFAULT_ROWS, DEFAULT_SHINGLE_WORDS,
};
pub use fingerprint::{canonical_tokens, Fingerprint, FingerprintError};
pub use index::{deduplicate, verify, Deduplicator, DuplicateStatus, Prepared, Verdict};
