//! Holidays whose date the calendar computes: `Easter`, `Good Friday`, `Labor Day`,
//! `Memorial Day`, and the fixed `Halloween` and `Valentine's Day`, in the reference's year
//! (`last Easter` the year before, `next Easter` the year after).

use chrono::{Datelike, NaiveDate, Weekday};

use super::lexicon::capitalized;
use super::{date, Context, Resolved};
use crate::calendar::add_days;
use crate::timex::TimexType;
use crate::value::Value;

/// `Easter`, `last Easter`, `Good Friday`, `Labor Day`, `Halloween`.
pub fn holiday(cx: &Context<'_>) -> Option<Resolved> {
    let tokens = cx.tokens();
    let first = tokens.first()?.to_lowercase();
    let shift = match first.as_str() {
        "last" => -1,
        "next" => 1,
        _ => 0,
    };
    let name_at = usize::from(matches!(first.as_str(), "last" | "next" | "this"));
    let name = tokens.get(name_at)?;
    // "easter" and "memorial" in lower case are other words ("a memorial day of prayer").
    if !capitalized(name) {
        return None;
    }
    let lower = cx.lower();
    let Some(reference) = cx.reference else {
        let value = if lower.contains("halloween") {
            "XXXX-10-31"
        } else if lower.contains("valentine") {
            "XXXX-02-14"
        } else {
            "XXXX-XX-XX"
        };
        return date(TimexType::Date, Value::unanchored(value));
    };
    let year = reference.year().checked_add(shift)?;
    let day = if lower.contains("halloween") {
        NaiveDate::from_ymd_opt(year, 10, 31)?
    } else if lower.contains("valentine") {
        NaiveDate::from_ymd_opt(year, 2, 14)?
    } else if lower.contains("labor") || lower.contains("labour") {
        nth_weekday(year, 9, Weekday::Mon, 0)?
    } else if lower.contains("memorial") {
        last_weekday(year, 5, Weekday::Mon)?
    } else if lower.contains("good friday") {
        add_days(easter(year)?, -2)?
    } else if lower.ends_with("monday") {
        add_days(easter(year)?, 1)?
    } else {
        easter(year)?
    };
    date(TimexType::Date, Value::day(day))
}

/// Easter Sunday of the Gregorian calendar, by the anonymous algorithm published by Meeus
/// (Astronomical Algorithms, ch. 8).
fn easter(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c.div_euclid(4), c.rem_euclid(4));
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(
        year,
        u32::try_from(n / 31).ok()?,
        u32::try_from(n % 31 + 1).ok()?,
    )
}

/// The `nth` (from 0) `weekday` of `month`.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, nth: i64) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let to = (i64::from(weekday.num_days_from_monday())
        - i64::from(first.weekday().num_days_from_monday()))
    .rem_euclid(7);
    add_days(first, to + 7 * nth)
}

/// The last `weekday` of `month`.
fn last_weekday(year: i32, month: u32, weekday: Weekday) -> Option<NaiveDate> {
    let fifth = nth_weekday(year, month, weekday, 4)?;
    if fifth.month() == month {
        Some(fifth)
    } else {
        add_days(fifth, -7)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{day, tags, values};

    #[test]
    fn easter_follows_the_computus() {
        // Known Easter Sundays: 2000-04-23, 2019-04-21, 2024-03-31.
        for (year, month, d) in [(2000, 4, 23), (2019, 4, 21), (2024, 3, 31)] {
            assert_eq!(
                super::easter(year),
                chrono::NaiveDate::from_ymd_opt(year, month, d)
            );
        }
    }

    #[test]
    fn holidays_of_the_reference_year() {
        let r = day(2019, 3, 2);
        assert_eq!(
            values("Shops open after Easter and on Good Friday.", r),
            ["2019-04-21", "2019-04-19"]
        );
        assert_eq!(values("Sales rose last Easter.", r), ["2018-04-01"]);
        assert_eq!(
            values("They meet on Labor Day, Memorial Day and Halloween.", r),
            ["2019-09-02", "2019-05-27", "2019-10-31"]
        );
        assert_eq!(values("on Valentine's Day", None), ["XXXX-02-14"]);
        assert!(tags("a memorial day of prayer", r).is_empty());
    }
}
