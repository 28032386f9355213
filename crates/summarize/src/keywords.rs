use rustc_hash::FxHashMap;

use crate::idf::IdfTable;
use crate::sentence::{SentenceInput, SentenceRole};
use crate::terms::Terms;

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

/// Adds the phrases of a finished run (cut into pieces of at most MAX_PHRASE_WORDS words).
fn flush(
    sentence: &str,
    run: &mut Vec<(String, usize, usize)>,
    phrases: &mut FxHashMap<Vec<String>, (String, f64)>,
    boost: f64,
) {
    for window in run.chunks(MAX_PHRASE_WORDS) {
        let (Some(first), Some(last)) = (window.first(), window.last()) else {
            continue;
        };
        let key: Vec<String> = window.iter().map(|(stem, _, _)| stem.clone()).collect();
        let entry = phrases
            .entry(key)
            .or_insert_with(|| (sentence[first.1..last.2].to_string(), 0.0));
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
    idf: &IdfTable,
    max: usize,
) -> Vec<Keyword> {
    let terms = Terms::new();
    let mut term_frequency: FxHashMap<String, f64> = FxHashMap::default();
    let mut phrases: FxHashMap<Vec<String>, (String, f64)> = FxHashMap::default();
    // (stem, start, end) of the current run of adjacent content words.
    let mut run: Vec<(String, usize, usize)> = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        let Some(sentence_text) = text.get(sentence.span.clone()) else {
            continue;
        };
        let boost = match sentence.role {
            SentenceRole::Heading => 2.0,
            _ if index < 3 => 1.5,
            _ => 1.0,
        };
        run.clear();
        terms.for_each(sentence_text, |stem, range| {
            // A skipped stop word, a figure or punctuation between two content words ends the
            // phrase; spaces and hyphens do not.
            let gap_ends_run = run.last().is_some_and(|&(_, _, end)| {
                sentence_text[end..range.start]
                    .chars()
                    .any(|c| !c.is_whitespace() && c != '-')
            });
            if gap_ends_run {
                flush(sentence_text, &mut run, &mut phrases, boost);
            }
            match term_frequency.get_mut(stem) {
                Some(count) => *count += 1.0,
                None => {
                    term_frequency.insert(stem.to_string(), 1.0);
                }
            }
            if sentence_text[range.clone()]
                .bytes()
                .all(|b| b.is_ascii_digit())
            {
                flush(sentence_text, &mut run, &mut phrases, boost);
            } else {
                run.push((stem.to_string(), range.start, range.end));
            }
        });
        flush(sentence_text, &mut run, &mut phrases, boost);
    }
    let mut scored: Vec<(Vec<String>, String, f64)> = phrases
        .into_iter()
        .map(|(stems, (surface, occurrences))| {
            let mass: f64 = stems
                .iter()
                .map(|stem| {
                    term_frequency.get(stem).copied().unwrap_or(1.0).sqrt()
                        * f64::from(idf.weight(stem))
                })
                .sum();
            (stems, surface, mass * occurrences.sqrt())
        })
        .collect();
    scored.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.1.cmp(&b.1)));
    let mut chosen: Vec<(Vec<String>, Keyword)> = Vec::new();
    for (stems, surface, score) in scored {
        if chosen.len() >= max {
            break;
        }
        // A phrase inside one already chosen, or holding one, adds nothing new.
        let overlaps = chosen.iter().any(|(other, _)| {
            stems.iter().all(|s| other.contains(s)) || other.iter().all(|s| stems.contains(s))
        });
        if !overlaps {
            chosen.push((
                stems,
                Keyword {
                    phrase: surface,
                    score,
                },
            ));
        }
    }
    chosen.into_iter().map(|(_, keyword)| keyword).collect()
}
