//! The sentence graph: unit-length TF-IDF vectors of sentences, their cosine similarities and
//! PacSum's directed centrality.
//!
//! The similarities of the graph's sentences come from an inverted index, term by term, so
//! that only pairs of sentences that share a term cost anything: most pairs of a news article
//! share none. Each pair's dot product still adds its terms' products in term order, as a
//! merge of the two vectors does, so the similarities are the same to the bit.

use std::ops::Range;

use crate::document::DocumentTerms;

/// PacSum's directed centrality: similarity to later sentences counts for, to earlier ones
/// against (they repeat what came before).
const FORWARD_WEIGHT: f64 = 1.0;
const BACKWARD_WEIGHT: f64 = -0.3;
/// Similarities below this share of the way from the smallest to the largest edge are noise.
const EDGE_THRESHOLD: f64 = 0.1;

/// Sentence vectors, stored one after another, and the similarities of the first `linked`.
/// One is kept per thread and refilled for each document.
#[derive(Debug, Default)]
pub(crate) struct Graph {
    /// The vectors' (term, weight) entries, each vector sorted by term.
    entries: Vec<(u32, f32)>,
    /// Each vector's range in `entries`, by slot.
    vectors: Vec<Range<usize>>,
    /// How many slots, from the first, `similarity` covers.
    linked: usize,
    /// `linked × linked`, row-major: the similarity of slots a < b is at `a * linked + b`.
    similarity: Vec<f32>,
    /// For each term, the start of its postings (and one past the last term's end).
    starts: Vec<usize>,
    /// Where the next posting of each term goes while they are filled.
    cursor: Vec<usize>,
    /// (slot, weight) of every entry of the linked vectors, grouped by term, slots ascending.
    postings: Vec<(u32, f32)>,
    /// One sentence's terms while its vector is built.
    ids: Vec<u32>,
}

impl Graph {
    /// Forgets the previous document's vectors.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.vectors.clear();
        self.linked = 0;
    }

    /// Adds sentence `index` of `terms` as a unit-length TF-IDF vector; returns its slot.
    pub fn push(&mut self, terms: &DocumentTerms, index: usize) -> usize {
        self.ids.clear();
        self.ids
            .extend(terms.of_sentence(index).iter().map(|word| word.term));
        self.ids.sort_unstable();
        let start = self.entries.len();
        for &id in &self.ids {
            let weight = terms.weights[id as usize];
            match self.entries[start..].last_mut() {
                Some((last, w)) if *last == id => *w += weight,
                _ => self.entries.push((id, weight)),
            }
        }
        let vector = &mut self.entries[start..];
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        self.vectors.push(start..self.entries.len());
        self.vectors.len() - 1
    }

    fn vector(&self, slot: usize) -> &[(u32, f32)] {
        self.vectors
            .get(slot)
            .and_then(|range| self.entries.get(range.clone()))
            .unwrap_or(&[])
    }

    /// Computes the similarities between the first `n` slots; `terms` is the number of
    /// distinct terms of the document.
    pub fn link(&mut self, n: usize, terms: usize) {
        self.linked = n;
        self.similarity.clear();
        self.similarity.resize(n * n, 0.0);
        self.starts.clear();
        self.starts.resize(terms + 1, 0);
        for range in &self.vectors[..n] {
            for &(id, _) in &self.entries[range.clone()] {
                self.starts[id as usize + 1] += 1;
            }
        }
        for id in 0..terms {
            self.starts[id + 1] += self.starts[id];
        }
        self.cursor.clear();
        self.cursor.extend_from_slice(&self.starts[..terms]);
        self.postings.clear();
        self.postings.resize(self.starts[terms], (0, 0.0));
        for slot in 0..n {
            let range = self.vectors[slot].clone();
            for &(id, weight) in &self.entries[range] {
                let at = &mut self.cursor[id as usize];
                self.postings[*at] = (slot as u32, weight);
                *at += 1;
            }
        }
        for id in 0..terms {
            let postings = &self.postings[self.starts[id]..self.starts[id + 1]];
            for (i, &(a, weight_a)) in postings.iter().enumerate() {
                let row = a as usize * n;
                for &(b, weight_b) in &postings[i + 1..] {
                    self.similarity[row + b as usize] += weight_a * weight_b;
                }
            }
        }
    }

    /// The cosine similarity of the vectors in two slots.
    pub fn cosine(&self, a: usize, b: usize) -> f64 {
        let (low, high) = (a.min(b), a.max(b));
        if low != high && high < self.linked {
            return f64::from(self.similarity[low * self.linked + high]);
        }
        cosine(self.vector(a), self.vector(b))
    }

    /// PacSum-style centrality of the linked slots: edges above a relative threshold,
    /// forward edges weighted for, backward edges against.
    ///
    /// Each slot's edges are added in slot order, as a sum over every other slot does, so
    /// the result is the same to the bit; but a row's forward edges are read as one slice
    /// of the upper triangle and its backward ones as a column of it, with no index worked
    /// out and compared per pair.
    pub fn centrality(&self) -> Vec<f64> {
        let n = self.linked;
        if n < 2 {
            return vec![0.0; n];
        }
        let upper = |i: usize| {
            self.similarity
                .get(i * n + i + 1..(i + 1) * n)
                .unwrap_or(&[])
        };
        // In f32, as stored: widening to f64 is exact and keeps the order, so the bounds are
        // the same as those of the widened values.
        let (mut low, mut high) = (f32::MAX, f32::MIN);
        for i in 0..n {
            for &s in upper(i) {
                low = low.min(s);
                high = high.max(s);
            }
        }
        let (low, high) = (f64::from(low), f64::from(high));
        let threshold = low + EDGE_THRESHOLD * (high - low);
        let edge = move |s: f32| (f64::from(s) - threshold).max(0.0);
        (0..n)
            .map(|i| {
                let backward = (0..i).map(|j| {
                    let s = self.similarity.get(j * n + i).copied().unwrap_or(0.0);
                    BACKWARD_WEIGHT * edge(s)
                });
                let forward = upper(i).iter().map(|&s| FORWARD_WEIGHT * edge(s));
                backward.chain(forward).sum::<f64>().max(0.0)
            })
            .collect()
    }
}

