//! Month names: `March 18, 2024`, `18 March 2024`, `Oct. 23`, `April 2025`, `last February`,
//! `August last year`. A month and day without a year take the year the tense of their clause
//! points to.

use chrono::{Datelike, NaiveDate};

use super::lexicon::{capitalized, month_number};
use super::{date, year_by_tense, Context, Resolved};
use crate::calendar::add_years;
use crate::timex::TimexType;
use crate::value::Value;

/// What every month rule reads from its match: where the month name is among the words, its
/// number, the name as written, and the numbers of the match.
struct MonthMatch<'a> {
    index: usize,
    month: u32,
    word: &'a str,
    tokens: Vec<&'a str>,
    numbers: Vec<u32>,
}

fn month_match<'a>(cx: &Context<'a>) -> Option<MonthMatch<'a>> {
    let tokens = cx.tokens();
    let (index, (month, word)) = tokens.iter().enumerate().find_map(|(i, w)| {
        month_number(w)
            .filter(|_| w.len() >= 3)
            .map(|m| (i, (m, *w)))
    })?;
    // Month names are capitalized in news; "may" and "march" in lower case are verbs.
    if !capitalized(word) {
        return None;
    }
    let numbers: Vec<u32> = tokens
        .iter()
        .filter_map(|w| w.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok())
        .collect();
    Some(MonthMatch {
        index,
        month,
        word,
        tokens,
        numbers,
    })
}

/// Month name, day and year in either order.
pub fn full_date(cx: &Context<'_>) -> Option<Resolved> {
    let m = month_match(cx)?;
    let explicit_year = *m.numbers.iter().find(|&&n| n > 31)?;
    let day = *m.numbers.iter().find(|&&n| (1..=31).contains(&n))?;
    let value = NaiveDate::from_ymd_opt(explicit_year as i32, m.month, day)?;
    date(TimexType::Date, Value::day(value))
}

/// Month name and day, the year from the reference and the tense.
pub fn month_day(cx: &Context<'_>) -> Option<Resolved> {
    let MonthMatch {
        month,
        tokens,
        numbers,
        ..
    } = month_match(cx)?;
    let reference = cx.reference;
    let day = *numbers.first()?;
    // "May 2" is fine, but "Boeing 737" style numbers never reach here.
    let valid = NaiveDate::from_ymd_opt(reference.map_or(2000, |r| r.year()), month, day).is_some();
    if !valid {
        return None;
    }
    // "last Oct. 23": the latest Oct. 23 before the reference date.
    let last = tokens
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("last"));
    let year_of = |r: NaiveDate| match NaiveDate::from_ymd_opt(r.year(), month, day) {
        Some(this_year) if last && this_year >= r => r.year() - 1,
        Some(_) if last => r.year(),
        _ => year_by_tense(cx, r, month, Some(day)),
    };
    let value = match reference {
        Some(r) => Value::month_day(year_of(r), month, day),
        None => Value::unanchored(format!("XXXX-{month:02}-{day:02}")),
    };
    date(TimexType::Date, value)
}

/// Month name and year.
pub fn month_year(cx: &Context<'_>) -> Option<Resolved> {
    let m = month_match(cx)?;
    let explicit_year = *m.numbers.iter().find(|&&n| n > 31)?;
    date(
        TimexType::Date,
        Value::month(i32::try_from(explicit_year).ok()?, m.month),
    )
}

/// A month name alone, maybe with last/next/this/early/late or a relative year after it.
pub fn month(cx: &Context<'_>) -> Option<Resolved> {
    let MonthMatch {
        index,
        month,
        word,
        tokens,
        ..
    } = month_match(cx)?;
    // "Jan" without its period is a first name ("Jan Kavan"); "May" is whole.
    if word.len() == 3 && !word.eq_ignore_ascii_case("may") && !cx.after().starts_with('.') {
        return None;
    }
    if index > 0
        && cx
            .after()
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    // "the annual March for Life", "``March of the Mothers'': a march.
    let next_word = cx.after().split_whitespace().next().unwrap_or("");
    // From the back: `last()` would walk every word before the match.
    let previous_word = cx.before().split_whitespace().next_back().unwrap_or("");
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
    let value = match (cx.reference, modifier.as_str()) {
        (None, _) => Value::unanchored(format!("XXXX-{month:02}")),
        (Some(r), _) if year_shift.is_some() => {
            Value::month(add_years(r.year(), year_shift.unwrap_or(0))?, month)
        }
        // "last February" written in March is a year back: the month just gone would be
        // "last month".
        (Some(r), "last") => {
            let y = if month + 1 < r.month() {
                r.year()
            } else {
                r.year() - 1
            };
            Value::month(y, month)
        }
        (Some(r), "next") => {
            let y = if month > r.month() {
                r.year()
            } else {
                r.year() + 1
            };
            Value::month(y, month)
        }
        (Some(r), "this") => Value::month(r.year(), month),
        (Some(r), _) => Value::month(year_by_tense(cx, r, month, None), month),
    };
    date(TimexType::Date, value)
}

#[cfg(test)]
mod tests {
    use crate::test_support::{day, tag, tags, values};

    #[test]
    fn full_dates_either_order() {
        let r = day(2024, 3, 20);
        assert_eq!(
            values("on March 18, 2024 and 18 March 2024", r),
            ["2024-03-18", "2024-03-18"]
        );
        assert_eq!(values("in August 2021", r), ["2021-08"]);
        assert_eq!(values("April 2025", None), ["2025-04"]);
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
    fn months_with_a_relative_year() {
        let r = day(2011, 5, 9);
        assert_eq!(
            tags(
                "Prices rose in August last year and again in March this year.",
                r
            ),
            [
                tag("August last year", "DATE", "2010-08"),
                tag("March this year", "DATE", "2011-03"),
            ]
        );
        assert_eq!(
            tags("The plant opens in October next year.", r),
            [tag("October next year", "DATE", "2012-10")]
        );
        assert_eq!(
            values("It was shot last Nov. 3.", day(1989, 10, 26)),
            ["1988-11-03"]
        );
    }

    #[test]
    fn names_and_verbs_that_look_like_months() {
        let r = day(1999, 3, 12);
        assert!(tags("Foreign minister Jan Kavan spoke.", r).is_empty());
        assert!(tags("protesters at the annual March for Life", r).is_empty());
        assert!(tags("Officials may march to the office.", r).is_empty());
    }
}
