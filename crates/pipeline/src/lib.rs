#![doc = include_str!("../README.md")]
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