/// The dot product of two unit vectors sorted by term.
pub(crate) fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    f64::from(dot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Unit vectors over a few terms, as `push` makes them.
    fn vectors() -> impl Strategy<Value = Vec<Vec<(u32, f32)>>> {
        proptest::collection::vec(
            proptest::collection::btree_map(0u32..30, 0.01f32..9.0, 0..12),
            0..20,
        )
        .prop_map(|maps| {
            maps.into_iter()
                .map(|map| {
                    let norm = map.values().map(|w| w * w).sum::<f32>().sqrt();
                    map.into_iter().map(|(id, w)| (id, w / norm)).collect()
                })
                .collect()
        })
    }

    /// The centrality as first written: a sum over every other slot, the similarity of each
    /// pair looked up by its indices.
    fn centrality_pair_by_pair(graph: &Graph) -> Vec<f64> {
        let n = graph.linked;
        let similarity = |i: usize, j: usize| f64::from(graph.similarity[i.min(j) * n + i.max(j)]);
        let (mut low, mut high) = (f64::MAX, f64::MIN);
        for i in 0..n {
            for j in (i + 1)..n {
                let s = similarity(i, j);
                low = low.min(s);
                high = high.max(s);
            }
        }
        if n < 2 {
            return vec![0.0; n];
        }
        let threshold = low + EDGE_THRESHOLD * (high - low);
        (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| {
                        let edge = (similarity(i, j) - threshold).max(0.0);
                        if j > i {
                            FORWARD_WEIGHT * edge
                        } else {
                            BACKWARD_WEIGHT * edge
                        }
                    })
                    .sum::<f64>()
                    .max(0.0)
            })
            .collect()
    }

    /// A graph of `vectors`, linked as the summarizer links a document's sentences.
    fn linked(vectors: &[Vec<(u32, f32)>]) -> Graph {
        let mut graph = Graph::default();
        for vector in vectors {
            let start = graph.entries.len();
            graph.entries.extend_from_slice(vector);
            graph.vectors.push(start..graph.entries.len());
        }
        graph.link(vectors.len(), 30);
        graph
    }

    proptest! {
        #[test]
        fn centrality_is_the_pair_by_pair_sum_to_the_bit(vectors in vectors()) {
            let graph = linked(&vectors);
            let bits = |values: Vec<f64>| values.into_iter().map(f64::to_bits).collect::<Vec<_>>();
            prop_assert_eq!(bits(graph.centrality()), bits(centrality_pair_by_pair(&graph)));
        }

        #[test]
        fn the_index_gives_the_merged_dot_products_to_the_bit(vectors in vectors()) {
            let graph = linked(&vectors);
            for a in 0..vectors.len() {
                for b in 0..vectors.len() {
                    let merged = cosine(&vectors[a], &vectors[b]);
                    prop_assert_eq!(graph.cosine(a, b).to_bits(), merged.to_bits());
                }
            }
        }
    }
}
