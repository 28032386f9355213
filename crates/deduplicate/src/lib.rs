#![deny(missing_docs)]
#![doc = include_str!("../README.md")]

// Modules form a tree: `tokens`, `config`, `compact` and `verdict` are leaves; `fingerprint`
// reads tokens; `fingerprinter` and `verify` read fingerprints; `index` reads all of those
// through `store` and `table`; `deduplicator` puts a fingerprinter and an index together.
mod compact;
mod config;
mod deduplicator;
mod fingerprint;
mod fingerprinter;
mod index;
mod store;
mod table;
mod tokens;
mod verdict;
mod verify;

pub use config::{
    DedupConfig, DEFAULT_BANDS, DEFAULT_CONTAINMENT, DEFAULT_JACCARD, DEFAULT_MIN_SHINGLES,
    DEFAULT_ROWS, DEFAULT_SHINGLE_WORDS,
};
pub use deduplicator::{deduplicate, Deduplicator};
pub use fingerprint::{Fingerprint, FingerprintError, NUMBER_SKETCH};
pub use fingerprinter::{Fingerprinter, Prepared};
pub use index::Index;
pub use tokens::canonical_tokens;
pub use verdict::{DuplicateStatus, Verdict};
pub use verify::verify;
