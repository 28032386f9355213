use std::cell::RefCell;
use std::ops::Range;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::idf::IdfTable;

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

/// A thread's vocabulary is forgotten beyond this many words: news reuses a vocabulary of a
/// few tens of thousands of words, and stemming is the costliest step of term extraction.
const VOCABULARY_WORDS: usize = 100_000;

/// The words a thread has seen, each mapped to the number of its stem, so that a known word
/// costs one hash look-up and the summarizer compares stems as integers.
#[derive(Default)]
struct Vocabulary {
    /// Lower-cased word to stem number.
    words: FxHashMap<Box<str>, u32>,
    /// Stem to stem number.
    numbers: FxHashMap<Box<str>, u32>,
    /// Stem number to stem.
    stems: Vec<Box<str>>,
}

impl Vocabulary {
    /// The stem number of a lower-cased word, or None for a stop word.
    fn number(&mut self, lower: &str, stemmer: &Stemmer) -> Option<u32> {
        if let Some(&number) = self.words.get(lower) {
            return (number != STOP).then_some(number);
        }
        if Terms::is_stop_word(lower) {
            self.words.insert(lower.into(), STOP);
            return None;
        }
        let stem = stemmer.stem(lower);
        let number = match self.numbers.get(stem.as_ref()) {
            Some(&number) => number,
            None => {
                let number = self.stems.len() as u32;
                self.stems.push(stem.as_ref().into());
                self.numbers.insert(stem.as_ref().into(), number);
                number
            }
        };
        self.words.insert(lower.into(), number);
        Some(number)
    }
}

/// The number a stop word maps to: one look-up tells a known word and a stop word apart.
const STOP: u32 = u32::MAX;

thread_local! {
    static VOCABULARY: RefCell<Vocabulary> = RefCell::default();
}

fn stop_words() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// Words longer than this many bytes are not terms: the longest words of English news are
/// about 45 letters, German compounds rarely pass 60, and a longer run of letters and digits
/// is an identifier, a hash, base64 or a run-together line. Without the limit a 50 MB run of
/// letters was copied five times over (lower-cased, stemmed, and three times into the
/// thread's vocabulary, which outlives the document).
pub const MAX_TERM_BYTES: usize = 64;

/// The most distinct terms a document's term table is sized for up front (it grows beyond).
const MAX_PRESIZED_TERMS: usize = 1 << 14;

/// A content word of a document: its term and where it is in its sentence. 12 bytes, where a
/// term with a `Range<usize>` took 24: a document holds one per content word, which for short
/// words is more than the text itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// The term, numbered from 0 within the document.
    pub term: u32,
    /// Byte offset of the word from the start of its sentence.
    pub start: u32,
    /// Length in bytes (at most [`MAX_TERM_BYTES`]).
    pub len: u32,
}

impl Word {
    /// The word's byte range in the text, given its sentence's start.
    pub fn range(&self, sentence_start: usize) -> Range<usize> {
        let start = sentence_start + self.start as usize;
        start..start + self.len as usize
    }
}

/// The content words of one document, analyzed once for both the summary and the keywords.
pub(crate) struct DocumentTerms {
    /// Every content word in text order. A word that starts more than 4 GiB into its sentence
    /// is left out (documents are far smaller: the pipeline's default limit is 64 MiB).
    pub words: Vec<Word>,
    /// For each sentence, the range of its words in `words`.
    pub sentences: Vec<Range<usize>>,
    /// IDF weight of each term.
    pub weights: Vec<f32>,
}

impl DocumentTerms {
    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// The words of sentence `index`.
    pub fn of_sentence(&self, index: usize) -> &[Word] {
        self.sentences
            .get(index)
            .and_then(|range| self.words.get(range.clone()))
            .unwrap_or(&[])
    }
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
    pub fn for_each(&self, text: &str, mut each: impl FnMut(&str, Range<usize>)) {
        VOCABULARY.with(|cell| {
            let mut vocabulary = cell.borrow_mut();
            if vocabulary.words.len() >= VOCABULARY_WORDS {
                *vocabulary = Vocabulary::default();
            }
            // Each word is handed on as it is found: no list of a document's words.
            self.numbers(text, &mut vocabulary, |vocabulary, number, start, word| {
                each(
                    &vocabulary.stems[number as usize],
                    start..start + word.len(),
                );
            });
        });
    }

