//! Sentence boundaries for English news, decided from the words around each candidate stop,
//! not from capital letters alone (lower-cased text splits too).

use std::ops::Range;
use std::sync::LazyLock;

use crate::words::{char_at, words};

/// Words that stand before a name and so never end a sentence ("Mr. Smith", "Mt. Fuji").
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "mme", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "cmdr", "sgt", "cpl", "pvt", "adm", "maj", "rev", "hon", "pres", "supt", "mt", "ft",
    "e.g", "i.e", "cf", "vs", "v", "viz", "approx",
];

/// Abbreviations that end a sentence only when a capitalized word follows ("& Co. It closed").
const ABBREVIATIONS: &[&str] = &[
    "co", "corp", "inc", "ltd", "llc", "plc", "bros", "jr", "sr", "st", "ave", "blvd", "rd", "no",
    "nos", "n°", "p", "pp", "para", "fig", "vol", "ch", "sec", "art", "dept", "univ", "assn",
    "est", "etc", "al", "ca", "op", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans",
    "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore",
    "pa", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "mln", "bln", "pct", "cts", "dlrs",
    "yr", "yrs", "min", "hr", "hrs", "oz", "lb", "lbs", "kg", "km", "mi", "sq", "tel", "ext",
];

/// Words that commonly open a sentence. After an acronym ("U.S.", "p.m.") a stop ends the
/// sentence only if one of these follows: "the U.S. How about you?" but "the U.S. Government".
const STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "your",
    "in",
    "on",
    "at",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "if",
    "when",
    "while",
    "after",
    "before",
    "as",
    "however",
    "meanwhile",
    "then",
    "now",
    "what",
    "how",
    "why",
    "who",
    "where",
    "which",
    "also",
    "some",
    "many",
    "most",
    "all",
    "both",
    "each",
    "every",
    "since",
    "although",
    "though",
    "because",
    "according",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "is",
    "was",
    "are",
    "were",
    "do",
    "does",
    "did",
    "can",
    "will",
    "would",
    "should",
    "could",
    "not",
    "no",
];

/// A sentence cut after an acronym needs this many words, so that "At 5 a.m." stays whole.
const MIN_WORDS_AFTER_ACRONYM: usize = 4;

const CLOSERS: &[char] = &['"', '\'', '\u{201d}', '\u{2019}', ')', ']', '\u{bb}', '}'];
const OPENERS: &[char] = &['"', '\'', '\u{201c}', '\u{2018}', '(', '[', '\u{ab}', '{'];
const BULLETS: &[char] = &['\u{2022}', '\u{2043}', '\u{25e6}', '\u{25aa}', '\u{2023}'];

/// Splits a paragraph of English prose into sentences.
///
/// Handles abbreviations and titles (`Mr.`, `Co.`, `St.`), initials (`Jonas E. Smith`),
/// acronyms (`U.S.`, `5 p.m.`), decimals and money (`$1.5 billion`), e-mail addresses and
/// URLs, ellipses (`...`, `. . .`, `…`), closing quotes and brackets, and inline numbered or
/// bulleted lists.
#[derive(Clone, Debug, Default)]
pub struct SentenceSplitter {}

impl SentenceSplitter {
    /// A splitter with the built-in English rules.
    pub fn new() -> Self {
        SentenceSplitter {}
    }

    /// Byte ranges of the sentences of `text`, trimmed of surrounding whitespace.
    pub fn split(&self, text: &str) -> Vec<Range<usize>> {
        let markers = list_markers(text);
        // Cuts are (end of a sentence, start of the next). The stops give them in order, so
        // without list markers each becomes a span as it is found; the markers' cuts come
        // first and need a sort, so with markers every cut is kept until the end.
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        for &marker in markers.iter().skip(1) {
            cuts.push((marker, marker));
        }
        let mut spans = Vec::new();
        let mut start = 0;
        let in_order = cuts.is_empty();
        let mut emit = |end: usize, next: usize| {
            if end > start {
                push_trimmed(text, start..end, &mut spans);
            }
            start = start.max(next);
        };
        let inside_marker = MarkerSpans::new(text, &markers);
        let stops = Stops::new(text);
        let mut i = 0;
        let mut sentence_start = 0;
        while let Some(pos) = stops.next(i) {
            let run = Run::scan(text, pos);
            i = run.next_index;
            let Some(next_start) = run.next_token_start else {
                continue;
            };
            if inside_marker.contains(pos) {
                continue; // the stop of a list marker such as "1." or "• 9."
            }
            let decision = decide(text, sentence_start, pos, &run, next_start);
            let (end, next) = match decision {
                Decision::Continue => continue,
                Decision::CutAfter(end) => (end, next_start),
                Decision::CutAfterFirstDot => (pos + 1, run.second_dot),
            };
            // A cut found here ends after every cut found before it.
            if in_order {
                emit(end, next);
            } else {
                cuts.push((end, next));
            }
            sentence_start = next;
        }
        cuts.sort_unstable();
        for (end, next) in cuts {
            emit(end, next);
        }
        push_trimmed(text, start..text.len(), &mut spans);
        spans
    }
}

