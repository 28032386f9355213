//! A TIMEX3 value as the rules build it: its text, and the calendar position it names when it
//! names one, kept typed so that an anaphor ("the following year") is valued from the numbers
//! rather than from the text parsed back.

use chrono::{Datelike, NaiveDate};

/// The calendar position a value names: a year, and within it maybe a quarter or a month and a
/// day. Day and month are kept as written (a month and day given without a year may be one no
/// calendar holds, "Feb. 29" of a common year); whoever uses them checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// The year.
    pub year: i32,
    /// The quarter, for a quarter's value (`1998-Q3`).
    pub quarter: Option<i64>,
    /// The month, 1 to 12.
    pub month: Option<u32>,
    /// The day of the month.
    pub day: Option<u32>,
}

impl Anchor {
    /// A year and nothing finer.
    pub fn year(year: i32) -> Self {
        Anchor {
            year,
            quarter: None,
            month: None,
            day: None,
        }
    }
}

/// Years written as four digits with no sign, as chrono's `%Y` writes them; outside it adds a
/// sign, so those go through chrono.
const PLAIN_YEARS: std::ops::RangeInclusive<i32> = 0..=9999;

/// `2024-03-18`, as `day.format("%Y-%m-%d")` writes it: formatting the numbers directly skips
/// parsing the format string for every date of every article.
fn day_text(day: NaiveDate) -> String {
    if PLAIN_YEARS.contains(&day.year()) {
        format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
    } else {
        day.format("%Y-%m-%d").to_string()
    }
}

/// A TIMEX3 value and, when it names a year, quarter, month or day, that position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// The TIMEX3 text: `2024-03-18`, `1998-W09`, `P3D`, `PAST_REF`.
    pub text: String,
    /// The calendar position, for values that start with a known year.
    pub anchor: Option<Anchor>,
}

impl Value {
    /// A value that names no calendar position a later anaphor could lean on (`P3D`,
    /// `PAST_REF`, `XXXX-XX-XX`, the decade `199`).
    pub fn unanchored(text: impl Into<String>) -> Self {
        Value {
            text: text.into(),
            anchor: None,
        }
    }

    /// `2024-03-18`.
    pub fn day(day: NaiveDate) -> Self {
        Value {
            text: day_text(day),
            anchor: Some(Anchor {
                month: Some(day.month()),
                day: Some(day.day()),
                ..Anchor::year(day.year())
            }),
        }
    }

    /// `2024-03-18` from its parts, checked by nobody: a month and day placed in a year by the
    /// tense around them.
    pub fn month_day(year: i32, month: u32, day: u32) -> Self {
        Value {
            text: format!("{year:04}-{month:02}-{day:02}"),
            anchor: Some(Anchor {
                month: Some(month).filter(|m| (1..=12).contains(m)),
                day: Some(day),
                ..Anchor::year(year)
            }),
        }
    }

    /// `2024-03`.
    pub fn month(year: i32, month: u32) -> Self {
        Value {
            text: format!("{year:04}-{month:02}"),
            anchor: Some(Anchor {
                month: Some(month).filter(|m| (1..=12).contains(m)),
                ..Anchor::year(year)
            }),
        }
    }

    /// `2024`.
    pub fn year(year: i32) -> Self {
        Value {
            text: format!("{year:04}"),
            anchor: Some(Anchor::year(year)),
        }
    }

    /// `2024-Q3`.
    pub fn quarter(year: i32, quarter: i64) -> Self {
        Value {
            text: format!("{year:04}-Q{quarter}"),
            anchor: Some(Anchor {
                quarter: Some(quarter),
                ..Anchor::year(year)
            }),
        }
    }

    /// The ISO week holding `day`: `1998-W09`, anchored on the week's year.
    pub fn iso_week(day: NaiveDate) -> Self {
        let week = day.iso_week();
        Value {
            text: format!("{}-W{:02}", week.year(), week.week()),
            anchor: Some(Anchor::year(week.year())),
        }
    }

    /// The value with `suffix` added to its text (`T17:00`, `TEV`, `-WE`, `-SP`, `-H2`): a
    /// part of the same position.
    pub fn with_suffix(mut self, suffix: &str) -> Self {
        self.text.push_str(suffix);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_text_is_what_chrono_writes() {
        for (y, m, d) in [
            (2024, 3, 18),
            (1, 1, 1),
            (0, 12, 31),
            (999, 2, 3),
            (9999, 12, 31),
        ]
        .into_iter()
        .chain([(10000, 1, 1), (-1, 6, 30), (-262000, 1, 1), (262000, 5, 5)])
        {
            let Some(day) = NaiveDate::from_ymd_opt(y, m, d) else {
                panic!("{y}-{m}-{d}");
            };
            assert_eq!(day_text(day), day.format("%Y-%m-%d").to_string());
        }
    }
}