    /// Analyzes the sentences of a document (spans outside the text count as empty).
    pub(crate) fn document<'a>(
        &self,
        text: &str,
        spans: impl Iterator<Item = &'a Range<usize>>,
        idf: &IdfTable,
    ) -> DocumentTerms {
        // About one content word in eight bytes of English news: room for them from the start,
        // so that a long document's list is not copied as it doubles, the old and the new copy
        // in memory at once. (Pages reserved but never written are never resident.)
        let mut words = Vec::with_capacity(text.len() / 8);
        let mut sentences = Vec::with_capacity(spans.size_hint().0);
        let mut weights = Vec::new();
        VOCABULARY.with(|cell| {
            let mut vocabulary = cell.borrow_mut();
            // Only between documents: the numbers must stay valid for this whole one.
            if vocabulary.words.len() >= VOCABULARY_WORDS {
                *vocabulary = Vocabulary::default();
            }
            for span in spans {
                let first = words.len();
                if let Some(sentence) = text.get(span.clone()) {
                    self.numbers(sentence, &mut vocabulary, |_, term, start, word| {
                        // A word is at most MAX_TERM_BYTES long; only its offset can be out
                        // of range, in a sentence over 4 GiB.
                        if let (Ok(start), Ok(len)) =
                            (u32::try_from(start), u32::try_from(word.len()))
                        {
                            words.push(Word { term, start, len });
                        }
                    });
                }
                sentences.push(first..words.len());
            }
            // Thread-wide stem numbers to dense document terms, with their weights.
            // Sized for a news article's terms at most: a long document of few distinct words
            // would otherwise reserve a table for half its words.
            let mut local: FxHashMap<u32, u32> = FxHashMap::with_capacity_and_hasher(
                (words.len() / 2).min(MAX_PRESIZED_TERMS),
                Default::default(),
            );
            for word in &mut words {
                let next = local.len() as u32;
                let number = word.term;
                word.term = *local.entry(number).or_insert_with(|| {
                    weights.push(idf.weight(&vocabulary.stems[number as usize]));
                    next
                });
            }
        });
        DocumentTerms {
            words,
            sentences,
            weights,
        }
    }

    /// Calls `each` with the vocabulary, the stem number, the byte offset and the text of every
    /// content word of `text`.
    fn numbers<'t>(
        &self,
        text: &'t str,
        vocabulary: &mut Vocabulary,
        mut each: impl FnMut(&Vocabulary, u32, usize, &'t str),
    ) {
        let mut lower = String::with_capacity(24);
        words(text, |start, word| {
            if word.len() > MAX_TERM_BYTES {
                return;
            }
            lower.clear();
            if word.is_ascii() {
                lower.push_str(word);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(word.chars().flat_map(char::to_lowercase));
            }
            if lower.len() < 2 {
                return;
            }
            let Some(number) = vocabulary.number(&lower, &self.stemmer) else {
                return;
            };
            each(vocabulary, number, start, word);
        });
    }
}

/// Calls `each` with every run of letters, digits and inner apostrophes, and its byte offset.
pub(crate) fn words<'a>(text: &'a str, mut each: impl FnMut(usize, &'a str)) {
    let apostrophe = |c: char| c == '\'' || c == '\u{2019}';
    let mut emit = |start: usize, end: usize| {
        let piece = &text[start..end];
        let bytes = piece.as_bytes();
        // Apostrophes are ' or U+2019 (E2 80 99): a word that neither starts nor ends with
        // one of their bytes needs no trimming.
        let (first, last) = (bytes[0], bytes[bytes.len() - 1]);
        if first != b'\'' && first != 0xE2 && last != b'\'' && last != 0x99 {
            each(start, piece);
            return;
        }
        let trimmed = piece.trim_matches(apostrophe);
        if !trimmed.is_empty() {
            let lead = piece.len() - piece.trim_start_matches(apostrophe).len();
            each(start + lead, trimmed);
        }
    };
    let bytes = text.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII, nearly all of English news, is classified byte by byte without decoding.
        let (is_word, width) = if bytes[i].is_ascii() {
            (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'\'', 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c.is_alphanumeric() || c == '\u{2019}', c.len_utf8()),
                None => break,
            }
        };
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                emit(s, i);
                start = None;
            }
            _ => {}
        }
        i += width;
    }
    if let Some(s) = start {
        emit(s, text.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_longer_than_a_term_can_be_are_left_out() {
        let long = "x".repeat(MAX_TERM_BYTES + 1);
        let longest = "y".repeat(MAX_TERM_BYTES);
        let text = format!("Rates {long} rose {longest}");
        let mut found = Vec::new();
        Terms::new().for_each(&text, |stem, range| found.push((stem.to_string(), range)));
        let stems: Vec<&str> = found.iter().map(|(stem, _)| stem.as_str()).collect();
        // The longest word allowed is a term (its stem ends in "i").
        assert_eq!(stems.len(), 3, "{stems:?}");
        assert_eq!(stems[..2], ["rate", "rose"]);
        let at = text.find(&longest).unwrap();
        assert_eq!(found[2].1, at..at + MAX_TERM_BYTES);
        // Nor does the thread's vocabulary keep them.
        VOCABULARY.with(|cell| assert!(!cell.borrow().words.contains_key(long.as_str())));
    }
}
