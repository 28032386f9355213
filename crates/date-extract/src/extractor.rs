use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::anaphora;
use crate::patterns::{compiled, Patterns, Rule};
use crate::resolve::{resolve, Context};

/// TIMEX3 type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimexType {
    /// A calendar date or period: `March 18, 2024`, `last year`, `the third quarter`.
    Date,
    /// A time of day: `5 p.m.`, `this morning`.
    Time,
    /// A length of time: `three days`, `nearly two years`.
    Duration,
    /// A recurrence: `every week`, `annually`.
    Set,
}

impl TimexType {
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

impl fmt::Display for TimexType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A temporal expression found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timex {
    /// Byte range of the expression in the text.
    pub span: Range<usize>,
    /// Its TIMEX3 type.
    pub kind: TimexType,
    /// Its TIMEX3 value: `2024-03-18`, `2024-03`, `2024-Q3`, `1998-W08`, `P3D`, `PRESENT_REF`,
    /// or with unknown parts as `X` when no reference date pins them down.
    pub value: String,
}

/// A configured tagger. Building one compiles its patterns; reuse it across texts.
#[derive(Clone)]
pub struct Extractor {
    patterns: Arc<Patterns>,
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
            patterns: Arc::new(compiled()),
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
        let mut candidates: Vec<(usize, Timex)> = Vec::new();
        let possible = self.patterns.set.as_ref().map(|set| set.matches(text));
        for (priority, pattern) in self.patterns.list.iter().enumerate() {
            if possible.as_ref().is_some_and(|set| !set.matched(priority)) {
                continue;
            }
            for found in pattern.regex.find_iter(text) {
                let cx = Context {
                    text,
                    start: found.start(),
                    end: found.end(),
                    reference,
                    day_first: self.day_first,
                };
                if let Some(resolved) = resolve(pattern.rule, &cx) {
                    candidates.push((
                        priority,
                        Timex {
                            span: found.range(),
                            kind: resolved.kind,
                            value: resolved.value,
                        },
                    ));
                }
            }
        }
        // The longest expression wins an overlap; on equal length, the earlier pattern.
        candidates.sort_by(|(pa, a), (pb, b)| {
            (b.span.len())
                .cmp(&a.span.len())
                .then(pa.cmp(pb))
                .then(a.span.start.cmp(&b.span.start))
        });
        let mut chosen: Vec<(usize, Timex)> = Vec::new();
        for (priority, timex) in candidates {
            let overlaps = chosen
                .iter()
                .any(|(_, c)| c.span.start < timex.span.end && timex.span.start < c.span.end);
            if !overlaps {
                chosen.push((priority, timex));
            }
        }
        chosen.sort_by_key(|(_, t)| t.span.start);
        let anaphors: Vec<bool> = chosen
            .iter()
            .map(|(priority, _)| self.patterns.list[*priority].rule == Rule::Anaphor)
            .collect();
        let mut timexes: Vec<Timex> = chosen.into_iter().map(|(_, t)| t).collect();
        // In text order, so an anaphor can lean on an earlier one ("that year ... the
        // following year").
        for (index, anaphor) in anaphors.into_iter().enumerate() {
            if anaphor {
                let value = anaphora::resolve(&text[timexes[index].span.clone()], &timexes, index);
                timexes[index].value = value;
            }
        }
        timexes
    }
}

