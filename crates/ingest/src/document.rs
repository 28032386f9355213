//! The values the reader yields: documents, rejects and their reasons, and what the bytes
//! were (format, compression, encoding). A leaf: every other module uses these, they use none.

use std::collections::BTreeMap;
use std::fmt;

/// One article read from the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Stable id: the file stem for one-document files, the id field (or column) for JSON,
    /// CSV and Parquet inputs, else the source.
    pub id: String,
    /// Where it came from: `path` for one-document files, `path:line` for JSON Lines and JSON
    /// array elements (`-:line` for standard input), `path:LINE` for CSV and TSV rows (the
    /// line the row starts on), `path:ROW` for Parquet rows (from 1).
    pub source: String,
    /// The headline, from the title field or the first line of a text article.
    pub title: Option<String>,
    /// A second headline line directly under the title of a text article.
    pub subtitle: Option<String>,
    /// The body: for text and Markdown, without the metadata header and title lines; for JSON,
    /// the text field as it is.
    pub text: String,
    /// The publication date as written in the metadata or the date field, unparsed.
    pub date: Option<String>,
    /// Header and front-matter keys (lower-cased) of text articles; the other scalar fields of
    /// JSON objects and columns of CSV and Parquet rows, as strings.
    pub metadata: BTreeMap<String, String>,
    /// The container format.
    pub format: Format,
    /// The compression the bytes were wrapped in, if any.
    pub compression: Option<Compression>,
    /// The text encoding the bytes were decoded from.
    pub encoding: Encoding,
    /// True when decoding had to put U+FFFD in place of bytes that were not valid (in UTF-8 text
    /// with a few bad bytes, or units that are not characters in UTF-16 or UTF-32).
    pub replaced_invalid: bool,
    /// Size in bytes of the raw input this document came from (its file, line or element;
    /// for a WARC record, its block).
    pub bytes: u64,
    /// What an HTML page said of itself, for documents extracted from HTML (HTML files, WARC
    /// records, JSON with `html_field`); `None` for text.
    pub page: Option<Box<PageInfo>>,
}

/// The metadata of a document extracted from an HTML page, besides its title and date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The page's URL: where it was fetched from (`WARC-Target-URI`, the JSON `url` field),
    /// else its canonical URL.
    pub url: Option<String>,
    /// The authors' names, each once, in order.
    pub authors: Vec<String>,
    /// The site's name.
    pub site: Option<String>,
    /// The canonical URL the page declares, made absolute.
    pub canonical_url: Option<String>,
    /// The language the page declares (`<html lang>`, `content-language`), as given.
    pub language: Option<String>,
    /// Where in the page [`Document::date`] was found, when it came from the page (a JSON date
    /// field comes first).
    pub date_source: Option<DateSource>,
    /// The `WARC-Record-ID` of the record, as written (`<urn:uuid:...>`).
    pub warc_record_id: Option<String>,
    /// The `WARC-Date` of the record: when it was captured.
    pub warc_date: Option<String>,
}

pub use docpipe_extract::DateSource;

/// An input that could not become a document, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// `path`, `path:line` or `-:line`, as in [`Document::source`].
    pub source: String,
    /// Why it was rejected.
    pub reason: RejectReason,
    /// Size in bytes of the rejected input, as far as it was read.
    pub bytes: u64,
}

/// Why an input was rejected. `Display` gives one line for a rejects file; [`RejectReason::kind`]
/// a stable name for programs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectReason {
    /// A file with no bytes, a blank JSON line, or a text that is only whitespace.
    Empty,
    /// Bytes that are not text (NUL bytes, mostly control characters).
    Binary,
    /// A JSON line or array element that does not parse, or is not an object.
    NotJson(String),
    /// A JSON object without the text field.
    MissingTextField(String),
    /// A JSON object whose text field is not a string.
    TextNotString(String),
    /// Larger than the configured maximum document size.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The file could not be opened or read.
    Io(String),
    /// A compressed stream that is cut short or corrupted; what came before was kept.
    CorruptStream(String),
    /// A FIFO, socket or device found in a walked folder (the kind is given): not opened,
    /// since opening a FIFO waits for a writer. Given directly as an input, it is read.
    NotRegularFile(&'static str),
    /// A FIFO given as an input had no writer when the run was stopped.
    NoWriter,
    /// An HTML page with no main text: empty, only scripts and styles, or only boilerplate.
    NoMainText,
    /// A WARC record that is not well formed: a header that does not parse, a `Content-Length`
    /// that disagrees with the record, a malformed HTTP head.
    BadRecord(String),
    /// A WARC record that is not whole: marked `WARC-Truncated` by its crawler, or cut short
    /// (its file or gzip member ends inside it).
    TruncatedRecord(String),
    /// An HTTP body that cannot be decoded (bad chunked framing, a corrupt gzip, deflate or
    /// brotli body, an unknown content coding).
    BadHttpBody(String),
    /// A CSV or TSV row that does not fit its header (another number of fields).
    BadRow(String),
    /// A Parquet file that cannot be read from where it is: standard input, a pipe, or inside
    /// gzip or zstd. Parquet keeps its schema in a footer at the end, so it must be a file.
    NotSeekable,
    /// A Parquet file, or some of its rows, that cannot be decoded (a bad footer, a corrupt
    /// page, a codec this build does not have).
    BadParquet(String),
}

