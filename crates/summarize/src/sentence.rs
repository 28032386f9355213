use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use crate::words::Counts;

/// What kind of block a sentence comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
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
/// datelines, timestamps, photo captions, calls to action). `counts` are the sentence's, from
/// the pass that found its words.
pub(crate) fn eligible(sentence: &str, role: SentenceRole, counts: &Counts) -> bool {
    role == SentenceRole::Body
        && counts.with_letters >= MIN_SUMMARY_WORDS
        && !is_boilerplate(sentence, counts)
}

/// Boilerplate is short: a long sentence that mentions "copyright" or "subscribe" is news.
const MAX_BOILERPLATE_WORDS: usize = 25;

/// Lines that are about the article rather than part of it.
fn is_boilerplate(sentence: &str, counts: &Counts) -> bool {
    if counts.words > MAX_BOILERPLATE_WORDS {
        return false;
    }
    // "By John Smith" and "By . Daily Mail Reporter ." bylines.
    let byline = sentence
        .get(..3)
        .is_some_and(|start| start.eq_ignore_ascii_case("by "))
        && counts.words <= 8;
    byline || is_timestamp(sentence) || boilerplate_markers().is_match(sentence)
}

/// A timestamp: mostly digits and clock or zone words.
fn is_timestamp(sentence: &str) -> bool {
    let digits = sentence.bytes().filter(u8::is_ascii_digit).count();
    if digits < 4 {
        return false;
    }
    let letters = if sentence.is_ascii() {
        sentence.bytes().filter(u8::is_ascii_alphabetic).count()
    } else {
        sentence.chars().filter(|c| c.is_alphabetic()).count()
    };
    digits * 2 >= letters
}

/// Phrases that mark a line as about the article, matched in any case. Most sentences are
/// short enough to be checked, so one automaton pass replaces a search per phrase.
fn boilerplate_markers() -> &'static AhoCorasick {
    static MARKERS: OnceLock<AhoCorasick> = OnceLock::new();
    MARKERS.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            // A few short patterns: the table-driven DFA is small and the fastest to run.
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
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
    use crate::words::scan;

    fn counts(text: &str) -> Counts {
        scan(text, |_, _| {})
    }

    #[test]
    fn boilerplate_is_recognized() {
        for line in [
            "By . Daily Mail Reporter .",
            "PUBLISHED: . 10:34 EST, 2 January 2014 .",
            "10:34 est, 2 january 2014 .",
            "Scroll down for video.",
            "By John Smith, Political Editor",
        ] {
            assert!(is_boilerplate(line, &counts(line)), "{line}");
        }
        for line in [
            "By the end of the week the council had approved the budget for schools.",
            "The mayor said the new budget would add 4,000 jobs by 2026.",
        ] {
            assert!(!is_boilerplate(line, &counts(line)), "{line}");
        }
    }

    #[test]
    fn only_long_enough_body_sentences_may_be_picked() {
        let long = "The mayor said the new budget would add jobs.";
        assert!(eligible(long, SentenceRole::Body, &counts(long)));
        assert!(!eligible(long, SentenceRole::Heading, &counts(long)));
        assert!(!eligible(long, SentenceRole::ListItem, &counts(long)));
        let short = "The mayor said 4,000 2,000 jobs.";
        assert!(!eligible(short, SentenceRole::Body, &counts(short)));
    }
}
