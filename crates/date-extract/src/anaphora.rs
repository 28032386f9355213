//! Expressions valued against the date the text last mentioned rather than the reference date:
//! "He joined in 1995 and left the following year" is 1996 whatever day the article is from.

use chrono::NaiveDate;

use crate::extractor::{Timex, TimexType};
use crate::resolve::{add_days, add_months, quarter_value, ymd};

/// The calendar unit an anaphor names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Quarter,
    Month,
    Day,
}

/// Values `timexes[index]`, an anaphor whose text is `text`, from the nearest earlier date
/// precise enough for its unit; with none, the unit's value stays unknown.
pub fn resolve(text: &str, timexes: &[Timex], index: usize) -> String {
    let lower = text.to_lowercase();
    let unit = if lower.ends_with("year") {
        Unit::Year
    } else if lower.ends_with("quarter") {
        Unit::Quarter
    } else if lower.ends_with("month") {
        Unit::Month
    } else {
        Unit::Day
    };
    // "the following year", "the next morning": one unit on; "that year", "later that day":
    // the same one.
    let step = i64::from(lower.contains("following") || lower.contains("next"));
    timexes[..index]
        .iter()
        .rev()
        .filter(|t| t.kind == TimexType::Date || t.kind == TimexType::Time)
        .find_map(|t| value_from(&t.value, unit, step))
        .unwrap_or_else(|| unknown(unit))
}

fn unknown(unit: Unit) -> String {
    match unit {
        Unit::Year => "XXXX",
        Unit::Quarter => "XXXX-QX",
        Unit::Month => "XXXX-XX",
        Unit::Day => "XXXX-XX-XX",
    }
    .to_string()
}

/// The anaphor's value when `anchor` (a TIMEX3 value) is precise enough for `unit`.
fn value_from(anchor: &str, unit: Unit, step: i64) -> Option<String> {
    let year: i32 = anchor.get(..4)?.parse().ok()?;
    let month: Option<u32> = anchor
        .get(4..7)
        .and_then(|m| m.strip_prefix('-'))
        .and_then(|m| m.parse().ok())
        .filter(|m| (1..=12).contains(m));
    let day: Option<u32> = anchor
        .get(7..10)
        .and_then(|d| d.strip_prefix('-'))
        .and_then(|d| d.parse().ok());
    match unit {
        Unit::Year => Some(format!(
            "{:04}",
            year.checked_add(i32::try_from(step).ok()?)?
        )),
        Unit::Quarter => {
            let quarter = match anchor.get(4..7) {
                Some(q) if q.starts_with("-Q") => q[2..].parse::<i64>().ok()?,
                _ => i64::from((month? - 1) / 3 + 1),
            };
            quarter_value(year, quarter.checked_add(step)?)
        }
        Unit::Month => {
            let first = NaiveDate::from_ymd_opt(year, month?, 1)?;
            Some(add_months(first, step)?.format("%Y-%m").to_string())
        }
        Unit::Day => Some(ymd(add_days(
            NaiveDate::from_ymd_opt(year, month?, day?)?,
            step,
        )?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(value: &str) -> Timex {
        Timex {
            span: 0..0,
            kind: TimexType::Date,
            value: value.to_string(),
        }
    }

    #[test]
    fn anaphors_follow_the_last_precise_date() {
        let before = [date("1995"), date("1998-10-23"), date("PAST_REF")];
        let value = |text: &str| {
            let mut timexes = before.to_vec();
            timexes.push(date(""));
            resolve(text, &timexes, timexes.len() - 1)
        };
        assert_eq!(value("the following year"), "1999");
        assert_eq!(value("Earlier that day"), "1998-10-23");
        assert_eq!(value("the next morning"), "1998-10-24");
        assert_eq!(value("that quarter"), "1998-Q4");
        assert_eq!(value("The following month"), "1998-11");
        assert_eq!(
            resolve("that day", &[date("1995"), date("")], 1),
            "XXXX-XX-XX"
        );
        assert_eq!(resolve("that year", &[date("")], 0), "XXXX");
    }
}
