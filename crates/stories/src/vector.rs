//! Sparse weighted term vectors, the one representation every comparison in the crate uses.

use rustc_hash::FxHashMap;

/// A sparse vector keyed by 64-bit term hashes, sorted by key, with no zero weights.
///
/// Terms are hashed rather than interned so that the tracker holds no vocabulary that grows
/// with the dump: a story's memory is its own vectors and nothing else. With 64-bit keys a
/// collision among the few hundred thousand terms of a large news dump has a probability of
/// about 10^-9.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SparseVector {
    entries: Vec<(u64, f32)>,
    /// The Euclidean norm, kept up to date: an article is compared with a dozen stories, and
    /// recomputing their norms each time was most of the comparison.
    norm: f32,
}

impl SparseVector {
    /// Builds a vector from weights per key (any order; zero and negative weights dropped).
    pub fn from_map(map: FxHashMap<u64, f32>) -> Self {
        Self::from_weights(map)
    }

    /// Builds a vector from weights of distinct keys (any order; zero and negative weights
    /// dropped).
    pub fn from_weights(weights: impl IntoIterator<Item = (u64, f32)>) -> Self {
        let mut entries: Vec<(u64, f32)> = weights.into_iter().filter(|&(_, w)| w > 0.0).collect();
        entries.sort_unstable_by_key(|&(key, _)| key);
        Self::with_entries(entries)
    }

    /// A vector from sorted entries and their norm, as [`Self::entries`] and [`Self::norm`]
    /// gave them: the norm is taken as is, not recomputed, so a vector read back compares
    /// bit for bit as the original did.
    #[cfg(feature = "serde")]
    pub fn from_parts(entries: Vec<(u64, f32)>, norm: f32) -> Self {
        SparseVector { entries, norm }
    }

    fn with_entries(entries: Vec<(u64, f32)>) -> Self {
        let mut vector = SparseVector { entries, norm: 0.0 };
        vector.update_norm();
        vector
    }

    fn update_norm(&mut self) {
        self.norm = self.entries.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    }

    pub fn entries(&self) -> &[(u64, f32)] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn norm(&self) -> f32 {
        self.norm
    }

    /// Scales the vector to unit length (an empty vector stays empty).
    pub fn normalize(&mut self) {
        let norm = self.norm();
        if norm > 0.0 {
            for entry in &mut self.entries {
                entry.1 /= norm;
            }
            self.update_norm();
        }
    }

    /// Keeps the `max` heaviest entries (ties by key, so the result is the same on every
    /// machine and in every order of insertion).
    pub fn truncate(&mut self, max: usize) {
        if self.entries.len() <= max {
            return;
        }
        if max == 0 {
            self.entries.clear();
            self.norm = 0.0;
            return;
        }
        // Find the lightest entry kept on a copy and filter the sorted entries by it: the
        // same entries as selecting in place, but without sorting them back by key (a
        // centroid is truncated each time an article joins its story).
        let mut ranked = self.entries.clone();
        let (_, &mut last_kept, _) = ranked.select_nth_unstable_by(max - 1, heavier);
        self.entries
            .retain(|entry| heavier(entry, &last_kept) != std::cmp::Ordering::Greater);
        self.update_norm();
    }

    /// The `max` heaviest entries, heaviest first.
    pub fn top(&self, max: usize) -> Vec<(u64, f32)> {
        let mut sorted = self.entries.clone();
        if max > 0 && sorted.len() > max {
            sorted.select_nth_unstable_by(max - 1, heavier);
            sorted.truncate(max);
        }
        sorted.sort_unstable_by(heavier);
        sorted.truncate(max);
        sorted
    }

    /// The keys of the `max` heaviest entries, in key order (as a set: the order of the
    /// heaviest is not needed, and equal sets compare equal).
    pub fn top_key_set(&self, max: usize) -> Vec<u64> {
        if self.entries.len() <= max {
            return self.entries.iter().map(|&(key, _)| key).collect();
        }
        if max == 0 {
            return Vec::new();
        }
        let mut ranked = self.entries.clone();
        let (_, &mut last_kept, _) = ranked.select_nth_unstable_by(max - 1, heavier);
        self.entries
            .iter()
            .filter(|entry| heavier(entry, &last_kept) != std::cmp::Ordering::Greater)
            .map(|&(key, _)| key)
            .collect()
    }

