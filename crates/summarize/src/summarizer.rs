use std::cell::Cell;
use std::sync::Arc;

use crate::document::DocumentTerms;
use crate::graph::Graph;
use crate::idf::IdfTable;
use crate::keywords::{keywords, Keyword, KeywordScratch};
use crate::sentence::SentenceInput;

/// How long a summary may be.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Budget {
    /// At most this many sentences.
    Sentences(usize),
    /// Sentences until this many words (at least one sentence).
    Words(usize),
    /// This share of the eligible sentences (at least one).
    Ratio(f64),
}

/// The chosen sentences, as indices into the input, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Indices into the sentences given to [`Summarizer::summarize`], ascending.
    pub sentences: Vec<usize>,
}

/// Only this many eligible sentences from the start enter the sentence graph: the graph is
/// quadratic, and news puts what matters first. Later sentences can still be picked on
/// position alone, which in practice they never are.
pub const MAX_GRAPH_SENTENCES: usize = 60;

/// Weights measured on the CNN/DailyMail and BBC dev files (see the README).
const LEAD_DECAY: f64 = 0.6;
const CENTRALITY_WEIGHT: f64 = 0.35;
/// A candidate this similar to a sentence already picked would repeat it.
const REDUNDANCY: f64 = 0.55;

/// Picks summary sentences and keywords.
#[derive(Clone, Debug)]
pub struct Summarizer {
    budget: Budget,
    idf: Arc<IdfTable>,
}

/// Options of a [`Summarizer`].
#[derive(Clone, Debug)]
pub struct SummarizerBuilder {
    budget: Budget,
    idf: Option<Arc<IdfTable>>,
}

impl SummarizerBuilder {
    /// The summary length (default three sentences).
    pub fn budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// IDF weights from another background corpus (default: [`IdfTable::english`]).
    pub fn idf(mut self, idf: IdfTable) -> Self {
        self.idf = Some(Arc::new(idf));
        self
    }

    /// Builds the summarizer.
    pub fn build(self) -> Summarizer {
        Summarizer {
            budget: self.budget,
            idf: self.idf.unwrap_or_else(|| Arc::new(IdfTable::english())),
        }
    }
}

/// What summarizing a document fills, kept per thread and refilled for each document so that
/// its lists are allocated once, not per document, sentence, word or phrase.
#[derive(Debug, Default)]
struct Scratch {
    terms: DocumentTerms,
    graph: Graph,
    keywords: KeywordScratch,
}

thread_local! {
    /// Taken out while in use: a summarizer called from inside another (on the same thread)
    /// finds none and uses a fresh one.
    static SCRATCH: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

/// Calls `f` with the thread's scratch lists.
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    let mut scratch = SCRATCH
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default();
    let result = f(&mut scratch);
    // Fails only while the thread is being torn down, when there is nothing to keep it for.
    let _ = SCRATCH.try_with(|cell| cell.set(Some(scratch)));
    result
}

impl Default for Summarizer {
    fn default() -> Self {
        Self::builder().build()
    }
}

impl Summarizer {
    /// Three sentences, the shipped English IDF table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Options.
    pub fn builder() -> SummarizerBuilder {
        SummarizerBuilder {
            budget: Budget::Sentences(3),
            idf: None,
        }
    }

    /// Picks the summary sentences of `text`.
    pub fn summarize(&self, text: &str, sentences: &[SentenceInput]) -> Summary {
        with_scratch(|scratch| {
            scratch.terms.analyze(text, sentences, &self.idf);
            self.pick(sentences, &scratch.terms, &mut scratch.graph)
        })
    }

    /// Up to `max` key phrases of `text`, best first.
    pub fn keywords(&self, text: &str, sentences: &[SentenceInput], max: usize) -> Vec<Keyword> {
        with_scratch(|scratch| {
            scratch.terms.analyze(text, sentences, &self.idf);
            keywords(text, sentences, &scratch.terms, max, &mut scratch.keywords)
        })
    }

