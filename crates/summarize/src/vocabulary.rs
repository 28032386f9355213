//! The words a thread has seen, keyed by a 64-bit hash of the word as written, each with its
//! stem number and keyword role: a known word costs one hash and one look-up of an integer
//! key, with no lower-cased copy, no string comparison and no allocation. Stems are numbered
//! so that the summarizer compares them as integers, and per-stem slots (IDF weight, the
//! current document's term number) replace a hash look-up per document term.
//!
//! Words and stems are told apart by their 64-bit xxh3 hash alone. Two distinct words share a
//! hash with probability about n² / 2⁶⁵ for n words seen: for the 10⁵ words a thread keeps,
//! about 3 × 10⁻¹⁰.

use std::cell::Cell;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::hash_map::Entry as MapEntry;
use std::sync::OnceLock;

use crate::role::{role, Role};

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

fn stop_words() -> &'static FxHashSet<&'static str> {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
}

/// Whether a lower-cased word is a stop word.
pub(crate) fn is_stop_word(word: &str) -> bool {
    stop_words().contains(word)
}

/// The hash words and stems are keyed by.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// A thread's vocabulary is forgotten beyond this many words: news reuses a vocabulary of a
/// few tens of thousands of words (more as written, with their capitals), and stemming is the
/// costliest step of term extraction.
const VOCABULARY_WORDS: usize = 100_000;

/// The stem number of a word that is no term (a stop word, or a single letter).
pub(crate) const NO_TERM: u32 = u32::MAX;

/// What the vocabulary knows of a word as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WordEntry {
    /// Number of its stem, or [`NO_TERM`].
    pub stem: u32,
    /// How it may take part in a keyword.
    pub role: Role,
}

/// A stem's slots that are read only when the stem is first met in a document.
#[derive(Clone, Copy)]
struct StemSlots {
    /// Hash of the stem, the key of IDF tables.
    hash: u64,
    /// IDF weight from the table numbered `Vocabulary::weights_of`, NaN until looked up.
    weight: f32,
}

/// A stem's term number in the current document, read for every content word: kept apart
/// from [`StemSlots`] in 8 bytes a stem, so that the list of a thread's stems stays small
/// enough for the processor's cache (a miss there was a fifth of the stage's time).
#[derive(Clone, Copy)]
struct CurrentTerm {
    /// The document (`Vocabulary::document`) `term` was given in.
    document: u32,
    /// The stem's term number in that document.
    term: u32,
}

/// Recently seen words are kept in this many slots, chosen by the low bits of their hash: the
/// few thousand commonest words are most of a text, and a slot is one load where the map is a
/// probe sequence. A power of two; 64 KiB of slots.
const RECENT_WORDS: usize = 1 << 12;

/// See the module documentation.
pub(crate) struct Vocabulary {
    /// By word hash: a slot holds the hash and the entry of a word recently seen.
    recent: Box<[(u64, WordEntry)]>,
    words: FxHashMap<u64, WordEntry>,
    stem_numbers: FxHashMap<u64, u32>,
    stems: Vec<Box<str>>,
    slots: Vec<StemSlots>,
    /// By stem number, as `slots`.
    current: Vec<CurrentTerm>,
    /// Identity of the IDF table the slots' weights come from (0: none yet).
    weights_of: u64,
    /// Number of the current document, from 1 (0 is no document).
    document: u32,
    /// Term numbers given in the current document.
    terms: u32,
    /// The word being stemmed, lower-cased.
    lower: String,
    stemmer: Stemmer,
}

thread_local! {
    /// Taken out while in use, so that a call from inside another (a callback that analyzes
    /// text again) finds none and uses a fresh one instead of failing.
    static VOCABULARY: Cell<Option<Box<Vocabulary>>> = const { Cell::new(None) };
}

/// Calls `f` with the thread's vocabulary, forgotten first if it has grown too large.
pub(crate) fn with<R>(f: impl FnOnce(&mut Vocabulary) -> R) -> R {
    let mut vocabulary = VOCABULARY
        .try_with(Cell::take)
        .ok()
        .flatten()
        .filter(|vocabulary| vocabulary.words.len() < VOCABULARY_WORDS)
        .unwrap_or_else(|| Box::new(Vocabulary::new()));
    let result = f(&mut vocabulary);
    // Fails only while the thread is being torn down, when there is nothing to keep it for.
    let _ = VOCABULARY.try_with(|cell| cell.set(Some(vocabulary)));
    result
}

