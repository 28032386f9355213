use std::ops::Range;

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
    let words = sentence_text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    words >= MIN_SUMMARY_WORDS && !is_boilerplate(sentence_text)
}

/// Boilerplate is short: a long sentence that mentions "copyright" or "subscribe" is news.
const MAX_BOILERPLATE_WORDS: usize = 25;

/// Lines that are about the article rather than part of it.
fn is_boilerplate(sentence: &str) -> bool {
    let words = sentence.split_whitespace().count();
    if words > MAX_BOILERPLATE_WORDS {
        return false;
    }
    let lower = sentence.to_lowercase();
    const MARKERS: &[&str] = &[
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
    ];
    if MARKERS.iter().any(|m| lower.contains(m)) {
        return true;
    }
    // "By John Smith" and "By . Daily Mail Reporter ." bylines.
    if lower.starts_with("by ") && words <= 8 {
        return true;
    }
    // A timestamp: mostly digits and clock or zone words.
    let digits = lower.chars().filter(char::is_ascii_digit).count();
    let letters = lower.chars().filter(|c| c.is_alphabetic()).count();
    digits >= 4 && digits * 2 >= letters
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
            assert!(is_boilerplate(line), "{line}");
        }
        assert!(!is_boilerplate(
            "By the end of the week the council had approved the budget for schools."
        ));
        assert!(!is_boilerplate(
            "The mayor said the new budget would add 4,000 jobs by 2026."
        ));
    }
}
