//! A temporal expression tagger for English news: finds dates, times, durations and sets in
//! text, with TIMEX3 types and normalized values resolved against a reference date (the
//! article's publication date).
//!
//! It finds absolute dates (`March 18, 2024`, `18 March 2024`, `2024-03-18`, `03/18/2024`),
//! partial and coarse ones (`April 2025` → `2025-04`, `the 1990s` → `199`, `spring 2025` →
//! `2025-SP`, `the third quarter` → `2024-Q3`, `fiscal 2024`), relative ones (`yesterday`,
//! `last week`, `on Saturday`, `two years ago`, `earlier this month`), vague references
//! (`recently` → `PAST_REF`), times (`5 p.m.`), durations (`three-day` → `P3D`, `nearly two
//! years` → `P2Y`) and sets (`every week`). With no reference date, relative expressions are
//! still found and their unknown parts stay unknown (`XXXX-XX-XX`); nothing is read from the
//! machine's clock.
//!
//! # Example
//!
//! ```
//! use docpipe_date_extract::chrono::NaiveDate;
//! use docpipe_date_extract::{extract, TimexType};
//!
//! let text = "The minister arrived on Saturday for a three-day visit, his first since April 2025.";
//! let reference = NaiveDate::from_ymd_opt(2025, 10, 8);
//! let timexes = extract(text, reference);
//! let found: Vec<(&str, TimexType, &str)> =
//!     timexes.iter().map(|t| (&text[t.span.clone()], t.kind, t.value.as_str())).collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("Saturday", TimexType::Date, "2025-10-04"),
//!         ("three-day", TimexType::Duration, "P3D"),
//!         ("April 2025", TimexType::Date, "2025-04"),
//!     ]
//! );
//! ```
//!
//! [`publication_date`] finds an article's own date from its metadata or dateline. The crate
//! re-exports [`chrono`], whose [`NaiveDate`](chrono::NaiveDate) it takes and returns, so a
//! user needs no dependency of their own to call it.

#![deny(missing_docs)]

// Modules depend on each other as a tree: `timex` and `value` (what is returned and what the
// rules build), `calendar` (date arithmetic) and `work` (a count of work for the linearity
// test) are leaves; `resolve` (one file per rule family) uses them; `anchors` finds where the
// patterns can match; `patterns` names a resolver and anchors for each expression;
// `extractor` runs the patterns on windows around their anchors and settles overlaps;
// `anaphora` values anaphors from the typed values before them; `published` reads a dateline
// with the extractor. `test_support` (tests only) tags through the crate's entry point.
mod anaphora;
mod anchors;
mod calendar;
mod extractor;
mod patterns;
mod published;
mod resolve;
mod tense;
#[cfg(test)]
mod test_support;
mod timex;
mod value;
mod work;

/// The date library of the API (`NaiveDate` in and out), re-exported so that its version is
/// always the one the crate was built with.
pub use chrono;
pub use extractor::{extract, Extractor, ExtractorBuilder};
pub use published::{parse_date, publication_date, Published, PublishedSource};
pub use timex::{Timex, TimexType};

/// The README's examples, compiled and run by `cargo test --doc` so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExamples;
