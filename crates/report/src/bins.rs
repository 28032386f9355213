//! How lengths and sizes are binned for the charts: one by one up to a size, then by powers of
//! two.

use std::collections::BTreeMap;

/// The documents of a cluster beyond which sizes are binned by powers of two instead of shown
/// one by one: news duplicates come in twos and threes, and the rare wire story repeated
/// hundreds of times would otherwise stretch the axis.
pub const EXACT_CLUSTER_SIZES: u64 = 9;

/// The bin of a length: 0 for 0, then 1 + floor(log2 n), so bin `b` holds `2^(b-1)..2^b`.
pub fn length_bin(n: u64) -> usize {
    match n.checked_ilog2() {
        None => 0,
        Some(log) => log as usize + 1,
    }
}

/// The label of a [`length_bin`]: `0`, `1`, `2–3`, `4–7`, …
pub fn length_bin_label(bin: usize) -> String {
    match bin {
        0 => "0".to_string(),
        1 => "1".to_string(),
        _ => {
            let low = 1u64 << (bin - 1);
            format!("{}–{}", low, (low << 1) - 1)
        }
    }
}

/// Bins `(size, how many)` pairs (sizes at least 1) as the cluster chart shows them.
pub(crate) fn size_bins(sizes: impl Iterator<Item = (u64, u64)>) -> Vec<(String, u64)> {
    let mut exact = [0u64; EXACT_CLUSTER_SIZES as usize];
    let mut binned: BTreeMap<usize, u64> = BTreeMap::new();
    for (size, count) in sizes {
        if (1..=EXACT_CLUSTER_SIZES).contains(&size) {
            exact[(size - 1) as usize] += count;
        } else if size > EXACT_CLUSTER_SIZES {
            *binned.entry(length_bin(size)).or_default() += count;
        }
    }
    let last_exact = exact.iter().rposition(|&count| count > 0);
    let mut bins: Vec<(String, u64)> = Vec::new();
    let shown = if binned.is_empty() {
        last_exact.map_or(0, |last| last + 1)
    } else {
        exact.len()
    };
    for (index, &count) in exact.iter().take(shown).enumerate() {
        bins.push(((index + 1).to_string(), count));
    }
    if let (Some(&first), Some(&last)) = (binned.keys().next(), binned.keys().next_back()) {
        for bin in first..=last {
            let low = (1u64 << (bin - 1)).max(EXACT_CLUSTER_SIZES + 1);
            let high = (1u64 << bin) - 1;
            let count = binned.get(&bin).copied().unwrap_or(0);
            bins.push((format!("{low}–{high}"), count));
        }
    }
    bins
}
