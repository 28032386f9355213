//! What happened to the documents of a run, counted as the run goes: in the stats file and in
//! each checkpoint of the resume journal.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What happened to the documents of a run; `read = written + duplicates_dropped + rejected`
/// always holds.
#[derive(Serialize, Deserialize, Default, Debug, Clone)]
pub struct Counts {
    pub read: u64,
    pub written: u64,
    pub rejected: u64,
    pub duplicates: u64,
    pub duplicates_dropped: u64,
    /// Documents whose id an earlier document already had: both are kept (ids come from the
    /// input), but whatever joins records by id needs to know.
    #[serde(default)]
    pub duplicate_ids: u64,
    /// WARC records that hold no page (requests, metadata, responses that are not HTML or not
    /// 200), not in `read`: every WARC record read is a document, a reject, or one of these.
    #[serde(default)]
    pub skipped_records_total: u64,
    pub bytes: u64,
    pub languages: BTreeMap<String, u64>,
}
