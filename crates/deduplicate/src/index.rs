//! The serial part of deduplication: documents checked in input order against everything filed
//! before them.

use crate::compact::{check_of, key_of, tag_of, values_check, CompactValue};
use crate::config::DedupConfig;
use crate::fingerprint::NUMBER_SKETCH;
use crate::fingerprinter::Prepared;
use crate::store::{exact_high, Documents, NewDocument};
use crate::table::{Probe, Table};
use crate::tokens::mix64;
use crate::verdict::{DuplicateStatus, Verdict};
use crate::verify::{figures_agree, similar};

/// The index of earlier documents: their exact keys, their band keys, and what verifying a
/// candidate needs (compact signature, shingle count, number sketch, id). Check documents in
/// input order with [`Index::check`]; the verdicts then do not depend on how many threads
/// prepared them.
///
/// Exact duplicates are answered and not filed: only the first document of each canonical text
/// costs memory (about 300 bytes, see the crate README).
#[derive(Debug)]
pub struct Index {
    config: DedupConfig,
    documents: Documents,
    /// First document of each exact key; the key is read from `documents`.
    exact: Table,
    /// One table per band: the first document filed under each band key.
    bands: Vec<Table>,
    checked: usize,
}

impl Index {
    /// An empty index. Documents must be prepared with the same configuration.
    pub fn new(config: DedupConfig) -> Index {
        Index {
            documents: Documents::new(config.signature_len()),
            config,
            exact: Table::new(),
            bands: Vec::new(),
            checked: 0,
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    /// Checks a prepared document against the index, then files it. Call in input order.
    pub fn check(&mut self, id: &str, prepared: Prepared) -> Verdict {
        self.checked += 1;
        let Prepared {
            fingerprint,
            keys,
            compact,
        } = prepared;
        let mut verdict = Verdict {
            status: DuplicateStatus::Unique,
            duplicate_of: None,
            cluster: id.to_string(),
            similarity: None,
        };
        let Ok(number) = u32::try_from(self.documents.len()) else {
            // 2^32 documents filed (over a terabyte of index): later ones are still checked
            // against them, but not filed.
            return self.check_unfiled(verdict, fingerprint.exact, &compact);
        };
        let (exact_hash, exact_tag) = exact_slot_of(fingerprint.exact);
        let documents = &self.documents;
        self.exact
            .reserve(number, |_, filed| documents.exact_hash(filed));
        let exact_slot = match self.exact.probe(exact_hash, exact_tag, |filed| {
            documents.same_text(filed, fingerprint.exact, &compact)
        }) {
            Probe::Found(earlier) => {
                // An exact duplicate joins its text's first document and is not filed: nothing
                // later looks it up.
                let root = self.root(earlier);
                verdict.status = DuplicateStatus::Exact;
                verdict.duplicate_of = Some(self.documents.record(earlier).id());
                verdict.similarity = Some(1.0);
                verdict.cluster = self.documents.record(root).id();
                return verdict;
            }
            Probe::Vacant(at) => at,
        };

        let mut parent = number;
        if fingerprint.shingles > 0 {
            let mut best: Option<(u32, f64)> = None;
            let mut matched_roots: Vec<u32> = Vec::new();
            if self.bands.len() < keys.len() {
                self.bands.resize_with(keys.len(), Table::new);
            }
            let mut sketch = [0; NUMBER_SKETCH];
            for (band, &key) in keys.iter().enumerate() {
                let candidate = match self.file_in_band(band, key, number) {
                    Some(candidate) => candidate,
                    None => continue,
                };
                if matched_roots.contains(&candidate) || best.is_some_and(|(b, _)| b == candidate) {
                    continue;
                }
                let record = self.documents.record(candidate);
                let same_figures = figures_agree(
                    &fingerprint.numbers,
                    fingerprint.distinct_numbers,
                    record.numbers(&mut sketch),
                    record.distinct_numbers,
                );
                let score = similar(
                    &compact,
                    fingerprint.shingles,
                    self.documents.signature(candidate),
                    record.shingles,
                    &self.config,
                );
                if let Some(score) = score.filter(|_| same_figures) {
                    if best.is_none_or(|(_, s)| score > s) {
                        best = Some((candidate, score));
                    }
                    let root = self.root(candidate);
                    if !matched_roots.contains(&root) {
                        matched_roots.push(root);
                    }
                }
            }
            if let Some((candidate, score)) = best {
                let root = matched_roots.iter().copied().min().unwrap_or(candidate);
                // A document that matches two clusters joins them; the earliest root wins.
                for &other in &matched_roots {
                    self.documents.set_parent(other, root);
                }
                parent = root;
                verdict.status = DuplicateStatus::Near;
                verdict.duplicate_of = Some(self.documents.record(candidate).id());
                verdict.similarity = Some(score);
                verdict.cluster = self.documents.record(root).id();
            }
        }
        self.exact.fill(exact_slot, exact_tag, number);
        self.documents.push(NewDocument {
            id,
            exact: fingerprint.exact,
            signature: &compact,
            shingles: fingerprint.shingles,
            numbers: &fingerprint.numbers,
            distinct_numbers: fingerprint.distinct_numbers,
            parent,
        });
        verdict
    }

    /// One probe per band does both jobs: the document filed under this key is a candidate,
    /// and a vacant slot takes this one (the earliest document stays).
    fn file_in_band(&mut self, band: usize, key: u32, number: u32) -> Option<u32> {
        let rows = self.config.rows();
        let documents = &self.documents;
        let band_values =
            |document: u32| &documents.signature(document)[band * rows..(band + 1) * rows];
        let table = &mut self.bands[band];
        table.reserve(number, |tag, filed| {
            band_hash(key_of(values_check(band_values(filed)), tag))
        });
        match table.probe(band_hash(key), tag_of(key), |filed| {
            values_check(band_values(filed)) == check_of(key)
        }) {
            Probe::Found(candidate) => Some(candidate),
            Probe::Vacant(at) => {
                table.fill(at, tag_of(key), number);
                None
            }
        }
    }

    /// The verdict on a document that cannot be filed: exact duplicates only.
    fn check_unfiled(
        &mut self,
        mut verdict: Verdict,
        exact: u128,
        compact: &[CompactValue],
    ) -> Verdict {
        let documents = &self.documents;
        let (hash, tag) = exact_slot_of(exact);
        if let Probe::Found(earlier) = self.exact.probe(hash, tag, |filed| {
            documents.same_text(filed, exact, compact)
        }) {
            let root = self.root(earlier);
            verdict.status = DuplicateStatus::Exact;
            verdict.duplicate_of = Some(self.documents.record(earlier).id());
            verdict.similarity = Some(1.0);
            verdict.cluster = self.documents.record(root).id();
        }
        verdict
    }

    fn root(&mut self, mut node: u32) -> u32 {
        while self.documents.parent(node) != node {
            let parent = self.documents.parent(node);
            // Path halving keeps later look-ups short.
            self.documents
                .set_parent(node, self.documents.parent(parent));
            node = parent;
        }
        node
    }

    /// Documents checked so far.
    pub fn len(&self) -> usize {
        self.checked
    }

    /// True before the first check.
    pub fn is_empty(&self) -> bool {
        self.checked == 0
    }

    /// Documents filed: the first document of each canonical text.
    pub fn filed(&self) -> usize {
        self.documents.len()
    }

    /// Heap bytes the index holds: its columns and tables, as allocated.
    pub fn heap_bytes(&self) -> usize {
        self.documents.bytes()
            + self.exact.bytes()
            + self.bands.iter().map(Table::bytes).sum::<usize>()
            + self.bands.capacity() * std::mem::size_of::<Table>()
    }

    /// [`Index::heap_bytes`] per filed document.
    pub fn bytes_per_document(&self) -> usize {
        self.heap_bytes() / self.documents.len().max(1)
    }
}

/// The hash and tag an exact key is filed under: both from the 64 bits the index keeps, so the
/// table can be grown from the stored documents.
fn exact_slot_of(exact: u128) -> (u64, u8) {
    let high = exact_high(exact);
    (high, (high >> 56) as u8)
}

/// Where a band key's probe starts: the key is already well mixed in its 24 value bits only
/// when the band values are, so it is mixed again.
fn band_hash(key: u32) -> u64 {
    mix64(u64::from(key))
}
