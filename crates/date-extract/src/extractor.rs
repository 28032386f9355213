//! The tagger: every pattern's matches, typed and valued by their resolvers, overlaps
//! resolved (the longest wins), then anaphors valued in text order.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;

use crate::anaphora;
use crate::anchors;
use crate::patterns::{Patterns, Valuation, PATTERNS};
use crate::resolve::Context;
use crate::timex::{Timex, TimexType};
use crate::value::Value;

/// A match of a pattern, before overlaps are settled and before it is resolved: only the
/// matches that win their overlaps are resolved, which spares the resolvers (and the tense
/// reading many of them do) for the month inside every full date, the year inside it, ...
struct Found {
    /// The index of its pattern: on equal length the earlier pattern wins.
    priority: usize,
    span: Range<usize>,
}

/// A match that won its overlaps and resolved.
struct Candidate {
    span: Range<usize>,
    kind: TimexType,
    value: Value,
    /// Valued from the timexes before it once all are chosen.
    anaphor: bool,
}

/// A configured tagger. The patterns are compiled once per process and shared by every
/// extractor, so building one is cheap.
#[derive(Clone)]
pub struct Extractor {
    patterns: &'static Patterns,
    day_first: bool,
}

impl fmt::Debug for Extractor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Extractor")
            .field("day_first", &self.day_first)
            .finish_non_exhaustive()
    }
}

/// Options of an [`Extractor`].
#[derive(Clone, Debug, Default)]
pub struct ExtractorBuilder {
    day_first: bool,
}

impl ExtractorBuilder {
    /// Read `03/04/2024` as 3 April (day first) instead of March 4 (the default, US order).
    pub fn day_first(mut self, yes: bool) -> Self {
        self.day_first = yes;
        self
    }

    /// Builds the tagger.
    pub fn build(self) -> Extractor {
        Extractor {
            patterns: &PATTERNS,
            day_first: self.day_first,
        }
    }
}

impl Default for Extractor {
    fn default() -> Self {
        ExtractorBuilder::default().build()
    }
}

impl Extractor {
    /// A tagger with the default options.
    pub fn new() -> Self {
        Self::default()
    }

