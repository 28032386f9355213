use rustc_hash::FxHashMap;

use crate::idf::IdfTable;
use crate::sentence::{SentenceInput, SentenceRole};
use crate::terms::{words, Terms};

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
    for (index, sentence) in sentences.iter().enumerate() {
        let Some(sentence_text) = text.get(sentence.span.clone()) else {
            continue;
        };
        let boost = match sentence.role {
            SentenceRole::Heading => 2.0,
            _ if index < 3 => 1.5,
            _ => 1.0,
        };
        let mut run: Vec<(String, usize, usize)> = Vec::new();
        let mut last_end = 0;
        let flush = |run: &mut Vec<(String, usize, usize)>,
                     phrases: &mut FxHashMap<Vec<String>, (String, f64)>| {
            for window in run.chunks(MAX_PHRASE_WORDS) {
                let (Some(first), Some(last)) = (window.first(), window.last()) else {
                    continue;
                };
                let key: Vec<String> = window.iter().map(|(stem, _, _)| stem.clone()).collect();
                let surface = sentence_text[first.1..last.2].to_string();
                let entry = phrases.entry(key).or_insert((surface, 0.0));
                entry.1 += boost;
            }
            run.clear();
        };
        for (start, word) in words(sentence_text) {
            let end = start + word.len();
            let gap = &sentence_text[last_end.min(start)..start];
            let lower = word.to_lowercase();
            let content = lower.len() >= 2
                && !Terms::is_stop_word(&lower)
                && !lower.chars().all(|c| c.is_ascii_digit());
            if !content || gap.chars().any(|c| !c.is_whitespace() && c != '-') {
                flush(&mut run, &mut phrases);
            }
            if content {
                terms.for_each(word, |stem, _| {
                    match term_frequency.get_mut(stem) {
                        Some(count) => *count += 1.0,
                        None => {
                            term_frequency.insert(stem.to_string(), 1.0);
                        }
                    }
                    run.push((stem.to_string(), start, end));
                });
            }
            last_end = end;
        }
        flush(&mut run, &mut phrases);
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
