use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::sentence::{SentenceInput, SentenceRole};
use crate::terms::DocumentTerms;

/// A key phrase and its score (higher is more important).
#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    /// The phrase as first written in the text (case kept).
    pub phrase: String,
    /// TF-IDF mass of the phrase, boosted when it appears early or in a heading.
    pub score: f64,
}

/// Phrases are runs of up to this many content words.
const MAX_PHRASE_WORDS: usize = 3;

/// The terms of a phrase, in order (unused places are `u32::MAX`).
type PhraseKey = [u32; MAX_PHRASE_WORDS];

/// Adds the phrases of a finished run (cut into pieces of at most MAX_PHRASE_WORDS words).
fn flush(
    text: &str,
    run: &mut Vec<(u32, Range<usize>)>,
    phrases: &mut FxHashMap<PhraseKey, (String, f64)>,
    boost: f64,
) {
    for window in run.chunks(MAX_PHRASE_WORDS) {
        let (Some(first), Some(last)) = (window.first(), window.last()) else {
            continue;
        };
        let mut key = [u32::MAX; MAX_PHRASE_WORDS];
        for (slot, (term, _)) in key.iter_mut().zip(window) {
            *slot = *term;
        }
        let entry = phrases
            .entry(key)
            .or_insert_with(|| (text[first.1.start..last.1.end].to_string(), 0.0));
        entry.1 += boost;
    }
    run.clear();
}

/// Candidate phrases are maximal runs of content words between stop words and punctuation;
/// a phrase scores the sum of its terms' TF-IDF over the document, and gains for appearing in
/// headings and the first sentences. Phrases with the same stems count once.
pub(crate) fn keywords(
    text: &str,
    sentences: &[SentenceInput],
    terms: &DocumentTerms,
    max: usize,
) -> Vec<Keyword> {
    let mut term_frequency = vec![0.0f64; terms.len()];
    let mut phrases: FxHashMap<PhraseKey, (String, f64)> = FxHashMap::default();
    // (term, range) of the current run of adjacent content words.
    let mut run: Vec<(u32, Range<usize>)> = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        let boost = match sentence.role {
            SentenceRole::Heading => 2.0,
            _ if index < 3 => 1.5,
            _ => 1.0,
        };
        run.clear();
        for (term, range) in terms.of_sentence(index) {
            // A skipped stop word, a figure or punctuation between two content words ends the
            // phrase; spaces and hyphens do not.
            let gap_ends_run = run.last().is_some_and(|(_, last)| {
                text.get(last.end..range.start)
                    .is_none_or(|gap| gap.chars().any(|c| !c.is_whitespace() && c != '-'))
            });
            if gap_ends_run {
                flush(text, &mut run, &mut phrases, boost);
            }
            term_frequency[*term as usize] += 1.0;
            if text[range.clone()].bytes().all(|b| b.is_ascii_digit()) {
                flush(text, &mut run, &mut phrases, boost);
            } else {
                run.push((*term, range.clone()));
            }
        }
        flush(text, &mut run, &mut phrases, boost);
    }
    let mut scored: Vec<(PhraseKey, String, f64)> = phrases
        .into_iter()
        .map(|(key, (surface, occurrences))| {
            let mass: f64 = phrase_terms(&key)
                .map(|term| {
                    term_frequency[term as usize].sqrt() * f64::from(terms.weights[term as usize])
                })
                .sum();
            (key, surface, mass * occurrences.sqrt())
        })
        .collect();
    scored.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    let mut chosen: Vec<(PhraseKey, Keyword)> = Vec::new();
    for (key, surface, score) in scored {
        if chosen.len() >= max {
            break;
        }
        // A phrase inside one already chosen, or holding one, adds nothing new.
        let overlaps = chosen.iter().any(|(other, _)| {
            phrase_terms(&key).all(|t| other.contains(&t))
                || phrase_terms(other).all(|t| key.contains(&t))
        });
        if !overlaps {
            chosen.push((
                key,
                Keyword {
                    phrase: surface,
                    score,
                },
            ));
        }
    }
    chosen.into_iter().map(|(_, keyword)| keyword).collect()
}

fn phrase_terms(key: &PhraseKey) -> impl Iterator<Item = u32> + '_ {
    key.iter().copied().take_while(|&term| term != u32::MAX)
}
