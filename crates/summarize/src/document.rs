//! A document read once for both the summary and the keywords: its content words as term
//! numbers, each term's IDF weight, and whether each sentence may be picked.

use std::ops::Range;

use crate::idf::IdfTable;
use crate::role::Role;
use crate::sentence::{eligible, SentenceInput};
use crate::terms::{content_entries, MAX_TERM_BYTES};
use crate::vocabulary;

/// A content word of a document: its term, where it is in its sentence, and its keyword role.
/// 12 bytes: a document holds one per content word, which for short words is more than the
/// text itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    /// The term, numbered from 0 within the document.
    pub term: u32,
    /// Byte offset of the word from the start of its sentence.
    pub start: u32,
    /// Length in bytes (at most [`MAX_TERM_BYTES`]).
    pub len: u8,
    /// How the word may take part in a keyword.
    pub role: Role,
}

// A term is at most MAX_TERM_BYTES long, so its length fits the byte `Word` keeps.
const _: () = assert!(MAX_TERM_BYTES <= u8::MAX as usize);

impl Word {
    /// The word's byte range in the text, given its sentence's start.
    pub fn range(&self, sentence_start: usize) -> Range<usize> {
        let start = sentence_start + self.start as usize;
        start..start + usize::from(self.len)
    }
}

/// A document's analysis. One is kept per thread and refilled for each document, so that its
/// lists are allocated once rather than per document.
#[derive(Debug, Default)]
pub(crate) struct DocumentTerms {
    /// Every content word in text order. A word that starts more than 4 GiB into its sentence
    /// is left out (documents are far smaller: the pipeline's default limit is 64 MiB).
    pub words: Vec<Word>,
    /// For each sentence, the range of its words in `words`.
    pub sentences: Vec<Range<usize>>,
    /// For each sentence, whether a summary may pick it.
    pub eligible: Vec<bool>,
    /// For each sentence, its whitespace-separated words (what a word budget counts).
    pub whitespace_words: Vec<usize>,
    /// IDF weight of each term.
    pub weights: Vec<f32>,
}

/// Lists longer than this many entries are not kept for the next document: one very long
/// document would otherwise hold its memory for the thread's lifetime.
const KEPT_ENTRIES: usize = 1 << 16;

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

    /// Analyzes the sentences of a document (spans outside the text count as empty),
    /// replacing the previous document's analysis.
    pub fn analyze(&mut self, text: &str, sentences: &[SentenceInput], idf: &IdfTable) {
        self.forget();
        // About one content word in eight bytes of English news: room for them from the start,
        // so that a long document's list is not copied as it doubles, the old and the new copy
        // in memory at once. (Pages reserved but never written are never resident.)
        self.words.reserve(text.len() / 8);
        self.sentences.reserve(sentences.len());
        self.eligible.reserve(sentences.len());
        self.whitespace_words.reserve(sentences.len());
        let (words, weights) = (&mut self.words, &mut self.weights);
        let table = idf.id();
        vocabulary::with(|vocabulary| {
            // Term numbers are the document's own: given in the order terms are first met.
            vocabulary.begin_document();
            for sentence in sentences {
                let first = words.len();
                let (mut may_pick, mut whitespace_words) = (false, 0);
                if let Some(sentence_text) = text.get(sentence.span.clone()) {
                    let counts = content_entries(
                        vocabulary,
                        sentence_text,
                        |vocabulary, entry, at, word| {
                            // A word is at most MAX_TERM_BYTES long; only its offset can be
                            // out of range, in a sentence over 4 GiB.
                            let (Ok(start), Ok(len)) =
                                (u32::try_from(at), u8::try_from(word.len()))
                            else {
                                return;
                            };
                            let (term, new) = vocabulary.term(entry.stem);
                            if new {
                                weights
                                    .push(vocabulary.weight(entry.stem, table, |hash| {
                                        idf.weight_of_hash(hash)
                                    }));
                            }
                            words.push(Word {
                                term,
                                start,
                                len,
                                role: entry.role,
                            });
                        },
                    );
                    may_pick = eligible(sentence_text, sentence.role, &counts);
                    whitespace_words = counts.words;
                }
                self.sentences.push(first..words.len());
                self.eligible.push(may_pick);
                self.whitespace_words.push(whitespace_words);
            }
        });
    }

    /// Empties the lists, keeping their memory unless a long document made them large.
    fn forget(&mut self) {
        if self.words.capacity() > KEPT_ENTRIES * 8 || self.sentences.capacity() > KEPT_ENTRIES {
            *self = DocumentTerms::default();
        }
        self.words.clear();
        self.sentences.clear();
        self.eligible.clear();
        self.whitespace_words.clear();
        self.weights.clear();
    }
}
