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

/// The distinct reaches of a pattern table, and where each reach from each anchor of a text
/// ends: one walk back and one walk on per anchor serves every pattern it anchors, where a walk
/// per pattern and anchor cost a quarter of the tagger's time.
pub struct Reaches {
    /// The distinct reaches before an anchor, ascending.
    befores: Vec<usize>,
    /// The distinct reaches after an anchor, ascending.
    afters: Vec<usize>,
}

/// Which of a [`Reaches`]' distinct reaches a pattern takes: indices into its lists.
#[derive(Clone, Copy, Debug)]
pub struct ReachIndex {
    before: usize,
    after: usize,
}

/// Where the reaches of every anchor of one text end, for every distinct reach.
pub struct Reached {
    /// `starts[anchor * befores + k]`: the start of the `k`-th reach before the anchor.
    starts: Vec<usize>,
    /// `ends[anchor * afters + k]`: the end of the `k`-th reach after the anchor.
    ends: Vec<usize>,
    befores: usize,
    afters: usize,
}

impl Reaches {
    /// The reaches of a pattern table, and the index of each pattern's own.
    pub fn new(reaches: impl IntoIterator<Item = (usize, usize)>) -> (Self, Vec<ReachIndex>) {
        let reaches: Vec<(usize, usize)> = reaches.into_iter().collect();
        let distinct = |side: fn(&(usize, usize)) -> usize| {
            let mut values: Vec<usize> = reaches.iter().map(side).collect();
            values.sort_unstable();
            values.dedup();
            values
        };
        let befores = distinct(|r| r.0);
        let afters = distinct(|r| r.1);
        let position = |list: &[usize], value: usize| list.iter().position(|&v| v == value);
        let indices = reaches
            .iter()
            .map(|&(before, after)| ReachIndex {
                before: position(&befores, before).unwrap_or(0),
                after: position(&afters, after).unwrap_or(0),
            })
            .collect();
        (Reaches { befores, afters }, indices)
    }

    /// Where every reach of every anchor ends in `text`.
    pub fn walk(&self, text: &str, anchors: &[Anchor]) -> Reached {
        let (nb, na) = (self.befores.len(), self.afters.len());
        let mut starts = vec![0; anchors.len() * nb];
        let mut ends = vec![0; anchors.len() * na];
        let longest_before = self.befores.last().copied().unwrap_or(0);
        let longest_after = self.afters.last().copied().unwrap_or(0);
        let mut runs = WhitespaceRuns::new(text);
        for (i, anchor) in anchors.iter().enumerate() {
            // Where no run of two or more whitespace bytes lies within the longest reaches,
            // every byte counts as one and each reach is plain arithmetic: the walk below would
            // give the same, at several times the cost (normalized news text rarely doubles a
            // space). The anchor itself holds no whitespace, so one stretch from the longest
            // reach back to the longest reach on (and the byte after it, where a run could
            // continue) covers both sides. Anchors come in order, so the stretches only move on.
            let (at, end) = (anchor.span.start, anchor.span.end);
            if at > longest_before
                && end + longest_after < text.len()
                && !runs.any_within(at - longest_before - 1, end + longest_after + 1)
            {
                for (slot, &before) in starts[i * nb..(i + 1) * nb].iter_mut().zip(&self.befores) {
                    *slot = at - before;
                }
                for (slot, &after) in ends[i * na..(i + 1) * na].iter_mut().zip(&self.afters) {
                    *slot = end + after;
                }
                continue;
            }
            reach_back_all(
                text,
                anchor.span.start,
                &self.befores,
                &mut starts[i * nb..(i + 1) * nb],
            );
            reach_forward_all(
                text,
                anchor.span.end,
                &self.afters,
                &mut ends[i * na..(i + 1) * na],
            );
        }
        Reached {
            starts,
            ends,
            befores: nb,
            afters: na,
        }
    }
}

/// Where a text holds two whitespace bytes in a row, the only places where a reach (which
/// counts a run of whitespace as one byte) covers more bytes than it counts. Read lazily,
/// each byte once, over the stretches that anchors ask about, in ascending order.
struct WhitespaceRuns<'a> {
    bytes: &'a [u8],
    /// The next `j` to check for `bytes[j]` and `bytes[j + 1]` both whitespace.
    next: usize,
    /// The last such `j` found below `next`.
    last: Option<usize>,
    /// Where the stretch checked without a gap up to `next` starts.
    checked_from: usize,
}