/// The spans of a text's list markers ("1. ", "• 9. "), asked whether a stop is inside one.
/// One binary search per stop: testing every marker for every stop was quadratic, a second for
/// 8,000 markers of an inline list ("• 1. x • 1. x ...") and far longer for a megabyte of them.
struct MarkerSpans {
    /// Marker starts, ascending.
    starts: Vec<usize>,
    /// For each start, the largest end of the markers up to it: a stop is inside a marker when
    /// the last marker at or before it ends after it, whether or not spans overlap.
    ends: Vec<usize>,
}

impl MarkerSpans {
    fn new(text: &str, markers: &[usize]) -> MarkerSpans {
        let mut starts = markers.to_vec();
        starts.sort_unstable();
        let ends = starts
            .iter()
            .scan(0, |furthest, &start| {
                *furthest = marker_end(text, start).max(*furthest);
                Some(*furthest)
            })
            .collect();
        MarkerSpans { starts, ends }
    }

    /// Whether byte `pos` is inside a marker: `start <= pos < end` for some marker.
    fn contains(&self, pos: usize) -> bool {
        let before = self.starts.partition_point(|&start| start <= pos);
        before > 0 && self.ends[before - 1] > pos
    }
}

/// Finds the stop characters `.`, `!`, `?` and `…` of a text in order. Most of a paragraph is
/// not near a stop, so the bytes are searched with memchr (SIMD) rather than looked at one by
/// one; the rarer `…` positions are found once up front.
struct Stops<'a> {
    bytes: &'a [u8],
    ellipses: Vec<usize>,
}

