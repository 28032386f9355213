//! Dates as pages write them (ISO 8601, RFC 2822, `March 15, 2024`, Unix time, a date in a
//! URL path), normalized to ISO: `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ss` with the offset when
//! the page gives one, or `YYYY-MM`.

use chrono::{DateTime, Datelike, NaiveDate, Timelike};
use regex::Regex;
use std::sync::LazyLock;

/// Years outside this range are placeholders (`0001-01-01`, `1970-01-01` from a zero Unix
/// time) or typos, not publication dates of web pages.
const FIRST_YEAR: i32 = 1991;
const LAST_YEAR: i32 = 2100;

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})
        (?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?\s*
           (Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?",
    )
    .expect("static regex")
});

static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")
        .expect("static regex")
});

static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})([./-])(\d{1,2})([./-])(\d{4})\b").expect("static regex")
});

static YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})$").expect("static regex"));

/// `March 15, 2024`, `Mar. 15 2024`, `15 March 2024`, `Friday, 15th of March, 2024`.
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        (?:^|[^\p{L}])
        (?:
          (?P<m1>[\p{L}]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{4})
        | (?P<d2>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<m2>[\p{L}]{3,9})\.?,?\s+(?P<y2>\d{4})
        )
        (?:[^\d]|$)",
    )
    .expect("static regex")
});

/// English month names and their usual abbreviations (`Sept` included).
pub(crate) fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let name = name.to_lowercase();
    if name.len() < 3 {
        return None;
    }
    let n = MONTHS
        .iter()
        .position(|m| *m == name || (name.len() <= 4 && m.starts_with(&name)))?;
    u32::try_from(n + 1).ok()
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn offset(raw: &str) -> Option<String> {
    match raw {
        "Z" | "UTC" | "GMT" => Some("+00:00".to_string()),
        _ => {
            let sign = &raw[..1];
            let digits: String = raw[1..].chars().filter(char::is_ascii_digit).collect();
            let (h, m) = match digits.len() {
                2 => (&digits[..2], "00"),
                4 => (&digits[..2], &digits[2..]),
                _ => return None,
            };
            let (hn, mn): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
            (hn <= 14 && mn < 60).then(|| format!("{sign}{h}:{m}"))
        }
    }
}

fn with_time(d: NaiveDate, h: &str, mi: &str, s: Option<&str>, off: Option<&str>) -> String {
    let parsed = (
        h.parse::<u32>().ok(),
        mi.parse::<u32>().ok(),
        s.map_or(Some(0), |s| s.parse::<u32>().ok()),
    );
    let (Some(h), Some(mi), Some(s)) = parsed else {
        return ymd(d);
    };
    if h > 23 || mi > 59 || s > 60 {
        return ymd(d);
    }
    let mut out = format!("{}T{h:02}:{mi:02}:{s:02}", ymd(d));
    if let Some(off) = off.and_then(offset) {
        out.push_str(&off);
    }
    out
}

