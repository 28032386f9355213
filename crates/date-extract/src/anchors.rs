//! Where the patterns can match: one pass over the text finds the anchors (month and weekday
//! names, unit words, digit runs, the other words the patterns are built around), and each
//! pattern then runs only on bounded windows around its own anchors.
//!
//! This is what keeps the tagger linear and fast: a pattern's regular expression never scans
//! the text between its anchors, and no match can reach further from its anchor than the
//! window allows. It relies on two facts about the pattern table, checked by a test against a
//! scan of the whole text: every match of a pattern contains one of its anchors at the start
//! of a word, and no part of a match lies further before or after that anchor than the
//! pattern's reach (at most [`REACH_BEFORE`] and [`REACH_AFTER`] bytes).

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::resolve::lexicon::{MONTHS, WEEKDAYS};

/// How far before its anchor a match can start: the longest prefix a pattern allows ("no
/// more than the past couple of" before a unit, "Wednesday, the beginning of" before a month)
/// with room for long numbers and doubled spaces.
pub const REACH_BEFORE: usize = 64;

/// How far after its anchor a match can end ("Oct. 23, 1998", "the week of September 30th").
pub const REACH_AFTER: usize = 48;

/// How far a window's edge moves to reach a byte that is not part of a word, so that `\b` at
/// the edge of the window means what it means in the whole text.
const SNAP_LIMIT: usize = 64;

/// The forms of a month name the patterns accept, as whole words.
const MONTH_FORMS: [&str; 24] = [
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];
const UNITS: [&str; 11] = [
    "year", "month", "week", "day", "hour", "minute", "second", "decade", "centur", "quarter",
    "night",
];

/// Which patterns one anchor word anchors: always, or only when the word is a month name.
#[derive(Clone, Copy, Default)]
struct Masks {
    always: u64,
    month: u64,
}

/// The anchors of every pattern, ready to find in a text.
pub struct Anchors {
    words: Option<AhoCorasick>,
    masks: Vec<Masks>,
    /// Patterns anchored on a run of four digits that can be a year (1600 to 2099).
    year_digits: u64,
    /// Patterns anchored on a run of one or two digits followed by a slash (`03/18/2024`).
    slash_digits: u64,
    /// Patterns anchored on a run of one or two digits that can start a clock time.
    clock_digits: u64,
}

/// An anchor in a text: its bytes and the patterns (a bit each) it anchors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub span: Range<usize>,
    pub patterns: u64,
}

