//! Lengths and recurrences: `three-day`, `nearly two years`, `2 1/2 years`, `the past five
//! months`, `for years`, `weeks or months`, `every week`, `annually`, `twice a year`; and the
//! rates and amounts that only look like them (`24 hours a day`, `$2 million a year`).

use super::lexicon::{capitalized, format_number, month_number, number, unit_letter, WEEKDAYS};
use super::{date, Context, Resolved};
use crate::calendar::{add_days, unit_value};
use crate::timex::TimexType;
use crate::value::Value;

/// `three-day`, `nearly two years`, `the past five months`, `the next year or so`.
pub fn duration(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let tokens = cx.tokens();
    let reference = cx.reference;
    if cx.inside_number() {
        return None; // "1,000 years" read as "000 years"
    }
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
    let (previous_word, count_word) = (earlier.next().unwrap_or(""), earlier.next().unwrap_or(""));
    let previous = previous_word.to_lowercase();
    let single = tokens.len() == 2 && matches!(tokens[0].to_lowercase().as_str(), "a" | "an");
    if single
        && (matches!(
            previous.as_str(),
            "once" | "twice" | "times" | "percent" | "pct" | "per"
        ) || previous.ends_with('%'))
    {
        let (letter, _) = unit_letter(tokens[1])?;
        return date(TimexType::Set, Value::unanchored(format!("P1{letter}")));
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
        [head @ .., or, so] if or.eq_ignore_ascii_case("or") && so.eq_ignore_ascii_case("so") => {
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
    let singular = !unit_word.to_lowercase().ends_with('s') && !cx.matched().contains('-');
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
                (Some(r), "week") if step < 0 => Some(Value::iso_week(add_days(r, -3)?)),
                (Some(r), "year" | "month" | "week") => Some(unit_value(r, &unit, step)?),
                (None, "year" | "month" | "week") => Some(Value::unanchored(if step < 0 {
                    "PAST_REF"
                } else {
                    "FUTURE_REF"
                })),
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
            format_number((n + half) * scale)?
        }
        _ if lower.contains("couple") => format_number(2.0 * scale)?,
        // "a day-long strike": one unit.
        None if lower.ends_with("-long") && tokens.len() == 2 => format_number(scale)?,
        _ if ["past", "last", "next", "coming"]
            .iter()
            .any(|w| tokens.iter().any(|t| t.eq_ignore_ascii_case(w)))
            && tokens.len() == 3 =>
        {
            format_number(scale)?
        }
        _ => "X".to_string(),
    };
    date(
        TimexType::Duration,
        Value::unanchored(duration_value(&value, letter)),
    )
}

/// `for years`, `in recent decades`, `weeks or months`: a length nobody counted.
pub fn vague_duration(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let tokens = cx.tokens();
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
        return date(TimexType::Duration, Value::unanchored("PXX"));
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
        return date(TimexType::Date, Value::unanchored("PAST_REF"));
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
    date(
        TimexType::Duration,
        Value::unanchored(format!("{prefix}{letter}")),
    )
}

/// `every week`, `each Thursday`, `daily`, `annually`.
pub fn set(cx: &Context<'_>) -> Option<Resolved> {
    let lower = cx.lower();
    let tokens = cx.tokens();
    let named = tokens.get(1).copied().unwrap_or("");
    if let Some(day) = WEEKDAYS.iter().position(|w| named.eq_ignore_ascii_case(w)) {
        return date(
            TimexType::Set,
            Value::unanchored(format!("XXXX-WXX-{}", day + 1)),
        );
    }
    if let Some(month) = month_number(named).filter(|_| capitalized(named)) {
        return date(
            TimexType::Set,
            Value::unanchored(format!("XXXX-{month:02}")),
        );
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
    date(TimexType::Set, Value::unanchored(value))
}

/// A TIMEX3 duration from a count and unit letter; a half is written in the next smaller unit
/// ("2 1/2 years" -> `P2Y6M`, "5 1/2 hours" -> `PT5H30M`), as ISO 8601 prefers.
pub(super) fn duration_value(count: &str, letter: &str) -> String {
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

#[cfg(test)]
mod tests {
    use crate::test_support::{day, extents, tags, values};

    #[test]
    fn bounding_modifiers_and_articles_in_extents() {
        let r = day(2024, 3, 18);
        assert_eq!(
            tags("The talks lasted nearly two years.", r),
            [(
                "nearly two years".to_string(),
                "DURATION",
                "P2Y".to_string()
            )]
        );
        assert_eq!(
            extents("at least 30 days, about two weeks, within 18 months", r),
            ["at least 30 days", "two weeks", "18 months"]
        );
        assert_eq!(
            tags("The firm opened almost four years ago.", r),
            [(
                "almost four years ago".to_string(),
                "DATE",
                "2020".to_string()
            )]
        );
        assert_eq!(extents("The union ended the 14-day strike.", r), ["14-day"]);
        assert!(tags("It owns more than a quarter of the shares.", r).is_empty());
    }

    #[test]
    fn alternative_units_and_the_latest_period() {
        let r = day(2011, 11, 2);
        assert_eq!(
            tags("The repairs could take weeks or months.", r),
            [("weeks or months".to_string(), "DURATION", "PXW".to_string())]
        );
        assert_eq!(
            tags("Sales in the latest period rose 4%.", r),
            [(
                "the latest period".to_string(),
                "DATE",
                "2011-Q3".to_string()
            )]
        );
    }

    #[test]
    fn vague_and_open_ended_periods() {
        let r = day(1998, 1, 20);
        assert_eq!(
            tags("Shots were heard last night.", r),
            [(
                "last night".to_string(),
                "TIME",
                "1998-01-19TNI".to_string()
            )]
        );
        assert_eq!(
            values("in the coming weeks, for two more weeks, within hours", r),
            ["PXW", "P2W", "PTXH"]
        );
        assert_eq!(
            values("reported hourly, at midday", r),
            ["PT1H", "1998-01-20T12:00"]
        );
        assert_eq!(values("debt due by year-end", r), ["1998"]);
    }

    #[test]
    fn rates_marches_and_present_day_are_not_dates() {
        let r = day(1999, 1, 22);
        assert!(tags("four flights a week, 24 hours a day", r).is_empty());
        assert!(tags("protesters at the annual March for Life", r).is_empty());
        assert!(tags("in today's world and for today's youth", r).is_empty());
        assert_eq!(
            values("in the near term and these days", r),
            ["FUTURE_REF", "PRESENT_REF"]
        );
    }

    #[test]
    fn halves_hedges_and_named_sets() {
        let r = day(1998, 2, 13);
        assert_eq!(
            values("after 2 1/2 years and 5 1/2 hours, a minute and a half", r),
            ["P2Y6M", "PT5H30M", "PT1M30S"]
        );
        assert_eq!(
            tags("Rates may rise over the next year or so.", r),
            [(
                "the next year or so".to_string(),
                "DATE",
                "1999".to_string()
            )]
        );
        assert_eq!(
            values(
                "Sales fell in the past year, the last week and over the past two years.",
                r
            ),
            ["1997", "1998-W07", "P2Y"]
        );
        assert_eq!(
            values("In recent years, and in recent months, prices rose.", r),
            ["PAST_REF", "PXM"]
        );
        assert_eq!(
            values("flights leave each Thursday and each July", r),
            ["XXXX-WXX-4", "XXXX-07"]
        );
        assert_eq!(
            extents(
                "He will decide sometime next year, by the end of this week.",
                r
            ),
            ["sometime next year", "the end of this week"]
        );
        assert_eq!(extents("Right now, prices are high.", r), ["now"]);
    }
}