/// Normalizes a date as written in a machine-readable place (JSON-LD, `<meta content>`,
/// `<time datetime>`), or `None` when it holds no valid date.
pub(crate) fn normalize(raw: &str) -> Option<String> {
    let s = raw.trim();
    // Both forms capture year, month, day, then hour, minute, second and offset if given.
    for form in [&*ISO, &*COMPACT] {
        if let Some(c) = form.captures(s) {
            let d = date(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
            return Some(match (c.get(4), c.get(5)) {
                (Some(h), Some(mi)) => with_time(
                    d,
                    h.as_str(),
                    mi.as_str(),
                    c.get(6).map(|m| m.as_str()),
                    c.get(7).map(|m| m.as_str()),
                ),
                _ => ymd(d),
            });
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        let d = date(t.year(), t.month(), t.day())?;
        let (h, mi, sec) = (t.hour(), t.minute(), t.second());
        let off = t.offset().local_minus_utc();
        let sign = if off < 0 { '-' } else { '+' };
        let off = off.unsigned_abs();
        return Some(format!(
            "{}T{h:02}:{mi:02}:{sec:02}{sign}{:02}:{:02}",
            ymd(d),
            off / 3600,
            off % 3600 / 60
        ));
    }
    if s.len() == 10 || s.len() == 13 {
        if let Ok(n) = s.parse::<i64>() {
            let secs = if s.len() == 13 { n / 1000 } else { n };
            let t = DateTime::from_timestamp(secs, 0)?;
            let d = date(t.year(), t.month(), t.day())?;
            return Some(format!(
                "{}T{:02}:{:02}:{:02}+00:00",
                ymd(d),
                t.hour(),
                t.minute(),
                t.second()
            ));
        }
    }
    if let Some(c) = YEAR_MONTH.captures(s) {
        let y: i32 = c[1].parse().ok()?;
        let m: u32 = c[2].parse().ok()?;
        date(y, m, 1)?;
        return Some(format!("{y:04}-{m:02}"));
    }
    if let Some(c) = DAY_FIRST.captures(s) {
        // `15.03.2024` is day first; with slashes the order is a guess unless a number
        // above 12 settles it, so only settled ones are read.
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[3].parse().ok()?);
        let y: i32 = c[5].parse().ok()?;
        let (d, m) = if &c[2] == "." || a > 12 {
            (a, b)
        } else if b > 12 {
            (b, a)
        } else {
            return None;
        };
        return date(y, m, d).map(ymd);
    }
    in_words(s)
}

/// A date written in English words (`March 15, 2024`), anywhere in a short text.
pub(crate) fn in_words(s: &str) -> Option<String> {
    words_span(s).map(|(d, _)| d)
}

fn words_span(s: &str) -> Option<(String, std::ops::Range<usize>)> {
    let c = WORDS.captures(s)?;
    let span = c.get(0)?.range();
    let (m, d, y) = match (c.name("m1"), c.name("m2")) {
        (Some(m), _) => (m, c.name("d1")?, c.name("y1")?),
        (None, Some(m)) => (m, c.name("d2")?, c.name("y2")?),
        _ => return None,
    };
    let month = month_number(m.as_str())?;
    date(y.as_str().parse().ok()?, month, d.as_str().parse().ok()?).map(|d| (ymd(d), span))
}

static NUMERIC_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d])((?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2})(?:[^\d]|$)")
        .expect("static regex")
});

/// Words that mark a date in a text as something other than the page's publication:
/// copyright lines, sign-up dates of forum members, offers, reviews of products.
const NOT_A_DATELINE: &[&str] = &[
    "©",
    "copyright",
    "(c)",
    "all rights reserved",
    "joined",
    "member since",
    "founded",
    "since",
    "ends",
    "expires",
    "through",
    "until",
    "deadline",
    "reviewed in",
    "reviewed on",
    "last-modified",
];

/// Words that introduce a page's date (`Published on`, `Posted`, `By Jane Doe -`).
const DATELINE_WORDS: &[&str] = &[
    "published",
    "posted",
    "updated",
    "written",
    "by",
    "date",
    "modified",
    "created",
];

/// Words that mark the date after them as a revision, not the first publication.
const UPDATE_WORDS: &[&str] = &["updated", "modified", "revised", "reviewed", "edited"];

/// Beside the date, a dateline holds a few words at most (`11 min read`, a name) unless
/// it says what the date is (`Published`, `By`).
const MAX_OTHER_WORDS: usize = 4;

/// A date shown in a short text of the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dateline {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// True when the text calls it an update (`Updated: March 3, 2024`).
    pub update: bool,
}