impl<'a> WhitespaceRuns<'a> {
    fn new(text: &'a str) -> Self {
        WhitespaceRuns {
            bytes: text.as_bytes(),
            next: 0,
            last: None,
            checked_from: 0,
        }
    }

    /// Whether two whitespace bytes in a row lie inside `from..to` (`to <= bytes.len()`).
    /// Asked in ascending order; asked out of order, it may answer yes when the answer is no
    /// (which only sends the caller down its slow path), never the reverse.
    fn any_within(&mut self, from: usize, to: usize) -> bool {
        if from < self.checked_from {
            return true;
        }
        if from > self.next {
            // Nothing below `from` will be asked about again.
            self.checked_from = from;
            self.next = from;
        }
        let stop = to.saturating_sub(1);
        for j in self.next..stop {
            if self.bytes[j + 1].is_ascii_whitespace() && self.bytes[j].is_ascii_whitespace() {
                self.last = Some(j);
            }
        }
        self.next = self.next.max(stop);
        self.last.is_some_and(|j| j >= from)
    }
}

/// The windows a pattern runs on: around each of `anchors` that anchors pattern `bit`,
/// reaching as far as the pattern's `reach` (at most [`REACH_BEFORE`] and [`REACH_AFTER`]
/// bytes; `reached` holds where each reach ends), moved out to non-word bytes, and merged
/// where they overlap. In order and disjoint; appended to `windows`, which is cleared first.
pub fn windows(
    text: &str,
    anchors: &[Anchor],
    reached: &Reached,
    bit: u64,
    reach: ReachIndex,
    windows: &mut Vec<Range<usize>>,
) {
    windows.clear();
    for (index, anchor) in anchors.iter().enumerate() {
        if anchor.patterns & bit == 0 {
            continue;
        }
        // Anchors come in order, so a window that reaches past the last one's end only grows.
        let reach_start = reached.starts[index * reached.befores + reach.before];
        let reach_end = reached.ends[index * reached.afters + reach.after];
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
}

/// Whitespace a reach may cross beyond its own length: patterns put `\s+` between words, and
/// a text may hold long runs of spaces there ("1" and "Jan." 25 spaces apart are one date).
/// Bounded, so that the windows stay linear in the text.
const WHITESPACE_SLACK: usize = 256;

/// Where a reach of each of `befores` (ascending) bytes back from `at` starts, a run of ASCII
/// whitespace counting as one byte and a reach walking at most `before + WHITESPACE_SLACK`
/// bytes. One walk serves them all: the walk for the longest
/// reach passes where each shorter one stops, except that a shorter reach may not go below its
/// own floor (`at - before - WHITESPACE_SLACK`), so each is clamped to it.
fn reach_back_all(text: &str, at: usize, befores: &[usize], out: &mut [usize]) {
    let bytes = text.as_bytes();
    let floor = |before: usize| at.saturating_sub(before + WHITESPACE_SLACK);
    let lowest = floor(befores.last().copied().unwrap_or(0));
    let (mut i, mut counted, mut next) = (at, 0, 0);
    loop {
        while next < befores.len() && counted >= befores[next] {
            out[next] = i.max(floor(befores[next]));
            next += 1;
        }
        if next == befores.len() || i <= lowest {
            break;
        }
        if bytes[i - 1].is_ascii_whitespace() {
            while i > lowest && bytes[i - 1].is_ascii_whitespace() {
                i -= 1;
            }
        } else {
            i -= 1;
        }
        counted += 1;
    }
    for (slot, &before) in out.iter_mut().zip(befores).skip(next) {
        *slot = i.max(floor(before));
    }
}

/// Where a reach of each of `afters` (ascending) bytes on from `at` ends, as
/// [`reach_back_all`] counts them (possibly inside a character: [`snap_end`] moves it).
fn reach_forward_all(text: &str, at: usize, afters: &[usize], out: &mut [usize]) {
    let bytes = text.as_bytes();
    let ceiling = |after: usize| (at + after + WHITESPACE_SLACK).min(bytes.len());
    let highest = ceiling(afters.last().copied().unwrap_or(0));
    let (mut i, mut counted, mut next) = (at, 0, 0);
    loop {
        while next < afters.len() && counted >= afters[next] {
            out[next] = i.min(ceiling(afters[next]));
            next += 1;
        }
        if next == afters.len() || i >= highest {
            break;
        }
        if bytes[i].is_ascii_whitespace() {
            while i < highest && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
        } else {
            i += 1;
        }
        counted += 1;
    }
    for (slot, &after) in out.iter_mut().zip(afters).skip(next) {
        *slot = i.min(ceiling(after));
    }
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
    use proptest::prelude::*;

    /// One reach back, walked on its own: what [`reach_back_all`] must give for each reach.
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

    /// One reach on, walked on its own.
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

    fn check_one_walk(text: &str, befores: &[usize], afters: &[usize]) {
        for at in 0..=text.len() {
            let mut starts = vec![0; befores.len()];
            reach_back_all(text, at, befores, &mut starts);
            for (&start, &before) in starts.iter().zip(befores) {
                assert_eq!(
                    start,
                    reach_back(text, at, before),
                    "{text:?} {at} {before}"
                );
            }
            let mut ends = vec![0; afters.len()];
            reach_forward_all(text, at, afters, &mut ends);
            for (&end, &after) in ends.iter().zip(afters) {
                assert_eq!(end, reach_forward(text, at, after), "{text:?} {at} {after}");
            }
        }
    }

    #[test]
    fn one_walk_gives_each_reach() {
        let spaces = " ".repeat(300);
        for text in [
            String::new(),
            "ab".to_string(),
            format!("x{spaces}y May 5{spaces}2024 z"),
            format!("{}{spaces}", "word ".repeat(100)),
            "a\n\t b".repeat(200),
        ] {
            check_one_walk(&text, &[1, 8, 24, 32, 40, 64], &[8, 16, 32, 48]);
            check_one_walk(&text, &[3], &[5]);
        }
    }

    proptest! {
        #[test]
        fn one_walk_gives_each_reach_on_any_text(
            text in "([a-z]{1,4}| {1,300}|\n|\t){0,60}",
            mut befores in proptest::collection::vec(1usize..80, 1..6),
            mut afters in proptest::collection::vec(1usize..80, 1..6),
        ) {
            befores.sort_unstable();
            befores.dedup();
            afters.sort_unstable();
            afters.dedup();
            check_one_walk(&text, &befores, &afters);
        }
    }

    /// What [`Reaches::walk`] must give: a walk from every anchor, with no shortcut.
    fn check_walk(text: &str) {
        let anchors = Anchors::new(["@month", "@unit", "#4", "#2t", "now"]).find(text);
        let (reaches, _) = Reaches::new([(8, 16), (24, 32), (40, 32), (64, 48), (32, 8)]);
        let reached = reaches.walk(text, &anchors);
        let (nb, na) = (reaches.befores.len(), reaches.afters.len());
        for (i, anchor) in anchors.iter().enumerate() {
            let mut starts = vec![0; nb];
            reach_back_all(text, anchor.span.start, &reaches.befores, &mut starts);
            let mut ends = vec![0; na];
            reach_forward_all(text, anchor.span.end, &reaches.afters, &mut ends);
            assert_eq!(
                reached.starts[i * nb..(i + 1) * nb],
                starts,
                "{text:?} {anchor:?}"
            );
            assert_eq!(
                reached.ends[i * na..(i + 1) * na],
                ends,
                "{text:?} {anchor:?}"
            );
        }
    }

    #[test]
    fn walk_gives_each_anchors_reaches() {
        let news = "The board met on May 5, 2024 at 10 am.\nIt said days later, now in 1998,\n\nthat  the year  ";
        check_walk(news);
        check_walk(&news.repeat(20));
        check_walk(&format!("{}May{}", " ".repeat(70), "  ".repeat(40)));
        check_walk("May");
    }

    proptest! {
        #[test]
        fn walk_gives_each_anchors_reaches_on_any_text(
            text in "([a-z]{1,6}| {1,3}|\n|\t|May|March|years|now|1998|12 am|[0-9]{1,4}|,|\\.){0,120}"
        ) {
            check_walk(&text);
        }
    }

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
        let (reaches, index) = Reaches::new([(REACH_BEFORE, REACH_AFTER)]);
        let reached = reaches.walk(&text, &anchors);
        let mut found = Vec::new();
        windows(&text, &anchors, &reached, 1, index[0], &mut found);
        let windows = found;
        assert_eq!(windows.len(), 1, "{windows:?}");
        let w = &windows[0];
        assert!(w.start == 0 || text.as_bytes()[w.start - 1] == b' ');
        assert_eq!(w.end, text.len());
    }
}