impl<'a> Stops<'a> {
    fn new(text: &'a str) -> Stops<'a> {
        let bytes = text.as_bytes();
        let ellipses = memchr::memchr_iter(ELLIPSIS_LEAD, bytes)
            .filter(|&at| bytes[at..].starts_with(ELLIPSIS))
            .collect();
        Stops { bytes, ellipses }
    }

    /// The byte offset of the first stop at or after `from`.
    fn next(&self, from: usize) -> Option<usize> {
        let punctuation = self
            .bytes
            .get(from..)
            .and_then(|rest| memchr::memchr3(b'.', b'!', b'?', rest))
            .map(|offset| from + offset);
        let later = self.ellipses.partition_point(|&at| at < from);
        let ellipsis = self.ellipses.get(later).copied();
        match (punctuation, ellipsis) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// `…` in UTF-8.
const ELLIPSIS: &[u8] = "\u{2026}".as_bytes();

/// The first byte of `…` in UTF-8.
const ELLIPSIS_LEAD: u8 = 0xE2;

fn push_trimmed(text: &str, range: Range<usize>, spans: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let trimmed = slice.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = range.start + (slice.len() - slice.trim_start().len());
    spans.push(start..start + trimmed.len());
}

/// A run of stop characters with the closers after it, and what follows.
struct Run {
    /// Number of `.` (an ellipsis character counts three).
    dots: usize,
    /// `!` or `?` in the run.
    exclamation: bool,
    /// The run's dots are separated by spaces (". . .").
    spaced: bool,
    /// Byte offset of the second dot of a spaced run.
    second_dot: usize,
    /// Closing quotes or brackets follow the run.
    closed: bool,
    /// Byte offset just after the run and its closers.
    end: usize,
    /// Where the next token starts, if whitespace and a token follow; `None` at the end of the
    /// text or when a non-space character follows directly ("3.5", "Jr.'s", "mean...see").
    next_token_start: Option<usize>,
    /// Byte offset where the search for the next stop goes on: after the run and its closers.
    next_index: usize,
}

impl Run {
    /// The run starting with the stop character at byte `start`.
    fn scan(text: &str, start: usize) -> Run {
        let mut run = Run {
            dots: 0,
            exclamation: false,
            spaced: false,
            second_dot: 0,
            closed: false,
            end: 0,
            next_token_start: None,
            next_index: start,
        };
        let bytes = text.as_bytes();
        let mut i = start;
        while let Some((c, len)) = char_at(text, i) {
            match c {
                '.' => run.dots += 1,
                '\u{2026}' => run.dots += 3,
                '!' | '?' => run.exclamation = true,
                ' ' if run.dots > 0 && bytes.get(i + 1) == Some(&b'.') && !run.exclamation => {
                    if !run.spaced {
                        run.spaced = true;
                        run.second_dot = i + 1;
                    }
                }
                _ => break,
            }
            i += len;
        }
        while let Some((c, len)) = char_at(text, i) {
            if !CLOSERS.contains(&c) {
                break;
            }
            run.closed = true;
            i += len;
        }
        run.end = i;
        run.next_index = i;
        if char_at(text, i).is_some_and(|(c, _)| c.is_whitespace()) {
            let rest = &text[i..];
            let token = rest.trim_start();
            if !token.is_empty() {
                run.next_token_start = Some(i + rest.len() - token.len());
            }
        }
        run
    }
}

enum Decision {
    Continue,
    CutAfter(usize),
    CutAfterFirstDot,
}

fn decide(
    text: &str,
    sentence_start: usize,
    stop: usize,
    run: &Run,
    next_start: usize,
) -> Decision {
    let before = &text[sentence_start..stop];
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    let next = next_word(&text[next_start..]);
    let next_first = next.chars().next().unwrap_or(' ');
    let next_upper = next_first.is_uppercase();
    let next_lower = next_first.is_lowercase();
    let next_digit = next_first.is_ascii_digit();
    let cut = Decision::CutAfter(run.end);

    if word.ends_with('[') || word.ends_with('(') {
        return Decision::Continue; // "[...]": an omission, not a stop
    }
    if run.dots >= 3 || (run.spaced && run.dots >= 2) {
        let detached = word.is_empty();
        if detached {
            // " . . . was": an omission; " . . . . Next": an omission that ends a sentence.
            return if run.dots >= 4 && (next_upper || next_digit) {
                cut
            } else {
                Decision::Continue
            };
        }
        if run.spaced && next_upper {
            // "compounds. . . . The": the word's stop ends the sentence, the ellipsis opens the next.
            return Decision::CutAfterFirstDot;
        }
        return if next_upper { cut } else { Decision::Continue };
    }
    if run.exclamation {
        return if next_lower { Decision::Continue } else { cut };
    }
    if run.closed && next_lower {
        return Decision::Continue; // '"This is great." she said'
    }
    let bare = word.trim_start_matches(OPENERS);
    if listed(&TITLE_SET, bare) {
        return Decision::Continue;
    }
    if is_acronym(bare) {
        // Only whether there are enough words matters, not how many.
        let enough = words(before).nth(MIN_WORDS_AFTER_ACRONYM - 1).is_some();
        let starter = listed(&STARTER_SET, next);
        let cuts = starter && next_upper && enough;
        return if cuts { cut } else { Decision::Continue };
    }
    if listed(&ABBREVIATION_SET, bare) {
        // A lone abbreviation is no sentence: "St. Michael's Church", but "& Co. It closed".
        return if next_upper && words(before).nth(1).is_some() {
            cut
        } else {
            Decision::Continue
        };
    }
    let mut letters = bare.chars();
    if let (Some(letter), None) = (letters.next(), letters.next()) {
        if letter.is_uppercase() {
            // "Jonas E. Smith" is an initial; "you and I. Did" ends a sentence.
            let previous = before[..before.len() - word.len()]
                .split_whitespace()
                .last()
                .unwrap_or("");
            let after_name = previous.chars().next().is_some_and(char::is_uppercase);
            return if next_upper && !after_name {
                cut
            } else {
                Decision::Continue
            };
        }
    }
    if next_upper || next_digit || next_lower || OPENERS.contains(&next_first) || !next.is_empty() {
        return cut;
    }
    Decision::Continue
}

/// Whether `word`, lower-cased, is in `list` (of lower-case words). This runs at every stop:
/// a word is packed into one integer and looked up in a sorted table, not compared with each
/// entry in turn.
fn listed(list: &WordSet, word: &str) -> bool {
    let key = if word.is_ascii() {
        packed(word.bytes().map(|b| b.to_ascii_lowercase()), word.len())
    } else {
        let lower = word.to_lowercase();
        packed(lower.bytes(), lower.len())
    };
    key.is_some_and(|key| list.0.binary_search(&key).is_ok())
}

/// A word list as sorted [`packed`] keys.
struct WordSet(Vec<u128>);

impl WordSet {
    fn new(words: &[&str]) -> WordSet {
        let mut keys: Vec<u128> = words
            .iter()
            .filter_map(|word| packed(word.bytes(), word.len()))
            .collect();
        keys.sort_unstable();
        WordSet(keys)
    }
}

static TITLE_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(TITLES));
static ABBREVIATION_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(ABBREVIATIONS));
static STARTER_SET: LazyLock<WordSet> = LazyLock::new(|| WordSet::new(STARTERS));

/// Up to 15 bytes and their count in one integer; `None` for a longer word, which no list has.
fn packed(bytes: impl Iterator<Item = u8>, len: usize) -> Option<u128> {
    if len > 15 {
        return None;
    }
    let mut key = [0u8; 16];
    for (slot, byte) in key.iter_mut().zip(bytes) {
        *slot = byte;
    }
    // The length keeps "co" apart from "co" followed by a NUL.
    key[15] = len as u8;
    Some(u128::from_le_bytes(key))
}

/// The next word without opening quotes or brackets and without trailing punctuation.
fn next_word(text: &str) -> &str {
    let token = text.split(char::is_whitespace).next().unwrap_or("");
    let token = token.trim_start_matches(OPENERS);
    token.trim_end_matches(|c: char| !c.is_alphanumeric())
}

/// Letters separated by dots: "U.S", "a.m", "U.S.A", "N.Y".
fn is_acronym(word: &str) -> bool {
    let mut parts = 0;
    for part in word.split('.') {
        let mut chars = part.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => parts += 1,
            _ => return false,
        }
    }
    parts >= 2
}

