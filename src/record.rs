//! The output record: one JSON object per document. Its shape is documented in the README
//! ("Record schema"); bump [`SCHEMA_VERSION`] on any change that is not a pure addition.

use std::collections::BTreeMap;

use docpipe_normalize::{Block, BlockKind};
use serde::{Serialize, Serializer};

use crate::offsets::CharOffsets;

/// Version of the record layout, written in every record as `schema`.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
pub struct Record<'a> {
    pub schema: u32,
    pub id: &'a str,
    pub source: &'a str,
    /// The page's URL, for documents extracted from HTML.
    pub url: Option<&'a str>,
    pub canonical_url: Option<&'a str>,
    pub warc_record_id: Option<&'a str>,
    pub title: Option<&'a str>,
    pub subtitle: Option<&'a str>,
    pub authors: &'a [String],
    pub site: Option<&'a str>,
    pub text: &'a str,
    pub lang: Option<&'a str>,
    pub lang_confidence: Option<f64>,
    pub lang_reliable: Option<bool>,
    pub encoding: String,
    pub replaced_invalid: bool,
    pub chars: usize,
    pub words: usize,
    /// `None` when the text was not segmented (neither normalize nor summarize ran).
    pub blocks: Option<BlockSpans<'a>>,
    /// `None` with `--no-sentences`, or when the text was not segmented.
    pub sentences: Option<SentenceSpans<'a>>,
    pub metadata: &'a BTreeMap<String, String>,
    pub published: Option<PublishedRecord>,
    pub dates: Option<Vec<DateRecord<'a>>>,
    pub dedup: Option<DedupRecord<'a>>,
    /// The verdict is not known yet: [`Record::write_json`] leaves a gap for it.
    #[serde(skip)]
    pub dedup_pending: bool,
    pub summary: Option<Vec<SpanRecord<'a>>>,
    pub keywords: Option<Vec<&'a str>>,
    /// The id of the document's story (the id of its first article); `None` when the stories
    /// stage did not run.
    pub story: Option<&'a str>,
    /// The story is not known yet: [`Record::write_json`] leaves a gap for it.
    #[serde(skip)]
    pub story_pending: bool,
}

/// Where [`Record::write_json`] left gaps for the values only the writer knows, in input
/// order: offsets into the record's bytes, `dedup` before `story`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gaps {
    /// Where the dedup verdict goes (`dedup_pending`).
    pub dedup: Option<usize>,
    /// Where the story id goes (`story_pending`).
    pub story: Option<usize>,
}

#[derive(Serialize, Debug)]
pub struct BlockRecord {
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
}

/// The blocks of a segmented text, turned into [`BlockRecord`]s (character offsets) as they
/// are written. A list of them would take 40 bytes a block, and a text of one short line per
/// block has more blocks than a list of them has room for in the text's own size.
#[derive(Clone)]
pub struct BlockSpans<'a> {
    pub blocks: &'a [Block],
    pub offsets: CharOffsets<'a>,
}

impl BlockSpans<'_> {
    pub fn records(&self) -> impl Iterator<Item = BlockRecord> + '_ {
        let mut offsets = self.offsets.clone();
        self.blocks.iter().map(move |block| {
            let (start, end) = offsets.span(block.span.clone());
            BlockRecord {
                kind: block_kind_name(block.kind),
                start,
                end,
            }
        })
    }
}

impl Serialize for BlockSpans<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.records())
    }
}

/// The sentences of a segmented text's blocks, as `[start, end]` character offsets computed as
/// they are written, for the reason given at [`BlockSpans`].
#[derive(Clone)]
pub struct SentenceSpans<'a> {
    pub blocks: &'a [Block],
    pub offsets: CharOffsets<'a>,
}

impl SentenceSpans<'_> {
    pub fn pairs(&self) -> impl Iterator<Item = [usize; 2]> + '_ {
        let mut offsets = self.offsets.clone();
        self.blocks
            .iter()
            .flat_map(|block| block.sentences.iter())
            .map(move |span| {
                let (start, end) = offsets.span(span.clone());
                [start, end]
            })
    }
}

impl Serialize for SentenceSpans<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.pairs())
    }
}

pub fn block_kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Heading => "heading",
        BlockKind::Paragraph => "paragraph",
        BlockKind::ListItem => "list_item",
    }
}

#[derive(Serialize, Debug)]
pub struct PublishedRecord {
    pub date: String,
    pub source: &'static str,
    /// Where in an HTML page the date was found (`json-ld`, `meta`, `time`, `url`), when
    /// `source` is `html`.
    pub found_in: Option<&'static str>,
}

#[derive(Serialize, Debug)]
pub struct DateRecord<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: &'a str,
}

#[derive(Serialize, Debug)]
pub struct DedupRecord<'a> {
    pub status: &'static str,
    pub duplicate_of: Option<&'a str>,
    pub cluster: &'a str,
    pub similarity: Option<f64>,
}

#[derive(Serialize, Debug)]
pub struct SpanRecord<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// A line of `<name>.rejects.jsonl`.
#[derive(Serialize, Debug)]
pub struct RejectRecord<'a> {
    pub source: &'a str,
    pub reason: &'a str,
    /// The reason's stable name, for programs (the message may be reworded).
    pub kind: &'static str,
    pub bytes: u64,
}

/// A line of `<name>.duplicates.jsonl` (with `--drop-duplicates`).
#[derive(Serialize, Debug)]
pub struct DuplicateRecord<'a> {
    pub id: &'a str,
    pub source: &'a str,
    /// The earlier document it repeats most closely, which may itself be a dropped duplicate
    /// (B repeats A, C repeats B).
    pub duplicate_of: Option<&'a str>,
    /// The earliest document of its cluster: always a unique document, so always in the
    /// output. Join on this to find the kept version of a dropped one.
    pub cluster: &'a str,
    pub status: &'static str,
    pub similarity: Option<f64>,
}

/// A line of the `--signatures` file.
#[derive(Serialize, Debug)]
pub struct SignatureRecord<'a> {
    pub id: &'a str,
    /// 128-bit key of the canonical text (`Fingerprint::exact`), hex.
    pub exact: String,
    /// One LSH band key per band, hex: documents sharing any key are candidate duplicates.
    pub bands: Vec<String>,
    /// The whole fingerprint (`Fingerprint::to_bytes`), hex, for verifying candidate pairs.
    pub fingerprint: String,
}
