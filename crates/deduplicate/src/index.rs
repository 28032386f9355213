use std::collections::hash_map::Entry as Slot;

use rustc_hash::FxHashMap;

use crate::config::DedupConfig;
use crate::fingerprint::Fingerprint;

/// Whether a document repeats an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// What the index keeps of one document.
struct Entry {
    id: Box<str>,
    /// The signature's values cut to 16 bits: enough to estimate similarity (a chance match
    /// is 1 in 65,536) at half the memory.
    signature: Box<[u16]>,
    shingles: u32,
    numbers: Box<[u32]>,
    distinct_numbers: u32,
    /// Union-find parent (an index into `entries`); the root is the cluster's earliest member.
    parent: u32,
}

/// A document's fingerprint with its band keys and compact signature, made by
/// [`Deduplicator::prepare`] on any thread.
#[derive(Clone, Debug)]
pub struct Prepared {
    fingerprint: Fingerprint,
    keys: Vec<u64>,
    compact: Box<[u16]>,
}

impl Prepared {
    /// The fingerprint.
    pub fn fingerprint(&self) -> &Fingerprint {
        &self.fingerprint
    }

    /// One LSH band key per band (none for a text without words).
    pub fn band_keys(&self) -> &[u64] {
        &self.keys
    }
}

/// Checks documents, in input order, against everything seen before.
pub struct Deduplicator {
    config: DedupConfig,
    entries: Vec<Entry>,
    exact: FxHashMap<u128, u32>,
    /// One table per band, keyed by the band key folded to 32 bits: a folded collision only
    /// adds a candidate, which verification then rejects, and it saves a third of the memory.
    bands: Vec<FxHashMap<u32, u32>>,
}

