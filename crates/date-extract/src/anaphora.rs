//! Expressions valued against the date the text last mentioned rather than the reference date:
//! "He joined in 1995 and left the following year" is 1996 whatever day the article is from.

use chrono::{Datelike, NaiveDate};

use crate::calendar::{add_days, add_months, quarter_position};
use crate::value::{Anchor, Value};

/// The calendar unit an anaphor names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Quarter,
    Month,
    Day,
}

/// What an anaphor needs from the text before it: for each unit and step, the value the
/// nearest earlier date or time precise enough gives. Kept up to date in text order, so an
/// anaphor costs the same however many timexes precede it.
/// The positions are kept as numbers and written out only for an anaphor that takes one:
/// writing eight values for every date of a text cost a tenth of the tagger's time, and few
/// texts hold an anaphor.
#[derive(Default)]
pub struct Lookback {
    /// `[unit][step]`, units in the order of [`UNITS`].
    positions: [[Option<Position>; 2]; 4],
}

/// The calendar position an anaphor takes, before it is written as a value.
#[derive(Clone, Copy)]
enum Position {
    Year(i32),
    Quarter(i32, i64),
    Month(i32, u32),
    Day(NaiveDate),
}

impl Position {
    fn value(self) -> Value {
        match self {
            Position::Year(year) => Value::year(year),
            Position::Quarter(year, quarter) => Value::quarter(year, quarter),
            Position::Month(year, month) => Value::month(year, month),
            Position::Day(day) => Value::day(day),
        }
    }
}

const UNITS: [Unit; 4] = [Unit::Year, Unit::Quarter, Unit::Month, Unit::Day];

impl Lookback {
    /// Takes in the next date or time of the text, `None` if it names no calendar position.
    pub fn see(&mut self, anchor: Option<Anchor>) {
        let Some(anchor) = anchor else { return };
        crate::work::add(UNITS.len() * 2);
        for (slots, unit) in self.positions.iter_mut().zip(UNITS) {
            for (step, slot) in slots.iter_mut().enumerate() {
                if let Some(position) = position_from(anchor, unit, step as i64) {
                    *slot = Some(position);
                }
            }
        }
    }

    /// Values an anaphor whose text is `text` from the dates seen so far: the nearest one
    /// precise enough for its unit. With none, the unit's value stays unknown.
    pub fn resolve(&self, text: &str) -> Value {
        let (unit, step) = unit_and_step(text);
        let index = UNITS.iter().position(|u| *u == unit).unwrap_or(0);
        self.positions[index][usize::from(step == 1)].map_or_else(|| unknown(unit), Position::value)
    }
}

/// The unit an anaphor names, and whether it steps one unit on.
fn unit_and_step(text: &str) -> (Unit, i64) {
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
    (unit, step)
}

/// Values an anaphor whose text is `text` from `earlier`, the calendar positions of the dates
/// and times before it, nearest first (`None` for one that names no position): the nearest one
/// precise enough for its unit. With none, the unit's value stays unknown.
#[cfg(test)]
pub fn resolve(text: &str, earlier: impl IntoIterator<Item = Option<Anchor>>) -> Value {
    let (unit, step) = unit_and_step(text);
    earlier
        .into_iter()
        .find_map(|anchor| value_from(anchor?, unit, step))
        .unwrap_or_else(|| unknown(unit))
}

fn unknown(unit: Unit) -> Value {
    Value::unanchored(match unit {
        Unit::Year => "XXXX",
        Unit::Quarter => "XXXX-QX",
        Unit::Month => "XXXX-XX",
        Unit::Day => "XXXX-XX-XX",
    })
}

/// The anaphor's value when `anchor` is precise enough for `unit`.
#[cfg(test)]
fn value_from(anchor: Anchor, unit: Unit, step: i64) -> Option<Value> {
    position_from(anchor, unit, step).map(Position::value)
}

/// The position an anaphor of `unit`, `step` units on, takes from `anchor`, when `anchor` is
/// precise enough for it and the result is in the calendar.
fn position_from(anchor: Anchor, unit: Unit, step: i64) -> Option<Position> {
    match unit {
        Unit::Year => Some(Position::Year(
            anchor.year.checked_add(i32::try_from(step).ok()?)?,
        )),
        Unit::Quarter => {
            let quarter = match anchor.quarter {
                Some(q) => q,
                None => i64::from((anchor.month? - 1) / 3 + 1),
            };
            let (year, quarter) = quarter_position(anchor.year, quarter.checked_add(step)?)?;
            Some(Position::Quarter(year, quarter))
        }
        Unit::Month => {
            let first = NaiveDate::from_ymd_opt(anchor.year, anchor.month?, 1)?;
            let moved = add_months(first, step)?;
            Some(Position::Month(moved.year(), moved.month()))
        }
        Unit::Day => Some(Position::Day(add_days(
            NaiveDate::from_ymd_opt(anchor.year, anchor.month?, anchor.day?)?,
            step,
        )?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, values};

    #[test]
    fn anaphors_follow_the_last_precise_date() {
        let day_anchor = Value::day(NaiveDate::from_ymd_opt(1998, 10, 23).unwrap()).anchor;
        // Nearest first: a vague reference, a day, a year.
        let before = [None, day_anchor, Some(Anchor::year(1995))];
        let value = |text: &str| resolve(text, before).text;
        assert_eq!(value("the following year"), "1999");
        assert_eq!(value("Earlier that day"), "1998-10-23");
        assert_eq!(value("the next morning"), "1998-10-24");
        assert_eq!(value("that quarter"), "1998-Q4");
        assert_eq!(value("The following month"), "1998-11");
        assert_eq!(
            resolve("that day", [Some(Anchor::year(1995))]).text,
            "XXXX-XX-XX"
        );
        assert_eq!(resolve("that year", []).text, "XXXX");
    }

    #[test]
    fn the_lookback_gives_what_a_search_back_gives() {
        let day_anchor = Value::day(NaiveDate::from_ymd_opt(1998, 10, 23).unwrap()).anchor;
        let seen = [Some(Anchor::year(1995)), day_anchor, None];
        let mut lookback = Lookback::default();
        for anchor in seen {
            lookback.see(anchor);
        }
        for text in [
            "the following year",
            "Earlier that day",
            "the next morning",
            "that quarter",
            "The following month",
            "that year",
        ] {
            let searched = resolve(text, seen.iter().rev().copied());
            assert_eq!(lookback.resolve(text), searched, "{text}");
        }
        let mut years_only = Lookback::default();
        years_only.see(Some(Anchor::year(1995)));
        assert_eq!(years_only.resolve("that day").text, "XXXX-XX-XX");
    }

    #[test]
    fn anaphors_in_text() {
        let r = day(1989, 10, 26);
        assert_eq!(
            values(
                "He joined in 1995 and left the following year; later that year he wrote.",
                r
            ),
            ["1995", "1996", "1996"]
        );
        assert_eq!(
            values(
                "Results for the 1988 second quarter beat that quarter's.",
                r
            ),
            ["1988-Q2", "1988-Q2"]
        );
    }
}
