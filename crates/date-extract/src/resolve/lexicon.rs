//! Words the rules read: month and weekday names, counts, and nouns that change a match's
//! meaning.

pub(crate) const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
pub(crate) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words after a four-digit number that make it a count, not a year.
pub(super) const COUNT_NOUNS: &[&str] = &[
    "shares",
    "people",
    "troops",
    "soldiers",
    "dollars",
    "dlrs",
    "mln",
    "tonnes",
    "tons",
    "barrels",
    "workers",
    "jobs",
    "points",
    "units",
    "employees",
    "acres",
    "miles",
    "kilometers",
    "feet",
    "meters",
    "pounds",
    "cars",
    "homes",
    "votes",
    "students",
    "members",
    "cases",
    "deaths",
    "percent",
    "pct",
    "yen",
    "marks",
    "francs",
    "rupees",
    "residents",
    "refugees",
    "men",
    "women",
];

/// Nouns after "today's" that make it mean "present-day" ("today's youth").
pub(super) const PRESENT_DAY_NOUNS: &[&str] = &[
    "world",
    "youth",
    "society",
    "generation",
    "young",
    "children",
    "kids",
    "personal",
    "modern",
    "economy",
    "standards",
    "technology",
    "culture",
];

pub(super) fn month_number(word: &str) -> Option<u32> {
    let lower = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

pub(super) fn number(word: &str) -> Option<f64> {
    const WORDS: [(&str, f64); 24] = [
        ("a", 1.0),
        ("an", 1.0),
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("thirteen", 13.0),
        ("fourteen", 14.0),
        ("fifteen", 15.0),
        ("sixteen", 16.0),
        ("seventeen", 17.0),
        ("eighteen", 18.0),
        ("nineteen", 19.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
    ];
    let lower = word.to_lowercase();
    if let Some((_, n)) = WORDS.iter().find(|(w, _)| *w == lower) {
        return Some(*n);
    }
    match lower.as_str() {
        "fifty" => Some(50.0),
        "sixty" => Some(60.0),
        "hundred" => Some(100.0),
        _ => lower.parse().ok(),
    }
}

/// Integers up to this (2^53) are exact in an `f64`; counts are parsed as floats ("1.5 years").
pub(super) const MAX_EXACT_COUNT: f64 = 9_007_199_254_740_992.0;

/// A count as TIMEX3 writes it (`3`, `2.5`); `None` past the integers an `f64` holds exactly
/// (2^53), where the count read from the text is already lost and printing it would invent
/// digits (saturating at `i64::MAX` did).
pub(super) fn format_number(n: f64) -> Option<String> {
    if n.is_nan() || n.abs() >= MAX_EXACT_COUNT {
        return None;
    }
    Some(if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    })
}

/// A word is capitalized in the original text (month names that are also verbs).
pub(super) fn capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// The words of `text`, split at spaces, hyphens and commas.
pub(super) fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|w| !w.is_empty())
        .collect()
}

/// The TIMEX3 letter of a unit word and how many of it make one (a decade is ten years).
pub(super) fn unit_letter(word: &str) -> Option<(&'static str, f64)> {
    let lower = word.to_lowercase();
    let lower = lower.trim_end_matches("-long");
    let found = if lower.starts_with("year") {
        ("Y", 1.0)
    } else if lower.starts_with("month") {
        ("M", 1.0)
    } else if lower.starts_with("week") && !lower.starts_with("weekend") {
        ("W", 1.0)
    } else if lower.starts_with("weekend") {
        ("D", 2.0)
    } else if lower.starts_with("day") || lower.starts_with("night") {
        ("D", 1.0)
    } else if lower.starts_with("hour") {
        ("H", 1.0)
    } else if lower.starts_with("minute") {
        ("MIN", 1.0)
    } else if lower.starts_with("second") {
        ("S", 1.0)
    } else if lower.starts_with("decade") {
        ("Y", 10.0)
    } else if lower.starts_with("centur") {
        ("Y", 100.0)
    } else if lower.starts_with("quarter") {
        ("M", 3.0)
    } else {
        return None;
    };
    Some(found)
}

/// Tens words, from twenty: "nineteen ninety-six" and "the nineties" are read with them.
pub(super) const SPELLED_TENS: [&str; 8] = [
    "twenties",
    "thirties",
    "forties",
    "fifties",
    "sixties",
    "seventies",
    "eighties",
    "nineties",
];