impl Deduplicator {
    /// An empty index.
    pub fn new(config: DedupConfig) -> Self {
        Deduplicator {
            config,
            entries: Vec::new(),
            exact: FxHashMap::default(),
            bands: Vec::new(),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &DedupConfig {
        &self.config
    }

    /// Fingerprints a text. Pure: call it from any thread.
    pub fn fingerprint(&self, text: &str) -> Fingerprint {
        Fingerprint::new(text, &self.config)
    }

    /// Fingerprints a text and computes its band keys: everything about a document that does
    /// not depend on the documents before it. Pure: call it from worker threads, then
    /// [`Deduplicator::check_prepared`] in input order, so the serial part only looks up and
    /// inserts.
    pub fn prepare(&self, text: &str) -> Prepared {
        self.prepare_fingerprint(self.fingerprint(text))
    }

    /// [`Deduplicator::prepare`] for a fingerprint computed elsewhere.
    fn prepare_fingerprint(&self, mut fingerprint: Fingerprint) -> Prepared {
        // Sized for the index on the worker, so the serial check only moves it there.
        fingerprint.numbers.shrink_to_fit();
        let keys = if fingerprint.shingles > 0 {
            fingerprint.band_keys(self.config.rows).collect()
        } else {
            Vec::new()
        };
        let compact = fingerprint.signature.iter().map(|&v| v as u16).collect();
        Prepared {
            fingerprint,
            keys,
            compact,
        }
    }

    /// Fingerprints and checks in one call.
    pub fn check(&mut self, id: &str, text: &str) -> Verdict {
        let fingerprint = self.fingerprint(text);
        self.check_fingerprint(id, fingerprint)
    }

    /// Checks a document against the index, then adds it. Call in input order: the verdicts
    /// then do not depend on how many threads computed the fingerprints.
    pub fn check_fingerprint(&mut self, id: &str, fingerprint: Fingerprint) -> Verdict {
        let prepared = self.prepare_fingerprint(fingerprint);
        self.check_prepared(id, prepared)
    }

    /// Checks a prepared document against the index, then adds it. Call in input order.
    pub fn check_prepared(&mut self, id: &str, prepared: Prepared) -> Verdict {
        let Prepared {
            fingerprint,
            keys,
            compact,
        } = prepared;
        let index = self.entries.len() as u32;
        let mut verdict = Verdict {
            status: DuplicateStatus::Unique,
            duplicate_of: None,
            cluster: id.to_string(),
            similarity: None,
        };
        let mut parent = index;

        if let Some(&earlier) = self.exact.get(&fingerprint.exact) {
            let root = self.root(earlier);
            parent = root;
            verdict.status = DuplicateStatus::Exact;
            verdict.duplicate_of = Some(self.entries[earlier as usize].id.to_string());
            verdict.similarity = Some(1.0);
        } else if fingerprint.shingles > 0 {
            let mut best: Option<(u32, f64)> = None;
            let mut matched_roots: Vec<u32> = Vec::new();
            if self.bands.len() < keys.len() {
                self.bands.resize_with(keys.len(), FxHashMap::default);
            }
            for (band, key) in keys.iter().enumerate() {
                // One probe per band does both jobs: an earlier document under this key is a
                // candidate, and an empty slot takes this document (the earliest one stays).
                let candidate = match self.bands[band].entry(fold(*key)) {
                    Slot::Occupied(slot) => *slot.get(),
                    Slot::Vacant(slot) => {
                        slot.insert(index);
                        continue;
                    }
                };
                if matched_roots.contains(&candidate) || best.is_some_and(|(b, _)| b == candidate) {
                    continue;
                }
                let entry = &self.entries[candidate as usize];
                let same_figures = figures_agree(
                    &fingerprint.numbers,
                    fingerprint.distinct_numbers,
                    &entry.numbers,
                    entry.distinct_numbers,
                );
                let score = similar(
                    &compact,
                    fingerprint.shingles,
                    &entry.signature,
                    entry.shingles,
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
                    self.entries[other as usize].parent = root;
                }
                parent = root;
                verdict.status = DuplicateStatus::Near;
                verdict.duplicate_of = Some(self.entries[candidate as usize].id.to_string());
                verdict.similarity = Some(score);
            }
        }
        if parent != index {
            verdict.cluster = self.entries[parent as usize].id.to_string();
        }
        self.exact.entry(fingerprint.exact).or_insert(index);
        self.entries.push(Entry {
            id: id.into(),
            signature: compact,
            shingles: fingerprint.shingles,
            numbers: fingerprint.numbers.into_boxed_slice(),
            distinct_numbers: fingerprint.distinct_numbers,
            parent,
        });
        verdict
    }

    fn root(&mut self, mut node: u32) -> u32 {
        while self.entries[node as usize].parent != node {
            let parent = self.entries[node as usize].parent;
            // Path halving keeps later look-ups short.
            self.entries[node as usize].parent = self.entries[parent as usize].parent;
            node = parent;
        }
        node
    }

    /// Documents checked so far.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True before the first check.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Approximate bytes of index state per document: its signature, id, shingle count,
    /// parent, and its share of the exact and band hash tables.
    pub fn bytes_per_document(&self) -> usize {
        let n = self.entries.len().max(1);
        let entries: usize = self
            .entries
            .iter()
            .map(|e| {
                std::mem::size_of::<Entry>()
                    + e.signature.len() * 2
                    + e.numbers.len() * 4
                    + e.id.len()
            })
            .sum();
        // hashbrown: key + value + one control byte per bucket.
        let exact = self.exact.capacity() * (16 + 4 + 1);
        let bands: usize = self
            .bands
            .iter()
            .map(|table| table.capacity() * (4 + 4 + 1))
            .sum();
        (entries + exact + bands) / n
    }
}

/// A 64-bit band key folded to 32 bits for its band's table.
fn fold(key: u64) -> u32 {
    (key ^ (key >> 32)) as u32
}

/// Estimated Jaccard similarity and containment of the smaller text in the larger; returns the
/// score (the larger of the two that passed) if the pair is the same article.
fn similar(
    a: &[u16],
    a_shingles: u32,
    b: &[u16],
    b_shingles: u32,
    config: &DedupConfig,
) -> Option<f64> {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count();
    let jaccard = equal as f64 / a.len().max(1) as f64;
    let (small, large) = (
        a_shingles.min(b_shingles) as f64,
        a_shingles.max(b_shingles) as f64,
    );
    // |A ∩ B| = J (|A| + |B|) / (1 + J)
    let intersection = jaccard * (small + large) / (1.0 + jaccard);
    let containment = (intersection / small.max(1.0)).min(1.0);
    // Short briefs from one template (dividends, prices, bond issues) differ in a word or two:
    // below `min_shingles` only near-identical texts count as the same article.
    let needed = if small < config.min_shingles as f64 {
        SHORT_TEXT_JACCARD
    } else {
        config.jaccard
    };
    if jaccard >= needed {
        return Some(jaccard);
    }
    if small >= config.min_shingles as f64 && containment >= config.containment {
        return Some(containment);
    }
    None
}

/// Both texts cite figures: most of the figures of the one with fewer must be in the other.
/// Copies keep their numbers (a cut copy keeps a subset); template reports (earnings, bond
/// issues, prices) share their words and differ in their figures.
fn figures_agree(a: &[u32], a_distinct: u32, b: &[u32], b_distinct: u32) -> bool {
    if a_distinct.min(b_distinct) < MIN_FIGURES {
        return true;
    }
    // Bottom-k sketches: within the k smallest of the union, count those in both.
    let (mut i, mut j, mut seen, mut shared) = (0, 0, 0, 0);
    while i < a.len() && j < b.len() && seen < crate::fingerprint::NUMBER_SKETCH {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
        seen += 1;
    }
    // What is left of either sketch is in the union too.
    seen = (seen + (a.len() - i) + (b.len() - j)).min(crate::fingerprint::NUMBER_SKETCH);
    let jaccard = shared as f64 / seen.max(1) as f64;
    let (small, large) = (
        a_distinct.min(b_distinct) as f64,
        a_distinct.max(b_distinct) as f64,
    );
    let containment = jaccard * (small + large) / (1.0 + jaccard) / small;
    containment >= MIN_FIGURE_CONTAINMENT
}

/// Jaccard similarity required when the shorter text has fewer than `min_shingles` shingles.
const SHORT_TEXT_JACCARD: f64 = 0.8;

/// Texts with fewer distinct numbers than this are not compared on their figures.
const MIN_FIGURES: u32 = 3;
/// Share of the figures of the text with fewer that the other must also cite.
const MIN_FIGURE_CONTAINMENT: f64 = 0.7;

/// The similarity of two fingerprints if they are the same article under `config`, for
/// verifying candidate pairs found elsewhere (for instance by a cluster job grouping band keys).
pub fn verify(a: &Fingerprint, b: &Fingerprint, config: &DedupConfig) -> Option<f64> {
    if a.exact == b.exact {
        return Some(1.0);
    }
    if !figures_agree(
        &a.numbers,
        a.distinct_numbers,
        &b.numbers,
        b.distinct_numbers,
    ) {
        return None;
    }
    let a16: Vec<u16> = a.signature.iter().map(|&v| v as u16).collect();
    let b16: Vec<u16> = b.signature.iter().map(|&v| v as u16).collect();
    similar(&a16, a.shingles, &b16, b.shingles, config)
}

/// Checks `(id, text)` pairs in order and returns their verdicts.
pub fn deduplicate<'a>(
    config: DedupConfig,
    docs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Verdict> {
    let mut dedup = Deduplicator::new(config);
    docs.into_iter()
        .map(|(id, text)| dedup.check(id, text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_articles_on_one_story_stay_apart() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        let texts: Vec<String> = paths
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        let ids: Vec<String> = (0..texts.len()).map(|i| i.to_string()).collect();
        let verdicts = deduplicate(
            DedupConfig::default(),
            ids.iter()
                .map(String::as_str)
                .zip(texts.iter().map(String::as_str)),
        );
        assert_eq!(verdicts.len(), 5);
        assert!(
            verdicts.iter().all(|v| v.status == DuplicateStatus::Unique),
            "{verdicts:?}"
        );
    }

    #[test]
    fn truncated_and_edited_copies_join_the_earliest() {
        let paragraphs: Vec<String> = (0..12)
            .map(|i| format!("Paragraph {i} reports that the minister met officials from district {i} about water, roads and the harvest season ahead of winter."))
            .collect();
        let full = paragraphs.join("\n\n");
        let truncated = paragraphs[..7].join("\n\n");
        let edited = format!(
            "ISLAMABAD (AP) \u{2014} {}\n\nCopyright 2024 The Associated Press.",
            full.replace("minister", "Minister")
        );
        let verdicts = deduplicate(
            DedupConfig::default(),
            [
                ("a", full.as_str()),
                ("b", truncated.as_str()),
                ("c", edited.as_str()),
            ],
        );
        assert_eq!(verdicts[1].status, DuplicateStatus::Near);
        assert_eq!(verdicts[1].cluster, "a");
        assert_eq!(verdicts[2].status, DuplicateStatus::Near);
        assert_eq!(verdicts[2].cluster, "a");
    }

    #[test]
    fn texts_without_words_repeat_only_the_same_characters() {
        let verdicts = deduplicate(
            DedupConfig::default(),
            [
                ("grin", "\u{1f600}"),
                ("party", "\u{1f389}"),
                ("marks", "\u{301}\u{301}"),
                ("bangs", "!!!"),
                ("grin again", " \u{1f600}\n"),
                ("empty", ""),
                ("empty again", ""),
            ],
        );
        let statuses: Vec<_> = verdicts.iter().map(|v| v.status).collect();
        use DuplicateStatus::{Exact, Unique};
        assert_eq!(
            statuses,
            [Unique, Unique, Unique, Unique, Exact, Unique, Exact]
        );
        assert_eq!(verdicts[4].duplicate_of.as_deref(), Some("grin"));
        assert_eq!(verdicts[6].duplicate_of.as_deref(), Some("empty"));
    }

    #[test]
    fn template_briefs_with_other_figures_are_not_merged() {
        for (a, b) in [
            ("Qtly div 25 cts vs 25 cts prior Pay May 15 Record April 20 Reuter", "Qtly div 25 cts vs 25 cts prior Pay May 4 Record April 20 Reuter"),
            ("Acme Finance Overseas Ltd is issuing a 50 mln Australian dlr eurobond due April 2, 1991 paying 15 pct and priced at 101-1/2 pct, lead manager Orion Royal Bank Ltd said. The non-callable bond is available in denominations of 1,000 dlrs and will be listed in Luxembourg.",
             "Bolt Credit Corp is issuing a 50 mln Australian dlr eurobond due April 3, 1991 paying 15-1/2 pct and priced at 101-3/8 pct, lead manager Orion Royal Bank Ltd said. The non-callable bond is available in denominations of 1,000 dlrs and will be listed in Luxembourg."),
        ] {
            let verdicts = deduplicate(DedupConfig::default(), [("a", a), ("b", b)]);
            assert_eq!(verdicts[1].status, DuplicateStatus::Unique, "{b}");
        }
    }

    #[test]
    fn template_reports_with_other_figures_are_not_merged() {
        let report = |a: u32, b: u32| {
            format!("Shr {a} cts vs {b} cts Net {} mln vs {} mln Revs {} mln vs {} mln Nine mths Shr {} dlrs vs {} dlrs", a * 3, b * 3, a * 11, b * 13, a + 7, b + 9)
        };
        let verdicts = deduplicate(
            DedupConfig::default(),
            [
                ("a", report(45, 58).as_str()),
                ("b", report(12, 31).as_str()),
            ],
        );
        assert_eq!(verdicts[1].status, DuplicateStatus::Unique);
    }
}