    pub fn dot(&self, other: &SparseVector) -> f32 {
        let (a, b) = (&self.entries, &other.entries);
        if a.len() * SHORT_SIDE <= b.len() {
            return dot_short_long(a, b, |short, long| short * long);
        }
        if b.len() * SHORT_SIDE <= a.len() {
            return dot_short_long(b, a, |short, long| long * short);
        }
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        // Branch-free merge: which side advances is a coin toss the branch predictor loses,
        // and a dozen of these per article over centroids of hundreds of keys were most of
        // the tracker's time. Weights are positive, so adding 0.0 where keys differ leaves
        // the sum (and its order of additions, by key) exactly what a branching merge gives.
        while i < a.len() && j < b.len() {
            let (ka, wa) = a[i];
            let (kb, wb) = b[j];
            sum += if ka == kb { wa * wb } else { 0.0 };
            i += usize::from(ka <= kb);
            j += usize::from(kb <= ka);
        }
        sum
    }

    /// Cosine similarity; 0 when either vector is empty.
    pub fn cosine(&self, other: &SparseVector) -> f32 {
        let norms = self.norm() * other.norm();
        if norms > 0.0 {
            self.dot(other) / norms
        } else {
            0.0
        }
    }

    /// A copy with every weight multiplied by `factor(key)`.
    pub fn scaled_by(&self, factor: impl Fn(u64) -> f32) -> SparseVector {
        Self::with_entries(
            self.entries
                .iter()
                .map(|&(key, weight)| (key, weight * factor(key)))
                .filter(|&(_, weight)| weight > 0.0)
                .collect(),
        )
    }

    /// Adds `scale * other` to this vector.
    pub fn add_scaled(&mut self, other: &SparseVector, scale: f32) {
        let mut merged = Vec::with_capacity(self.entries.len() + other.entries.len());
        let (a, b) = (&self.entries, &other.entries);
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let take_a = j >= b.len() || (i < a.len() && a[i].0 < b[j].0);
            let take_b = i >= a.len() || (j < b.len() && b[j].0 < a[i].0);
            if take_a {
                merged.push(a[i]);
                i += 1;
            } else if take_b {
                merged.push((b[j].0, b[j].1 * scale));
                j += 1;
            } else {
                merged.push((a[i].0, a[i].1 + b[j].1 * scale));
                i += 1;
                j += 1;
            }
        }
        merged.retain(|&(_, w)| w > 0.0);
        self.entries = merged;
        self.update_norm();
    }

    /// Bytes of heap this vector holds.
    pub fn heap_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<(u64, f32)>()
    }
}

/// A side this many times shorter than the other is looked up in it rather than merged: a
/// sentence's two dozen keys against a centroid of hundreds (every sentence an article
/// offers its story's summary and timeline is scored so).
const SHORT_SIDE: usize = 4;

/// The dot product of a short and a long key-sorted list, by searching each key of the
/// short one in what is left of the long one. Matches are summed in key order, as a merge
/// sums them; `product(short weight, long weight)` keeps the caller's operand order.
fn dot_short_long(
    short: &[(u64, f32)],
    long: &[(u64, f32)],
    product: impl Fn(f32, f32) -> f32,
) -> f32 {
    let mut sum = 0.0f32;
    let mut rest = long;
    for &(key, weight) in short {
        let at = rest.partition_point(|&(k, _)| k < key);
        rest = &rest[at..];
        match rest.first() {
            Some(&(k, w)) if k == key => {
                sum += product(weight, w);
                rest = &rest[1..];
            }
            Some(_) => {}
            None => break,
        }
    }
    sum
}

/// A vector laid out for many dot products against others: an open-addressing table of its
/// keys, so a comparison costs one independent probe per key of the other vector instead
/// of a merge whose every step waits for the one before. An article is compared so with
/// each of its candidate stories.
#[derive(Clone, Debug, Default)]
pub(crate) struct LookupVector {
    /// Key and weight per cell; a weight of 0 marks an empty cell (a vector holds only
    /// positive weights, and a zero one would add nothing to a dot product).
    cells: Vec<(u64, f32)>,
    mask: usize,
    norm: f32,
}

/// Cells per key of a [`LookupVector`]: at a load of a quarter almost every probe ends at
/// its first cell.
const LOOKUP_CELLS_PER_KEY: usize = 4;

impl LookupVector {
    #[cfg(test)]
    pub fn new(vector: &SparseVector) -> Self {
        let mut lookup = LookupVector::default();
        lookup.fill(vector);
        lookup
    }

