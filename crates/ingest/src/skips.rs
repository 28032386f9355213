//! Counts of the WARC records that are neither documents nor rejects: records that hold no page
//! by their nature (requests, metadata), or whose response is not an HTML page.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Why a WARC record was passed over without becoming an item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SkipKind {
    /// A `warcinfo` record: about the file, not a page.
    Warcinfo,
    /// A `request` record: what the crawler sent.
    Request,
    /// A `metadata` record.
    Metadata,
    /// A `revisit` record: a pointer to an earlier capture, with no payload of its own.
    Revisit,
    /// A `continuation` record: the later segment of a record split across files, which is
    /// not a document on its own.
    Continuation,
    /// A record type the WARC standard does not define.
    UnknownType,
    /// A response or resource whose content is not HTML (an image, JSON, a PDF...).
    NotHtml,
    /// An HTTP response whose status is not 200 (a redirect, an error page).
    HttpStatus,
}

impl SkipKind {
    const ALL: [SkipKind; 8] = [
        SkipKind::Warcinfo,
        SkipKind::Request,
        SkipKind::Metadata,
        SkipKind::Revisit,
        SkipKind::Continuation,
        SkipKind::UnknownType,
        SkipKind::NotHtml,
        SkipKind::HttpStatus,
    ];

    /// A stable name: `warcinfo`, `request`, `metadata`, `revisit`, `continuation`,
    /// `unknown_type`, `not_html`, `http_status`.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipKind::Warcinfo => "warcinfo",
            SkipKind::Request => "request",
            SkipKind::Metadata => "metadata",
            SkipKind::Revisit => "revisit",
            SkipKind::Continuation => "continuation",
            SkipKind::UnknownType => "unknown_type",
            SkipKind::NotHtml => "not_html",
            SkipKind::HttpStatus => "http_status",
        }
    }
}

impl fmt::Display for SkipKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Shared counts of skipped WARC records, by [`SkipKind`]. A handle from
/// [`Ingest::record_skips`](crate::Ingest::record_skips) stays valid, and keeps counting,
/// after the [`Ingest`](crate::Ingest) is moved to another thread.
#[derive(Clone, Debug, Default)]
pub struct RecordSkips(Arc<[AtomicU64; SkipKind::ALL.len()]>);

impl RecordSkips {
    pub(crate) fn add(&self, kind: SkipKind) {
        self.0[kind as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// Records skipped so far, by kind name; kinds with none are left out.
    pub fn counts(&self) -> BTreeMap<&'static str, u64> {
        SkipKind::ALL
            .iter()
            .map(|&kind| (kind.as_str(), self.0[kind as usize].load(Ordering::Relaxed)))
            .filter(|&(_, count)| count > 0)
            .collect()
    }

    /// All the records skipped so far.
    pub fn total(&self) -> u64 {
        self.0
            .iter()
            .map(|count| count.load(Ordering::Relaxed))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_shared_between_handles() {
        let skips = RecordSkips::default();
        let other = skips.clone();
        other.add(SkipKind::Request);
        other.add(SkipKind::Request);
        skips.add(SkipKind::NotHtml);
        assert_eq!(skips.total(), 3);
        assert_eq!(
            skips.counts().into_iter().collect::<Vec<_>>(),
            [("not_html", 1), ("request", 2)]
        );
    }
}
