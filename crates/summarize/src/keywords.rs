use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::document::DocumentTerms;
use crate::role::Role;
use crate::sentence::{SentenceInput, SentenceRole};

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

/// A word of the current run: its term, where it is, its role.
type RunWord = (u32, Range<usize>, Role);

/// A scored phrase; ordered by score alone (ties are broken by the phrase's text, which is
/// only written out for the phrases that get that far).
#[derive(Debug)]
struct Scored {
    score: f64,
    key: PhraseKey,
    range: Range<usize>,
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scored {}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score)
    }
}

/// The lists [`keywords`] fills, kept per thread so that they are allocated once.
#[derive(Debug, Default)]
pub(crate) struct KeywordScratch {
    term_frequency: Vec<f64>,
    phrases: FxHashMap<PhraseKey, (Range<usize>, f64)>,
    run: Vec<RunWord>,
    scored: Vec<Scored>,
}

/// Phrase tables larger than this are not kept for the next document.
const KEPT_PHRASES: usize = 1 << 14;

/// Adds the phrases of a finished run (cut into pieces of at most MAX_PHRASE_WORDS words).
/// A piece never ends on a past verb ("Coleco reported" is "Coleco").
fn flush(
    run: &mut Vec<RunWord>,
    phrases: &mut FxHashMap<PhraseKey, (Range<usize>, f64)>,
    boost: f64,
) {
    for window in run.chunks(MAX_PHRASE_WORDS) {
        let kept = window
            .iter()
            .rposition(|(_, _, role)| *role != Role::Past)
            .map_or(&window[..0], |last| &window[..=last]);
        let (Some(first), Some(last)) = (kept.first(), kept.last()) else {
            continue;
        };
        let mut key = [u32::MAX; MAX_PHRASE_WORDS];
        for (slot, (term, _, _)) in key.iter_mut().zip(kept) {
            *slot = *term;
        }
        // Where the phrase is first written, not a copy of it: a document can hold about as
        // many distinct phrases as words, and only the few chosen ones need their text.
        let entry = phrases
            .entry(key)
            .or_insert_with(|| (first.1.start..last.1.end, 0.0));
        entry.1 += boost;
    }
    run.clear();
}

/// Whether what separates two content words ends a phrase: anything but spaces and hyphens
/// (a skipped stop word, a figure, punctuation).
fn gap_ends_run(text: &str, gap: Range<usize>) -> bool {
    let Some(gap) = text.get(gap) else {
        return true;
    };
    // Nearly always one space: no need to decode it.
    if gap
        .bytes()
        .all(|b| b == b' ' || b == b'-' || (b'\t'..=b'\r').contains(&b))
    {
        return false;
    }
    gap.chars().any(|c| !c.is_whitespace() && c != '-')
}

/// The phrase written at `range`, as one line: a phrase broken over lines reads as one line.
fn surface(text: &str, range: Range<usize>) -> Cow<'_, str> {
    let surface = &text[range];
    let single_spaced = if surface.is_ascii() {
        // Nearly every phrase: its bytes are its characters, and ASCII white space other
        // than the space is tab to carriage return.
        let bytes = surface.as_bytes();
        !bytes.windows(2).any(|pair| pair == b"  ")
            && !bytes.iter().any(|b| (b'\t'..=b'\r').contains(b))
    } else {
        !surface.contains("  ") && !surface.contains(|c: char| c.is_whitespace() && c != ' ')
    };
    if single_spaced {
        Cow::Borrowed(surface)
    } else {
        Cow::Owned(surface.split_whitespace().collect::<Vec<_>>().join(" "))
    }
}

