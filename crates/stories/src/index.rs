//! The inverted index that finds candidate stories for an article: each open story is listed
//! under its heaviest terms and names, and an article looks up only its own heaviest ones, so
//! the work per article depends on how many stories share its rare words, not on how many
//! stories are open.

use rustc_hash::FxHashMap;

/// A key listed for more open stories than this is too common to select candidates (in a
/// wire feed, "shr" and "cts" head hundreds of earnings briefs): its list is dropped and the
/// key ignored from then on, which keeps each look-up and each relisting short however many
/// stories are open. A story's own rare keys still find it.
pub(crate) const MAX_POSTINGS: usize = 64;

/// The slots listed under one key; `None` once the key proved too common.
type Postings = Option<Vec<u32>>;

/// Postings: key to the slots of the open stories listed under it.
#[derive(Debug, Default)]
pub(crate) struct StoryIndex {
    postings: FxHashMap<u64, Postings>,
    /// Query weight per slot while [`StoryIndex::candidates`] runs, all 0 between calls: a
    /// look-up adds to hundreds of slots, which an array indexed by slot does without
    /// hashing.
    scores: Vec<f32>,
    /// The slots `scores` holds a weight for.
    touched: Vec<u32>,
    /// Sorted copies of the keys [`StoryIndex::relist`] compares, kept between calls: it
    /// runs for every article.
    old_sorted: Vec<u64>,
    new_sorted: Vec<u64>,
}

impl StoryIndex {
    /// Lists `slot` under `new` instead of `old`.
    pub fn relist(&mut self, slot: u32, old: &[u64], new: &[u64]) {
        if old == new {
            // A story that has settled keeps its heaviest keys article after article.
            return;
        }
        // Sorted copies for the membership tests: a story's keys number dozens on both
        // sides, and scanning one list per key of the other was quadratic in them.
        let StoryIndex {
            postings,
            old_sorted,
            new_sorted,
            ..
        } = self;
        old_sorted.clear();
        old_sorted.extend_from_slice(old);
        old_sorted.sort_unstable();
        new_sorted.clear();
        new_sorted.extend_from_slice(new);
        new_sorted.sort_unstable();
        let in_old = |key: &u64| old_sorted.binary_search(key).is_ok();
        let in_new = |key: &u64| new_sorted.binary_search(key).is_ok();
        for key in old {
            if in_new(key) {
                continue;
            }
            if let Some(Some(list)) = postings.get_mut(key) {
                list.retain(|&s| s != slot);
                if list.is_empty() {
                    postings.remove(key);
                }
            }
        }
        for &key in new {
            if in_old(&key) {
                continue;
            }
            let postings = postings.entry(key).or_insert_with(|| Some(Vec::new()));
            if let Some(list) = postings {
                if list.len() >= MAX_POSTINGS {
                    *postings = None;
                } else {
                    list.push(slot);
                }
            }
        }
    }

    /// The up to `max` slots sharing the most query weight with the query keys (heaviest
    /// first, then lowest slot, so the choice is the same in every run).
    pub fn candidates(&mut self, query: &[(u64, f32)], max: usize) -> Vec<u32> {
        for (key, weight) in query {
            if let Some(Some(list)) = self.postings.get(key) {
                for &slot in list {
                    let index = slot as usize;
                    if index >= self.scores.len() {
                        self.scores.resize(index + 1, 0.0);
                    }
                    // Query weights are positive, so 0 means not touched yet.
                    if self.scores[index] == 0.0 {
                        self.touched.push(slot);
                    }
                    self.scores[index] += weight;
                }
            }
        }
        let scores = &mut self.scores;
        let mut ranked: Vec<(u32, f32)> = self
            .touched
            .drain(..)
            .map(|slot| (slot, std::mem::take(&mut scores[slot as usize])))
            .collect();
        ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(max);
        ranked.into_iter().map(|(slot, _)| slot).collect()
    }

    /// Number of keys and of postings.
    pub fn size(&self) -> (usize, usize) {
        (
            self.postings.len(),
            self.postings.values().flatten().map(Vec::len).sum(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relisting_moves_a_story_between_keys() {
        let mut index = StoryIndex::default();
        index.relist(0, &[], &[1, 2]);
        index.relist(1, &[], &[2, 3]);
        assert_eq!(index.candidates(&[(2, 1.0)], 10), vec![0, 1]);
        assert_eq!(index.candidates(&[(3, 1.0), (2, 1.0)], 10), vec![1, 0]);
        index.relist(0, &[1, 2], &[4]);
        assert_eq!(index.candidates(&[(2, 1.0)], 10), vec![1]);
        assert_eq!(index.candidates(&[(4, 1.0)], 1), vec![0]);
        assert_eq!(index.size(), (3, 3));
    }

    #[test]
    fn a_key_of_too_many_stories_is_dropped() {
        let mut index = StoryIndex::default();
        for slot in 0..=MAX_POSTINGS as u32 {
            index.relist(slot, &[], &[7, 100 + u64::from(slot)]);
        }
        assert!(index.candidates(&[(7, 1.0)], 10).is_empty());
        assert_eq!(index.candidates(&[(7, 1.0), (103, 1.0)], 10), vec![3]);
        index.relist(3, &[7, 103], &[]);
        assert!(index.candidates(&[(103, 1.0)], 10).is_empty());
    }
}