/// Tags `text` with the default [`Extractor`], compiled once per process and shared.
pub fn extract(text: &str, reference: Option<NaiveDate>) -> Vec<Timex> {
    static DEFAULT: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    DEFAULT.get_or_init(Extractor::new).extract(text, reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str, reference: Option<NaiveDate>) -> Vec<(String, &'static str, String)> {
        extract(text, reference)
            .into_iter()
            .map(|t| (text[t.span].to_string(), t.kind.as_str(), t.value))
            .collect()
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn values(text: &str, reference: Option<NaiveDate>) -> Vec<String> {
        tags(text, reference)
            .into_iter()
            .map(|(_, _, v)| v)
            .collect()
    }

    #[test]
    fn absolute_and_partial_dates() {
        let r = day(2024, 3, 20);
        assert_eq!(
            values("on March 18, 2024 and 18 March 2024", r),
            ["2024-03-18", "2024-03-18"]
        );
        assert_eq!(
            values("by 2024-03-18 or 03/18/2024", r),
            ["2024-03-18", "2024-03-18"]
        );
        assert_eq!(
            values("in August 2021, in 2021, in the 1990s", r),
            ["2021-08", "2021", "199"]
        );
        assert_eq!(
            values("spring 2025 and the third quarter", day(2024, 11, 2)),
            ["2025-SP", "2024-Q3"]
        );
        assert_eq!(
            values("Q3 2024 results for fiscal 2024", r),
            ["2024-Q3", "2024"]
        );
        let day_first = Extractor::builder().day_first(true).build();
        assert_eq!(day_first.extract("18/03/2024", r)[0].value, "2024-03-18");
    }

    #[test]
    fn relative_dates() {
        let r = day(1998, 3, 4); // a Wednesday
        assert_eq!(
            values("yesterday, today and tomorrow", r),
            ["1998-03-03", "1998-03-04", "1998-03-05"]
        );
        assert_eq!(values("He arrived on Saturday.", r), ["1998-02-28"]);
        assert_eq!(values("He will arrive on Saturday.", r), ["1998-03-07"]);
        assert_eq!(
            values("last week, next month, this year, last year", r),
            ["1998-W09", "1998-04", "1998", "1997"]
        );
        assert_eq!(
            values("two years ago, three days later", r),
            ["1996", "1998-03-07"]
        );
        assert_eq!(values("earlier this month", r), ["1998-03"]);
        assert_eq!(
            values("now, recently, in the future", r),
            ["PRESENT_REF", "PAST_REF", "FUTURE_REF"]
        );
    }

    #[test]
    fn tense_chooses_the_year_of_a_bare_month() {
        let r = day(1999, 5, 6);
        assert_eq!(
            values("The plant closed after a fire on Oct. 23.", r),
            ["1998-10-23"]
        );
        assert_eq!(
            values("The plant will reopen on Oct. 23.", r),
            ["1999-10-23"]
        );
        assert_eq!(
            values("The museum will reopen in February.", day(1998, 11, 10)),
            ["1999-02"]
        );
        assert_eq!(
            values("The chairman resigned in March.", day(1989, 11, 2)),
            ["1989-03"]
        );
        // A past verb next to a date a few days ahead is a deadline, not last year.
        assert_eq!(
            values("He must be returned by Jan. 14.", day(2000, 1, 6)),
            ["2000-01-14"]
        );
    }

    #[test]
    fn tense_nearest_the_weekday_decides() {
        let r = day(2000, 1, 7); // a Friday
        assert_eq!(
            values("The mayor said Wednesday that he would resign.", r),
            ["2000-01-05"]
        );
        assert_eq!(
            values("Protesters planned a march on Saturday.", r),
            ["2000-01-08"]
        );
        // A weekday's event named by its day has happened.
        assert_eq!(
            values("They would appeal Wednesday's ruling.", r),
            ["2000-01-05"]
        );
        assert_eq!(
            values("The council gave them until Tuesday to sign.", r),
            ["2000-01-11"]
        );
        // "the plan" is a noun: the past verb before it decides.
        assert_eq!(
            values("The board approved the plan Wednesday.", r),
            ["2000-01-05"]
        );
    }

    fn extents(text: &str, reference: Option<NaiveDate>) -> Vec<String> {
        tags(text, reference)
            .into_iter()
            .map(|(t, _, _)| t)
            .collect()
    }

    #[test]
    fn bounding_modifiers_and_articles_in_extents() {
        let r = day(2024, 3, 18);
        assert_eq!(
            tags("The talks lasted nearly two years.", r),
            [(
                "nearly two years".to_string(),
                "DURATION",
                "P2Y".to_string()
            )]
        );
        assert_eq!(
            extents("at least 30 days, about two weeks, within 18 months", r),
            ["at least 30 days", "two weeks", "18 months"]
        );
        assert_eq!(
            tags("The firm opened almost four years ago.", r),
            [(
                "almost four years ago".to_string(),
                "DATE",
                "2020".to_string()
            )]
        );
        assert_eq!(extents("The union ended the 14-day strike.", r), ["14-day"]);
        assert!(tags("It owns more than a quarter of the shares.", r).is_empty());
    }

    #[test]
    fn months_with_a_relative_year() {
        let r = day(2011, 5, 9);
        assert_eq!(
            tags(
                "Prices rose in August last year and again in March this year.",
                r
            ),
            [
                (
                    "August last year".to_string(),
                    "DATE",
                    "2010-08".to_string()
                ),
                ("March this year".to_string(), "DATE", "2011-03".to_string()),
            ]
        );
        assert_eq!(
            tags("The plant opens in October next year.", r),
            [(
                "October next year".to_string(),
                "DATE",
                "2012-10".to_string()
            )]
        );
    }

    #[test]
    fn weekday_evenings_are_times() {
        let r = day(2011, 5, 12); // a Thursday
        assert_eq!(
            tags("The council voted on Tuesday evening.", r),
            [(
                "Tuesday evening".to_string(),
                "TIME",
                "2011-05-10TEV".to_string()
            )]
        );
        assert_eq!(
            tags("The council voted on Tuesday night.", r),
            [(
                "Tuesday night".to_string(),
                "DATE",
                "2011-05-10".to_string()
            )]
        );
    }

    #[test]
    fn alternative_units_and_the_latest_period() {
        let r = day(2011, 11, 2);
        assert_eq!(
            tags("The repairs could take weeks or months.", r),
            [("weeks or months".to_string(), "DURATION", "PXW".to_string())]
        );
        assert_eq!(
            tags("Sales in the latest period rose 4%.", r),
            [(
                "the latest period".to_string(),
                "DATE",
                "2011-Q3".to_string()
            )]
        );
    }

    #[test]
    fn loosely_counted_ago_is_a_length() {
        let r = day(2011, 11, 2);
        assert_eq!(
            tags("The mill closed about three years ago.", r),
            [(
                "about three years ago".to_string(),
                "DURATION",
                "P3Y".to_string()
            )]
        );
        assert_eq!(
            tags("The war ended more than six decades ago.", r),
            [(
                "more than six decades ago".to_string(),
                "DURATION",
                "P60Y".to_string()
            )]
        );
        assert_eq!(
            tags("The mill closed three years ago.", r),
            [("three years ago".to_string(), "DATE", "2008".to_string())]
        );
    }

    #[test]
    fn parts_of_units_and_days_with_dates() {
        let r = day(1998, 10, 25); // a Sunday
        assert_eq!(
            tags("Sales rose earlier this year.", r),
            [("earlier this year".to_string(), "DATE", "1998".to_string())]
        );
        assert_eq!(
            tags("The vote is set for Monday, Oct. 26.", r),
            [(
                "Monday, Oct. 26".to_string(),
                "DATE",
                "1998-10-26".to_string()
            )]
        );
        assert_eq!(
            tags("Polls will close at 10 p.m. Tuesday.", r),
            [(
                "10 p.m. Tuesday".to_string(),
                "TIME",
                "1998-10-27T22:00".to_string()
            )]
        );
        assert_eq!(
            values("The offer expires at 5 p.m. EST, Nov. 6.", r),
            ["1998-11-06T17:00"]
        );
    }

    #[test]
    fn weekends_and_year_ago_adjectives() {
        let r = day(1990, 8, 13); // a Monday
        assert_eq!(
            values("Talks went on over the weekend.", r),
            ["1990-W32-WE"]
        );
        assert_eq!(
            tags("The year-ago results were restated.", day(1989, 11, 1)),
            [("year-ago".to_string(), "DATE", "1988".to_string())]
        );
    }

    #[test]
    fn quarters_with_their_year() {
        let r = day(1989, 10, 26);
        assert_eq!(
            values(
                "Earnings for the 1988 second quarter and next year's first quarter",
                r
            ),
            ["1988-Q2", "1990-Q1"]
        );
        assert_eq!(values("the year-ago third quarter", r), ["1988-Q3"]);
    }

    #[test]
    fn the_year_is_the_articles_year_or_a_fiscal_year() {
        let r = day(1989, 11, 2);
        assert_eq!(
            tags("Sales for the full year rose 13%.", r),
            [("the full year".to_string(), "DATE", "1989".to_string())]
        );
        assert_eq!(
            tags("Revenue for the year ended June 30 fell.", r)[0],
            ("the year".to_string(), "DURATION", "P1Y".to_string())
        );
        assert!(tags("down from $4 million the year before", r).is_empty());
    }

    #[test]
    fn spelled_years_decades_and_centuries() {
        let r = day(1998, 2, 27);
        assert_eq!(
            values(
                "Atlanta, nineteen ninety-six. Then January nineteen ninety-seven.",
                r
            ),
            ["1996", "1997-01"]
        );
        assert_eq!(
            values("computers ready for the year two thousand", r),
            ["2000"]
        );
        assert_eq!(
            values("music of the nineties, art of the 20th century", r),
            ["199", "19"]
        );
        assert!(tags("Both men are in their sixties.", r).is_empty());
    }

    #[test]
    fn vague_and_open_ended_periods() {
        let r = day(1998, 1, 20);
        assert_eq!(
            tags("Shots were heard last night.", r),
            [(
                "last night".to_string(),
                "TIME",
                "1998-01-19TNI".to_string()
            )]
        );
        assert_eq!(
            values("in the coming weeks, for two more weeks, within hours", r),
            ["PXW", "P2W", "PTXH"]
        );
        assert_eq!(
            values("reported hourly, at midday", r),
            ["PT1H", "1998-01-20T12:00"]
        );
        assert_eq!(values("debt due by year-end", r), ["1998"]);
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
    fn rates_marches_and_present_day_are_not_dates() {
        let r = day(1999, 1, 22);
        assert!(tags("four flights a week, 24 hours a day", r).is_empty());
        assert!(tags("protesters at the annual March for Life", r).is_empty());
        assert!(tags("in today's world and for today's youth", r).is_empty());
        assert_eq!(
            values("in the near term and these days", r),
            ["FUTURE_REF", "PRESENT_REF"]
        );
    }

    #[test]
    fn halves_hedges_and_named_sets() {
        let r = day(1998, 2, 13);
        assert_eq!(
            values("after 2 1/2 years and 5 1/2 hours, a minute and a half", r),
            ["P2Y6M", "PT5H30M", "PT1M30S"]
        );
        assert_eq!(
            tags("Rates may rise over the next year or so.", r),
            [(
                "the next year or so".to_string(),
                "DATE",
                "1999".to_string()
            )]
        );
        assert_eq!(
            values(
                "Sales fell in the past year, the last week and over the past two years.",
                r
            ),
            ["1997", "1998-W07", "P2Y"]
        );
        assert_eq!(
            values("In recent years, and in recent months, prices rose.", r),
            ["PAST_REF", "PXM"]
        );
        assert_eq!(
            values("flights leave each Thursday and each July", r),
            ["XXXX-WXX-4", "XXXX-07"]
        );
        assert_eq!(
            extents(
                "He will decide sometime next year, by the end of this week.",
                r
            ),
            ["sometime next year", "the end of this week"]
        );
        assert_eq!(extents("Right now, prices are high.", r), ["now"]);
    }

    #[test]
    fn times_durations_sets() {
        let r = day(2024, 3, 18);
        assert_eq!(
            tags("at 5 p.m.", r),
            [("5 p.m.".to_string(), "TIME", "2024-03-18T17:00".to_string())]
        );
        assert_eq!(
            values("a three-day visit, nearly two years, for 20 years", r),
            ["P3D", "P2Y", "P20Y"]
        );
        assert_eq!(tags("every week", r)[0].1, "SET");
        assert_eq!(values("annually", r), ["P1Y"]);
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