/// Candidate phrases are maximal runs of content words between stop words and punctuation;
/// a phrase scores the sum of its terms' TF-IDF over the document, and gains for appearing in
/// headings and the first sentences. Phrases with the same stems count once.
pub(crate) fn keywords(
    text: &str,
    sentences: &[SentenceInput],
    terms: &DocumentTerms,
    max: usize,
    scratch: &mut KeywordScratch,
) -> Vec<Keyword> {
    if scratch.phrases.capacity() > KEPT_PHRASES {
        *scratch = KeywordScratch::default();
    }
    let KeywordScratch {
        term_frequency,
        phrases,
        run,
        scored,
    } = scratch;
    term_frequency.clear();
    term_frequency.resize(terms.len(), 0.0);
    phrases.clear();
    for (index, sentence) in sentences.iter().enumerate() {
        let boost = match sentence.role {
            SentenceRole::Heading => 2.0,
            _ if index < 3 => 1.5,
            _ => 1.0,
        };
        run.clear();
        for word in terms.of_sentence(index) {
            let range = word.range(sentence.span.start);
            if run
                .last()
                .is_some_and(|(_, last, _)| gap_ends_run(text, last.end..range.start))
            {
                flush(run, phrases, boost);
            }
            term_frequency[word.term as usize] += 1.0;
            let breaks = word.role == Role::Breaks || (word.role == Role::Past && !run.is_empty());
            if breaks {
                flush(run, phrases, boost);
            } else {
                run.push((word.term, range, word.role));
            }
        }
        flush(run, phrases, boost);
    }
    // Each term's share of a phrase's mass, once per term rather than once per phrase.
    for (frequency, &weight) in term_frequency.iter_mut().zip(&terms.weights) {
        *frequency = frequency.sqrt() * f64::from(weight);
    }
    let term_mass = &*term_frequency;
    scored.clear();
    scored.extend(phrases.drain().map(|(key, (range, occurrences))| {
        let mass: f64 = phrase_terms(&key)
            .map(|term| term_mass[term as usize])
            .sum();
        Scored {
            score: mass * occurrences.sqrt(),
            key,
            range,
        }
    }));
    // Best first, equal scores by their text: only as far down as the choice goes, since a
    // document has hundreds of phrases and a few are chosen.
    let mut heap = BinaryHeap::from(std::mem::take(scored));
    let mut chosen: Vec<(PhraseKey, Keyword)> = Vec::new();
    let mut ties: Vec<(Scored, Cow<'_, str>)> = Vec::new();
    while chosen.len() < max {
        let Some(best) = heap.pop() else { break };
        ties.clear();
        while heap.peek().is_some_and(|next| *next == best) {
            if let Some(tie) = heap.pop() {
                let written = surface(text, tie.range.clone());
                ties.push((tie, written));
            }
        }
        let written = surface(text, best.range.clone());
        ties.push((best, written));
        ties.sort_by(|a, b| a.1.cmp(&b.1));
        for (phrase, written) in ties.drain(..) {
            if chosen.len() >= max {
                break;
            }
            // A phrase inside one already chosen, or holding one, adds nothing new.
            let key = phrase.key;
            let overlaps = chosen.iter().any(|(other, _)| {
                phrase_terms(&key).all(|t| other.contains(&t))
                    || phrase_terms(other).all(|t| key.contains(&t))
            });
            if !overlaps {
                chosen.push((
                    key,
                    Keyword {
                        phrase: written.into_owned(),
                        score: phrase.score,
                    },
                ));
            }
        }
    }
    let mut kept = heap.into_vec();
    kept.clear();
    *scored = kept;
    chosen.into_iter().map(|(_, keyword)| keyword).collect()
}

fn phrase_terms(key: &PhraseKey) -> impl Iterator<Item = u32> + '_ {
    key.iter().copied().take_while(|&term| term != u32::MAX)
}

#[cfg(test)]
mod tests {
    use crate::{SentenceInput, SentenceRole, Summarizer};

    fn keywords_of(text: &str) -> Vec<String> {
        let mut sentences = Vec::new();
        let mut start = 0;
        for part in text.split_inclusive(". ") {
            let end = start + part.trim_end().len();
            sentences.push(SentenceInput {
                span: start..end,
                role: SentenceRole::Body,
                paragraph: 0,
            });
            start += part.len();
        }
        Summarizer::builder()
            .build()
            .keywords(text, &sentences, 10)
            .into_iter()
            .map(|k| k.phrase)
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn surface_is_the_phrase_on_one_line(text in "[a-z \t\n\u{0B}\u{0C}\r\u{a0}\u{2028}é]{0,24}") {
            let single_spaced = !text.contains("  ")
                && !text.contains(|c: char| c.is_whitespace() && c != ' ');
            let expected = if single_spaced {
                text.clone()
            } else {
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            };
            proptest::prop_assert_eq!(super::surface(&text, 0..text.len()), expected);
        }
    }

    #[test]
    fn keywords_are_topics_not_verbs_units_or_dates() {
        let text = "Coleco reported a loss of 12 mln dlrs in January. Coleco reported \
            weak toy\nsales as Cabbage Patch Kids sales fell. Cabbage Patch Kids sales fell \
            for the third year, Reuter said. Coleco sold a proposed toy line.";
        let keywords = keywords_of(text);
        assert!(keywords.iter().any(|k| k == "Coleco"), "{keywords:?}");
        assert!(
            keywords.iter().any(|k| k == "weak toy sales"),
            "{keywords:?}"
        );
        for k in &keywords {
            assert!(!k.contains('\n'), "{k:?}");
            assert!(!k.ends_with("reported") && !k.ends_with("fell"), "{k:?}");
            for excluded in ["January", "mln", "dlrs", "Reuter"] {
                assert!(!k.contains(excluded), "{k:?}");
            }
        }
        assert!(
            keywords.iter().any(|k| k == "proposed toy line"),
            "{keywords:?}"
        );
    }
}
