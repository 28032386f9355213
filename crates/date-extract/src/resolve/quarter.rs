//! Quarters: `the third quarter`, `Q3 2024`, `third-quarter`, and the quarters of earnings
//! reports named relative to the article (`the latest quarter`, `the year-ago quarter`).

use chrono::Datelike;

use super::{date, Context, Resolved};
use crate::calendar::{quarter_of, quarter_value};
use crate::timex::TimexType;
use crate::value::Value;

/// `the third quarter`, `Q3 2024`, `the 1988 second quarter`, `next year's first quarter`.
pub fn quarter(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let tokens = cx.tokens();
    let reference = cx.reference;
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
        (Some(y), _, _) => Value::quarter(y, n),
        (None, Some(offset), Some(r)) => Value::quarter(r.year() + offset, n),
        (None, None, Some(r)) => {
            // A quarter later in the year than today's is last year's, as in results.
            let y = if n > i64::from(quarter_of(r)) {
                r.year() - 1
            } else {
                r.year()
            };
            Value::quarter(y - year_ago, n)
        }
        (None, _, None) => Value::unanchored(format!("XXXX-Q{n}")),
    };
    date(TimexType::Date, value)
}

/// `the quarter`, `the latest quarter`, `last quarter`, `the year-ago quarter`, and `year-ago`
/// on its own.
pub fn relative_quarter(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let reference = cx.reference;
    let Some(r) = reference else {
        return date(TimexType::Date, Value::unanchored("XXXX-QX"));
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
        return date(TimexType::Date, Value::year(r.year() - 1));
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

/// The text just before is about quarterly results: "a year ago" then means the year-ago
/// quarter.
pub(super) fn quarterly(before: &str) -> bool {
    let mut start = before.len().saturating_sub(QUARTER_CONTEXT_BYTES);
    while !before.is_char_boundary(start) {
        start += 1;
    }
    let lower = before[start..].to_lowercase();
    lower.contains("quarter") && !lower.contains("quarters")
}

/// How far back "quarter" makes a year-ago expression quarterly: about two sentences.
pub(super) const QUARTER_CONTEXT_BYTES: usize = 300;

#[cfg(test)]
mod tests {
    use crate::test_support::{day, tag, tags, values};

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
        assert_eq!(values("the third quarter", day(2024, 11, 2)), ["2024-Q3"]);
        assert_eq!(values("Q3 2024 results", r), ["2024-Q3"]);
        assert!(tags("It owns more than a quarter of the shares.", r).is_empty());
        assert!(tags("Three-quarters of voters agreed.", r).is_empty());
    }

    #[test]
    fn quarters_of_earnings_reports() {
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
            tags("Sales in the latest period rose 4%.", day(2011, 11, 2)),
            [tag("the latest period", "DATE", "2011-Q3")]
        );
        assert_eq!(
            tags("The year-ago results were restated.", day(1989, 11, 1)),
            [tag("year-ago", "DATE", "1988")]
        );
    }
}