impl Anchors {
    /// Reads one anchor list per pattern, in pattern order (at most 64 patterns).
    pub fn new<'a>(lists: impl IntoIterator<Item = &'a str>) -> Self {
        let mut words: Vec<(String, Masks)> = Vec::new();
        let mut year_digits = 0;
        let mut slash_digits = 0;
        let mut clock_digits = 0;
        let mut add = |word: &str, masks: Masks| match words.iter_mut().find(|(w, _)| w == word) {
            Some((_, m)) => {
                m.always |= masks.always;
                m.month |= masks.month;
            }
            None => words.push((word.to_string(), masks)),
        };
        for (index, list) in lists.into_iter().enumerate().take(64) {
            let bit = 1u64 << index;
            let always = Masks {
                always: bit,
                month: 0,
            };
            for item in list.split_whitespace() {
                match item {
                    "@month" => MONTHS.iter().for_each(|m| {
                        add(
                            m,
                            Masks {
                                always: 0,
                                month: bit,
                            },
                        )
                    }),
                    "@weekday" => WEEKDAYS.iter().for_each(|w| add(w, always)),
                    "@unit" => UNITS.iter().for_each(|u| add(u, always)),
                    "#4" => year_digits |= bit,
                    "#2/" => slash_digits |= bit,
                    "#2t" => clock_digits |= bit,
                    word => add(word, always),
                }
            }
        }
        // The longest word found at a position is reported alone, so each word also anchors
        // what every shorter word it starts with anchors ("days" what "day" does).
        let masks: Vec<Masks> = words
            .iter()
            .map(|(word, _)| {
                words
                    .iter()
                    .filter(|(prefix, _)| word.starts_with(prefix.as_str()))
                    .fold(Masks::default(), |acc, (_, m)| Masks {
                        always: acc.always | m.always,
                        month: acc.month | m.month,
                    })
            })
            .collect();
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(words.iter().map(|(w, _)| w))
            .ok();
        Anchors {
            words: automaton,
            masks,
            year_digits,
            slash_digits,
            clock_digits,
        }
    }

    /// Every anchor in `text`, in order of position.
    pub fn find(&self, text: &str) -> Vec<Anchor> {
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        if let Some(words) = &self.words {
            for m in words.find_iter(text) {
                let start = m.start();
                if start > 0 && is_word_byte(bytes[start - 1]) {
                    continue;
                }
                let masks = self.masks[m.pattern().as_usize()];
                // Month names are matched as capitalized words only: every rule that reads a
                // month rejects one in lower case ("may" the verb, "march").
                let month = if masks.month != 0
                    && bytes[start].is_ascii_uppercase()
                    && is_month_word(bytes, start)
                {
                    masks.month
                } else {
                    0
                };
                let patterns = masks.always | month;
                if patterns != 0 {
                    found.push(Anchor {
                        span: m.range(),
                        patterns,
                    });
                }
            }
        }
        if self.year_digits | self.slash_digits | self.clock_digits != 0 {
            let mut digits = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if !bytes[i].is_ascii_digit() {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                if start > 0 && is_word_byte(bytes[start - 1]) {
                    continue;
                }
                let run = &bytes[start..i];
                let patterns = match run {
                    [_] | [_, _] => self.short_run(bytes, i),
                    [b'1', b'6'..=b'9', _, _] | [b'2', b'0', _, _] => self.year_digits,
                    _ => 0,
                };
                if patterns != 0 {
                    digits.push(Anchor {
                        span: start..i,
                        patterns,
                    });
                }
            }
            if !digits.is_empty() {
                found = merge_sorted(found, digits);
            }
        }
        found
    }
}

impl Anchors {
    /// The patterns a run of one or two digits ending before `end` anchors, by what follows
    /// it: a slash (a numeric date), or a colon or, after any spaces, a letter that can start
    /// `a.m.`, `p.m.`, `o'clock` or `in the` (a clock time).
    fn short_run(&self, bytes: &[u8], end: usize) -> u64 {
        match bytes.get(end) {
            Some(b'/') => self.slash_digits,
            Some(b':') => self.clock_digits,
            _ => {
                let next = bytes[end..].iter().find(|b| !b.is_ascii_whitespace());
                match next.map(u8::to_ascii_lowercase) {
                    Some(b'a' | b'p' | b'o' | b'i') => self.clock_digits,
                    _ => 0,
                }
            }
        }
    }
}

/// Two lists of anchors sorted by start, merged into one.
fn merge_sorted(a: Vec<Anchor>, b: Vec<Anchor>) -> Vec<Anchor> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => x.span.start <= y.span.start,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        merged.extend(if take_a { a.next() } else { b.next() });
    }
    merged
}

/// A byte `(?-u:\b)` counts as part of a word.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The ASCII letters from `start` spell a month name the patterns accept ("Jan", "January",
/// "Sept"), not a word that starts like one ("market", "decade", "mayor").
fn is_month_word(bytes: &[u8], start: usize) -> bool {
    let len = bytes[start..]
        .iter()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    if len > 9 {
        return false;
    }
    let mut word = [0u8; 9];
    for (w, b) in word.iter_mut().zip(&bytes[start..start + len]) {
        *w = b.to_ascii_lowercase();
    }
    let word = &word[..len];
    MONTH_FORMS.iter().any(|form| form.as_bytes() == word)
}

/// The windows a pattern runs on: around each of `anchors` that anchors pattern `bit`,
/// reaching `before` and `after` bytes (at most [`REACH_BEFORE`] and [`REACH_AFTER`]), moved
/// out to non-word bytes, and merged where they overlap. In order and disjoint.
pub fn windows(
    text: &str,
    anchors: &[Anchor],
    bit: u64,
    (before, after): (usize, usize),
) -> Vec<Range<usize>> {
    let mut windows: Vec<Range<usize>> = Vec::new();
    for anchor in anchors.iter().filter(|a| a.patterns & bit != 0) {
        // Anchors come in order, so a window that reaches past the last one's end only grows.
        let reach_start = reach_back(text, anchor.span.start, before);
        let reach_end = reach_forward(text, anchor.span.end, after);
        if let Some(last) = windows.last_mut() {
            if reach_start <= last.end {
                let end = snap_end(text, reach_end);
                last.end = last.end.max(end);
                continue;
            }
        }
        let start = snap_start(text, reach_start);
        let end = snap_end(text, reach_end);
        match windows.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => windows.push(start..end),
        }
    }
    windows
}