/// Byte offsets where inline list items start: "1. a 2. b", "1) a 2) b", "a. x b. y", "• x • y".
/// Only lists that start the text and count up without gaps qualify.
fn list_markers(text: &str) -> Vec<usize> {
    let trimmed_start = text.len() - text.trim_start().len();
    let rest = &text[trimmed_start..];
    if let Some(bullet) = rest.chars().next().filter(|c| BULLETS.contains(c)) {
        let mut markers = vec![trimmed_start];
        for (offset, c) in text.char_indices().skip(1) {
            if c == bullet && text[..offset].ends_with(char::is_whitespace) {
                markers.push(offset);
            }
        }
        return if markers.len() >= 2 {
            markers
        } else {
            Vec::new()
        };
    }
    let Some((first, _)) = enumerator(rest) else {
        return Vec::new();
    };
    let mut markers = vec![trimmed_start];
    let mut expected = successor(&first);
    let mut search = trimmed_start + 1;
    while let Some(label) = expected.clone() {
        let found = text[search..].char_indices().find_map(|(offset, _)| {
            let at = search + offset;
            if !text[..at].ends_with(char::is_whitespace) {
                return None;
            }
            match enumerator(&text[at..]) {
                Some((found, _)) if found == label => Some(at),
                _ => None,
            }
        });
        match found {
            Some(at) => {
                markers.push(at);
                expected = successor(&label);
                search = at + 1;
            }
            None => break,
        }
    }
    if markers.len() >= 2 {
        markers
    } else {
        Vec::new()
    }
}

/// Where the marker starting at `start` ends: a bullet, spaces, and an enumerator, if any.
fn marker_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let rest = &text[start..];
    if let Some(bullet) = rest.chars().next().filter(|c| BULLETS.contains(c)) {
        end += bullet.len_utf8();
    }
    end += text[end..].len() - text[end..].trim_start().len();
    end + enumerator(&text[end..]).map_or(0, |(_, len)| len)
}