/// Reads a text as a dateline (`Published on July 18, 2025`, `Dec 12, 2025 • 11 min
/// read`, `- 2025/4/29`): `None` when it shows no date, or a date that is not the page's
/// (a copyright year, an offer's end), or when the date is only part of a sentence.
pub(crate) fn dateline(s: &str) -> Option<Dateline> {
    let lower = s.to_lowercase();
    if NOT_A_DATELINE.iter().any(|w| lower.contains(w)) {
        return None;
    }
    let (date, span) = words_span(s).or_else(|| {
        let c = NUMERIC_IN_TEXT.captures(s)?;
        let m = c.get(1)?;
        let date = normalize(m.as_str()).filter(|d| d.len() >= 10)?;
        Some((date, m.range()))
    })?;
    let before = lower.get(..span.start).unwrap_or("");
    let after = lower.get(span.end..).unwrap_or("");
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let (before_words, after_words) = (words(before), words(after));
    let has_lead = before_words
        .iter()
        .chain(&after_words)
        .any(|w| DATELINE_WORDS.contains(&w.as_str()));
    if before_words.len() + after_words.len() > MAX_OTHER_WORDS && !has_lead {
        return None;
    }
    // The word nearest before the date says what it is (`August 16, 2019 - Updated
    // July 9, 2025` is first published on August 16).
    let update = before_words
        .iter()
        .rev()
        .take(3)
        .any(|w| UPDATE_WORDS.contains(&w.as_str()));
    Some(Dateline {
        date: date[..10].to_string(),
        update,
    })
}

/// True when the two dates (`YYYY-MM-DD...`) are one calendar day apart.
pub(crate) fn one_day_apart(a: &str, b: &str) -> bool {
    let day = |s: &str| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok();
    match (day(a), day(b)) {
        (Some(a), Some(b)) => (a - b).num_days().abs() == 1,
        _ => false,
    }
}

static URL_YMD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        /(?P<y>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$|[-_.])
      | /(?P<y2>(?:19|20)\d{2})-(?P<m2>\d{2})-(?P<d2>\d{2})(?:/|$|[-_.])
      | [/_-](?P<y3>(?:19|20)\d{2})(?P<m3>[01]\d)(?P<d3>[0-3]\d)(?:/|$|[-_.])",
    )
    .expect("static regex")
});

static URL_YM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d{2})/(\d{1,2})/").expect("static regex"));