    /// Options.
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::default()
    }

    /// Every temporal expression in `text`, in order, with values resolved against
    /// `reference` (the publication date) where it is known.
    pub fn extract(&self, text: &str, reference: Option<NaiveDate>) -> Vec<Timex> {
        self.extract_values(text, reference)
            .into_iter()
            .map(|(span, kind, value)| Timex {
                span,
                kind,
                value: value.text,
            })
            .collect()
    }

    /// [`Extractor::extract`] with the values typed.
    fn extract_values(
        &self,
        text: &str,
        reference: Option<NaiveDate>,
    ) -> Vec<(Range<usize>, TimexType, Value)> {
        let found = self.matches(text, Scan::Windows);
        self.settle(text, reference, found)
    }

    /// Every match of every pattern, in no particular order.
    fn matches(&self, text: &str, scan: Scan) -> Vec<Found> {
        let mut found: Vec<Found> = Vec::new();
        let anchors = match scan {
            Scan::Windows => self.patterns.anchors.find(text),
            #[cfg(test)]
            Scan::Whole => Vec::new(),
        };
        crate::work::add(text.len() + anchors.len());
        let reached = self.patterns.reaches.walk(text, &anchors);
        let mut windows = Vec::new();
        for (priority, pattern) in self.patterns.list.iter().enumerate() {
            match scan {
                Scan::Windows => anchors::windows(
                    text,
                    &anchors,
                    &reached,
                    1u64 << priority,
                    pattern.reach,
                    &mut windows,
                ),
                #[cfg(test)]
                Scan::Whole => {
                    windows.clear();
                    windows.push(0..text.len());
                }
            }
            for window in windows.iter().cloned() {
                crate::work::add(window.len());
                find_in_window(&pattern.regex, text, window, priority, &mut found);
            }
        }
        found
    }

    /// Settles overlaps (the longest expression wins; on equal length, the earlier pattern;
    /// a match its resolver rejects takes no part) and values the anaphors, in text order.
    fn settle(
        &self,
        text: &str,
        reference: Option<NaiveDate>,
        mut found: Vec<Found>,
    ) -> Vec<(Range<usize>, TimexType, Value)> {
        // No two matches share a pattern and a start (a pattern's windows are disjoint and its
        // matches in one window too), so this order is total and the result does not depend
        // on the order the matches came in.
        found.sort_unstable_by(|a, b| {
            (b.span.len())
                .cmp(&a.span.len())
                .then(a.priority.cmp(&b.priority))
                .then(a.span.start.cmp(&b.span.start))
        });
        // The chosen spans are disjoint, so the one starting last before a match's end is the
        // only one that can overlap it: one ordered-map lookup per match.
        let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
        let mut chosen: Vec<Candidate> = Vec::new();
        for Found { priority, span } in found {
            crate::work::add(1);
            let overlaps = taken
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, &end)| end > span.start);
            if overlaps {
                continue;
            }
            let Some(candidate) = self.resolve(text, reference, priority, span) else {
                continue;
            };
            taken.insert(candidate.span.start, candidate.span.end);
            chosen.push(candidate);
        }
        chosen.sort_by_key(|c| c.span.start);
        // In text order, so an anaphor can lean on an earlier one ("that year ... the
        // following year").
        let mut lookback = anaphora::Lookback::default();
        for candidate in &mut chosen {
            if candidate.anaphor {
                candidate.value = lookback.resolve(&text[candidate.span.clone()]);
            }
            if candidate.kind == TimexType::Date || candidate.kind == TimexType::Time {
                lookback.see(candidate.value.anchor);
            }
        }
        chosen
            .into_iter()
            .map(|c| (c.span, c.kind, c.value))
            .collect()
    }

    /// Types and values the match `span` of pattern `priority`, or `None` when its resolver
    /// rejects it.
    fn resolve(
        &self,
        text: &str,
        reference: Option<NaiveDate>,
        priority: usize,
        span: Range<usize>,
    ) -> Option<Candidate> {
        let pattern = self.patterns.list.get(priority)?;
        let cx = Context {
            text,
            start: span.start,
            end: span.end,
            reference,
            day_first: self.day_first,
        };
        let (kind, value, anaphor) = match pattern.valuation {
            Valuation::Resolver(resolve) => resolve(&cx).map(|r| (r.kind, r.value, false))?,
            Valuation::Anaphor => (TimexType::Date, Value::unanchored(""), true),
        };
        Some(Candidate {
            span,
            kind,
            value,
            anaphor,
        })
    }
}

/// Where the patterns run.
#[derive(Clone, Copy)]
enum Scan {
    /// On windows around their anchors (see `anchors.rs`).
    Windows,
    /// On the whole text: what the windows must reproduce.
    #[cfg(test)]
    Whole,
}

/// The matches of `regex` inside `window` of `text`, as the whole text would give them.
///
/// A window's edges are snapped to word boundaries, but only within a few dozen bytes: inside a
/// longer word an edge stays where it is, and there `\b` would hold in the window but not in the
/// text. So the search starts at the window's start with the text before it in view (`find_at`
/// reads the byte before the start for `\b`); and when the window ends inside a word, the
/// search ends one byte into that word (which keeps `\b` right at the word's start), and a match
/// that ends there, inside the word, is one the whole text does not have: every pattern ends
/// with `\b` or a `.`.
fn find_in_window(
    regex: &regex::Regex,
    text: &str,
    window: Range<usize>,
    priority: usize,
    found: &mut Vec<Found>,
) {
    let bytes = text.as_bytes();
    let mut end = window.end;
    let cut =
        end > window.start && end < bytes.len() && is_word(bytes[end - 1]) && is_word(bytes[end]);
    if cut {
        while end - 1 > window.start && is_word(bytes[end - 2]) {
            end -= 1;
        }
    }
    let upto = &text[..end];
    let mut at = window.start;
    while at < end {
        let Some(m) = regex.find_at(upto, at) else {
            break;
        };
        if !(cut && m.end() == end) {
            found.push(Found {
                priority,
                span: m.start()..m.end(),
            });
        }
        at = if m.end() > m.start() {
            m.end()
        } else {
            // An empty match (no pattern has one): step over a character.
            m.end() + upto[m.end()..].chars().next().map_or(1, char::len_utf8)
        };
    }
}

