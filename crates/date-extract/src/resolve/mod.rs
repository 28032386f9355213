//! Values for matches: TIMEX3 types and normalized values against a reference date.
//!
//! One file per family of rules, each with its tests; the pattern table (`patterns.rs`) names
//! the resolver of each pattern, so adding a rule is adding a function and a line there.
//! A resolver returns `None` when the match is not a timex after all ("may" the verb, "Sunday
//! Times", "1,500 troops").

pub mod absolute;
pub mod clock;
pub mod duration;
pub mod holiday;
pub(crate) mod lexicon;
pub mod month;
pub mod quarter;
pub mod relative;

use chrono::{Datelike, NaiveDate};

use crate::tense::{self, Tense};
use crate::timex::TimexType;
use crate::value::Value;

/// What a match resolves to.
pub struct Resolved {
    /// Its TIMEX3 type.
    pub kind: TimexType,
    /// Its value.
    pub value: Value,
}

/// A resolver: types and values one match of its pattern, or rejects it.
pub type Resolver = fn(&Context<'_>) -> Option<Resolved>;

/// What a resolver needs to know about a match.
pub struct Context<'a> {
    /// The whole text.
    pub text: &'a str,
    /// Byte offsets of the match in `text`.
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// The publication date, if known.
    pub reference: Option<NaiveDate>,
    /// Read `03/04/2024` day first.
    pub day_first: bool,
}

impl<'a> Context<'a> {
    /// The same text and options, another span (a part of the match).
    fn part(&self, start: usize, end: usize) -> Context<'a> {
        Context {
            text: self.text,
            start,
            end,
            reference: self.reference,
            day_first: self.day_first,
        }
    }

    fn matched(&self) -> &'a str {
        &self.text[self.start..self.end]
    }

    fn lower(&self) -> String {
        self.matched().to_lowercase()
    }

    /// The words of the match, split at spaces, hyphens and commas.
    fn tokens(&self) -> Vec<&'a str> {
        lexicon::words(self.matched())
    }

    /// The text before the match, at most [`CONTEXT_BYTES`] of it: every rule reads a few
    /// words around its match, and a bound keeps a match's cost from growing with the text.
    fn before(&self) -> &'a str {
        let mut from = self.start.saturating_sub(CONTEXT_BYTES);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        crate::work::add(self.start - from);
        &self.text[from..self.start]
    }

    /// The text after the match, at most [`CONTEXT_BYTES`] of it.
    fn after(&self) -> &'a str {
        let mut to = (self.end + CONTEXT_BYTES).min(self.text.len());
        while !self.text.is_char_boundary(to) {
            to -= 1;
        }
        crate::work::add(to - self.end);
        &self.text[self.end..to]
    }

    /// The word right after the match, lower-cased, without its punctuation.
    fn next_word(&self) -> String {
        self.after()
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    }

    /// The word right before the match, lower-cased.
    fn previous_word(&self) -> String {
        self.before()
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_lowercase()
    }

    /// The match starts inside a longer number: the `000` of `292,000` or `1,000`, which
    /// the count patterns (digits without separators) would otherwise read as a count.
    fn inside_number(&self) -> bool {
        let mut before = self.before().chars().rev();
        self.matched().starts_with(|c: char| c.is_ascii_digit())
            && matches!(before.next(), Some(',' | '.'))
            && before.next().is_some_and(|c| c.is_ascii_digit())
    }

    /// The part of the match's sentence before it.
    fn sentence_before(&self) -> &'a str {
        let before = self.before();
        before
            .rfind(['.', '\n', '!', '?'])
            .map_or(before, |i| &before[i + 1..])
    }

    /// The sentence around the match, for tense, within [`CONTEXT_BYTES`] either side.
    fn sentence(&self) -> &'a str {
        let before = self.before();
        let after = self.after();
        let start = before
            .rfind(['.', '\n', '!', '?'])
            .map_or(self.start - before.len(), |i| {
                self.start - before.len() + i + 1
            });
        let end = after
            .find(['.', '\n', '!', '?'])
            .map_or(self.end + after.len(), |i| self.end + i);
        &self.text[start..end]
    }
}

/// How much text either side of a match a rule may read: a few sentences, far more than any
/// rule needs (the widest, `quarter::quarterly`, reads 300 bytes back).
const CONTEXT_BYTES: usize = 1024;

fn date(kind: TimexType, value: Value) -> Option<Resolved> {
    Some(Resolved { kind, value })
}

/// The year of a month (and day) given without one: the reference year, unless the clause's
/// tense points across the new year ("was shot Oct. 23" in a May article is last October,
/// "will open in February" in a November one is next February); with no tense cue, the year
/// that puts it closest to the reference.
fn year_by_tense(cx: &Context<'_>, reference: NaiveDate, month: u32, day: Option<u32>) -> i32 {
    let year = reference.year();
    let this_year = NaiveDate::from_ymd_opt(year, month, day.unwrap_or(15).min(28));
    let ahead = this_year.map_or(0, |d| (d - reference).num_days());
    // "since April", "the best week since March 3": the start of a span reaching the
    // reference, so never after it, however near.
    if cx.previous_word() == "since" {
        let starts_after = match day {
            Some(_) => ahead > 0,
            None => month > reference.month(),
        };
        return if starts_after { year - 1 } else { year };
    }
    match tense::nearest(cx.text, cx.start, cx.end) {
        Some(Tense::Past) if ahead > TENSE_FLIP_DAYS => year - 1,
        Some(Tense::Future) if ahead < -TENSE_FLIP_DAYS => year + 1,
        Some(_) => year,
        None => closest_year(reference, month, day.unwrap_or(15)),
    }
}

/// How far a date must lie on the wrong side of the reference before the tense moves it to
/// another year: a past verb next to a date a few weeks ahead is more often a deadline ("the
/// offer expired Nov. 20" written early in November) than a date eleven months back.
const TENSE_FLIP_DAYS: i64 = 60;

/// The year that puts month `month` (day `day`) closest to the reference date: news mostly
/// speaks of the months around its own date ("Nov. 25" in a January article is last November).
fn closest_year(reference: NaiveDate, month: u32, day: u32) -> i32 {
    let distance = |year: i32| {
        NaiveDate::from_ymd_opt(year, month, day.min(28))
            .map_or(i64::MAX, |d| (d - reference).num_days().abs())
    };
    let year = reference.year();
    [year - 1, year, year + 1]
        .into_iter()
        .min_by_key(|&y| distance(y))
        .unwrap_or(year)
}
