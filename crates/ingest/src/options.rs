use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::Arc;

use crate::skips::RecordSkips;

/// How JSON inputs map to documents, and the limits that protect memory.
///
/// Built with chained setters: `IngestOptions::new().text_field("body").id_field("url")`.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    pub(crate) text_field: String,
    pub(crate) id_field: String,
    pub(crate) title_field: String,
    pub(crate) date_field: String,
    pub(crate) html_field: Option<String>,
    pub(crate) max_document_bytes: usize,
    pub(crate) stdin_name: String,
    pub(crate) stdin_first_line: u64,
    pub(crate) stdin_first_offset: u64,
    /// Counts of skipped WARC records; each [`Ingest`](crate::Ingest) sets its own.
    pub(crate) skips: RecordSkips,
    /// Files a walked folder must not yield: the caller's own outputs.
    pub(crate) skip_files: Vec<PathBuf>,
    /// Set by the caller to give up waiting on a FIFO that has no writer yet.
    pub(crate) stop: Option<Arc<AtomicBool>>,
    /// Where the bytes read from input files are added up, for a caller's progress report.
    pub(crate) bytes_read: Option<Arc<AtomicU64>>,
}

/// Larger than any real article by far (the longest in the shared corpora is under 200 KB), and
/// than any real HTML page (a news page is 50 KB to 2 MB of HTML; the largest of 1,358 pages
/// of the shared HTML dev set is under 5 MB), yet small enough that a worker never holds more
/// than a few of these at once.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

impl IngestOptions {
    /// Field names `text`, `id`, `title`, `date`; documents up to 64 MiB.
    pub fn new() -> Self {
        IngestOptions {
            text_field: "text".to_string(),
            id_field: "id".to_string(),
            title_field: "title".to_string(),
            date_field: "date".to_string(),
            html_field: None,
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            stdin_name: "-".to_string(),
            stdin_first_line: 1,
            stdin_first_offset: 0,
            skips: RecordSkips::default(),
            skip_files: Vec::new(),
            stop: None,
            bytes_read: None,
        }
    }

    /// The JSON field that holds the article text.
    pub fn text_field(mut self, name: &str) -> Self {
        self.text_field = name.to_string();
        self
    }

    /// The JSON field that holds the document id (a string or a number).
    pub fn id_field(mut self, name: &str) -> Self {
        self.id_field = name.to_string();
        self
    }

    /// The JSON field that holds the title.
    pub fn title_field(mut self, name: &str) -> Self {
        self.title_field = name.to_string();
        self
    }

    /// The JSON field that holds the publication date (kept as written).
    pub fn date_field(mut self, name: &str) -> Self {
        self.date_field = name.to_string();
        self
    }

    /// Documents (files, JSON lines, array elements, HTML pages and WARC record payloads,
    /// decoded) larger than this are rejected unread.
    pub fn max_document_bytes(mut self, bytes: usize) -> Self {
        self.max_document_bytes = bytes.max(1);
        self
    }

    /// The JSON field that holds an HTML page instead of a text: the page is extracted (its
    /// main text, title, authors, date), and the object's `url` field, if a string, is its
    /// URL. Without it, JSON objects hold text in [`IngestOptions::text_field`].
    pub fn html_field(mut self, name: &str) -> Self {
        self.html_field = Some(name.to_string());
        self
    }

    /// Byte offset in its file of the first byte of standard input, 0 by default: for a WARC
    /// piped from a record boundary further into a file, so that sources (`path@OFFSET`) are
    /// offsets in the whole file.
    pub fn stdin_first_offset(mut self, offset: u64) -> Self {
        self.stdin_first_offset = offset;
        self
    }

    /// Reads standard input as if it were the file `name`: its extension is the format hint,
    /// and sources and ids are named after it. A cluster job that pipes one part of a file
    /// through the binary gets the same ids and sources as a run on the whole file.
    pub fn stdin_name(mut self, name: &str) -> Self {
        self.stdin_name = name.to_string();
        self
    }

    /// Number of the first line (JSON Lines) or element (JSON array) of standard input,
    /// 1 by default: for standard input that starts further into a file.
    pub fn stdin_first_line(mut self, number: u64) -> Self {
        self.stdin_first_line = number.max(1);
        self
    }

    /// Files that walking a folder must pass over, compared by identity (device and inode),
    /// not by name: a run's own output files, when its output folder is among its inputs.
    /// Skipped files are listed by [`Ingest::skipped`](crate::Ingest::skipped). Files given
    /// directly as inputs are never skipped.
    pub fn skip_files(mut self, paths: impl IntoIterator<Item = PathBuf>) -> Self {
        self.skip_files.extend(paths);
        self
    }

    /// A flag the caller sets to stop (on Ctrl-C, say): opening a FIFO waits for its writer
    /// only until the flag is set, then the FIFO is rejected. Without one, the wait is as long
    /// as it takes.
    pub fn stop_flag(mut self, stop: Arc<AtomicBool>) -> Self {
        self.stop = Some(stop);
        self
    }
}

impl IngestOptions {
    /// Adds the bytes read from input files, FIFOs and standard input to `counter` as they are
    /// read: a compressed file's compressed bytes, so that once every file is read the counter
    /// holds their total size. For a progress bar on another thread.
    pub fn count_bytes(mut self, counter: Arc<AtomicU64>) -> Self {
        self.bytes_read = Some(counter);
        self
    }
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self::new()
    }
}
