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

/// The content words of one document, analyzed once for both the summary and the keywords.
pub(crate) struct DocumentTerms {
    /// Every content word in text order: its term (numbered from 0 within the document) and
    /// its byte range in the text.
    pub words: Vec<(u32, Range<usize>)>,
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

    /// The (term, range) pairs of sentence `index`.
    pub fn of_sentence(&self, index: usize) -> &[(u32, Range<usize>)] {
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
        let mut found = Vec::new();
        VOCABULARY.with(|cell| {
            let mut vocabulary = cell.borrow_mut();
            if vocabulary.words.len() >= VOCABULARY_WORDS {
                *vocabulary = Vocabulary::default();
            }
            self.numbers(text, 0, &mut vocabulary, &mut found);
            for (number, range) in found {
                each(&vocabulary.stems[number as usize], range);
            }
        });
    }

    /// Analyzes the sentences of a document (spans outside the text count as empty).
    pub(crate) fn document<'a>(
        &self,
        text: &str,
        spans: impl Iterator<Item = &'a Range<usize>>,
        idf: &IdfTable,
    ) -> DocumentTerms {
        let mut words = Vec::new();
        let mut sentences = Vec::new();
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
                    self.numbers(sentence, span.start, &mut vocabulary, &mut words);
                }
                sentences.push(first..words.len());
            }
            // Thread-wide stem numbers to dense document terms, with their weights.
            let mut local: FxHashMap<u32, u32> =
                FxHashMap::with_capacity_and_hasher(words.len() / 2, Default::default());
            for (number, _) in &mut words {
                let next = local.len() as u32;
                *number = *local.entry(*number).or_insert_with(|| {
                    weights.push(idf.weight(&vocabulary.stems[*number as usize]));
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

    /// Appends the stem number and range (shifted by `offset`) of every content word.
    fn numbers(
        &self,
        text: &str,
        offset: usize,
        vocabulary: &mut Vocabulary,
        out: &mut Vec<(u32, Range<usize>)>,
    ) {
        let mut lower = String::with_capacity(24);
        words(text, |start, word| {
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
            let start = offset + start;
            out.push((number, start..start + word.len()));
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