    /// The summary and up to `max` keywords, reading the text once: what a pipeline that wants
    /// both should call.
    pub fn summary_and_keywords(
        &self,
        text: &str,
        sentences: &[SentenceInput],
        max: usize,
    ) -> (Summary, Vec<Keyword>) {
        with_scratch(|scratch| {
            scratch.terms.analyze(text, sentences, &self.idf);
            (
                self.pick(sentences, &scratch.terms, &mut scratch.graph),
                keywords(text, sentences, &scratch.terms, max, &mut scratch.keywords),
            )
        })
    }

    fn pick(
        &self,
        sentences: &[SentenceInput],
        terms: &DocumentTerms,
        graph: &mut Graph,
    ) -> Summary {
        // Only the sentences of the graph are kept at hand, with their vectors; the others are
        // counted here and visited again, in order, only if the picking gets past the graph.
        let eligible = |index: usize| terms.eligible.get(index).copied().unwrap_or(false);
        let mut graph_candidates: Vec<usize> = Vec::with_capacity(MAX_GRAPH_SENTENCES);
        let mut count = 0usize;
        for index in (0..sentences.len()).filter(|&index| eligible(index)) {
            if graph_candidates.len() < MAX_GRAPH_SENTENCES {
                graph_candidates.push(index);
            }
            count += 1;
        }
        if count == 0 {
            return Summary::default();
        }
        let graph_size = graph_candidates.len();
        // Slot r of the graph is the candidate of rank r.
        graph.clear();
        for &index in &graph_candidates {
            graph.push(terms, index);
        }
        graph.link(graph_size, terms.len());
        let centrality = graph.centrality();
        let max_centrality = centrality.iter().cloned().fold(0.0, f64::max);
        let score = |rank: usize| {
            let lead = LEAD_DECAY.powi(rank as i32);
            let central = match centrality.get(rank) {
                Some(c) if max_centrality > 0.0 => c / max_centrality,
                _ => 0.0,
            };
            lead + CENTRALITY_WEIGHT * central
        };
        let graph_scores: Vec<f64> = (0..graph_size).map(score).collect();
        let score_of = |rank: usize| {
            graph_scores
                .get(rank)
                .copied()
                .unwrap_or_else(|| score(rank))
        };
        // Candidates best first, ties in document order.
        let by_score = |a: &usize, b: &usize| score_of(*b).total_cmp(&score_of(*a)).then(a.cmp(b));
        let mut graph_order: Vec<usize> = (0..graph_size).collect();
        graph_order.sort_by(by_score);
        // Past the graph a score is the lead prior alone, which falls with the rank, below
        // every score in the graph: those candidates come in document order after the graph's,
        // as a sort of all of them would put them. Checked rather than assumed (the prior is a
        // floating-point power); if it did not hold, every candidate is sorted.
        let lowest_in_graph = graph_order
            .last()
            .map_or(f64::INFINITY, |&rank| score_of(rank));
        let mut previous = lowest_in_graph;
        let tail_in_order = (graph_size..count).all(|rank| {
            let current = score(rank);
            let in_order = current < lowest_in_graph && current <= previous;
            previous = current;
            in_order
        });
        let order: Box<dyn Iterator<Item = (usize, usize)>> = if tail_in_order {
            let after_graph = graph_candidates.last().map_or(0, |&last| last + 1);
            let tail = (after_graph..sentences.len())
                .filter(move |&i| eligible(i))
                .enumerate()
                .map(move |(offset, index)| (graph_size + offset, index));
            Box::new(
                graph_order
                    .into_iter()
                    .map(|rank| (rank, graph_candidates[rank]))
                    .chain(tail),
            )
        } else {
            let candidates: Vec<usize> = (0..sentences.len()).filter(|&i| eligible(i)).collect();
            let mut order: Vec<usize> = (0..count).collect();
            order.sort_by(by_score);
            Box::new(order.into_iter().map(move |rank| (rank, candidates[rank])))
        };

        let (limit_sentences, limit_words) = match self.budget {
            Budget::Sentences(n) => (n.max(1), usize::MAX),
            Budget::Words(n) => (usize::MAX, n.max(1)),
            Budget::Ratio(r) => (((count as f64 * r).ceil() as usize).max(1), usize::MAX),
        };
        // (sentence, graph slot of its vector)
        let mut picked: Vec<(usize, usize)> = Vec::new();
        let mut words = 0;
        for (rank, index) in order {
            if picked.len() >= limit_sentences || words >= limit_words {
                break;
            }
            let slot = if rank < graph_size {
                rank
            } else {
                graph.push(terms, index)
            };
            if picked
                .iter()
                .any(|&(_, other)| graph.cosine(other, slot) > REDUNDANCY)
            {
                continue;
            }
            words += terms.whitespace_words.get(index).copied().unwrap_or(0);
            picked.push((index, slot));
        }
        let mut chosen: Vec<usize> = picked.into_iter().map(|(index, _)| index).collect();
        chosen.sort_unstable();
        Summary { sentences: chosen }
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use crate::sentence::SentenceRole;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_any_sentences(text in "\\PC{0,200}", cuts in proptest::collection::vec(0usize..220, 0..12)) {
            // Arbitrary (even out-of-range or reversed) spans must not panic.
            let sentences: Vec<SentenceInput> = cuts
                .chunks(2)
                .map(|pair| SentenceInput {
                    span: pair[0]..*pair.get(1).unwrap_or(&pair[0]),
                    role: SentenceRole::Body,
                    paragraph: 0,
                })
                .collect();
            let summarizer = Summarizer::new();
            let summary = summarizer.summarize(&text, &sentences);
            prop_assert!(summary.sentences.iter().all(|&i| i < sentences.len()));
            let _ = summarizer.keywords(&text, &sentences, 10);
        }
    }
}

