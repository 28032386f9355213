//! Redundancy-aware selection of a story's summary sentences: maximal marginal relevance
//! (Carbonell and Goldstein, SIGIR 1998) over TF-IDF sentence vectors.

use crate::features::SentenceCandidate;
use crate::vector::SparseVector;

/// Weight of centrality against novelty in MMR. 0.7 is the usual choice for multi-document
/// news summaries: relevance first, but a near-repeat loses to the next central sentence.
const LAMBDA: f32 = 0.7;

/// Two sentences this similar (cosine of their TF-IDF vectors) say the same thing: the
/// second is never picked, whatever its centrality. Syndicated copies and rewrites of one
/// wire story score above 0.6; sentences on one event in different words score below.
pub(crate) const REDUNDANT: f32 = 0.5;

/// Indices into `candidates` of up to `count` sentences, most central and least redundant
/// first.
pub(crate) fn select(
    candidates: &[SentenceCandidate],
    centroid: &SparseVector,
    count: usize,
) -> Vec<usize> {
    let norm = centroid.norm();
    let relevance: Vec<f32> = candidates
        .iter()
        .map(|c| {
            if norm > 0.0 {
                c.vector.dot(centroid) / norm
            } else {
                0.0
            }
        })
        .collect();
    let mut picked: Vec<usize> = Vec::with_capacity(count);
    let mut closest = vec![0.0f32; candidates.len()];
    let mut excluded = vec![false; candidates.len()];
    while picked.len() < count {
        let mut best: Option<(usize, f32)> = None;
        for (index, candidate) in candidates.iter().enumerate() {
            if excluded[index] || candidate.vector.is_empty() {
                continue;
            }
            let score = LAMBDA * relevance[index] - (1.0 - LAMBDA) * closest[index];
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((index, score));
            }
        }
        let Some((chosen, _)) = best else { break };
        picked.push(chosen);
        excluded[chosen] = true;
        for (index, candidate) in candidates.iter().enumerate() {
            if excluded[index] {
                continue;
            }
            let similarity = candidate.vector.dot(&candidates[chosen].vector);
            closest[index] = closest[index].max(similarity);
            if similarity >= REDUNDANT {
                excluded[index] = true;
            }
        }
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(index: u32, terms: &[(u64, f32)]) -> SentenceCandidate {
        let mut vector = SparseVector::from_map(terms.iter().copied().collect());
        vector.normalize();
        SentenceCandidate {
            article: index,
            start: 0,
            end: 1,
            index,
            text: index.to_string(),
            vector,
            score: 0.0,
        }
    }

    #[test]
    fn near_repeats_are_never_both_picked() {
        let candidates = [
            candidate(0, &[(1, 1.0), (2, 1.0)]),
            candidate(1, &[(1, 1.0), (2, 0.9)]),
            candidate(2, &[(3, 1.0), (1, 0.2)]),
        ];
        let centroid = SparseVector::from_map([(1, 2.0), (2, 2.0), (3, 1.0)].into_iter().collect());
        let picked = select(&candidates, &centroid, 3);
        assert_eq!(picked, vec![0, 2], "1 repeats 0; 2 is less central but new");
    }

    #[test]
    fn the_most_central_comes_first_and_the_length_is_kept() {
        let candidates = [
            candidate(0, &[(5, 1.0)]),
            candidate(1, &[(1, 1.0)]),
            candidate(2, &[(2, 1.0)]),
        ];
        let centroid = SparseVector::from_map([(1, 3.0), (2, 2.0), (5, 1.0)].into_iter().collect());
        assert_eq!(select(&candidates, &centroid, 2), vec![1, 2]);
        assert!(select(&candidates, &centroid, 0).is_empty());
    }
}
