use std::ops::Range;

use crate::vocabulary::{self, Vocabulary, WordEntry, NO_TERM};
pub use crate::words::MAX_TERM_BYTES;
use crate::words::{scan, Counts};

/// Turns text into the terms the summarizer compares: lower-cased words without stop words,
/// stemmed (Snowball English), numbers kept.
///
/// Each thread keeps the words it has seen with their stems, so a word is stemmed once per
/// thread rather than once per occurrence.
#[derive(Clone, Copy, Debug, Default)]
pub struct Terms {
    // Room for options without breaking `Terms::new()` callers.
    _private: (),
}

impl Terms {
    /// The English analyzer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a lower-cased word is a stop word.
    pub fn is_stop_word(word: &str) -> bool {
        vocabulary::is_stop_word(word)
    }

    /// Calls `each` with the stem of every content word of `text`, with the word's byte range.
    pub fn for_each(&self, text: &str, mut each: impl FnMut(&str, Range<usize>)) {
        vocabulary::with(|vocabulary| {
            // Each word is handed on as it is found: no list of a document's words.
            content_words(vocabulary, text, |vocabulary, stem, start, word| {
                each(vocabulary.stem(stem), start..start + word.len());
            });
        });
    }
}

/// Calls `each` with the vocabulary, the stem number, the byte offset and the text of every
/// content word of `text`, and returns what the pass counted.
pub(crate) fn content_words<'t>(
    vocabulary: &mut Vocabulary,
    text: &'t str,
    mut each: impl FnMut(&mut Vocabulary, u32, usize, &'t str),
) -> Counts {
    content_entries(vocabulary, text, |vocabulary, entry, start, word| {
        each(vocabulary, entry.stem, start, word)
    })
}

/// [`content_words`] with what the vocabulary knows of each word.
pub(crate) fn content_entries<'t>(
    vocabulary: &mut Vocabulary,
    text: &'t str,
    mut each: impl FnMut(&mut Vocabulary, WordEntry, usize, &'t str),
) -> Counts {
    scan(text, |start, word| {
        if word.len() > MAX_TERM_BYTES {
            return;
        }
        let entry = vocabulary.entry(word);
        if entry.stem != NO_TERM {
            each(vocabulary, entry, start, word);
        }
    })
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
        vocabulary::with(|vocabulary| {
            assert!(vocabulary.knows("Rates"));
            assert!(!vocabulary.knows(&long));
        });
    }

    #[test]
    fn stop_words_and_single_letters_are_no_terms_in_any_case() {
        let mut found = Vec::new();
        Terms::new().for_each("The x THE rates X Rates", |stem, range| {
            found.push((stem.to_string(), range))
        });
        assert_eq!(
            found,
            [("rate".to_string(), 10..15), ("rate".to_string(), 18..23)]
        );
    }

    #[test]
    fn a_callback_may_analyze_text_again() {
        let mut inner = Vec::new();
        Terms::new().for_each("floods rains", |outer, _| {
            Terms::new().for_each("rivers", |stem, _| {
                inner.push((outer.to_string(), stem.to_string()))
            });
        });
        assert_eq!(inner.len(), 2);
        assert_eq!(inner[1], ("rain".to_string(), "river".to_string()));
    }
}