#[cfg(test)]
mod same_as_sorting_all {
    use super::*;
    use crate::graph::cosine;
    use crate::sentence::SentenceRole;
    use proptest::prelude::*;

    /// A sentence as a sparse TF-IDF vector of unit length.
    type Vector = Vec<(u32, f32)>;

    /// Sentence `index` as a unit-length TF-IDF vector, as the summarizer first made them.
    fn vector(terms: &DocumentTerms, index: usize) -> Vector {
        let mut ids: Vec<u32> = terms
            .of_sentence(index)
            .iter()
            .map(|word| word.term)
            .collect();
        ids.sort_unstable();
        let mut vector: Vector = Vec::with_capacity(ids.len());
        for id in ids {
            let weight = terms.weights[id as usize];
            match vector.last_mut() {
                Some((last, w)) if *last == id => *w += weight,
                _ => vector.push((id, weight)),
            }
        }
        let norm = vector.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        vector
    }

    /// The centrality as first computed: a dense matrix of merged dot products.
    fn directed_centrality(vectors: &[Vector]) -> Vec<f64> {
        let n = vectors.len();
        let mut similarity = vec![0.0f64; n * n];
        let (mut low, mut high) = (f64::MAX, f64::MIN);
        for i in 0..n {
            for j in (i + 1)..n {
                let s = cosine(&vectors[i], &vectors[j]);
                similarity[i * n + j] = s;
                similarity[j * n + i] = s;
                low = low.min(s);
                high = high.max(s);
            }
        }
        if n < 2 {
            return vec![0.0; n];
        }
        let threshold = low + 0.1 * (high - low);
        (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| {
                        let edge = (similarity[i * n + j] - threshold).max(0.0);
                        if j > i {
                            edge
                        } else {
                            -0.3 * edge
                        }
                    })
                    .sum::<f64>()
                    .max(0.0)
            })
            .collect()
    }

    /// The selection as it was before only the graph's vectors were kept and similarities
    /// came from an index: every candidate's vector, score and rank in one sorted list.
    fn pick_sorting_all(
        summarizer: &Summarizer,
        text: &str,
        sentences: &[SentenceInput],
        terms: &DocumentTerms,
    ) -> Summary {
        let candidates: Vec<usize> = (0..sentences.len())
            .filter(|&i| terms.eligible[i])
            .collect();
        if candidates.is_empty() {
            return Summary::default();
        }
        let vectors: Vec<Vector> = candidates.iter().map(|&i| vector(terms, i)).collect();
        let graph = candidates.len().min(MAX_GRAPH_SENTENCES);
        let centrality = directed_centrality(&vectors[..graph]);
        let max_centrality = centrality.iter().cloned().fold(0.0, f64::max);
        let scores: Vec<f64> = (0..candidates.len())
            .map(|rank| {
                let lead = LEAD_DECAY.powi(rank as i32);
                let central = match centrality.get(rank) {
                    Some(c) if max_centrality > 0.0 => c / max_centrality,
                    _ => 0.0,
                };
                lead + CENTRALITY_WEIGHT * central
            })
            .collect();
        let mut order: Vec<usize> = (0..candidates.len()).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));

        let (limit_sentences, limit_words) = match summarizer.budget {
            Budget::Sentences(n) => (n.max(1), usize::MAX),
            Budget::Words(n) => (usize::MAX, n.max(1)),
            Budget::Ratio(r) => (
                ((candidates.len() as f64 * r).ceil() as usize).max(1),
                usize::MAX,
            ),
        };
        let mut picked: Vec<usize> = Vec::new();
        let mut words = 0;
        for rank in order {
            if picked.len() >= limit_sentences || words >= limit_words {
                break;
            }
            if picked
                .iter()
                .any(|&p| cosine(&vectors[p], &vectors[rank]) > REDUNDANCY)
            {
                continue;
            }
            let sentence = &text[sentences[candidates[rank]].span.clone()];
            words += sentence.split_whitespace().count();
            picked.push(rank);
        }
        let mut chosen: Vec<usize> = picked.into_iter().map(|rank| candidates[rank]).collect();
        chosen.sort_unstable();
        Summary { sentences: chosen }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn picks_what_a_sort_of_every_candidate_picks(
            words in proptest::collection::vec(0usize..24, 0..1200),
            breaks in proptest::collection::vec(3usize..14, 1..200),
            budget in 0u8..3,
            amount in 1usize..40,
        ) {
            // Sentences of repeated words from a small vocabulary: redundant picks get skipped,
            // so the picking often goes past the graph of the first 60.
            const VOCABULARY: [&str; 24] = ["council", "budget", "schools", "rates", "bank",
                "river", "flood", "homes", "rain", "mayor", "vote", "tax", "roads", "water",
                "police", "court", "judge", "trial", "market", "shares", "oil", "price",
                "winter", "harvest"];
            let mut text = String::new();
            let mut sentences = Vec::new();
            let mut at = 0;
            for (i, length) in breaks.iter().cycle().enumerate() {
                if at >= words.len() {
                    break;
                }
                let start = text.len();
                let end_word = (at + length).min(words.len());
                let sentence: Vec<&str> = words[at..end_word].iter().map(|&w| VOCABULARY[w]).collect();
                text.push_str(&sentence.join(" "));
                text.push('.');
                sentences.push(SentenceInput {
                    span: start..text.len(),
                    role: if i % 17 == 5 { SentenceRole::Heading } else { SentenceRole::Body },
                    paragraph: i / 4,
                });
                text.push(' ');
                at = end_word;
            }
            let budget = match budget {
                0 => Budget::Sentences(amount),
                1 => Budget::Words(amount * 10),
                _ => Budget::Ratio(amount as f64 / 40.0),
            };
            let summarizer = Summarizer::builder().budget(budget).build();
            let mut terms = DocumentTerms::default();
            terms.analyze(&text, &sentences, &summarizer.idf);
            prop_assert_eq!(
                summarizer.pick(&sentences, &terms, &mut Graph::default()),
                pick_sorting_all(&summarizer, &text, &sentences, &terms)
            );
        }
    }
}
