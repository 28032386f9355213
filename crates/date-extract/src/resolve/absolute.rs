//! Dates written out: `2024-03-18`, `03/18/2024`, years (`1998`, `fiscal 1998`, `the first half
//! of 1989`), decades, centuries, spelled years, seasons and holidays.

use chrono::{Datelike, NaiveDate, Weekday};

use super::lexicon::{month_number, number, COUNT_NOUNS, SPELLED_TENS};
use super::{closest_year, date, Context, Resolved};
use crate::calendar::add_days;
use crate::timex::TimexType;
use crate::value::Value;

/// `2024-03-18`.
pub fn iso_date(cx: &Context<'_>) -> Option<Resolved> {
    let day = NaiveDate::parse_from_str(cx.matched(), "%Y-%m-%d").ok()?;
    date(TimexType::Date, Value::day(day))
}

/// `03/18/2024`, or `18/03/2024` when the extractor reads day first.
pub fn numeric_date(cx: &Context<'_>) -> Option<Resolved> {
    let parts: Vec<u32> = cx
        .matched()
        .split('/')
        .filter_map(|p| p.parse().ok())
        .collect();
    let [a, b, y] = parts[..] else { return None };
    // Two-digit years: news of the last century up to '30, of this one after.
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
    date(TimexType::Date, Value::day(value))
}

/// A four-digit year, maybe `fiscal`, `mid-` or `the first half of`; not an amount, a count
/// or a model number.
pub fn year(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let raw_before = cx.before();
    let before = raw_before.trim_end();
    let after = cx.after();
    // A currency sign or `#` before the number makes it an amount even across a space; a
    // hyphen, slash or point makes it part of a longer number only when it touches the digits
    // ("3.1986", "87-1986"): after a sentence's full stop a year opens the next sentence
    // ("... a share.  1986 net loss includes").
    if before.ends_with(['$', '#', '\u{a3}', '\u{20ac}'])
        || raw_before.ends_with(['-', '/', '.'])
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
    let value = match digits.parse::<i32>() {
        Ok(year) => Value::year(year).with_suffix(half),
        Err(_) => Value::unanchored(format!("{digits}{half}")),
    };
    date(TimexType::Date, value)
}

/// `the 1990s` -> `199`, `the nineties` -> `199`.
pub fn decade(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let digits: String = lower.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        // "the nineties": the decade of the century news is written in, the 1900s.
        let tens = SPELLED_TENS
            .iter()
            .position(|w| lower.contains(w.trim_end_matches('s')))?;
        return date(
            TimexType::Date,
            Value::unanchored(format!("19{}", tens + 2)),
        );
    }
    date(TimexType::Date, Value::unanchored(digits.get(..3)?))
}

/// `the 20th century` -> `19`.
pub fn century(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
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
    date(
        TimexType::Date,
        Value::unanchored(format!("{:02}", ordinal.checked_sub(1)?)),
    )
}

