//! Whether a candidate pair is the same article: the test the index applies to every
//! candidate, and [`verify`] applies to pairs found elsewhere.

use crate::compact::{compact_signature, CompactValue};
use crate::config::DedupConfig;
use crate::fingerprint::{Fingerprint, NUMBER_SKETCH};

/// Estimated Jaccard similarity and containment of the smaller text in the larger, from the
/// compact signatures; returns the score (the larger of the two that passed) if the pair is the
/// same article.
pub(crate) fn similar(
    a: &[CompactValue],
    a_shingles: u32,
    b: &[CompactValue],
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
pub(crate) fn figures_agree(a: &[u32], a_distinct: u32, b: &[u32], b_distinct: u32) -> bool {
    if a_distinct.min(b_distinct) < MIN_FIGURES {
        return true;
    }
    // Bottom-k sketches: within the k smallest of the union, count those in both.
    let (mut i, mut j, mut seen, mut shared) = (0, 0, 0, 0);
    while i < a.len() && j < b.len() && seen < NUMBER_SKETCH {
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
    seen = (seen + (a.len() - i) + (b.len() - j)).min(NUMBER_SKETCH);
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
/// verifying candidate pairs found elsewhere (for instance by a cluster job grouping documents
/// by [`crate::Prepared::band_keys`]): the index's own test, on the same compact signatures.
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
    similar(
        &compact_signature(&a.signature),
        a.shingles,
        &compact_signature(&b.signature),
        b.shingles,
        config,
    )
}
