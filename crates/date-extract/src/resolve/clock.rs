//! Clock times: `5 p.m.`, `10:30 GMT`, `noon`, `7 in the evening`, and a clock time on a named
//! day (`10 p.m. Tuesday`, `5 p.m. EST Nov. 9`).

use super::lexicon::{capitalized, month_number, WEEKDAYS};
use super::month::month_day;
use super::relative::{day_word as day_word_resolver, weekday};
use super::{date, Context, Resolved};
use crate::timex::TimexType;
use crate::value::Value;

/// The clock of a time written `lower` (lower-cased): `17:00`, `12:00` for noon; `None` for an
/// hour or minute no clock shows.
fn clock_of(lower: &str) -> Option<String> {
    let clock = if lower == "noon" || lower == "midday" {
        "12:00".to_string()
    } else if lower == "midnight" {
        "24:00".to_string()
    } else {
        let digits: Vec<u32> = lower
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|p| p.parse().ok())
            .collect();
        let mut hour = *digits.first()?;
        let minute = digits.get(1).copied().unwrap_or(0);
        if hour > 24 || minute > 59 {
            return None;
        }
        // "4 p.m.", "7 in the evening".
        let later_half =
            lower.contains('p') || lower.ends_with("afternoon") || lower.ends_with("evening");
        if later_half && hour < 12 {
            hour += 12;
        }
        if (lower.contains("a.m") || lower.contains("am")) && hour == 12 {
            hour = 0;
        }
        format!("{hour:02}:{minute:02}")
    };
    Some(clock)
}

/// `5 p.m.`, `10:30 GMT`, `noon`: that time of the reference day.
pub fn time(cx: &Context<'_>) -> Option<Resolved> {
    let day = cx
        .reference
        .map_or_else(|| Value::unanchored("XXXX-XX-XX"), Value::day);
    let clock = clock_of(&cx.lower())?;
    date(TimexType::Time, day.with_suffix(&format!("T{clock}")))
}

/// `10 p.m. Wednesday`, `5 p.m. EST Nov. 9`: the day resolved as on its own, the clock time
/// added to it.
pub fn time_on_day(cx: &Context<'_>) -> Option<Resolved> {
    let matched = cx.matched();
    // ASCII lower-casing keeps byte offsets, which index `matched` below.
    let lower = matched.to_ascii_lowercase();
    let clock_end = ["a.m.", "p.m.", "noon", "midnight", "am", "pm"]
        .iter()
        .filter_map(|needle| lower.find(needle).map(|i| i + needle.len()))
        .min()?;
    // The day part starts at the first word after the clock that names a day or a month.
    let day_start = matched[clock_end..]
        .split_inclusive(|c: char| c.is_whitespace() || c == ',')
        .scan(clock_end, |offset, word| {
            let start = *offset;
            *offset += word.len();
            Some((
                start,
                word.trim_matches(|c: char| c.is_whitespace() || c == ','),
            ))
        })
        .find(|(_, word)| {
            let lower = word.to_lowercase();
            WEEKDAYS.contains(&lower.as_str())
                || matches!(lower.as_str(), "today" | "yesterday" | "tomorrow")
                || (word.len() >= 3 && capitalized(word) && month_number(word).is_some())
        })
        .map(|(start, _)| start)?;
    let day_word = matched[day_start..].to_ascii_lowercase();
    let resolve_day = if WEEKDAYS.iter().any(|w| day_word.starts_with(w)) {
        weekday
    } else if ["today", "yesterday", "tomorrow"]
        .iter()
        .any(|w| day_word.starts_with(w))
    {
        day_word_resolver
    } else {
        month_day
    };
    let day = resolve_day(&cx.part(cx.start + day_start, cx.end))?.value;
    let clock = clock_of(&matched[..clock_end].to_lowercase())?;
    date(TimexType::Time, day.with_suffix(&format!("T{clock}")))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{day, tags, values};

    #[test]
    fn times_durations_sets() {
        let r = day(2024, 3, 18);
        assert_eq!(
            tags("at 5 p.m.", r),
            [("5 p.m.".to_string(), "TIME", "2024-03-18T17:00".to_string())]
        );
        assert_eq!(
            values("a three-day visit, nearly two years, for 20 years", r),
            ["P3D", "P2Y", "P20Y"]
        );
        assert_eq!(tags("every week", r)[0].1, "SET");
        assert_eq!(values("annually", r), ["P1Y"]);
    }
}
