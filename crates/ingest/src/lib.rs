//! Reads dumps of news articles into [`Document`]s, one at a time, with bounded memory.
//!
//! Inputs are any mix of files, directories (walked recursively in sorted order) and standard
//! input. Each file may be plain text or Markdown (one article per file), JSON Lines (one
//! article per line), a JSON array of article objects, an HTML page, a WARC crawl of pages, a
//! CSV or TSV file with a header row or an Apache Parquet file (one article per row), and any
//! of these but Parquet may be gzip or zstd compressed; format, compression and text encoding
//! are detected from the bytes (CSV and TSV, which bytes cannot tell from text, from the
//! `.csv` and `.tsv` extensions). Metadata headers of text articles (`Date: ...`, front matter, a
//! headline) are lifted out of the body; HTML pages are extracted by `docpipe-extract` into
//! their main text and metadata ([`PageInfo`]).
//!
//! WARC records that hold no page (requests, metadata, non-HTML payloads, redirects) are not
//! items: [`Ingest::record_skips`] counts them by [`SkipKind`].
//!
//! Every input document comes out exactly once, either as an [`Item::Document`] or as an
//! [`Item::Rejected`] that says why it could not be read, so a caller can account for all of
//! them.
//!
//! # Example
//!
//! ```
//! use docpipe_ingest::{Ingest, IngestOptions, Item};
//!
//! let dump = "{\"id\": \"a1\", \"text\": \"Rain is expected today.\", \"title\": \"Weather\"}\n\
//!             {\"id\": \"a2\", \"body\": \"no text field\"}\n";
//! let items: Vec<Item> =
//!     Ingest::from_reader("dump.jsonl", dump.as_bytes(), IngestOptions::new()).collect();
//! match &items[0] {
//!     Item::Document(doc) => {
//!         assert_eq!(doc.id, "a1");
//!         assert_eq!(doc.title.as_deref(), Some("Weather"));
//!         assert_eq!(doc.text, "Rain is expected today.");
//!     }
//!     Item::Rejected(r) => panic!("unexpected reject: {}", r.reason),
//! }
//! assert!(matches!(&items[1], Item::Rejected(r) if r.source == "dump.jsonl:2"));
//! ```
//!
//! The main types are [`Ingest`] (the iterator), [`IngestOptions`] (field names and limits),
//! [`Document`] and [`Rejected`]; [`Ingest::next_raw`] and [`RawItem`] let a caller parse JSON
//! objects on other threads than the one reading.

#![deny(missing_docs)]

// The README's examples, compiled and run by `cargo test` so that they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod compressed;
mod counted;
mod csv;
mod decode;
mod document;
mod error;
mod fifo;
mod header;
mod http;
mod json;
mod json_split;
mod json_stream;
mod mapping;
mod options;
mod page;
mod parquet;
mod raw;
mod reader;
mod skips;
mod sniff;
mod source;
mod stream;
mod table;
#[cfg(test)]
mod test_support;
mod walk;
mod warc;
mod whole;

pub use document::{
    Compression, DateSource, Document, Encoding, Format, Item, PageInfo, RejectReason, Rejected,
};
pub use error::IngestError;
pub use options::IngestOptions;
pub use raw::RawItem;
pub use reader::Ingest;
pub use skips::{RecordSkips, SkipKind};
pub use walk::{FileId, SkipReason, Skipped};