/// `nineteen ninety-six` -> `1996`, `January nineteen ninety-seven` -> `1997-01`,
/// `the year two thousand` -> `2000`.
pub fn spelled_year(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let lower = lower.as_str();
    if lower.ends_with("two thousand") {
        return date(TimexType::Date, Value::year(2000));
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
    let year = i32::try_from(year).ok()?;
    let value = match month {
        Some(m) => Value::month(year, m),
        None => Value::year(year),
    };
    date(TimexType::Date, value)
}
/// `last fall`, `spring 2025` -> `2025-SP`.
pub fn season(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let tokens = cx.tokens();
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
    // "the fall of the regime", "the fall in prices": the noun of falling, not the season.
    // A season "of" something is the season only with its year, which the match then holds.
    if explicit.is_none() && first == "the" {
        let next = cx.next_word();
        let falling = season == "FA" && lower.ends_with("fall");
        if next == "of" || (falling && FALL_NOUN_FOLLOWERS.contains(&next.as_str())) {
            return None;
        }
    }
    let value = match (explicit, cx.reference, first.as_str()) {
        (Some(y), _, _) => Value::year(y),
        (None, None, _) => Value::unanchored("XXXX"),
        (None, Some(r), "last") => {
            let season_month = match season {
                "SP" => 3,
                "SU" => 6,
                "FA" => 9,
                _ => 12,
            };
            Value::year(if r.month() > season_month + 2 {
                r.year()
            } else {
                r.year() - 1
            })
        }
        (None, Some(r), "next") => Value::year(r.year() + 1),
        (None, Some(r), _) => Value::year(r.year()),
    };
    date(TimexType::Date, value.with_suffix(&format!("-{season}")))
}

/// Words after `the fall` that make it the noun of falling ("the fall in prices", "the fall
/// was steep"); the season is mostly followed by a comma, a clause or a preposition of time.
const FALL_NOUN_FOLLOWERS: &[&str] = &[
    "in",
    "from",
    "to",
    "below",
    "since",
    "was",
    "is",
    "has",
    "had",
    "came",
    "comes",
    "reflected",
    "followed",
    "would",
    "could",
];

/// `Christmas`, `New Year's Day`, `Thanksgiving`, `Independence Day` of the reference's year.
pub fn holiday(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let reference = cx.reference;
    let value = match (reference.map(|r| r.year()), lower.as_str()) {
        (None, l) if l.starts_with("christmas") => Value::unanchored("XXXX-12-25"),
        (None, l) if l.starts_with("new") => Value::unanchored("XXXX-01-01"),
        (None, l) if l.starts_with("independence") => Value::unanchored("XXXX-07-04"),
        (None, _) => Value::unanchored("XXXX-11-XX"),
        (Some(y), l) if l.starts_with("christmas") => {
            Value::month_day(y, 12, if l.ends_with("eve") { 24 } else { 25 })
        }
        (Some(y), l) if l.starts_with("new") => {
            if l.ends_with("eve") {
                Value::month_day(y - 1, 12, 31)
            } else {
                Value::month_day(y, 1, 1)
            }
        }
        (Some(y), l) if l.starts_with("independence") => Value::month_day(y, 7, 4),
        (Some(_), _) => {
            // Thanksgiving: the fourth Thursday of November.
            let y = reference.map_or(2000, |r| closest_year(r, 11, 25));
            let first = NaiveDate::from_ymd_opt(y, 11, 1)?;
            let to_thursday = (Weekday::Thu.num_days_from_monday() as i64
                - first.weekday().num_days_from_monday() as i64)
                .rem_euclid(7);
            Value::day(add_days(first, to_thursday + 21)?)
        }
    };
    date(TimexType::Date, value)
}

#[cfg(test)]
mod tests {
    use crate::test_support::{day, tags, values};
    use crate::Extractor;

    #[test]
    fn numeric_dates_in_either_order() {
        let r = day(2024, 3, 20);
        assert_eq!(
            values("by 2024-03-18 or 03/18/2024", r),
            ["2024-03-18", "2024-03-18"]
        );
        let day_first = Extractor::builder().day_first(true).build();
        assert_eq!(day_first.extract("18/03/2024", r)[0].value, "2024-03-18");
    }

    #[test]
    fn years_halves_and_counts() {
        let r = day(1989, 10, 26);
        assert_eq!(
            values("in 2021, in the 1990s, fiscal 2024", r),
            ["2021", "199", "2024"]
        );
        assert_eq!(
            values("sold in the last half of 1989 under post-1959 rules", r),
            ["1989-H2", "1959"]
        );
        assert!(tags("The firm sold 1500 shares.", r).is_empty());
        assert!(tags("A Boeing 737 carried 2,000 troops.", r).is_empty());
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
    fn seasons_and_holidays() {
        assert_eq!(values("spring 2025", day(2024, 11, 2)), ["2025-SP"]);
        assert_eq!(values("last fall", day(2024, 12, 2)), ["2024-FA"]);
        assert_eq!(values("last fall", day(2024, 10, 2)), ["2023-FA"]);
        assert_eq!(
            values("on Christmas Eve and on Thanksgiving", day(1998, 12, 1)),
            ["1998-12-24", "1998-11-26"]
        );
        assert_eq!(values("New Year's Eve", day(1999, 1, 4)), ["1998-12-31"]);
        assert_eq!(values("on Christmas", None), ["XXXX-12-25"]);
    }

    #[test]
    fn a_year_may_open_a_sentence_or_follow_end() {
        let r = day(1991, 2, 11);
        assert_eq!(
            tags("Profit rose to 9 cts a share.  1990 revenue fell.", r),
            [("1990".to_string(), "DATE", "1990".to_string())]
        );
        assert_eq!(
            tags("The plant should be ready by end-1992, it said.", r),
            [("end-1992".to_string(), "DATE", "1992".to_string())]
        );
        // Touching a point, hyphen or slash, the digits belong to another number.
        assert!(tags("The index stood at 3.1990 and part 17-1990 was cited.", r).is_empty());
    }

    #[test]
    fn the_fall_of_something_is_not_a_season() {
        let r = day(2003, 6, 2);
        assert!(tags("They wrote about the fall of the old regime.", r).is_empty());
        assert!(tags("Analysts blamed the fall in copper prices.", r).is_empty());
        assert_eq!(values("The school opens in the fall.", r), ["2003-FA"]);
        assert_eq!(values("It opened in the fall of 1999.", r), ["1999-FA"]);
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
}