/// A list enumerator at the start of `text`: "12." "12.)" "12)" or a single lowercase letter
/// with "." or ")", followed by a space. Returns the label and its length.
fn enumerator(text: &str) -> Option<(String, usize)> {
    let label: String = text
        .chars()
        .take_while(char::is_ascii_digit)
        .take(3)
        .collect();
    let label = if label.is_empty() {
        let letter = text.chars().next().filter(char::is_ascii_lowercase)?;
        letter.to_string()
    } else {
        label
    };
    let after = &text[label.len()..];
    let punct = [".) ", ") ", ". "].iter().find(|p| after.starts_with(*p))?;
    Some((label.clone(), label.len() + punct.len()))
}

fn successor(label: &str) -> Option<String> {
    if let Ok(number) = label.parse::<u32>() {
        return Some((number + 1).to_string());
    }
    let letter = label.chars().next()?;
    (letter < 'z')
        .then(|| ((letter as u8) + 1) as char)
        .map(|c| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn marker_spans_agree_with_a_scan_of_every_marker(
            pieces in proptest::collection::vec(
                proptest::sample::select(&["\u{2022} ", "\u{2022}", "1. ", "2. ", "3.) ", "a) ",
                    "b. ", "x", " ", "  ", ". ", "Mr. ", "9"][..]),
                0..40,
            ),
        ) {
            let text = pieces.concat();
            let markers = list_markers(&text);
            let spans = MarkerSpans::new(&text, &markers);
            for pos in 0..=text.len() {
                let scanned = markers.iter().any(|&m| m <= pos && pos < marker_end(&text, m));
                prop_assert_eq!(spans.contains(pos), scanned, "{:?} at {}", text, pos);
            }
        }
    }

    #[test]
    fn a_long_inline_list_splits_at_each_marker() {
        let text = "\u{2022} 1. x ".repeat(3000);
        let spans = SentenceSplitter::new().split(text.trim_end());
        assert_eq!(spans.len(), 3000);
        assert!(spans.iter().all(|s| &text[s.clone()] == "\u{2022} 1. x"));
    }

    #[test]
    fn word_lists_are_looked_up_whatever_the_case() {
        for list in [TITLES, ABBREVIATIONS, STARTERS] {
            let set = WordSet::new(list);
            assert_eq!(set.0.len(), list.len(), "a listed word is too long to pack");
            for word in list {
                assert!(
                    listed(&set, word) && listed(&set, &word.to_uppercase()),
                    "{word}"
                );
                assert!(!listed(&set, &format!("{word}q")) && !listed(&set, &format!("q{word}")));
            }
        }
        assert!(listed(&ABBREVIATION_SET, "N\u{b0}") && !listed(&TITLE_SET, "mr\u{0}"));
    }

    fn split(text: &str) -> Vec<&str> {
        SentenceSplitter::new()
            .split(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn news_sentences() {
        assert_eq!(
            split("Mr. Dar met Gen. Munir in Washington, D.C. on Monday. The U.S. gave $1.5 billion. It was 5 p.m. Tuesday."),
            ["Mr. Dar met Gen. Munir in Washington, D.C. on Monday.", "The U.S. gave $1.5 billion.", "It was 5 p.m. Tuesday."]
        );
        assert_eq!(
            split("\"We will win,\" he said. \"Not now.\" The vote (held in Jan.) passed."),
            [
                "\"We will win,\" he said.",
                "\"Not now.\"",
                "The vote (held in Jan.) passed."
            ]
        );
    }

    #[test]
    fn lower_cased_text_splits_too() {
        assert_eq!(
            split("the mayor spoke on monday. she said the u.s. plan failed. mr. smith left."),
            [
                "the mayor spoke on monday.",
                "she said the u.s. plan failed.",
                "mr. smith left."
            ]
        );
        assert_eq!(
            split("police said the car hit a wall. it was 2 a.m. the driver fled."),
            [
                "police said the car hit a wall.",
                "it was 2 a.m. the driver fled."
            ]
        );
    }

    #[test]
    fn inline_lists() {
        assert_eq!(
            split("1. The first item 2. The second item"),
            ["1. The first item", "2. The second item"]
        );
        assert_eq!(
            split("He scored 2. Then he left."),
            ["He scored 2.", "Then he left."]
        );
    }
}
