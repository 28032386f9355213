//! What the tagger returns: a span of text with its TIMEX3 type and value.

use std::fmt;
use std::ops::Range;

/// TIMEX3 type of an expression. TIMEX3 has no more types, but the enum is open so that a
/// finer split (a `TIME` without a day, say) can come without breaking users' matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimexType {
    /// A calendar date or period: `March 18, 2024`, `last year`, `the third quarter`.
    Date,
    /// A time of day: `5 p.m.`, `this morning`.
    Time,
    /// A length of time: `three days`, `nearly two years`.
    Duration,
    /// A recurrence: `every week`, `annually`.
    Set,
}

impl TimexType {
    /// `DATE`, `TIME`, `DURATION` or `SET`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

impl fmt::Display for TimexType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A temporal expression found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timex {
    /// Byte range of the expression in the text.
    pub span: Range<usize>,
    /// Its TIMEX3 type.
    pub kind: TimexType,
    /// Its TIMEX3 value: `2024-03-18`, `2024-03`, `2024-Q3`, `1998-W08`, `P3D`, `PRESENT_REF`,
    /// or with unknown parts as `X` when no reference date pins them down.
    pub value: String,
}