impl RejectReason {
    /// A stable, machine-readable name for the reason (`empty`, `binary`, `not_json`,
    /// `missing_text_field`, `text_not_string`, `too_large`, `io`, `corrupt_stream`,
    /// `not_regular_file`, `no_writer`, `no_main_text`, `bad_record`, `truncated_record`,
    /// `bad_http_body`, `bad_row`, `not_seekable`, `bad_parquet`): the message may be
    /// reworded, these are not.
    pub fn kind(&self) -> &'static str {
        match self {
            RejectReason::Empty => "empty",
            RejectReason::Binary => "binary",
            RejectReason::NotJson(_) => "not_json",
            RejectReason::MissingTextField(_) => "missing_text_field",
            RejectReason::TextNotString(_) => "text_not_string",
            RejectReason::TooLarge { .. } => "too_large",
            RejectReason::Io(_) => "io",
            RejectReason::CorruptStream(_) => "corrupt_stream",
            RejectReason::NotRegularFile(_) => "not_regular_file",
            RejectReason::NoWriter => "no_writer",
            RejectReason::NoMainText => "no_main_text",
            RejectReason::BadRecord(_) => "bad_record",
            RejectReason::TruncatedRecord(_) => "truncated_record",
            RejectReason::BadHttpBody(_) => "bad_http_body",
            RejectReason::BadRow(_) => "bad_row",
            RejectReason::NotSeekable => "not_seekable",
            RejectReason::BadParquet(_) => "bad_parquet",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::Empty => write!(f, "empty: no text"),
            RejectReason::Binary => write!(f, "binary data, not text"),
            RejectReason::NotJson(err) => write!(f, "not a JSON object: {err}"),
            RejectReason::MissingTextField(field) => write!(f, "no text field {field:?}"),
            RejectReason::TextNotString(field) => write!(f, "text field {field:?} is not a string"),
            RejectReason::TooLarge { limit } => {
                write!(f, "larger than the maximum document size of {limit} bytes")
            }
            RejectReason::Io(err) => write!(f, "cannot read: {err}"),
            RejectReason::NotRegularFile(kind) => {
                write!(f, "{kind}, not a regular file: skipped without opening it")
            }
            RejectReason::NoWriter => {
                write!(
                    f,
                    "a FIFO with no writer: the run was stopped while waiting for one"
                )
            }
            RejectReason::NoMainText => write!(
                f,
                "no main text: the page is empty, only scripts or only boilerplate"
            ),
            RejectReason::BadRecord(err) => write!(f, "malformed WARC record: {err}"),
            RejectReason::TruncatedRecord(err) => write!(f, "WARC record not whole: {err}"),
            RejectReason::BadHttpBody(err) => write!(f, "cannot decode the HTTP body: {err}"),
            RejectReason::BadRow(err) => write!(f, "malformed row: {err}"),
            RejectReason::NotSeekable => write!(
                f,
                "a Parquet file on standard input, a pipe or inside gzip or zstd: its schema is \
                 at its end, so it must be given as a plain file"
            ),
            RejectReason::BadParquet(err) => write!(f, "cannot read the Parquet data: {err}"),
            RejectReason::CorruptStream(err) => {
                write!(
                    f,
                    "compressed stream cut short or corrupted, the rest is lost: {err}"
                )
            }
        }
    }
}

/// What the ingest iterator yields: every input document exactly once, as one or the other.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A document that was read.
    Document(Document),
    /// An input that could not be read, with the reason.
    Rejected(Rejected),
}

/// Container format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// One plain-text article per file.
    Text,
    /// One Markdown article per file.
    Markdown,
    /// One JSON object per line.
    JsonLines,
    /// One JSON array of objects.
    JsonArray,
    /// One HTML page per file.
    Html,
    /// WARC records (WARC/1.0, WARC/1.1): HTTP responses and resources holding HTML pages.
    Warc,
    /// Comma-separated values with a header row: one row per document.
    Csv,
    /// Tab-separated values with a header row: one row per document.
    Tsv,
    /// An Apache Parquet file: one row per document.
    Parquet,
}

/// Compression detected from magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compression {
    /// gzip (RFC 1952), including concatenated members.
    Gzip,
    /// Zstandard.
    Zstd,
}

/// Text encoding the bytes were decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Encoding {
    /// UTF-8 (a byte order mark, if any, is removed).
    Utf8,
    /// UTF-16 little-endian.
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// UTF-32 little-endian.
    Utf32Le,
    /// UTF-32 big-endian.
    Utf32Be,
    /// Bytes that were not valid UTF-8 (hardly any of their non-ASCII sequences were), read as
    /// Windows-1252 (a superset of Latin-1).
    Windows1252,
    /// Another charset an HTML page declared and was decoded with, by its WHATWG name
    /// (`iso-8859-2`, `shift_jis`, `gbk`...).
    Other(&'static str),
}

impl Encoding {
    /// The encoding of a WHATWG name (as the HTML extractor gives it).
    pub fn from_name(name: &'static str) -> Encoding {
        match name {
            "utf-8" => Encoding::Utf8,
            "utf-16le" => Encoding::Utf16Le,
            "utf-16be" => Encoding::Utf16Be,
            "windows-1252" => Encoding::Windows1252,
            other => Encoding::Other(other),
        }
    }

    /// The WHATWG label: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`; `utf-32le` and
    /// `utf-32be`, which WHATWG does not have, are named like the UTF-16 ones.
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Utf32Le => "utf-32le",
            Encoding::Utf32Be => "utf-32be",
            Encoding::Windows1252 => "windows-1252",
            Encoding::Other(name) => name,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