/// Whitespace a reach may cross beyond its own length: patterns put `\s+` between words, and
/// a text may hold long runs of spaces there ("1" and "Jan." 25 spaces apart are one date).
/// Bounded, so that the windows stay linear in the text.
const WHITESPACE_SLACK: usize = 256;

/// The start of a reach of `before` bytes back from `at`, a run of ASCII whitespace counting
/// as one byte, walking at most `before + WHITESPACE_SLACK` bytes.
fn reach_back(text: &str, at: usize, before: usize) -> usize {
    let bytes = text.as_bytes();
    let floor = at.saturating_sub(before + WHITESPACE_SLACK);
    let (mut i, mut counted) = (at, 0);
    while i > floor && counted < before {
        if bytes[i - 1].is_ascii_whitespace() {
            while i > floor && bytes[i - 1].is_ascii_whitespace() {
                i -= 1;
            }
        } else {
            i -= 1;
        }
        counted += 1;
    }
    i
}

/// The end of a reach of `after` bytes on from `at`, as [`reach_back`] counts them (possibly
/// inside a character: [`snap_end`] moves it).
fn reach_forward(text: &str, at: usize, after: usize) -> usize {
    let bytes = text.as_bytes();
    let ceiling = (at + after + WHITESPACE_SLACK).min(bytes.len());
    let (mut i, mut counted) = (at, 0);
    while i < ceiling && counted < after {
        if bytes[i].is_ascii_whitespace() {
            while i < ceiling && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
        } else {
            i += 1;
        }
        counted += 1;
    }
    i
}

/// `at` moved back to just after a byte that is not part of a word (or to the text's start),
/// so that a window starting there sees word boundaries as the whole text does; past
/// [`SNAP_LIMIT`] bytes, to a character boundary.
fn snap_start(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let floor = at.saturating_sub(SNAP_LIMIT);
    let mut i = at;
    while i > floor {
        if bytes[i - 1].is_ascii() && !is_word_byte(bytes[i - 1]) {
            return i;
        }
        i -= 1;
    }
    if i == 0 {
        return 0;
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `at` moved on to a byte that is not part of a word (or to the text's end); past
/// [`SNAP_LIMIT`] bytes, to a character boundary.
fn snap_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    if at >= bytes.len() {
        return bytes.len();
    }
    let ceiling = (at + SNAP_LIMIT).min(bytes.len());
    let mut i = at;
    while i < ceiling {
        if bytes[i].is_ascii() && !is_word_byte(bytes[i]) {
            return i;
        }
        i += 1;
    }
    if i == bytes.len() {
        return i;
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_start_words_and_months_are_whole() {
        let anchors = Anchors::new(["@month", "@unit", "#4", "#2t", "now"]);
        let text = "In March 2024, a market mayor may say the days ahead, now 12 am and x1999 noted, 12 fell";
        let found: Vec<(&str, u64)> = anchors
            .find(text)
            .into_iter()
            .map(|a| (&text[a.span], a.patterns))
            .collect();
        assert_eq!(
            found,
            [("Mar", 1), ("2024", 4), ("day", 2), ("now", 16), ("12", 8)]
        );
    }

    #[test]
    fn windows_end_at_non_word_bytes_and_merge() {
        let text = format!("{} May {} May", "word ".repeat(40), "x".repeat(10));
        let anchors = Anchors::new(["@month"]).find(&text);
        let windows = windows(&text, &anchors, 1, (REACH_BEFORE, REACH_AFTER));
        assert_eq!(windows.len(), 1, "{windows:?}");
        let w = &windows[0];
        assert!(w.start == 0 || text.as_bytes()[w.start - 1] == b' ');
        assert_eq!(w.end, text.len());
    }
}
