//! Values for matches: TIMEX3 types and normalized values against a reference date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::extractor::TimexType;
use crate::patterns::Rule;
use crate::tense::{self, Tense};

/// What a match resolves to; `None` from [`resolve`] means the match is not a timex after all
/// ("may" the verb, "Sunday Times", "1,500 troops").
pub struct Resolved {
    pub kind: TimexType,
    pub value: String,
}

/// What [`resolve`] needs to know about a match.
pub struct Context<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    pub reference: Option<NaiveDate>,
    pub day_first: bool,
}

impl Context<'_> {
    fn matched(&self) -> &str {
        &self.text[self.start..self.end]
    }

    fn before(&self) -> &str {
        &self.text[..self.start]
    }

    fn after(&self) -> &str {
        &self.text[self.end..]
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

    /// The sentence around the match, for tense.
    fn sentence(&self) -> &str {
        let start = self
            .before()
            .rfind(['.', '\n', '!', '?'])
            .map_or(0, |i| i + 1);
        let end = self
            .after()
            .find(['.', '\n', '!', '?'])
            .map_or(self.text.len(), |i| self.end + i);
        &self.text[start..end]
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words after a four-digit number that make it a count, not a year.
const COUNT_NOUNS: &[&str] = &[
    "shares",
    "people",
    "troops",
    "soldiers",
    "dollars",
    "dlrs",
    "mln",
    "tonnes",
    "tons",
    "barrels",
    "workers",
    "jobs",
    "points",
    "units",
    "employees",
    "acres",
    "miles",
    "kilometers",
    "feet",
    "meters",
    "pounds",
    "cars",
    "homes",
    "votes",
    "students",
    "members",
    "cases",
    "deaths",
    "percent",
    "pct",
    "yen",
    "marks",
    "francs",
    "rupees",
    "residents",
    "refugees",
    "men",
    "women",
];

/// Nouns after "today's" that make it mean "present-day" ("today's youth").
const PRESENT_DAY_NOUNS: &[&str] = &[
    "world",
    "youth",
    "society",
    "generation",
    "young",
    "children",
    "kids",
    "personal",
    "modern",
    "economy",
    "standards",
    "technology",
    "culture",
];

fn date(kind: TimexType, value: String) -> Option<Resolved> {
    Some(Resolved { kind, value })
}

fn month_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

fn number(word: &str) -> Option<f64> {
    const WORDS: [(&str, f64); 24] = [
        ("a", 1.0),
        ("an", 1.0),
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("thirteen", 13.0),
        ("fourteen", 14.0),
        ("fifteen", 15.0),
        ("sixteen", 16.0),
        ("seventeen", 17.0),
        ("eighteen", 18.0),
        ("nineteen", 19.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
    ];
    let lower = word.to_lowercase();
    if let Some((_, n)) = WORDS.iter().find(|(w, _)| *w == lower) {
        return Some(*n);
    }
    match lower.as_str() {
        "fifty" => Some(50.0),
        "sixty" => Some(60.0),
        "hundred" => Some(100.0),
        _ => lower.parse().ok(),
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A word is capitalized in the original text (month names that are also verbs).
fn capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| !w.is_empty())
        .collect()
}

fn future_tense(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    [
        "will ",
        "'ll ",
        "\u{2019}ll ",
        "shall ",
        " is to ",
        " are to ",
        "plans to",
        "plan to",
        "scheduled",
        "expected to",
        "going to",
        "next ",
        "would ",
    ]
    .iter()
    .any(|cue| lower.contains(cue))
}

fn quarter_of(day: NaiveDate) -> i32 {
    (day.month0() / 3 + 1) as i32
}

/// The first day of the month `months` after the month of `day`.
pub(crate) fn add_months(day: NaiveDate, months: i64) -> Option<NaiveDate> {
    let total = (i64::from(day.year()) * 12 + i64::from(day.month0())).checked_add(months)?;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    NaiveDate::from_ymd_opt(year, total.rem_euclid(12) as u32 + 1, 1)
}

// Date arithmetic is checked: a reference date near either end of chrono's calendar (years
// -262,143 to 262,142), or a count such as "90000000000 days ago", lands outside it, and then
// the expression resolves to nothing rather than to a panic.

/// `day` moved by `days`, if that is still in the calendar.
pub(crate) fn add_days(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    day.checked_add_signed(Duration::try_days(days)?)
}

/// `day` moved by `weeks`, if that is still in the calendar.
fn add_weeks(day: NaiveDate, weeks: i64) -> Option<NaiveDate> {
    add_days(day, weeks.checked_mul(7)?)
}

/// `year` moved by `years`, if that is still a year of the calendar.
fn add_years(year: i32, years: i64) -> Option<i32> {
    let moved = i32::try_from(i64::from(year).checked_add(years)?).ok()?;
    (NaiveDate::MIN.year()..=NaiveDate::MAX.year())
        .contains(&moved)
        .then_some(moved)
}

fn iso_week(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The TIMEX3 value of the year, month or week (`unit` starts with its name) `step` units from
/// the one holding `reference`.
fn unit_value(reference: NaiveDate, unit: &str, step: i64) -> Option<String> {
    if unit.starts_with("week") {
        Some(iso_week(add_weeks(reference, step)?))
    } else if unit.starts_with("month") {
        Some(add_months(reference, step)?.format("%Y-%m").to_string())
    } else if unit.starts_with("year") {
        Some(format!("{:04}", add_years(reference.year(), step)?))
    } else {
        None
    }
}

/// The year of a month (and day) given without one: the reference year, unless the clause's
/// tense points across the new year ("was shot Oct. 23" in a May article is last October,
/// "will open in February" in a November one is next February); with no tense cue, the year
/// that puts it closest to the reference.
fn year_by_tense(cx: &Context<'_>, reference: NaiveDate, month: u32, day: Option<u32>) -> i32 {
    let year = reference.year();
    let this_year = NaiveDate::from_ymd_opt(year, month, day.unwrap_or(15).min(28));
    let ahead = this_year.map_or(0, |d| (d - reference).num_days());
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

/// The text just before is about quarterly results: "a year ago" then means the year-ago
/// quarter.
fn quarterly(before: &str) -> bool {
    let mut start = before.len().saturating_sub(QUARTER_CONTEXT_BYTES);
    while !before.is_char_boundary(start) {
        start += 1;
    }
    let lower = before[start..].to_lowercase();
    lower.contains("quarter") && !lower.contains("quarters")
}

/// How far back "quarter" makes a year-ago expression quarterly: about two sentences.
const QUARTER_CONTEXT_BYTES: usize = 300;

pub(crate) fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Quarter `quarter` of `year`, where quarters past 4 or below 1 run into the next or earlier
/// years.
pub(crate) fn quarter_value(year: i32, quarter: i64) -> Option<String> {
    let total = (i64::from(year) * 4).checked_add(quarter)? - 1;
    let year = add_years(0, total.div_euclid(4))?;
    Some(format!("{year}-Q{}", total.rem_euclid(4) + 1))
}

/// Types and values one match, or rejects it.
pub fn resolve(rule: Rule, cx: &Context<'_>) -> Option<Resolved> {
    let matched = cx.matched();
    let lower = matched.to_lowercase();
    let tokens = words(matched);
    let reference = cx.reference;
    let year = reference.map(|r| r.year());
    match rule {
        Rule::FullDate | Rule::MonthDay | Rule::MonthYear | Rule::Month => {
            let (month_index, month_word) = tokens.iter().enumerate().find_map(|(i, w)| {
                month_number(w)
                    .filter(|_| w.len() >= 3)
                    .map(|m| (i, (m, *w)))
            })?;
            let (month, word) = month_word;
            // Month names are capitalized in news; "may" and "march" in lower case are verbs.
            if !capitalized(word) {
                return None;
            }
            let numbers: Vec<u32> = tokens
                .iter()
                .filter_map(|w| w.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok())
                .collect();
            match rule {
                Rule::FullDate => {
                    let explicit_year = *numbers.iter().find(|&&n| n > 31)?;
                    let day = *numbers.iter().find(|&&n| (1..=31).contains(&n))?;
                    let value = NaiveDate::from_ymd_opt(explicit_year as i32, month, day)?;
                    date(TimexType::Date, ymd(value))
                }
                Rule::MonthDay => {
                    let day = *numbers.first()?;
                    // "May 2" is fine, but "Boeing 737" style numbers never reach here.
                    let valid = NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).is_some();
                    if !valid {
                        return None;
                    }
                    // "last Oct. 23": the latest Oct. 23 before the reference date.
                    let last = tokens
                        .first()
                        .is_some_and(|w| w.eq_ignore_ascii_case("last"));
                    let year_of = |r: NaiveDate| match NaiveDate::from_ymd_opt(r.year(), month, day)
                    {
                        Some(this_year) if last && this_year >= r => r.year() - 1,
                        Some(_) if last => r.year(),
                        _ => year_by_tense(cx, r, month, Some(day)),
                    };
                    date(
                        TimexType::Date,
                        format!(
                            "{}-{month:02}-{day:02}",
                            reference.map_or_else(
                                || "XXXX".to_string(),
                                |r| format!("{:04}", year_of(r))
                            )
                        ),
                    )
                }
                Rule::MonthYear => {
                    let explicit_year = *numbers.iter().find(|&&n| n > 31)?;
                    date(TimexType::Date, format!("{explicit_year:04}-{month:02}"))
                }
                _ => {
                    // "Jan" without its period is a first name ("Jan Kavan"); "May" is whole.
                    if word.len() == 3
                        && !word.eq_ignore_ascii_case("may")
                        && !cx.after().starts_with('.')
                    {
                        return None;
                    }
                    if month_index > 0
                        && cx
                            .after()
                            .trim_start()
                            .starts_with(|c: char| c.is_ascii_digit())
                    {
                        return None;
                    }
                    // "the annual March for Life", "``March of the Mothers'': a march.
                    let next_word = cx.after().split_whitespace().next().unwrap_or("");
                    let previous_word = cx.before().split_whitespace().last().unwrap_or("");
                    if word == "March"
                        && tokens.len() == 1
                        && matches!(next_word, "for" | "of" | "on" | "against")
                        && (matches!(previous_word, "the" | "a" | "annual")
                            || previous_word.ends_with(['`', '"', '\u{201c}']))
                    {
                        return None;
                    }
                    let modifier = tokens.first().map(|w| w.to_lowercase()).unwrap_or_default();
                    // "July last year", "January this year": the year word names the year.
                    let year_shift = match tokens.as_slice() {
                        [.., shift, unit] if unit.eq_ignore_ascii_case("year") => {
                            match shift.to_lowercase().as_str() {
                                "last" => Some(-1),
                                "this" => Some(0),
                                "next" => Some(1),
                                _ => None,
                            }
                        }
                        _ => None,
                    };
                    let value = match (reference, modifier.as_str()) {
                        (None, _) => format!("XXXX-{month:02}"),
                        (Some(r), _) if year_shift.is_some() => {
                            let y = add_years(r.year(), year_shift.unwrap_or(0))?;
                            format!("{y:04}-{month:02}")
                        }
                        // "last February" written in March is a year back: the month just
                        // gone would be "last month".
                        (Some(r), "last") => {
                            let y = if month + 1 < r.month() {
                                r.year()
                            } else {
                                r.year() - 1
                            };
                            format!("{y:04}-{month:02}")
                        }
                        (Some(r), "next") => {
                            let y = if month > r.month() {
                                r.year()
                            } else {
                                r.year() + 1
                            };
                            format!("{y:04}-{month:02}")
                        }
                        (Some(r), "this") => format!("{:04}-{month:02}", r.year()),
                        (Some(r), _) => {
                            format!("{:04}-{month:02}", year_by_tense(cx, r, month, None))
                        }
                    };
                    date(TimexType::Date, value)
                }
            }
        }
        Rule::IsoDate => {
            let day = NaiveDate::parse_from_str(matched, "%Y-%m-%d").ok()?;
            date(TimexType::Date, ymd(day))
        }
        Rule::NumericDate => {
            let parts: Vec<u32> = matched.split('/').filter_map(|p| p.parse().ok()).collect();
            let [a, b, y] = parts[..] else { return None };
            let y = if y < 100 {
                if y > 30 {
                    1900 + y
                } else {
                    2000 + y
                }
            } else {
                y
            };
            let (month, day) = if cx.day_first { (b, a) } else { (a, b) };
            let value = NaiveDate::from_ymd_opt(y as i32, month, day)?;
            date(TimexType::Date, ymd(value))
        }
        Rule::Year => {
            let before = cx.before().trim_end();
            let after = cx.after();
            if before.ends_with(['$', '#', '-', '/', '.', '\u{a3}', '\u{20ac}'])
                || after.starts_with(['%', '-', '/', ':', '.'])
                    && after[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                return None;
            }
            if after.starts_with(|c: char| c.is_ascii_digit()) || after.starts_with('%') {
                return None;
            }
            let next_word = cx.next_word();
            if COUNT_NOUNS.contains(&next_word.as_str()) {
                return None;
            }
            let previous_word = cx.previous_word();
            if matches!(
                previous_word.as_str(),
                "no." | "number" | "boeing" | "airbus" | "model" | "route" | "flight" | "room"
            ) {
                return None;
            }
            let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
            // "the first half of 1989", "the last half of 1989": TIMEX3 halves.
            let half = if lower.contains("first half") {
                "-H1"
            } else if lower.contains("second half") || lower.contains("last half") {
                "-H2"
            } else {
                ""
            };
            date(TimexType::Date, format!("{digits}{half}"))
        }
        Rule::Decade => {
            let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                // "the nineties": the decade of the century news is written in, the 1900s.
                let tens = SPELLED_TENS
                    .iter()
                    .position(|w| lower.contains(w.trim_end_matches('s')))?;
                return date(TimexType::Date, format!("19{}", tens + 2));
            }
            date(TimexType::Date, digits.get(..3)?.to_string())
        }
        Rule::Century => {
            let ordinal: u32 = if lower.contains("twenty-first") {
                21
            } else if lower.contains("twentieth") {
                20
            } else if lower.contains("nineteenth") {
                19
            } else {
                lower
                    .split(|c: char| !c.is_ascii_digit())
                    .find_map(|p| p.parse().ok())?
            };
            date(TimexType::Date, format!("{:02}", ordinal.checked_sub(1)?))
        }
        Rule::SpelledYear => spelled_year(&lower),
        // Valued by `anaphora::resolve` once every match is known.
        Rule::Anaphor => date(TimexType::Date, String::new()),
        Rule::Season => {
            let season = if lower.contains("spring") {
                "SP"
            } else if lower.contains("summer") {
                "SU"
            } else if lower.contains("fall") || lower.contains("autumn") {
                "FA"
            } else {
                "WI"
            };
            let explicit: Option<i32> = tokens
                .iter()
                .find_map(|w| w.parse().ok().filter(|&y: &i32| y > 1000));
            let first = tokens.first().map(|w| w.to_lowercase()).unwrap_or_default();
            if explicit.is_none() && tokens.len() == 1 {
                return None; // "fall" the verb, "spring" the noun
            }
            let value_year = match (explicit, reference, first.as_str()) {
                (Some(y), _, _) => format!("{y:04}"),
                (None, None, _) => "XXXX".to_string(),
                (None, Some(r), "last") => {
                    let season_month = match season {
                        "SP" => 3,
                        "SU" => 6,
                        "FA" => 9,
                        _ => 12,
                    };
                    format!(
                        "{:04}",
                        if r.month() > season_month + 2 {
                            r.year()
                        } else {
                            r.year() - 1
                        }
                    )
                }
                (None, Some(r), "next") => format!("{:04}", r.year() + 1),
                (None, Some(r), _) => format!("{:04}", r.year()),
            };
            date(TimexType::Date, format!("{value_year}-{season}"))
        }
        Rule::Quarter => {
            let n = if lower.contains("first") || lower.contains("1st") || lower.contains("q1") {
                1
            } else if lower.contains("second") || lower.contains("2nd") || lower.contains("q2") {
                2
            } else if lower.contains("third") || lower.contains("3rd") || lower.contains("q3") {
                3
            } else {
                4
            };
            let explicit: Option<i32> = tokens
                .iter()
                .find_map(|w| w.parse().ok().filter(|&y: &i32| y > 1000));
            let possessive = if lower.contains("last year's") {
                Some(-1)
            } else if lower.contains("next year's") {
                Some(1)
            } else if lower.contains("this year's") {
                Some(0)
            } else {
                None
            };
            let year_ago = i32::from(lower.contains("year-ago") || lower.contains("year-earlier"));
            let value = match (explicit, possessive, reference) {
                (Some(y), _, _) => format!("{y:04}-Q{n}"),
                (None, Some(offset), Some(r)) => format!("{:04}-Q{n}", r.year() + offset),
                (None, None, Some(r)) => {
                    // A quarter later in the year than today's is last year's, as in results.
                    let y = if n > quarter_of(r) {
                        r.year() - 1
                    } else {
                        r.year()
                    };
                    format!("{:04}-Q{n}", y - year_ago)
                }
                (None, _, None) => format!("XXXX-Q{n}"),
            };
            date(TimexType::Date, value)
        }
        Rule::RelativeQuarter => {
            let Some(r) = reference else {
                return date(TimexType::Date, "XXXX-QX".to_string());
            };
            // "the quarter a year ago", "last year's quarter", "the same period last year".
            let year_back = lower.contains("year-earlier")
                || lower.contains("year-ago")
                || lower.contains("year ago")
                || lower.contains("year earlier")
                || lower.contains("last year");
            let bare = !lower.contains("quarter") && !lower.contains("period");
            if bare && !quarterly(cx.before()) {
                // "the year-ago results" outside quarterly reporting: last year.
                return date(TimexType::Date, format!("{:04}", r.year() - 1));
            }
            let current = quarter_of(r);
            let offset = if year_back {
                -5
            } else if lower.starts_with("this") || lower.contains("current") {
                0
            } else if lower.starts_with("next") {
                1
            } else {
                -1
            };
            date(
                TimexType::Date,
                quarter_value(r.year(), i64::from(current + offset))?,
            )
        }
        Rule::DayWord => {
            // "today's youth", "in today's world": the present day in general, not a date.
            if lower == "today" {
                let next = cx.after().strip_prefix("'s ").unwrap_or("");
                let next = next.split_whitespace().next().unwrap_or("");
                if PRESENT_DAY_NOUNS.contains(&next) {
                    return None;
                }
            }
            let offset = if lower.contains("yesterday") || lower.ends_with("last night") {
                -1
            } else if lower.contains("tomorrow") {
                1
            } else {
                0
            };
            let part = if lower.contains("morning") {
                Some("MO")
            } else if lower.contains("afternoon") {
                Some("AF")
            } else if lower.contains("evening") {
                Some("EV")
            } else if lower.ends_with("tonight") || lower.ends_with("last night") {
                Some("NI")
            } else {
                None
            };
            let day = match reference {
                Some(r) => ymd(add_days(r, offset)?),
                None => "XXXX-XX-XX".to_string(),
            };
            match part {
                Some(part) => date(TimexType::Time, format!("{day}T{part}")),
                None => date(TimexType::Date, day),
            }
        }
        Rule::Weekday => {
            let name = tokens
                .iter()
                .find(|w| WEEKDAYS.contains(&w.to_lowercase().as_str()))?;
            if !capitalized(name) {
                return None;
            }
            // "the Sunday Times", "Monday Night Football": a weekday naming something else.
            let next = cx.after().split_whitespace().next().unwrap_or("");
            let next_is_name = capitalized(next)
                && !WEEKDAYS.contains(
                    &next
                        .to_lowercase()
                        .trim_end_matches(|c: char| !c.is_alphabetic()),
                )
                && month_number(next).is_none();
            if next_is_name && !cx.after().starts_with([',', '.']) {
                return None;
            }
            let target = WEEKDAYS.iter().position(|w| *w == name.to_lowercase())? as i64;
            let Some(r) = reference else {
                return date(TimexType::Date, "XXXX-XX-XX".to_string());
            };
            let today = r.weekday().num_days_from_monday() as i64;
            let first = tokens.first().map(|w| w.to_lowercase()).unwrap_or_default();
            let forward = (target - today).rem_euclid(7);
            let backward = (today - target).rem_euclid(7);
            let offset = match first.as_str() {
                "last" => -(if backward == 0 { 7 } else { backward }),
                "next" => {
                    if forward == 0 {
                        7
                    } else {
                        forward
                    }
                }
                "this"
                    if tokens
                        .get(1)
                        .is_some_and(|w| w.eq_ignore_ascii_case("coming")) =>
                {
                    forward
                }
                "coming" => forward,
                "this" => target - today,
                _ if backward == 0 => 0,
                // "Wednesday's ruling": news names an event by its day once it has happened.
                _ if cx.after().starts_with(['\'', '\u{2019}']) => -backward,
                _ => match tense::nearest(cx.text, cx.start, cx.end) {
                    Some(Tense::Future) => forward,
                    Some(Tense::Past) => -backward,
                    None if future_tense(cx.sentence()) => forward,
                    None => -backward,
                },
            };
            // "Friday night" and "Friday morning" keep the day's value: TimeBank mostly
            // annotates them so. "Friday evening" is mostly the evening of that day.
            let day = ymd(add_days(r, offset)?);
            if lower.ends_with("evening") {
                return date(TimexType::Time, format!("{day}TEV"));
            }
            date(TimexType::Date, day)
        }
        Rule::RelativeUnit => {
            if tokens.len() > 1 && tokens.iter().all(|w| capitalized(w)) {
                return None; // "This Week", a programme's title
            }
            let Some(r) = reference else {
                let value = if lower.contains("week") {
                    "XXXX-WXX"
                } else if lower.contains("month") {
                    "XXXX-XX"
                } else {
                    "XXXX"
                };
                return date(TimexType::Date, value.to_string());
            };
            // "during the week": a week of the reference's year, which one the text does
            // not say.
            if lower == "the week" {
                return date(TimexType::Date, format!("{:04}-WXX", r.year()));
            }
            // "the week of March 6": the ISO week holding that day.
            if let (true, [_, _, _, month, day]) =
                (lower.starts_with("the week of"), tokens.as_slice())
            {
                let month = month_number(month)?;
                let day: u32 = day
                    .trim_end_matches(|c: char| c.is_alphabetic())
                    .parse()
                    .ok()?;
                let year = year_by_tense(cx, r, month, Some(day));
                return date(
                    TimexType::Date,
                    iso_week(NaiveDate::from_ymd_opt(year, month, day)?),
                );
            }
            let has = |word: &str| tokens.iter().any(|t| t.eq_ignore_ascii_case(word));
            let offset = if has("last") || has("previous") {
                -1
            } else if has("next") {
                1
            } else {
                0
            };
            let value = if lower.contains("weekend") {
                let saturday = Weekday::Sat.num_days_from_monday() as i64;
                let today = r.weekday().num_days_from_monday() as i64;
                let back = (today - saturday).rem_euclid(7);
                let base = add_days(r, -back)?;
                // TIMEX3 names a weekend by its ISO week: 1990-W32-WE.
                format!(
                    "{}-WE",
                    iso_week(add_weeks(base, i64::from(offset).max(0))?)
                )
            } else if lower.contains("week") {
                unit_value(r, "week", i64::from(offset))?
            } else if lower.contains("month") {
                unit_value(r, "month", i64::from(offset))?
            } else {
                unit_value(r, "year", i64::from(offset))?
            };
            date(TimexType::Date, value)
        }
        Rule::Offset => {
            let unit_at = tokens.iter().position(|w| unit_letter(w).is_some())?;
            let unit = tokens[unit_at];
            // The count is the word before the unit ("nearly four years ago").
            let count = number(tokens.get(unit_at.checked_sub(1)?)?);
            let backward =
                lower.ends_with("ago") || lower.ends_with("earlier") || lower.ends_with("before");
            // "about two years ago", "more than four decades ago": a loose count measures how
            // long ago, and TimeBank annotates the length.
            if (lower.starts_with("about") || lower.starts_with("more")) && lower.ends_with("ago") {
                let (letter, scale) = unit_letter(unit)?;
                let value = count.map_or_else(|| "X".to_string(), |n| format_number(n * scale));
                return date(TimexType::Duration, duration_value(&value, letter));
            }
            let (Some(r), Some(n)) = (reference, count) else {
                let value = if count.is_none() {
                    if backward {
                        "PAST_REF"
                    } else {
                        "FUTURE_REF"
                    }
                } else {
                    "XXXX-XX-XX"
                };
                return date(TimexType::Date, value.to_string());
            };
            let n = (if backward { -n } else { n }) as i64;
            let unit = unit.to_lowercase();
            let value = if unit.starts_with("year") && quarterly(cx.before()) {
                quarter_value(add_years(r.year(), n)?, i64::from(quarter_of(r) - 1))?
            } else if let Some(value) = unit_value(r, &unit, n) {
                value
            } else if unit.starts_with("decade") {
                format!("{:03}", add_years(r.year(), n.checked_mul(10)?)? / 10)
            } else if unit.starts_with("quarter") {
                quarter_value(r.year(), i64::from(quarter_of(r)).checked_add(n)?)?
            } else {
                ymd(add_days(r, if unit.starts_with("day") { n } else { 0 })?)
            };
            date(TimexType::Date, value)
        }
        Rule::PartOfUnit => {
            let Some(r) = reference else {
                return date(TimexType::Date, "XXXX".to_string());
            };
            let offset = if lower.contains("next") {
                1
            } else if lower.contains("last") {
                -1
            } else {
                0
            };
            let unit = lower.split_whitespace().next_back().unwrap_or("year");
            let value = unit_value(r, unit, i64::from(offset))?;
            date(TimexType::Date, value)
        }
        Rule::Duration => {
            if cx.after().starts_with("-old") || cx.after().starts_with(" old") {
                return None; // an age
            }
            // "more than a quarter of the shares", "three-quarters": fractions, not months.
            if (lower.ends_with("quarter") && cx.after().trim_start().starts_with("of "))
                || lower.ends_with("-quarters")
            {
                return None;
            }
            // "a second time" is an ordinal; "60 Minutes" in capitals is a title.
            if lower.ends_with(" second")
                && tokens.len() == 2
                && matches!(tokens[0].to_lowercase().as_str(), "a" | "an")
            {
                return None;
            }
            if tokens.len() > 1 && tokens.last().is_some_and(|w| capitalized(w)) {
                return None;
            }
            // "twice a year", "5 percent a year": a rate, not a length of time.
            let mut earlier = cx.before().split_whitespace().rev();
            let (previous_word, count_word) =
                (earlier.next().unwrap_or(""), earlier.next().unwrap_or(""));
            let previous = previous_word.to_lowercase();
            let single =
                tokens.len() == 2 && matches!(tokens[0].to_lowercase().as_str(), "a" | "an");
            if single
                && (matches!(
                    previous.as_str(),
                    "once" | "twice" | "times" | "percent" | "pct" | "per"
                ) || previous.ends_with('%'))
            {
                let (letter, _) = unit_letter(tokens[1])?;
                return date(TimexType::Set, format!("P1{letter}"));
            }
            // "$2 million a year", "358,000 a month": a rate of an amount, which TimeBank
            // leaves unannotated.
            let amount = previous.contains(|c: char| c.is_ascii_digit())
                || matches!(
                    previous.as_str(),
                    "million" | "billion" | "thousand" | "hundred"
                );
            if single && amount {
                return None;
            }
            // "24 hours a day", "seven days a week": the length of a rate, not a duration.
            let rest: String = cx
                .after()
                .trim_start()
                .chars()
                .take(16)
                .flat_map(char::to_lowercase)
                .collect();
            let per_unit = ["a ", "an ", "per ", "each "]
                .iter()
                .find_map(|p| rest.strip_prefix(p));
            if per_unit.is_some_and(|unit| {
                unit.split(|c: char| !c.is_alphabetic())
                    .next()
                    .is_some_and(|w| unit_letter(w).is_some())
            }) {
                return None;
            }
            // "four flights a week", "24 hours a day": a count of things per unit, a rate.
            if single
                && previous_word.len() > 3
                && previous_word.ends_with('s')
                && previous_word.chars().all(|c| c.is_ascii_lowercase())
                && number(count_word).is_some_and(|n| n > 1.0)
            {
                return None;
            }
            // "the next year or so": the hedge does not change the length.
            let tokens: Vec<&str> = match tokens.as_slice() {
                [head @ .., or, so]
                    if or.eq_ignore_ascii_case("or") && so.eq_ignore_ascii_case("so") =>
                {
                    head.to_vec()
                }
                _ => tokens,
            };
            let unit_word = tokens.iter().rev().find(|w| unit_letter(w).is_some())?;
            let (letter, scale) = unit_letter(unit_word)?;
            let count = tokens
                .iter()
                .rev()
                .skip_while(|w| unit_letter(w).is_none())
                .skip(1)
                .find_map(|w| number(w));
            // "the 1988 second quarter": a year before a singular unit, not a count of it.
            let singular = !unit_word.to_lowercase().ends_with('s') && !matched.contains('-');
            if singular && count.is_some_and(|n| n >= 1000.0) {
                return None;
            }
            // "the past year", "the last week", "the next year or so": one calendar unit next to
            // the reference, annotated as that year or week rather than as a length.
            if let [the, side, unit] = tokens.as_slice() {
                let side = side.to_lowercase();
                let step = match side.as_str() {
                    "past" | "last" => Some(-1),
                    "next" => Some(1),
                    _ => None,
                };
                if let (true, Some(step)) = (the.eq_ignore_ascii_case("the"), step) {
                    let unit = unit.to_lowercase();
                    let value = match (reference, unit.as_str()) {
                        // The seven days just ended are named by the week that holds most
                        // of them.
                        (Some(r), "week") if step < 0 => Some(iso_week(add_days(r, -3)?)),
                        (Some(r), "year" | "month" | "week") => Some(unit_value(r, &unit, step)?),
                        (None, "year" | "month" | "week") => {
                            Some(if step < 0 { "PAST_REF" } else { "FUTURE_REF" }.to_string())
                        }
                        _ => None,
                    };
                    if let Some(value) = value {
                        return date(TimexType::Date, value);
                    }
                }
            }
            let half = if lower.contains("and a half") || lower.contains("1/2") {
                0.5
            } else {
                0.0
            };
            let value = match count {
                Some(n)
                    if !lower.contains("few")
                        && !lower.contains("several")
                        && !lower.contains("couple") =>
                {
                    format_number((n + half) * scale)
                }
                _ if lower.contains("couple") => format_number(2.0 * scale),
                // "a day-long strike": one unit.
                None if lower.ends_with("-long") && tokens.len() == 2 => format_number(scale),
                _ if ["past", "last", "next", "coming"]
                    .iter()
                    .any(|w| tokens.iter().any(|t| t.eq_ignore_ascii_case(w)))
                    && tokens.len() == 3 =>
                {
                    format_number(scale)
                }
                _ => "X".to_string(),
            };
            date(TimexType::Duration, duration_value(&value, letter))
        }
        Rule::VagueDuration => {
            let previous = cx.previous_word();
            let qualified = tokens.len() > 1
                || matches!(
                    previous.as_str(),
                    "for" | "over" | "within" | "in" | "after" | "past" | "few"
                );
            if !qualified {
                return None;
            }
            // "for a while": a length nobody measured.
            if lower == "a while" {
                return date(TimexType::Duration, "PXX".to_string());
            }
            // "over the years" is a stretch of time; "the years 1990 to 1995" names years.
            if lower == "the years"
                && (!matches!(
                    previous.as_str(),
                    "over" | "through" | "during" | "in" | "for"
                ) || cx
                    .after()
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit()))
            {
                return None;
            }
            // "weeks or months": the shorter, first unit bounds it.
            let unit = tokens.iter().find(|w| unit_letter(w).is_some())?;
            // "in recent years", "over past years": a vague stretch of the past, which TIMEX3
            // values as the past itself rather than as a length.
            if matches!(lower.as_str(), "recent years" | "past years") {
                return date(TimexType::Date, "PAST_REF".to_string());
            }
            let (letter, _) = unit_letter(unit)?;
            let letter = match (letter, unit.to_lowercase().as_str()) {
                (_, "decades") => "DE",
                (_, "centuries") => "CE",
                (l, _) => l,
            };
            let time = matches!(letter, "H" | "MIN" | "S");
            let letter = if letter == "MIN" { "M" } else { letter };
            let prefix = if time { "PTX" } else { "PX" };
            date(TimexType::Duration, format!("{prefix}{letter}"))
        }
        Rule::Reference => {
            let value = match lower.as_str() {
                "now" | "right now" | "currently" | "nowadays" | "these days" | "at present"
                | "presently" => "PRESENT_REF",
                "the future" | "the near future" | "the near term" | "the short term" => {
                    "FUTURE_REF"
                }
                _ => "PAST_REF",
            };
            if lower == "now" {
                // "now" as a discourse marker opens a sentence ("Now, the point is").
                let next = cx.after().trim_start();
                if next.starts_with(',') && cx.before().trim_end().ends_with(['.', '\n']) {
                    return None;
                }
            }
            date(TimexType::Date, value.to_string())
        }
        Rule::Time => {
            let day = reference.map_or_else(|| "XXXX-XX-XX".to_string(), ymd);
            let clock = if lower == "noon" || lower == "midday" {
                "12:00".to_string()
            } else if lower == "midnight" {
                "24:00".to_string()
            } else {
                let digits: Vec<u32> = lower
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|p| p.parse().ok())
                    .collect();
                let mut hour = *digits.first()?;
                let minute = digits.get(1).copied().unwrap_or(0);
                if hour > 24 || minute > 59 {
                    return None;
                }
                // "4 p.m.", "7 in the evening".
                let later_half = lower.contains('p')
                    || lower.ends_with("afternoon")
                    || lower.ends_with("evening");
                if later_half && hour < 12 {
                    hour += 12;
                }
                if (lower.contains("a.m") || lower.contains("am")) && hour == 12 {
                    hour = 0;
                }
                format!("{hour:02}:{minute:02}")
            };
            date(TimexType::Time, format!("{day}T{clock}"))
        }
        Rule::Set => {
            let named = tokens.get(1).copied().unwrap_or("");
            if let Some(day) = WEEKDAYS.iter().position(|w| named.eq_ignore_ascii_case(w)) {
                return date(TimexType::Set, format!("XXXX-WXX-{}", day + 1));
            }
            if let Some(month) = month_number(named).filter(|_| capitalized(named)) {
                return date(TimexType::Set, format!("XXXX-{month:02}"));
            }
            let value = if lower == "hourly" {
                "PT1H"
            } else if lower.contains("week") {
                "P1W"
            } else if lower.contains("month") {
                "P1M"
            } else if lower.contains("year") || lower.contains("annual") {
                "P1Y"
            } else if lower.contains("quarter") {
                "P3M"
            } else {
                "P1D"
            };
            date(TimexType::Set, value.to_string())
        }
        Rule::AnaphoricYear => anaphoric_year(cx, reference),
        Rule::TimeOnDay => time_on_day(cx),
        Rule::Holiday => {
            let y = year;
            let value = match (y, lower.as_str()) {
                (None, l) if l.starts_with("christmas") => "XXXX-12-25".to_string(),
                (None, l) if l.starts_with("new") => "XXXX-01-01".to_string(),
                (None, l) if l.starts_with("independence") => "XXXX-07-04".to_string(),
                (None, _) => "XXXX-11-XX".to_string(),
                (Some(y), l) if l.starts_with("christmas") => {
                    format!("{y:04}-12-{}", if l.ends_with("eve") { 24 } else { 25 })
                }
                (Some(y), l) if l.starts_with("new") => {
                    if l.ends_with("eve") {
                        format!("{:04}-12-31", y - 1)
                    } else {
                        format!("{y:04}-01-01")
                    }
                }
                (Some(y), l) if l.starts_with("independence") => format!("{y:04}-07-04"),
                (Some(_), _) => {
                    let y = reference.map_or(2000, |r| closest_year(r, 11, 25));
                    let first = NaiveDate::from_ymd_opt(y, 11, 1)?;
                    let to_thursday = (Weekday::Thu.num_days_from_monday() as i64
                        - first.weekday().num_days_from_monday() as i64)
                        .rem_euclid(7);
                    ymd(add_days(first, to_thursday + 21)?)
                }
            };
            date(TimexType::Date, value)
        }
    }
}

/// Tens words, from twenty: "nineteen ninety-six" and "the nineties" are read with them.
const SPELLED_TENS: [&str; 8] = [
    "twenties",
    "thirties",
    "forties",
    "fifties",
    "sixties",
    "seventies",
    "eighties",
    "nineties",
];

/// `nineteen ninety-six` -> `1996`, `January nineteen ninety-seven` -> `1997-01`,
/// `the year two thousand` -> `2000`.
fn spelled_year(lower: &str) -> Option<Resolved> {
    if lower.ends_with("two thousand") {
        return date(TimexType::Date, "2000".to_string());
    }
    let after_nineteen = lower.split_once("nineteen")?.1;
    let words: Vec<&str> = after_nineteen
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    // "ninety" and "nineties" share the stem "ninet".
    let stem = words.first()?.strip_suffix('y')?;
    let tens = SPELLED_TENS.iter().position(|t| t.starts_with(stem))?;
    let units = words.get(1).and_then(|w| number(w)).unwrap_or(0.0) as usize;
    let year = 1900 + (tens + 2) * 10 + units;
    let month = lower
        .split_whitespace()
        .next()
        .and_then(month_number)
        .filter(|_| !lower.starts_with("nineteen"));
    let value = match month {
        Some(m) => format!("{year}-{m:02}"),
        None => year.to_string(),
    };
    date(TimexType::Date, value)
}

/// A TIMEX3 duration from a count and unit letter; a half is written in the next smaller unit
/// ("2 1/2 years" -> `P2Y6M`, "5 1/2 hours" -> `PT5H30M`), as ISO 8601 prefers.
fn duration_value(count: &str, letter: &str) -> String {
    let time = matches!(letter, "H" | "MIN" | "S");
    let unit = if letter == "MIN" { "M" } else { letter };
    let half = count.strip_suffix(".5").and_then(|whole| {
        let lower = match letter {
            "Y" => "6M",
            "M" => "15D",
            "W" => "3DT12H",
            "D" => "T12H",
            "H" => "30M",
            "MIN" => "30S",
            _ => return None,
        };
        Some(format!("{whole}{unit}{lower}"))
    });
    let body = half.unwrap_or_else(|| format!("{count}{unit}"));
    if time {
        format!("PT{body}")
    } else {
        format!("P{body}")
    }
}

/// `the year` in news is the article's year ("sales for the year rose"), but `the year
/// ended June 30` is a fiscal year: a year-long period, not a calendar year.
fn anaphoric_year(cx: &Context<'_>, reference: Option<NaiveDate>) -> Option<Resolved> {
    let after = cx.after();
    if after.starts_with(['-', '\'', '\u{2019}']) {
        return None; // "the year-ago quarter", "the year's end": other rules or not a timex
    }
    match cx.next_word().as_str() {
        "before" | "after" | "earlier" | "later" | "ago" | "two" | "when" => None,
        "ended" | "ending" | "ends" | "to" | "through" => {
            date(TimexType::Duration, "P1Y".to_string())
        }
        _ => date(
            TimexType::Date,
            reference.map_or_else(|| "XXXX".to_string(), |r| format!("{:04}", r.year())),
        ),
    }
}

/// `10 p.m. Wednesday`, `5 p.m. EST Nov. 9`: the day resolved as on its own, the clock time
/// added to it.
fn time_on_day(cx: &Context<'_>) -> Option<Resolved> {
    let matched = cx.matched();
    // ASCII lower-casing keeps byte offsets, which index `matched` below.
    let lower = matched.to_ascii_lowercase();
    let clock_end = ["a.m.", "p.m.", "noon", "midnight", "am", "pm"]
        .iter()
        .filter_map(|needle| lower.find(needle).map(|i| i + needle.len()))
        .min()?;
    // The day part starts at the first word after the clock that names a day or a month.
    let day_start = matched[clock_end..]
        .split_inclusive(|c: char| c.is_whitespace() || c == ',')
        .scan(clock_end, |offset, word| {
            let start = *offset;
            *offset += word.len();
            Some((
                start,
                word.trim_matches(|c: char| c.is_whitespace() || c == ','),
            ))
        })
        .find(|(_, word)| {
            let lower = word.to_lowercase();
            WEEKDAYS.contains(&lower.as_str())
                || matches!(lower.as_str(), "today" | "yesterday" | "tomorrow")
                || (word.len() >= 3 && capitalized(word) && month_number(word).is_some())
        })
        .map(|(start, _)| start)?;
    let day_word = matched[day_start..].to_ascii_lowercase();
    let rule = if WEEKDAYS.iter().any(|w| day_word.starts_with(w)) {
        Rule::Weekday
    } else if ["today", "yesterday", "tomorrow"]
        .iter()
        .any(|w| day_word.starts_with(w))
    {
        Rule::DayWord
    } else {
        Rule::MonthDay
    };
    let part = |start: usize, end: usize| Context {
        text: cx.text,
        start: cx.start + start,
        end: cx.start + end,
        reference: cx.reference,
        day_first: cx.day_first,
    };
    let day = resolve(rule, &part(day_start, matched.len()))?.value;
    let time = resolve(Rule::Time, &part(0, clock_end))?.value;
    let clock = time.split_once('T')?.1;
    date(TimexType::Time, format!("{day}T{clock}"))
}

/// The TIMEX3 letter of a unit word and how many of it make one (a decade is ten years).
fn unit_letter(word: &str) -> Option<(&'static str, f64)> {
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches("-long");
    let found = if lower.starts_with("year") {
        ("Y", 1.0)
    } else if lower.starts_with("month") {
        ("M", 1.0)
    } else if lower.starts_with("week") && !lower.starts_with("weekend") {
        ("W", 1.0)
    } else if lower.starts_with("weekend") {
        ("D", 2.0)
    } else if lower.starts_with("day") || lower.starts_with("night") {
        ("D", 1.0)
    } else if lower.starts_with("hour") {
        ("H", 1.0)
    } else if lower.starts_with("minute") {
        ("MIN", 1.0)
    } else if lower.starts_with("second") {
        ("S", 1.0)
    } else if lower.starts_with("decade") {
        ("Y", 10.0)
    } else if lower.starts_with("centur") {
        ("Y", 100.0)
    } else if lower.starts_with("quarter") {
        ("M", 3.0)
    } else {
        return None;
    };
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractor::extract;

    /// Found by the `date_extract` fuzz target: relative expressions against a reference date
    /// at either end of the calendar overflowed chrono's date arithmetic and panicked.
    #[test]
    fn relative_dates_at_the_ends_of_the_calendar_resolve_to_nothing() {
        let text = "The minister arrived on Saturday, yesterday, last week, next month, \
                    the previous year, this weekend, next quarter and two weeks ago.";
        for reference in [NaiveDate::MIN, NaiveDate::MAX] {
            for timex in extract(text, Some(reference)) {
                assert!(!timex.value.is_empty(), "{timex:?}");
            }
        }
        let saturday = extract("He came on Saturday.", NaiveDate::from_ymd_opt(2025, 10, 8));
        assert_eq!(saturday[0].value, "2025-10-04");
    }

    /// Counts no calendar holds: "90000000000000000000 days ago" overflowed `7 * n` and
    /// chrono's `Duration::days`.
    #[test]
    fn huge_counts_resolve_to_nothing() {
        let reference = NaiveDate::from_ymd_opt(2024, 3, 18);
        for unit in [
            "days", "weeks", "months", "years", "decades", "quarters", "hours",
        ] {
            for count in ["90000000000000000000", "4294967296", "300000"] {
                let text = format!("It began {count} {unit} ago and ends {count} {unit} later.");
                for timex in extract(&text, reference) {
                    assert!(!timex.value.is_empty(), "{text}: {timex:?}");
                }
            }
        }
        let ago = extract("It began two years ago.", reference);
        assert_eq!(ago[0].value, "2022");
    }

    #[test]
    fn checked_arithmetic_keeps_ordinary_values() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 18).unwrap();
        assert_eq!(add_months(day, -3), NaiveDate::from_ymd_opt(2023, 12, 1));
        assert_eq!(add_weeks(day, 1), NaiveDate::from_ymd_opt(2024, 3, 25));
        assert_eq!(quarter_value(2024, 0).as_deref(), Some("2023-Q4"));
        assert_eq!(quarter_value(2024, -4).as_deref(), Some("2022-Q4"));
        assert_eq!(add_years(NaiveDate::MAX.year(), 1), None);
        assert_eq!(add_days(NaiveDate::MIN, -1), None);
        assert_eq!(add_months(day, i64::MAX), None);
    }
}
