//! A run report of docpipe: one self-contained HTML page (inline style and SVG charts, no
//! script, font or network) that shows at a glance what a run did: documents read, written,
//! rejected (by kind) and dropped as duplicates, duplicate clusters by size, languages,
//! publication dates, text lengths, the most frequent key phrases and, when a stories stage
//! ran, the largest stories with their timelines.
//!
//! A [`ReportBuilder`] is fed plain values one at a time (a [`RecordSummary`] per record, a
//! reject's kind and reason, a dropped duplicate's cluster, a [`Story`]) and keeps
//! aggregates only, so a report over gigabytes of records needs little memory: key phrases
//! are counted in bounded memory (see [`LossyCounter`]) and only the largest stories are
//! kept. [`ReportBuilder::build`] gives the [`Report`]; [`render_html`] writes the page. Every
//! text on the page comes from the web and is HTML-escaped. Each bar of a chart carries its
//! label and count as `data-label` and `data-value`, inside an `<svg data-chart="NAME">`, so a
//! program can read the figures back.
//!
//! The crate reads no files: the `docpipe report` command reads a run's records and side files
//! and feeds them in.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use docpipe_report::{render_html, DedupStatus, PageInfo, RecordSummary, ReportBuilder};
//!
//! let keywords = vec!["city council".to_string(), "<b>budget</b>".to_string()];
//! let mut builder = ReportBuilder::new();
//! for (id, status) in [("a", DedupStatus::Unique), ("b", DedupStatus::Near)] {
//!     builder.record(&RecordSummary {
//!         id,
//!         lang: Some("eng"),
//!         published: NaiveDate::from_ymd_opt(2024, 3, 18),
//!         chars: 1200,
//!         words: 210,
//!         dedup: Some((status, "a")),
//!         keywords: &keywords,
//!         in_story: false,
//!     });
//! }
//! builder.reject("not_json", "line 3 is not JSON");
//! let report = builder.build();
//! assert_eq!(report.found.read, 3);
//! assert_eq!(report.keywords[0], ("<b>budget</b>".to_string(), 2));
//! assert_eq!(report.clusters.as_ref().map(|c| c.largest), Some(2));
//!
//! let page = render_html(&report, &PageInfo { name: "demo".into(), ..PageInfo::default() });
//! assert!(page.contains(r#"data-chart="languages""#));
//! assert!(page.contains(r#"data-label="eng" data-value="2""#));
//! assert!(page.contains("&lt;b&gt;budget&lt;/b&gt;"));
//! assert!(!page.contains("<b>budget"));
//! ```
#![deny(missing_docs)]

mod aggregate;
mod bins;
mod error;
mod escape;
mod html;
mod keywords;
mod status;
mod stories;
mod svg;

pub use aggregate::{
    length_bin, length_bin_label, ClusterSizes, DateBars, DateUnit, RecordSummary, RejectKind,
    Report, ReportBuilder, RunCounts, EXACT_CLUSTER_SIZES, LARGEST_STORIES, MAX_DATE_BARS,
};
pub use error::UnknownStatus;
pub use html::{render_html, PageInfo, SUMMARY_SENTENCES, TIMELINE_ENTRIES, TOP_LANGUAGES};
pub use keywords::TOP_KEYWORDS;
pub use keywords::{LossyCounter, KEYWORD_BUCKET};
pub use status::DedupStatus;
pub use stories::StoryStats;
pub use stories::{Story, TimelineEntry};

#[cfg(test)]
mod tests;

/// The README's example, run as a doctest so it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