impl Vocabulary {
    fn new() -> Self {
        let empty = WordEntry {
            stem: NO_TERM,
            role: Role::Breaks,
        };
        Vocabulary {
            // A slot is looked at only for hashes whose low bits are its index: a hash whose
            // low bits differ from it marks it empty.
            recent: (0..RECENT_WORDS)
                .map(|slot| ((slot ^ 1) as u64, empty))
                .collect(),
            words: FxHashMap::default(),
            stem_numbers: FxHashMap::default(),
            stems: Vec::new(),
            slots: Vec::new(),
            current: Vec::new(),
            weights_of: 0,
            document: 0,
            terms: 0,
            lower: String::with_capacity(crate::words::MAX_TERM_BYTES * 2),
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// What is known of `word` as written (at most `MAX_TERM_BYTES` long).
    pub fn entry(&mut self, word: &str) -> WordEntry {
        let key = hash(word.as_bytes());
        let recent = &mut self.recent[key as usize & (RECENT_WORDS - 1)];
        if recent.0 == key {
            return recent.1;
        }
        let entry = match self.words.get(&key) {
            Some(&entry) => entry,
            None => {
                let entry = self.learn(word);
                self.words.insert(key, entry);
                entry
            }
        };
        self.recent[key as usize & (RECENT_WORDS - 1)] = (key, entry);
        entry
    }

    fn learn(&mut self, word: &str) -> WordEntry {
        self.lower.clear();
        if word.is_ascii() {
            self.lower.push_str(word);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.extend(word.chars().flat_map(char::to_lowercase));
        }
        if self.lower.len() < 2 || is_stop_word(&self.lower) {
            return WordEntry {
                stem: NO_TERM,
                role: Role::Breaks,
            };
        }
        let stem = self.stemmer.stem(&self.lower);
        let key = hash(stem.as_bytes());
        let number = match self.stem_numbers.entry(key) {
            MapEntry::Occupied(known) => *known.get(),
            MapEntry::Vacant(slot) => {
                let number = self.stems.len() as u32;
                self.stems.push(stem.as_ref().into());
                self.slots.push(StemSlots {
                    hash: key,
                    weight: f32::NAN,
                });
                self.current.push(CurrentTerm {
                    document: 0,
                    term: 0,
                });
                *slot.insert(number)
            }
        };
        WordEntry {
            stem: number,
            role: role(word),
        }
    }

    /// The stem numbered `number`.
    pub fn stem(&self, number: u32) -> &str {
        self.stems.get(number as usize).map_or("", |stem| stem)
    }

    /// The hash of the stem numbered `number`.
    pub fn stem_hash(&self, number: u32) -> u64 {
        self.slots.get(number as usize).map_or(0, |slot| slot.hash)
    }

    /// Starts numbering the terms of a new document from 0.
    pub fn begin_document(&mut self) {
        self.terms = 0;
        self.document = self.document.wrapping_add(1);
        if self.document == 0 {
            // After 2³² documents the numbers come round: no slot may look current.
            self.current.iter_mut().for_each(|slot| slot.document = 0);
            self.document = 1;
        }
    }

    /// The term number of stem `number` in the current document, and whether it is new
    /// there (numbers are given in the order stems are first met).
    pub fn term(&mut self, number: u32) -> (u32, bool) {
        let Some(slot) = self.current.get_mut(number as usize) else {
            return (0, false);
        };
        if slot.document == self.document {
            return (slot.term, false);
        }
        slot.document = self.document;
        slot.term = self.terms;
        self.terms += 1;
        (slot.term, true)
    }

    /// The weight of stem `number` in the IDF table `table` (an identity unique to a
    /// table's contents), by `look_up` of the stem's hash the first time.
    pub fn weight(&mut self, number: u32, table: u64, look_up: impl FnOnce(u64) -> f32) -> f32 {
        if self.weights_of != table {
            self.slots
                .iter_mut()
                .for_each(|slot| slot.weight = f32::NAN);
            self.weights_of = table;
        }
        let Some(slot) = self.slots.get_mut(number as usize) else {
            return look_up(0);
        };
        if slot.weight.is_nan() {
            slot.weight = look_up(slot.hash);
        }
        slot.weight
    }

    /// Whether the vocabulary holds a word as written.
    #[cfg(test)]
    pub fn knows(&self, word: &str) -> bool {
        self.words.contains_key(&hash(word.as_bytes()))
    }
}
