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
        let mut entries: Vec<(u64, f32)> = map.into_iter().filter(|&(_, w)| w > 0.0).collect();
        entries.sort_unstable_by_key(|&(key, _)| key);
        Self::with_entries(entries)
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
        let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
        let (a, b) = (&self.entries, &other.entries);
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
