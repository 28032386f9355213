//! The whole docpipe pipeline on one document at a time: the stage crates wired together in
//! the order `docpipe run` runs them, and the record schema it writes. The `docpipe` binary
//! is this library plus files, threads, the dedup index, the story tracker and the side
//! files; a program that wants "the pipeline on my strings" uses this crate directly.
//!
//! One article's way through it, type by type:
//!
//! 1. [`docpipe_ingest`] reads a [`Document`](docpipe_ingest::Document) (text, id, title,
//!    metadata, what its HTML page said of itself).
//! 2. [`Pipeline::process`] runs the configured [`Stage`]s on it and gives a [`Processed`]
//!    document: the normalized text, its blocks and sentences, language, dedup fingerprint,
//!    dates, summary, keywords and what the story tracker needs, each as the stage crates
//!    report them (byte spans); or a [`Reject`] saying why it cannot be.
//! 3. [`render`] writes its [`Record`] as a JSON line, spans as character offsets, with
//!    [`Gaps`] left for what only the serial end of a run knows (the dedup verdict and the
//!    story, which depend on every earlier document); [`Gaps::fill`] puts them in.
//!
//! [`Pipeline::record`] does all three for a document that is alone in its run.
//!
//! # Example
//!
//! ```
//! use docpipe_ingest::{Ingest, IngestOptions, Item};
//! use docpipe_pipeline::{Pipeline, PipelineConfig};
//!
//! let line = r#"{"id": "a1", "title": "Talks in Kabul", "text": "The talks began on 18 March 2024 in Kabul. They ended a day later."}"#;
//! let mut ingest = Ingest::from_reader("talks.jsonl", Box::new(line.as_bytes()), IngestOptions::new());
//! let Some(Item::Document(doc)) = ingest.next() else { panic!("one document") };
//!
//! let pipeline = Pipeline::new(&PipelineConfig::default());
//! let record: serde_json::Value = serde_json::from_slice(&pipeline.record(doc).unwrap()).unwrap();
//! assert_eq!(record["id"], "a1");
//! assert_eq!(record["sentences"].as_array().unwrap().len(), 2);
//! assert_eq!(record["dates"][0]["value"], "2024-03-18");
//! assert_eq!(record["dedup"]["status"], "unique");
//! assert_eq!(record["story"], "a1");
//! ```
#![deny(missing_docs)]

mod alone;
mod config;
mod offsets;
mod pipeline;
mod processed;
mod record;
mod render;
mod stage;
mod story_input;
mod summary_input;
mod timing;

pub use config::{PipelineConfig, DEFAULT_KEYWORDS, DEFAULT_SUMMARY_SENTENCES};
pub use offsets::CharOffsets;
pub use pipeline::{install_panic_hook, Pipeline};
pub use processed::{unserializable, Depth, Processed, Reject};
pub use record::{
    block_kind_name, BlockRecord, BlockSpans, DateRecord, DedupRecord, DuplicateRecord, Gaps,
    PublishedRecord, Record, RejectRecord, SentenceSpans, SignatureRecord, SpanRecord,
    SCHEMA_VERSION,
};
pub use render::{dedup_record, render, round3};
pub use stage::Stage;
pub use summary_input::sentence_inputs;
pub use timing::{StageClock, StageTiming};
