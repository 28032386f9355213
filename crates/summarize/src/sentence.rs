use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

/// What kind of block a sentence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentenceRole {
    /// Running text: the only kind a summary picks from.
    Body,
    /// A title or section heading.
    Heading,
    /// An item of a list.
    ListItem,
}

/// One sentence of the text to summarize.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceInput {
    /// Byte range of the sentence in the text.
    pub span: Range<usize>,
    /// The kind of block it belongs to.
    pub role: SentenceRole,
    /// Index of its block (paragraph) in the text.
    pub paragraph: usize,
}

/// A sentence under this many words cannot stand alone in a summary.
pub const MIN_SUMMARY_WORDS: usize = 6;

/// Whether a sentence may be picked: body text, long enough, and not boilerplate (bylines,
/// datelines, timestamps, photo captions, calls to action).
pub(crate) fn eligible(text: &str, sentence: &SentenceInput) -> bool {
    if sentence.role != SentenceRole::Body {
        return false;
    }
    let Some(sentence_text) = text.get(sentence.span.clone()) else {
        return false;
    };
    let (words, with_letters) = count_words(sentence_text);
    with_letters >= MIN_SUMMARY_WORDS && !is_boilerplate(sentence_text, words)
}

/// Whitespace-separated words, and how many of them hold a letter, in one pass (this runs on
/// every sentence of every document).
fn count_words(text: &str) -> (usize, usize) {
    let (mut words, mut with_letters) = (0, 0);
    let (mut in_word, mut has_letter) = (false, false);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (space, letter) = if bytes[i].is_ascii() {
            i += 1;
            let c = char::from(bytes[i - 1]);
            (c.is_whitespace(), c.is_ascii_alphabetic())
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            i += c.len_utf8();
            (c.is_whitespace(), c.is_alphabetic())
        };
        if space {
            if in_word {
                words += 1;
                with_letters += usize::from(has_letter);
            }
            in_word = false;
            has_letter = false;
        } else {
            in_word = true;
            has_letter |= letter;
        }
    }
    if in_word {
        words += 1;
        with_letters += usize::from(has_letter);
    }
    (words, with_letters)
}

/// Boilerplate is short: a long sentence that mentions "copyright" or "subscribe" is news.
const MAX_BOILERPLATE_WORDS: usize = 25;

/// Lines that are about the article rather than part of it.
fn is_boilerplate(sentence: &str, words: usize) -> bool {
    if words > MAX_BOILERPLATE_WORDS {
        return false;
    }
    if boilerplate_markers().is_match(sentence) {
        return true;
    }
    // "By John Smith" and "By . Daily Mail Reporter ." bylines.
    if sentence
        .get(..3)
        .is_some_and(|start| start.eq_ignore_ascii_case("by "))
        && words <= 8
    {
        return true;
    }
    // A timestamp: mostly digits and clock or zone words.
    let digits = sentence.bytes().filter(u8::is_ascii_digit).count();
    let letters = sentence.chars().filter(|c| c.is_alphabetic()).count();
    digits >= 4 && digits * 2 >= letters
}

/// Phrases that mark a line as about the article, matched in any case. Most sentences are
/// short enough to be checked, so one automaton pass replaces a search per phrase.
fn boilerplate_markers() -> &'static AhoCorasick {
    static MARKERS: OnceLock<AhoCorasick> = OnceLock::new();
    MARKERS.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "published:",
                "updated:",
                "last updated",
                "click here",
                "follow us",
                "follow @",
                "all rights reserved",
                "copyright",
                "(getty images)",
                "photo:",
                "image:",
                "pictured:",
                "scroll down for video",
                "read more:",
                "sign up for",
                "subscribe",
                "e-mail to a friend",
            ])
            .expect("fixed ASCII patterns build")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_is_recognized() {
        for line in [
            "By . Daily Mail Reporter .",
            "PUBLISHED: . 10:34 EST, 2 January 2014 .",
            "10:34 est, 2 january 2014 .",
            "Scroll down for video.",
            "By John Smith, Political Editor",
        ] {
            assert!(is_boilerplate(line, count_words(line).0), "{line}");
        }
        for line in [
            "By the end of the week the council had approved the budget for schools.",
            "The mayor said the new budget would add 4,000 jobs by 2026.",
        ] {
            assert!(!is_boilerplate(line, count_words(line).0), "{line}");
        }
    }

    #[test]
    fn words_are_counted_like_split_whitespace() {
        for text in [
            "",
            "  a  b ",
            "The 4,000 jobs\u{a0}by 2026 .",
            "caf\u{e9} \u{2014} ok",
            "x",
            "x\u{0B}y",
        ] {
            let words = text.split_whitespace().count();
            let with_letters = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphabetic))
                .count();
            assert_eq!(count_words(text), (words, with_letters), "{text:?}");
        }
    }
}
