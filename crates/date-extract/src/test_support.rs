//! Helpers for the rule families' tests: tag a text and list what was found, through the
//! crate's own entry point.

use chrono::NaiveDate;

/// `(text, type, value)` of every timex in `text`.
pub fn tags(text: &str, reference: Option<NaiveDate>) -> Vec<(String, &'static str, String)> {
    crate::extract(text, reference)
        .into_iter()
        .map(|t| (text[t.span].to_string(), t.kind.as_str(), t.value))
        .collect()
}

/// The values found in `text`.
pub fn values(text: &str, reference: Option<NaiveDate>) -> Vec<String> {
    tags(text, reference)
        .into_iter()
        .map(|(_, _, v)| v)
        .collect()
}

/// The extents found in `text`.
pub fn extents(text: &str, reference: Option<NaiveDate>) -> Vec<String> {
    tags(text, reference)
        .into_iter()
        .map(|(t, _, _)| t)
        .collect()
}

/// `(text, type, value)` as owned strings, to compare with [`tags`].
pub fn tag(text: &str, kind: &'static str, value: &str) -> (String, &'static str, String) {
    (text.to_string(), kind, value.to_string())
}

pub fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}
