//! Checked calendar arithmetic and the TIMEX3 values of calendar units.
//!
//! Date arithmetic is checked: a reference date near either end of chrono's calendar (years
//! -262,143 to 262,142), or a count such as "90000000000 days ago", lands outside it, and then
//! the expression resolves to nothing rather than to a panic.

use chrono::{Datelike, Duration, NaiveDate};

use crate::value::Value;

/// The quarter (1 to 4) holding `day`.
pub fn quarter_of(day: NaiveDate) -> i32 {
    (day.month0() / 3 + 1) as i32
}

/// The first day of the month `months` after the month of `day`.
pub fn add_months(day: NaiveDate, months: i64) -> Option<NaiveDate> {
    let total = (i64::from(day.year()) * 12 + i64::from(day.month0())).checked_add(months)?;
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    NaiveDate::from_ymd_opt(year, total.rem_euclid(12) as u32 + 1, 1)
}

/// `day` moved by `days`, if that is still in the calendar.
pub fn add_days(day: NaiveDate, days: i64) -> Option<NaiveDate> {
    day.checked_add_signed(Duration::try_days(days)?)
}

/// `day` moved by `weeks`, if that is still in the calendar.
pub fn add_weeks(day: NaiveDate, weeks: i64) -> Option<NaiveDate> {
    add_days(day, weeks.checked_mul(7)?)
}

/// `year` moved by `years`, if that is still a year of the calendar.
pub fn add_years(year: i32, years: i64) -> Option<i32> {
    let moved = i32::try_from(i64::from(year).checked_add(years)?).ok()?;
    (NaiveDate::MIN.year()..=NaiveDate::MAX.year())
        .contains(&moved)
        .then_some(moved)
}

/// The TIMEX3 value of the year, month or week (`unit` starts with its name) `step` units from
/// the one holding `reference`.
pub fn unit_value(reference: NaiveDate, unit: &str, step: i64) -> Option<Value> {
    if unit.starts_with("week") {
        Some(Value::iso_week(add_weeks(reference, step)?))
    } else if unit.starts_with("month") {
        let first = add_months(reference, step)?;
        Some(Value::month(first.year(), first.month()))
    } else if unit.starts_with("year") {
        Some(Value::year(add_years(reference.year(), step)?))
    } else {
        None
    }
}

/// Quarter `quarter` of `year`, where quarters past 4 or below 1 run into the next or earlier
/// years.
pub fn quarter_value(year: i32, quarter: i64) -> Option<Value> {
    let (year, quarter) = quarter_position(year, quarter)?;
    Some(Value::quarter(year, quarter))
}

/// The year and quarter (1 to 4) that [`quarter_value`] writes, without writing them.
pub fn quarter_position(year: i32, quarter: i64) -> Option<(i32, i64)> {
    let total = (i64::from(year) * 4).checked_add(quarter)? - 1;
    let year = add_years(0, total.div_euclid(4))?;
    Some((year, total.rem_euclid(4) + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_arithmetic_keeps_ordinary_values() {
        let day = NaiveDate::from_ymd_opt(2024, 3, 18).unwrap();
        assert_eq!(add_months(day, -3), NaiveDate::from_ymd_opt(2023, 12, 1));
        assert_eq!(add_weeks(day, 1), NaiveDate::from_ymd_opt(2024, 3, 25));
        let quarter = |y, q| quarter_value(y, q).map(|v| v.text);
        assert_eq!(quarter(2024, 0).as_deref(), Some("2023-Q4"));
        assert_eq!(quarter(2024, -4).as_deref(), Some("2022-Q4"));
        assert_eq!(add_years(NaiveDate::MAX.year(), 1), None);
        assert_eq!(add_days(NaiveDate::MIN, -1), None);
        assert_eq!(add_months(day, i64::MAX), None);
        assert_eq!(
            unit_value(day, "week", -1).map(|v| v.text).as_deref(),
            Some("2024-W11")
        );
        assert_eq!(
            unit_value(day, "month", 10).map(|v| v.text).as_deref(),
            Some("2025-01")
        );
    }
}