/// A byte that is part of a word for the patterns' `\b`, which is ASCII (`(?-u:\b)`).
fn is_word(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Tags `text` with the default [`Extractor`] (its patterns are compiled once per process).
pub fn extract(text: &str, reference: Option<NaiveDate>) -> Vec<Timex> {
    Extractor::new().extract(text, reference)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, tags, values};
    use crate::value::Anchor;

    /// The calendar position a value's text names, read back from the text as anaphors once
    /// did: the typed anchors the rules build must agree with it.
    fn anchor_in_text(value: &str) -> Option<Anchor> {
        let year: i32 = value.get(..4)?.parse().ok()?;
        let field = |range: std::ops::Range<usize>| value.get(range)?.strip_prefix('-');
        let quarter = field(4..7)
            .and_then(|q| q.strip_prefix('Q'))
            .and_then(|q| q.parse().ok());
        Some(Anchor {
            year,
            quarter,
            month: field(4..7)
                .and_then(|m| m.parse().ok())
                .filter(|m| (1..=12).contains(m)),
            day: field(7..10).and_then(|d| d.parse().ok()),
        })
    }

    #[test]
    fn typed_anchors_agree_with_the_values_text() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect();
        texts.push(
            "On Monday, Oct. 26, 1998 at 10 p.m. Tuesday, last week, the weekend, spring 2025, \
             the third quarter, the quarter a year ago, in the first half of 1989, fiscal 1990, \
             this morning, Tuesday evening, the past year, two years ago, three quarters later, \
             Christmas Eve, New Year's Eve, Thanksgiving, nineteen ninety-six, the week of \
             March 6, in February, last February, the following month, that quarter, the next \
             morning, 2024-03-18 and 03/18/2024, at 5 p.m., the year, the 1990s."
                .to_string(),
        );
        let extractor = Extractor::new();
        let mut checked = 0;
        for text in &texts {
            for reference in [day(1998, 10, 25), day(2024, 2, 29), None] {
                for (span, kind, value) in extractor.extract_values(text, reference) {
                    if kind == TimexType::Date || kind == TimexType::Time {
                        let expected = anchor_in_text(&value.text);
                        assert_eq!(value.anchor, expected, "{:?} {value:?}", &text[span]);
                        checked += usize::from(expected.is_some());
                    }
                }
            }
        }
        assert!(checked > 60, "{checked}");
    }

    #[test]
    fn names_and_ordinals_that_look_temporal() {
        let r = day(1999, 3, 12);
        assert!(tags("Foreign minister Jan Kavan spoke.", r).is_empty());
        assert!(tags("He won a second term.", r).is_empty());
        assert!(tags("She told 60 Minutes and This Week about it.", r).is_empty());
        assert!(tags("Three-quarters of voters agreed.", r).is_empty());
        assert!(tags("The plan saves $2 million a year.", r).is_empty());
    }

    #[test]
    fn weeks_quarters_and_anaphors() {
        let r = day(2000, 2, 24); // a Thursday
        assert_eq!(
            values(
                "during the week, the week of March 6, this coming Sunday",
                r
            ),
            ["2000-WXX", "2000-W10", "2000-02-27"]
        );
        let r = day(1989, 10, 26);
        assert_eq!(
            values(
                "Net rose from the quarter a year ago, last year's quarter and the \
                 corresponding period last year.",
                r
            ),
            ["1988-Q3", "1988-Q3", "1988-Q3"]
        );
        assert_eq!(
            values(
                "He joined in 1995 and left the following year; later that year he wrote.",
                r
            ),
            ["1995", "1996", "1996"]
        );
        assert_eq!(
            values(
                "It was shot last Nov. 3 and sold in the last half of 1989.",
                r
            ),
            ["1988-11-03", "1989-H2"]
        );
        assert_eq!(values("Eight trading days after the crash", r), ["P8D"]);
        assert_eq!(values("in the weeks ahead", r), ["PXW"]);
        assert_eq!(values("mid-afternoon yesterday", r), ["1989-10-25TAF"]);
        assert_eq!(
            values("a day-long strike, for a while, over the years", r),
            ["P1D", "PXX", "PXY"]
        );
        assert!(tags("the years 1990 to 1995", r).len() == 2);
        assert_eq!(
            values("post-1959 rules for the next couple of years", r),
            ["1959", "P2Y"]
        );
        assert_eq!(
            values("at 4 in the morning and 7 in the evening", r),
            ["1989-10-26T04:00", "1989-10-26T19:00"]
        );
    }

    #[test]
    fn unknown_reference_stays_unknown() {
        assert_eq!(values("last year", None), ["XXXX"]);
        assert_eq!(values("on Friday", None), ["XXXX-XX-XX"]);
        assert_eq!(values("April 2025", None), ["2025-04"]);
    }

    #[test]
    fn words_that_only_look_temporal() {
        let r = day(2024, 3, 18);
        assert!(tags("Officials may march to the Sunday Times office.", r).is_empty());
        assert!(tags(
            "A Boeing 737 carried 2,000 troops; call 555-1234. They won 3-1.",
            r
        )
        .is_empty());
        assert!(tags("The firm sold 1500 shares.", r).is_empty());
    }

    #[test]
    fn corpus_expectations() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut all = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            all.extend(tags(&text, None));
        }
        let has = |text: &str, value: &str| all.iter().any(|(t, _, v)| t == text && v == value);
        assert!(has("August 2021", "2021-08"), "{all:?}");
        assert!(has("April 2025", "2025-04"), "{all:?}");
        assert!(has("three-day", "P3D"), "{all:?}");
        assert!(has("last year", "XXXX"), "{all:?}");
    }
}

