//! Deduplication in input order: the index of every earlier document, and the ids seen.

use docpipe_deduplicate::{DedupConfig, Index, Prepared, Verdict};
use rustc_hash::FxHashSet;

/// The serial half of dedup (the workers fingerprint): verdicts against the documents before,
/// so they never depend on threads or batches.
pub struct DedupStep {
    index: Index,
    /// Hashes of the ids seen, to count documents that reuse one. 64-bit hashes, not the ids:
    /// 8 bytes a document, and a false alarm once in ~10^9 runs of 10 M documents.
    ids: FxHashSet<u64>,
}

impl DedupStep {
    pub fn new(config: DedupConfig) -> Self {
        DedupStep {
            index: Index::new(config),
            ids: FxHashSet::default(),
        }
    }

    /// Notes the document's id; true when an earlier document had it.
    pub fn id_reused(&mut self, id: &str) -> bool {
        !self.ids.insert(xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
    }

    /// The document's verdict, and the document added to the index.
    pub fn verdict(&mut self, id: &str, prepared: Prepared) -> Verdict {
        self.index.check(id, prepared)
    }

    /// Ends the step without freeing the index: freeing its small allocations one by one
    /// (several per document) would hold up the end of a run for nothing, 10-20 ms for 25,000
    /// documents; the process gives the memory back at once.
    pub fn leak(self) {
        std::mem::forget(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_texts_seen_before_are_told() {
        let config = DedupConfig::default();
        let fingerprinter = docpipe_deduplicate::Fingerprinter::new(config.clone());
        let mut step = DedupStep::new(config);
        assert!(!step.id_reused("a") && step.id_reused("a") && !step.id_reused("b"));
        let text = "The minister arrived in Kabul on Saturday for talks on trade and security.";
        let first = step.verdict("a", fingerprinter.prepare(text));
        let second = step.verdict("b", fingerprinter.prepare(text));
        assert_eq!(first.status.as_str(), "unique");
        assert_eq!(second.status.as_str(), "exact");
        assert_eq!(second.cluster, "a");
        step.leak();
    }
}
