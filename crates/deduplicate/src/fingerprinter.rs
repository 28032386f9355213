//! The part of deduplication that does not depend on earlier documents: fingerprints, compact
//! signatures and band keys, computed on any thread.

use crate::compact::{band_key, compact_signature, CompactValue};
use crate::config::DedupConfig;
use crate::fingerprint::Fingerprint;

/// Fingerprints texts and prepares them for an [`crate::Index`]. It holds only the
/// configuration: clone it or share it by reference across worker threads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fingerprinter {
    config: DedupConfig,
}

/// A document's fingerprint with what the index files it under, made by
/// [`Fingerprinter::prepare`] on any thread, so the serial [`crate::Index::check`] only looks
/// up and inserts.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub(crate) fingerprint: Fingerprint,
    pub(crate) keys: Vec<u32>,
    pub(crate) compact: Box<[CompactValue]>,
}

impl Prepared {
    /// The fingerprint.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// The index's band keys, one per band (none for a text without words). Two documents
    /// share a band, and the later one is a candidate duplicate of the earlier, when their
    /// keys for that band are equal: 24 bits of the band's 8-bit signature values and the top
    /// 8 bits of its [`Fingerprint::band_keys`] hash, so equal band values always give equal
    /// keys. A cluster job that groups documents by these keys finds the index's candidates.
    pub fn band_keys(&self) -> &[u32] {
        &self.keys
    }
}

impl Fingerprinter {
    /// A fingerprinter for `config`.
    pub fn new(config: DedupConfig) -> Fingerprinter {
        Fingerprinter { config }
    }

    /// The configuration in use.
    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    /// Fingerprints a text.
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        Fingerprint::new(text, &self.config)
    }

    /// Fingerprints a text and computes what the index files it under: everything about a
    /// document that does not depend on the documents before it.
    pub fn prepare(&self, text: &str) -> Prepared {
        self.prepare_fingerprint(self.fingerprint(text))
    }

    /// [`Fingerprinter::prepare`] for a fingerprint computed elsewhere (with the same
    /// configuration).
    pub fn prepare_fingerprint(&self, mut fingerprint: Fingerprint) -> Prepared {
        // Sized for the index on the worker, so the serial check only copies it there.
        fingerprint.numbers.shrink_to_fit();
        let compact = compact_signature(&fingerprint.signature);
        let rows = self.config.rows();
        let keys = if fingerprint.shingles > 0 {
            fingerprint
                .band_keys(rows)
                .zip(compact.chunks(rows))
                .map(|(hash, values)| band_key(values, hash))
                .collect()
        } else {
            Vec::new()
        };
        Prepared {
            fingerprint,
            keys,
            compact,
        }
    }
}
