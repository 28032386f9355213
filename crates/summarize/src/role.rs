//! How a word may take part in a keyword, decided once per distinct word (the thread's
//! vocabulary keeps it) rather than once per occurrence.

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// A topic word.
    Content,
    /// A lower-case verb in the past: it may open a phrase as an adjective ("proposed merger")
    /// but elsewhere it joins a subject to its object ("Coleco reported net"), so it ends one.
    Past,
    /// Never part of a keyword, and the phrase around it ends: a listed word or a figure.
    Breaks,
}

/// No word of the lists above is longer: longer words skip the look-ups.
const LONGEST_LISTED_WORD: usize = 9;

/// The role of a word as written (its case matters: a capitalized past form is a name).
pub(crate) fn role(word: &str) -> Role {
    static EXCLUDED: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    static PAST: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return Role::Breaks;
    }
    let mut buffer = [0u8; LONGEST_LISTED_WORD];
    let lower = buffer.get_mut(..word.len()).and_then(|lower| {
        lower.copy_from_slice(word.as_bytes());
        lower.make_ascii_lowercase();
        std::str::from_utf8(lower).ok()
    });
    let excluded = EXCLUDED.get_or_init(|| NOT_KEYWORDS.iter().copied().collect());
    if lower.is_some_and(|lower| excluded.contains(lower)) {
        return Role::Breaks;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_listed_word_is_longer_than_the_look_up_limit() {
        for list in [NOT_KEYWORDS, PAST_FORMS, NOT_PAST] {
            assert!(list.iter().all(|w| w.len() <= LONGEST_LISTED_WORD));
        }
    }

    #[test]
    fn roles_follow_the_lists_and_the_case() {
        assert_eq!(role("2024"), Role::Breaks);
        assert_eq!(role("January"), Role::Breaks);
        assert_eq!(role("reported"), Role::Past);
        assert_eq!(role("rose"), Role::Past);
        assert_eq!(role("Rose"), Role::Content);
        assert_eq!(role("indeed"), Role::Content);
        assert_eq!(role("4x4"), Role::Content);
    }
}
