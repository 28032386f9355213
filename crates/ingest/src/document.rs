use std::collections::BTreeMap;
use std::fmt;

use crate::source::JsonObject;

/// One article read from the input.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Stable id: the file stem for one-document files, the id field for JSON inputs, else
    /// `path:line`.
    pub id: String,
    /// Where it came from: `path` for one-document files, `path:line` for JSON Lines and JSON
    /// array elements (`-:line` for standard input).
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
    /// JSON objects, as strings.
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
    /// Size in bytes of the raw input this document came from (its file, line or element).
    pub bytes: u64,
}

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
}

impl RejectReason {
    /// A stable, machine-readable name for the reason (`empty`, `binary`, `not_json`,
    /// `missing_text_field`, `text_not_string`, `too_large`, `io`, `corrupt_stream`,
    /// `not_regular_file`, `no_writer`): the message may be reworded, these are not.
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

/// An item as the reader found it: a document or reject already made, or the bytes of one JSON
/// object not parsed yet. [`Ingest::next_raw`](crate::Ingest::next_raw) hands these out so
/// that the parsing, most of the cost of reading JSON Lines, can run on other threads than the
/// one that reads and decompresses the stream; [`RawItem::parse`] gives the same item the
/// [`Ingest`](crate::Ingest) iterator would have.
#[derive(Debug)]
pub struct RawItem(Raw);

#[derive(Debug)]
enum Raw {
    Ready(Item),
    Json(JsonObject),
}

impl RawItem {
    pub(crate) fn json(object: JsonObject) -> RawItem {
        RawItem(Raw::Json(object))
    }

    /// Size in bytes of the raw input: the item's [`Document::bytes`] or [`Rejected::bytes`].
    pub fn bytes(&self) -> u64 {
        match &self.0 {
            Raw::Ready(Item::Document(doc)) => doc.bytes,
            Raw::Ready(Item::Rejected(rejected)) => rejected.bytes,
            Raw::Json(object) => object.bytes.len() as u64,
        }
    }

    /// The item, parsing its JSON if that was left to now.
    pub fn parse(self) -> Item {
        match self.0 {
            Raw::Ready(item) => item,
            Raw::Json(object) => object.parse(),
        }
    }

    /// The item if it needs no parsing (or was made from one with `From<Item>`).
    pub fn parsed(&self) -> Option<&Item> {
        match &self.0 {
            Raw::Ready(item) => Some(item),
            Raw::Json(_) => None,
        }
    }
}

impl From<Item> for RawItem {
    fn from(item: Item) -> RawItem {
        RawItem(Raw::Ready(item))
    }
}

/// Container format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One plain-text article per file.
    Text,
    /// One Markdown article per file.
    Markdown,
    /// One JSON object per line.
    JsonLines,
    /// One JSON array of objects.
    JsonArray,
}

/// Compression detected from magic bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// gzip (RFC 1952), including concatenated members.
    Gzip,
    /// Zstandard.
    Zstd,
}

/// Text encoding the bytes were decoded from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
}

impl Encoding {
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
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
