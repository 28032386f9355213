//! The dates a timeline is keyed by.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A calendar date of year, month or day granularity: the TIMEX3 DATE values a timeline
/// accepts (`2021`, `2021-08`, `2024-03-18`).
///
/// Ordering is chronological with a coarser date before the finer dates inside it
/// (`2021` < `2021-08` < `2021-08-15` < `2021-09`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimelineDate {
    /// The year.
    pub year: i32,
    /// The month (1-12), when known.
    pub month: Option<u32>,
    /// The day of the month, when known (only with a month).
    pub day: Option<u32>,
}

impl TimelineDate {
    /// Reads a fully specified TIMEX3 DATE value of year, month or day granularity. Values
    /// with unknown parts (`XXXX-12`), seasons, quarters, weeks, decades and references
    /// (`PRESENT_REF`) are not points a timeline can place, so they give `None`.
    ///
    /// ```
    /// use docpipe_stories::TimelineDate;
    /// assert_eq!(TimelineDate::from_timex("2021-08").map(|d| d.to_string()), Some("2021-08".into()));
    /// assert_eq!(TimelineDate::from_timex("XXXX-08"), None);
    /// assert_eq!(TimelineDate::from_timex("2024-Q3"), None);
    /// ```
    pub fn from_timex(value: &str) -> Option<TimelineDate> {
        let mut parts = value.split('-');
        let year = parse_digits(parts.next()?, 4)?;
        let month = match parts.next() {
            None => None,
            Some(part) => Some(parse_digits(part, 2).filter(|m| (1..=12).contains(m))?),
        };
        let day = match parts.next() {
            None => None,
            Some(part) => Some(parse_digits(part, 2)?),
        };
        if parts.next().is_some() {
            return None;
        }
        if let (Some(m), Some(d)) = (month, day) {
            NaiveDate::from_ymd_opt(year as i32, m, d)?;
        }
        Some(TimelineDate {
            year: year as i32,
            month,
            day,
        })
    }

    /// The day a publication date names.
    pub fn from_date(date: NaiveDate) -> TimelineDate {
        TimelineDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }
}

/// Exactly `len` ASCII digits.
fn parse_digits(part: &str, len: usize) -> Option<u32> {
    if part.len() != len || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

impl fmt::Display for TimelineDate {
    /// The TIMEX3 value: `2024`, `2024-03` or `2024-03-18`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_placeable_values() {
        let day = TimelineDate::from_timex("2024-03-18").unwrap();
        assert_eq!(day.to_string(), "2024-03-18");
        assert_eq!(
            TimelineDate::from_timex("2025").unwrap().to_string(),
            "2025"
        );
        for bad in [
            "XXXX",
            "2024-13",
            "2024-02-30",
            "2024-SP",
            "199",
            "PAST_REF",
            "2024-W08",
            "",
        ] {
            assert_eq!(TimelineDate::from_timex(bad), None, "{bad}");
        }
    }

    #[test]
    fn coarse_dates_sort_before_the_days_inside_them() {
        let mut dates: Vec<TimelineDate> = ["2021-09", "2021-08-15", "2021", "2021-08"]
            .iter()
            .filter_map(|v| TimelineDate::from_timex(v))
            .collect();
        dates.sort();
        let shown: Vec<String> = dates.iter().map(|d| d.to_string()).collect();
        assert_eq!(shown, ["2021", "2021-08", "2021-08-15", "2021-09"]);
    }
}
