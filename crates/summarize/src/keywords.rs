use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

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

/// Words that carry weight for comparing sentences but make poor keywords: calendar words,
/// wire-service names, and the units and abbreviations of financial briefs ("mln dlrs",
/// "cts vs").
const NOT_KEYWORDS: &[&str] = &[
    "adj",
    "afp",
    "ap",
    "apr",
    "april",
    "aug",
    "august",
    "avg",
    "avgs",
    "billion",
    "bln",
    "blns",
    "co",
    "corp",
    "cts",
    "dec",
    "december",
    "dlr",
    "dlrs",
    "edt",
    "eight",
    "est",
    "feb",
    "february",
    "five",
    "four",
    "friday",
    "gmt",
    "hundred",
    "inc",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "last",
    "llc",
    "ltd",
    "mar",
    "march",
    "million",
    "mln",
    "mlns",
    "monday",
    "month",
    "months",
    "mths",
    "next",
    "nine",
    "note",
    "nov",
    "november",
    "oct",
    "october",
    "oper",
    "pct",
    "plc",
    "reuter",
    "reuters",
    "revs",
    "saturday",
    "sep",
    "sept",
    "september",
    "seven",
    "shr",
    "shrs",
    "six",
    "sunday",
    "ten",
    "thousand",
    "three",
    "thursday",
    "today",
    "tomorrow",
    "trillion",
    "tuesday",
    "upi",
    "vs",
    "wednesday",
    "week",
    "weeks",
    "yesterday",
];

/// Irregular past forms common in news; regular ones are known by their `-ed`.
const PAST_FORMS: &[&str] = &[
    "became", "began", "bought", "brought", "came", "fell", "found", "gave", "grew", "held",
    "kept", "knew", "led", "left", "lost", "made", "met", "paid", "rose", "saw", "sent", "sold",
    "spent", "struck", "thought", "took", "went", "won", "wrote",
];

/// `-ed` words that are not verbs.
const NOT_PAST: &[&str] = &[
    "breed", "feed", "hundred", "indeed", "need", "seed", "speed",
];

/// How a word may take part in a keyword.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A topic word.
    Content,
    /// A lower-case verb in the past: it may open a phrase as an adjective ("proposed merger")
    /// but elsewhere it joins a subject to its object ("Coleco reported net"), so it ends one.
    Past,
    /// Never part of a keyword.
    Excluded,
}

/// No word of the lists above is longer: longer words skip the look-ups.
const LONGEST_LISTED_WORD: usize = 9;

fn role(word: &str) -> Role {
    // Runs for every word of every document: looked up in hash sets, lower-cased on the stack.
    static EXCLUDED: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    static PAST: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    let mut buffer = [0u8; LONGEST_LISTED_WORD];
    let lower = buffer.get_mut(..word.len()).and_then(|lower| {
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).ok()
    });
    let excluded = EXCLUDED.get_or_init(|| NOT_KEYWORDS.iter().copied().collect());
    if lower.is_some_and(|lower| excluded.contains(lower)) {
        return Role::Excluded;
    }
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        return Role::Content;
    }
    let past = (word.len() > 4 && word.ends_with("ed") && !NOT_PAST.contains(&word))
        || (word.len() <= LONGEST_LISTED_WORD
            && PAST
                .get_or_init(|| PAST_FORMS.iter().copied().collect())
                .contains(word));
    if past {
        Role::Past
    } else {
        Role::Content
    }
}

/// Adds the phrases of a finished run (cut into pieces of at most MAX_PHRASE_WORDS words).
/// A piece never ends on a past verb ("Coleco reported" is "Coleco").
fn flush(
    run: &mut Vec<(u32, Range<usize>, Role)>,
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

/// The phrase written at `range`, as one line: a phrase broken over lines reads as one line.
fn surface(text: &str, range: Range<usize>) -> Cow<'_, str> {
    let surface = &text[range];
    let single_spaced =
        !surface.contains("  ") && !surface.contains(|c: char| c.is_whitespace() && c != ' ');
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
) -> Vec<Keyword> {
    let mut term_frequency = vec![0.0f64; terms.len()];
    let mut phrases: FxHashMap<PhraseKey, (Range<usize>, f64)> = FxHashMap::default();
    // (term, range) of the current run of adjacent content words.
    let mut run: Vec<(u32, Range<usize>, Role)> = Vec::new();
    for (index, sentence) in sentences.iter().enumerate() {
        let boost = match sentence.role {
            SentenceRole::Heading => 2.0,
            _ if index < 3 => 1.5,
            _ => 1.0,
        };
        run.clear();
        for word in terms.of_sentence(index) {
            let (term, range) = (&word.term, word.range(sentence.span.start));
            // A skipped stop word, a figure or punctuation between two content words ends the
            // phrase; spaces and hyphens do not.
            let gap_ends_run = run.last().is_some_and(|(_, last, _)| {
                text.get(last.end..range.start)
                    .is_none_or(|gap| gap.chars().any(|c| !c.is_whitespace() && c != '-'))
            });
            if gap_ends_run {
                flush(&mut run, &mut phrases, boost);
            }
            term_frequency[*term as usize] += 1.0;
            let word = &text[range.clone()];
            let role = role(word);
            let breaks = word.bytes().all(|b| b.is_ascii_digit())
                || role == Role::Excluded
                || (role == Role::Past && !run.is_empty());
            if breaks {
                flush(&mut run, &mut phrases, boost);
            } else {
                run.push((*term, range.clone(), role));
            }
        }
        flush(&mut run, &mut phrases, boost);
    }
    let mut scored: Vec<(PhraseKey, Cow<'_, str>, f64)> = phrases
        .into_iter()
        .map(|(key, (range, occurrences))| {
            let mass: f64 = phrase_terms(&key)
                .map(|term| {
                    term_frequency[term as usize].sqrt() * f64::from(terms.weights[term as usize])
                })
                .sum();
            (key, surface(text, range), mass * occurrences.sqrt())
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
                    phrase: surface.into_owned(),
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

    #[test]
    fn no_listed_word_is_longer_than_the_look_up_limit() {
        for list in [super::NOT_KEYWORDS, super::PAST_FORMS, super::NOT_PAST] {
            assert!(list.iter().all(|w| w.len() <= super::LONGEST_LISTED_WORD));
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