#[cfg(test)]
mod scans {
    //! The windowed scan finds what a scan of the whole text finds, and its work grows
    //! linearly with the text.

    use super::*;
    use proptest::prelude::*;

    fn both(text: &str, reference: Option<NaiveDate>) -> (Vec<Timex>, Vec<Timex>) {
        let extractor = Extractor::new();
        let typed = |scan| {
            extractor
                .settle(text, reference, extractor.matches(text, scan))
                .into_iter()
                .map(|(span, kind, value)| Timex {
                    span,
                    kind,
                    value: value.text,
                })
                .collect::<Vec<_>>()
        };
        (typed(Scan::Windows), typed(Scan::Whole))
    }

    /// Texts with every kind of expression, from the corpus and from the rules' tests.
    fn samples() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect();
        texts.push(
            "WASHINGTON, Monday, Oct. 26, 1998 (Reuters) - At 10 p.m. Tuesday, 5 p.m. EST Nov. 9 \
             and noon today the board met; 18 March 2024, 2024-03-18, 03/18/2024, fiscal 1990, \
             the 1988 period, the 1990s, the nineties, the 20th century, nineteen ninety-six, \
             the year two thousand, last fall, spring 2025, the third quarter, Q3 2024, \
             third-quarter, the quarter a year ago, year-ago, this morning, mid-afternoon \
             yesterday, last night, this coming Sunday, Friday evening, the week of March 6, \
             the weekend, next month, no more than the past couple of years, nearly two years \
             ago, 99999999999 days ago, later this year, the 14-day strike, 2 1/2 years, weeks \
             or months, a while, these days, the near future, 4 in the morning, 10:30 GMT, \
             every Thursday, annually, the full year, year-end, later that year, the following \
             month, Christmas Eve, New Year's Day, Thanksgiving; the uncertainties that presently \
             trouble us, that at present, what the near term holds.\n  May   \n  5,\t 2024"
                .to_string(),
        );
        texts
    }

    #[test]
    fn windows_find_what_the_whole_text_gives() {
        for text in samples() {
            for reference in [NaiveDate::from_ymd_opt(1998, 10, 25), None] {
                let (windows, whole) = both(&text, reference);
                assert_eq!(windows, whole);
            }
        }
    }

    #[test]
    fn long_runs_of_spaces_inside_a_date_stay_in_its_window() {
        // Found by `windows_agree_on_any_text`: the day fell outside the month's window.
        let text = format!("1{}Jan.", " ".repeat(25));
        let (windows, whole) = both(&text, NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(windows, whole);
    }

    #[test]
    fn a_window_edge_inside_a_long_word_finds_what_the_whole_text_finds() {
        // Found by `windows_agree_on_any_text`: a word longer than a window's snapping reach
        // before a month ("...saidthatMay days") or after a date.
        let reference = NaiveDate::from_ymd_opt(2024, 2, 29);
        for text in [
            format!("{}May days", "saidthat".repeat(10)),
            format!("{} May 5{}", "x".repeat(70), "y".repeat(70)),
            format!("May 5, 2024{} said", "z".repeat(70)),
            format!("March{}", "q".repeat(90)),
        ] {
            let (windows, whole) = both(&text, reference);
            assert_eq!(windows, whole, "{text}");
        }
    }

    proptest! {
        #[test]
        fn windows_agree_on_any_text(text in "([0-9 ./:,-]|May|may|March|march|Jan\\.|Friday|ago|years|days|the|last|next|past|quarter|1998|2024|10|p\\.m\\.|that|year|following|week|now|every|\u{e9}|\u{2014}|\n|said|will|[a-z]{1,3}|  +){0,80}") {
            let reference = NaiveDate::from_ymd_opt(2024, 2, 29);
            let (windows, whole) = both(&text, reference);
            prop_assert_eq!(windows, whole);
        }
    }

    /// The work of tagging `unit` repeated to `bytes` bytes.
    fn work(unit: &str, bytes: usize) -> u64 {
        let text: String =
            unit.repeat(bytes / unit.len() + 1)[..bytes / unit.len() * unit.len()].to_string();
        let before = crate::work::total();
        let found = Extractor::new().extract(&text, NaiveDate::from_ymd_opt(2024, 3, 18));
        std::hint::black_box(found);
        crate::work::total() - before
    }

    /// Issue #17: "Jan. " repeated took 0.19 CPU-s at 64 KB and 8 s at 512 KB. A document
    /// sixteen times longer must cost about sixteen times the work, for every family of
    /// patterns: counted work (bytes scanned, bookkeeping steps), not time, so that a noisy
    /// machine cannot make the test flake. The count covers every place that reads text
    /// around a match (the rules' context, tense, sentences), the regular expressions'
    /// windows, the overlap resolution and the anaphors.
    #[test]
    fn work_grows_linearly_with_the_text() {
        let units = [
            "Jan. ",
            "May ",
            "March 5, 2024 ",
            "5 March ",
            "2024-01-01 ",
            "03/18/2024 ",
            "1998 ",
            "the 1990s ",
            "in 1 day ",
            "three years ago ",
            "10:30 a.m. ",
            "10 p.m. Tuesday ",
            "next Monday ",
            "Monday ",
            "that day ",
            "the following year ",
            "the year ",
            "last week ",
            "the third quarter ",
            "every week ",
            "recently ",
            "spring ",
            "Christmas ",
            "nineteen ninety-six ",
            "the 20th century ",
            "years ",
            "12 ",
        ];
        for unit in units {
            let small = work(unit, 64 * 1024);
            let large = work(unit, 1024 * 1024);
            let ratio = large as f64 / small as f64;
            // Shown with --nocapture: the figures the README quotes.
            eprintln!("{unit:?}: {small} -> {large} ({ratio:.2}x)");
            assert!(
                (14.0..=18.0).contains(&ratio),
                "{unit:?}: {small} -> {large} ({ratio:.1}x)"
            );
        }
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn on_any_text(text in "(\\PC|[0-9 ./:-]|May|March|Friday|ago|years|the|last|\u{e9}|\u{2014}|\u{201d}|\u{201c}|10 p.m. Friday|nineteen ninety-six|the nineties|said|will|to|,){0,60}") {
            let reference = NaiveDate::from_ymd_opt(2024, 2, 29);
            for timex in extract(&text, reference).into_iter().chain(extract(&text, None)) {
                prop_assert!(text.get(timex.span.clone()).is_some());
            }
            let _ = crate::publication_date(Some(&text), &text, None);
        }
    }
}
