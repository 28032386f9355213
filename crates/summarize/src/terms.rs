use std::cell::RefCell;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

/// English stop words: function words that carry no topic.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "s",
    "t",
    "mr",
    "mrs",
    "ms",
    "one",
    "two",
    "new",
    "year",
    "years",
    "told",
    "say",
    "may",
    "might",
    "must",
    "us",
    "get",
    "got",
    "per",
    "cent",
    "would",
];

/// Turns text into the terms the summarizer compares: lower-cased words without stop words,
/// stemmed (Snowball English), numbers kept.
pub struct Terms {
    stemmer: Stemmer,
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

/// A thread's stems of the words it has seen, up to this many: news reuses a vocabulary of a
/// few tens of thousands of words, and stemming is the costliest step of term extraction.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    static STEMS: RefCell<FxHashMap<String, Box<str>>> = RefCell::default();
}

fn stop_words() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

impl Terms {
    /// The English analyzer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a lower-cased word is a stop word.
    pub fn is_stop_word(word: &str) -> bool {
        stop_words().contains(word)
    }

    /// Calls `each` with the stem of every content word of `text`, with the word's byte range.
    pub fn for_each(&self, text: &str, mut each: impl FnMut(&str, std::ops::Range<usize>)) {
        let mut lower = String::with_capacity(24);
        words(text, |start, word| {
            lower.clear();
            if word.is_ascii() {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(word.chars().flat_map(char::to_lowercase));
            }
            if lower.len() < 2 || Self::is_stop_word(&lower) {
                return;
            }
            STEMS.with(|cache| {
                let mut stems = cache.borrow_mut();
                // One look-up for the common case, a known word.
                if let Some(stem) = stems.get(lower.as_str()) {
                    each(stem, start..start + word.len());
                    return;
                }
                if stems.len() >= STEM_CACHE_WORDS {
                    stems.clear();
                }
                let stem: Box<str> = self.stemmer.stem(&lower).into();
                each(&stem, start..start + word.len());
                stems.insert(lower.clone(), stem);
            });
        });
    }
}

/// Calls `each` with every run of letters, digits and inner apostrophes, and its byte offset.
pub(crate) fn words<'a>(text: &'a str, mut each: impl FnMut(usize, &'a str)) {
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
    let apostrophe = |c: char| c == '\'' || c == '\u{2019}';
    let mut emit = |start: usize, end: usize| {
        let piece = &text[start..end];
        let trimmed = piece.trim_matches(apostrophe);
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start_matches(apostrophe).len();
            each(start + lead, trimmed);
        }
    };
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                emit(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        emit(s, text.len());
    }
}