/// A date in a URL's path: `/2024/03/15/`, `/2024-03-15/`, `/20240315/`, or a month
/// (`/2024/03/`, given as `YYYY-MM`). The query and fragment are not read: they hold
/// tracking and cache-busting values, not the article's date.
pub(crate) fn from_url_path(path: &str) -> Option<String> {
    if let Some(c) = URL_YMD.captures(path) {
        let pick = |a: &str, b: &str, c2: &str| -> Option<(i32, u32, u32)> {
            Some((
                c.name(a)?.as_str().parse().ok()?,
                c.name(b)?.as_str().parse().ok()?,
                c.name(c2)?.as_str().parse().ok()?,
            ))
        };
        let found = pick("y", "m", "d")
            .or_else(|| pick("y2", "m2", "d2"))
            .or_else(|| pick("y3", "m3", "d3"));
        if let Some((y, m, d)) = found {
            if let Some(d) = date(y, m, d) {
                return Some(ymd(d));
            }
        }
    }
    let c = URL_YM.captures(path)?;
    let y: i32 = c[1].parse().ok()?;
    let m: u32 = c[2].parse().ok()?;
    date(y, m, 1)?;
    Some(format!("{y:04}-{m:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_keep_time_and_offset() {
        assert_eq!(normalize("2024-03-15").as_deref(), Some("2024-03-15"));
        assert_eq!(
            normalize(" 2024-03-15T08:05:00.000Z ").as_deref(),
            Some("2024-03-15T08:05:00+00:00")
        );
        assert_eq!(
            normalize("2024-3-5 8:05-0500").as_deref(),
            Some("2024-03-05T08:05:00-05:00")
        );
        assert_eq!(
            normalize("2024-03-15T23:59:59").as_deref(),
            Some("2024-03-15T23:59:59")
        );
        assert_eq!(normalize("2024/03/15").as_deref(), Some("2024-03-15"));
    }

    #[test]
    fn other_machine_forms() {
        assert_eq!(normalize("20240315").as_deref(), Some("2024-03-15"));
        assert_eq!(
            normalize("Fri, 15 Mar 2024 10:00:00 GMT").as_deref(),
            Some("2024-03-15T10:00:00+00:00")
        );
        assert_eq!(
            normalize("1710496800").as_deref(),
            Some("2024-03-15T10:00:00+00:00")
        );
        assert_eq!(normalize("2024-03").as_deref(), Some("2024-03"));
        assert_eq!(normalize("15.03.2024").as_deref(), Some("2024-03-15"));
        assert_eq!(normalize("03/15/2024").as_deref(), Some("2024-03-15"));
        assert_eq!(normalize("03/04/2024"), None, "day and month order unknown");
    }

    #[test]
    fn dates_in_words() {
        assert_eq!(normalize("March 15, 2024").as_deref(), Some("2024-03-15"));
        assert_eq!(normalize("Sept. 5 2024").as_deref(), Some("2024-09-05"));
        assert_eq!(
            normalize("Friday, 15th of March, 2024").as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(
            in_words("Published on Jun 2, 2025 at 9:00").as_deref(),
            Some("2025-06-02")
        );
        assert_eq!(in_words("Maybe 15 2024"), None);
    }

    #[test]
    fn invalid_and_placeholder_dates_are_refused() {
        assert_eq!(normalize("2024-02-30"), None);
        assert_eq!(normalize("0001-01-01T00:00:00"), None);
        assert_eq!(normalize("0"), None);
        assert_eq!(normalize("yesterday"), None);
        assert_eq!(normalize(""), None);
        assert_eq!(
            normalize("2024-03-15T25:00:00").as_deref(),
            Some("2024-03-15")
        );
    }

    #[test]
    fn datelines_in_page_text() {
        let d = |s: &str| dateline(s).map(|d| (d.date, d.update));
        assert_eq!(
            d("Published on July 18, 2025"),
            Some(("2025-07-18".into(), false))
        );
        assert_eq!(d("- 2025/4/29"), Some(("2025-04-29".into(), false)));
        assert_eq!(
            d("Jun 08, 2023 • 11 Minute Read"),
            Some(("2023-06-08".into(), false))
        );
        assert_eq!(
            d("Last updated: 17.01.2025, 10:00"),
            Some(("2025-01-17".into(), true))
        );
        assert_eq!(
            d("August 16, 2019 - Updated July 9, 2025"),
            Some(("2019-08-16".into(), false))
        );
        assert_eq!(
            d("By Jane Doe, Senior Writer at The Daily - Mar 27, 2024"),
            Some(("2024-03-27".into(), false))
        );
    }

    #[test]
    fn texts_that_are_not_datelines() {
        assert_eq!(dateline("© March 3, 2024 The Daily"), None);
        assert_eq!(dateline("Since 2009"), None);
        assert_eq!(dateline("Joined: Jul 4, 2012"), None);
        assert_eq!(dateline("Sale ends 03/31/2026. While supplies last."), None);
        assert_eq!(dateline("Order no. 12/05/20245"), None);
        assert_eq!(
            dateline("Why you should take the course this year, 16 February 2026"),
            None
        );
    }

    #[test]
    fn url_paths() {
        assert_eq!(
            from_url_path("/news/2024/03/15/rain-falls/").as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(
            from_url_path("/2024-03-15/rain").as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(
            from_url_path("/story/20240315/rain").as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(
            from_url_path("/blog/2024/03/rain").as_deref(),
            Some("2024-03")
        );
        assert_eq!(from_url_path("/products/1234567890"), None);
        assert_eq!(from_url_path("/item/2024/13/45/"), None);
        assert_eq!(from_url_path("/page/2"), None);
    }
}