    /// Makes this the table of `vector`, in the cells it already has: the tracker lays out
    /// two vectors per article, and allocating their tables each time showed in profiles.
    pub fn fill(&mut self, vector: &SparseVector) {
        let size = (vector.entries.len() * LOOKUP_CELLS_PER_KEY)
            .next_power_of_two()
            .max(LOOKUP_CELLS_PER_KEY);
        let mask = size - 1;
        let cells = &mut self.cells;
        cells.clear();
        cells.resize(size, (0u64, 0.0f32));
        for &(key, weight) in &vector.entries {
            if weight == 0.0 {
                continue;
            }
            let mut cell = (key as usize) & mask;
            while cells[cell].1 != 0.0 {
                cell = (cell + 1) & mask;
            }
            cells[cell] = (key, weight);
        }
        self.mask = mask;
        self.norm = vector.norm;
    }

    /// The same as `vector.dot(other)` for the vector this was made of, to the bit: the
    /// matches are summed in the order of `other`'s keys, which is the order a merge sums
    /// them in.
    pub fn dot(&self, other: &SparseVector) -> f32 {
        let mut sum = 0.0f32;
        for &(key, weight) in &other.entries {
            let mut cell = (key as usize) & self.mask;
            loop {
                let (k, w) = self.cells[cell];
                if w == 0.0 {
                    break;
                }
                if k == key {
                    sum += w * weight;
                    break;
                }
                cell = (cell + 1) & self.mask;
            }
        }
        sum
    }

    /// The same as `vector.cosine(other)` for the vector this was made of.
    pub fn cosine(&self, other: &SparseVector) -> f32 {
        let norms = self.norm * other.norm();
        if norms > 0.0 {
            self.dot(other) / norms
        } else {
            0.0
        }
    }
}

/// Heaviest first, then by key: a total order on the entries of one vector (keys are
/// distinct), so the heaviest `n` are the same set whatever the algorithm that picks them.
fn heavier(a: &(u64, f32), b: &(u64, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vector(pairs: &[(u64, f32)]) -> SparseVector {
        SparseVector::from_map(pairs.iter().copied().collect())
    }

    #[test]
    fn cosine_of_equal_and_disjoint_vectors() {
        let a = vector(&[(1, 1.0), (2, 2.0)]);
        let b = vector(&[(3, 1.0)]);
        assert!((a.cosine(&a) - 1.0).abs() < 1e-6);
        assert_eq!(a.cosine(&b), 0.0);
        assert_eq!(a.cosine(&SparseVector::default()), 0.0);
    }

    /// Vectors of pseudo-random keys drawn from a small range, so that they share keys.
    fn random_vector(seed: u64, len: usize) -> SparseVector {
        let mut state = seed;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let map: FxHashMap<u64, f32> = (0..len)
            .map(|_| (next() % 1000, (next() % 10_000) as f32 / 997.0 + 0.001))
            .collect();
        SparseVector::from_map(map)
    }

    /// The merge every other dot product must agree with to the bit.
    fn merged_dot(a: &SparseVector, b: &SparseVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        while i < a.entries.len() && j < b.entries.len() {
            let ((ka, wa), (kb, wb)) = (a.entries[i], b.entries[j]);
            if ka == kb {
                sum += wa * wb;
            }
            i += usize::from(ka <= kb);
            j += usize::from(kb <= ka);
        }
        sum
    }

    #[test]
    fn every_dot_product_agrees_with_the_merge_to_the_bit() {
        for seed in 1..200u64 {
            let short = random_vector(seed, (seed % 30) as usize);
            let long = random_vector(seed * 7919, 300);
            let mid = random_vector(seed * 104_729, 150);
            for (a, b) in [
                (&short, &long),
                (&long, &short),
                (&mid, &long),
                (&long, &mid),
            ] {
                let expected = merged_dot(a, b).to_bits();
                assert_eq!(a.dot(b).to_bits(), expected, "seed {seed}");
                assert_eq!(LookupVector::new(a).dot(b).to_bits(), expected);
                assert_eq!(
                    LookupVector::new(a).cosine(b).to_bits(),
                    a.cosine(b).to_bits()
                );
            }
        }
        let empty = SparseVector::default();
        assert_eq!(LookupVector::new(&empty).cosine(&empty), 0.0);
    }

    #[test]
    fn add_scaled_merges_keys() {
        let mut a = vector(&[(1, 1.0), (3, 1.0)]);
        a.add_scaled(&vector(&[(2, 1.0), (3, 1.0)]), 2.0);
        assert_eq!(a.entries(), &[(1, 1.0), (2, 2.0), (3, 3.0)]);
    }

    #[test]
    fn truncate_keeps_the_heaviest() {
        let mut a = vector(&[(1, 0.1), (2, 0.9), (3, 0.5)]);
        a.truncate(2);
        assert_eq!(a.entries(), &[(2, 0.9), (3, 0.5)]);
        assert_eq!(a.top_key_set(1), vec![2]);
        assert_eq!(a.top_key_set(2), vec![2, 3], "in key order");
    }
}
