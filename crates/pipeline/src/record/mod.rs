//! The output record: one JSON object per document. Its shape is documented in the README
//! ("Record schema"); bump [`SCHEMA_VERSION`] on any change that is not a pure addition.

use std::collections::BTreeMap;

use docpipe_normalize::{Block, BlockKind};
use serde::{Serialize, Serializer};

use crate::offsets::CharOffsets;

mod json;

/// Version of the record layout, written in every record as `schema`.
pub const SCHEMA_VERSION: u32 = 2;

/// One document's record, as `docpipe run` writes it (the README's "Record schema"), borrowing
/// from the [`Processed`](crate::Processed) document it is rendered from.
#[derive(Serialize)]
pub struct Record<'a> {
    /// The record layout's version, [`SCHEMA_VERSION`].
    pub schema: u32,
    /// The document's id, from its input.
    pub id: &'a str,
    /// Where it came from: file, `file:line` or `file:row`.
    pub source: &'a str,
    /// The page's URL, for documents extracted from HTML.
    pub url: Option<&'a str>,
    /// The canonical URL the page declares.
    pub canonical_url: Option<&'a str>,
    /// The `WARC-Record-ID` of the record the page came from.
    pub warc_record_id: Option<&'a str>,
    /// The headline.
    pub title: Option<&'a str>,
    /// A second headline line under the title of a text article.
    pub subtitle: Option<&'a str>,
    /// The authors a page names.
    pub authors: &'a [String],
    /// The site's name, for pages.
    pub site: Option<&'a str>,
    /// The text: normalized when the normalize stage ran. Every span is in its characters.
    pub text: &'a str,
    /// ISO 639-3 code of the language found.
    pub lang: Option<&'a str>,
    /// How sure the language guess is, 0 to 1.
    pub lang_confidence: Option<f64>,
    /// Whether the guess is reliable enough to act on.
    pub lang_reliable: Option<bool>,
    /// The encoding the input bytes were decoded from.
    pub encoding: String,
    /// Bytes that were not valid in that encoding were replaced by U+FFFD.
    pub replaced_invalid: bool,
    /// Characters in `text`.
    pub chars: usize,
    /// Words in `text`.
    pub words: usize,
    /// `None` when the text was not segmented (neither normalize nor summarize ran).
    pub blocks: Option<BlockSpans<'a>>,
    /// `None` with `--no-sentences`, or when the text was not segmented.
    pub sentences: Option<SentenceSpans<'a>>,
    /// The input's other fields, as strings.
    pub metadata: &'a BTreeMap<String, String>,
    /// The publication date and where it came from.
    pub published: Option<PublishedRecord>,
    /// The temporal expressions in `text`.
    pub dates: Option<Vec<DateRecord<'a>>>,
    /// The duplicate verdict; `None` when the dedup stage did not run.
    pub dedup: Option<DedupRecord<'a>>,
    /// The verdict is not known yet: [`Record::write_json`] leaves a gap for it.
    #[serde(skip)]
    pub dedup_pending: bool,
    /// The summary's sentences.
    pub summary: Option<Vec<SpanRecord<'a>>>,
    /// Key phrases, most important first.
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

/// A block of the text: its kind and character span.
#[derive(Serialize, Debug)]
pub struct BlockRecord {
    /// `heading`, `paragraph` or `list_item`.
    pub kind: &'static str,
    /// First character.
    pub start: usize,
    /// Character after the last.
    pub end: usize,
}

/// The blocks of a segmented text, turned into [`BlockRecord`]s (character offsets) as they
/// are written. A list of them would take 40 bytes a block, and a text of one short line per
/// block has more blocks than a list of them has room for in the text's own size.
#[derive(Clone)]
pub struct BlockSpans<'a> {
    /// The blocks, with byte spans.
    pub blocks: &'a [Block],
    /// Converts the text's byte offsets to character offsets.
    pub offsets: CharOffsets<'a>,
}

impl BlockSpans<'_> {
    /// The blocks as records, in order.
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
    /// The blocks, with their sentences' byte spans.
    pub blocks: &'a [Block],
    /// Converts the text's byte offsets to character offsets.
    pub offsets: CharOffsets<'a>,
}

impl SentenceSpans<'_> {
    /// Each sentence's `[start, end]`, in order.
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

/// A block kind's name in records.
pub fn block_kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Heading => "heading",
        BlockKind::Paragraph => "paragraph",
        BlockKind::ListItem => "list_item",
    }
}

/// The `published` field.
#[derive(Serialize, Debug)]
pub struct PublishedRecord {
    /// The date, `YYYY-MM-DD`.
    pub date: String,
    /// Where it came from: `metadata`, `html`, `dateline`, `reference`...
    pub source: &'static str,
    /// Where in an HTML page the date was found (`json-ld`, `meta`, `time`, `url`), when
    /// `source` is `html`.
    pub found_in: Option<&'static str>,
}

/// A temporal expression: an element of `dates`.
#[derive(Serialize, Debug)]
pub struct DateRecord<'a> {
    /// First character.
    pub start: usize,
    /// Character after the last.
    pub end: usize,
    /// The expression as written.
    pub text: &'a str,
    /// TIMEX3 type: `DATE`, `TIME`, `DURATION` or `SET`.
    #[serde(rename = "type")]
    pub kind: String,
    /// TIMEX3 value, resolved against the publication date.
    pub value: &'a str,
}

/// The `dedup` field.
#[derive(Serialize, Debug)]
pub struct DedupRecord<'a> {
    /// `unique`, `exact` or `near`.
    pub status: &'static str,
    /// The earlier document it repeats most closely.
    pub duplicate_of: Option<&'a str>,
    /// The earliest document of its cluster (itself when unique).
    pub cluster: &'a str,
    /// Estimated Jaccard similarity to `duplicate_of`, for near duplicates.
    pub similarity: Option<f64>,
}

/// A span of the text with its characters: an element of `summary`.
#[derive(Serialize, Debug)]
pub struct SpanRecord<'a> {
    /// First character.
    pub start: usize,
    /// Character after the last.
    pub end: usize,
    /// The characters in between.
    pub text: &'a str,
}

/// A line of `<name>.rejects.jsonl`.
#[derive(Serialize, Debug)]
pub struct RejectRecord<'a> {
    /// Where the document came from.
    pub source: &'a str,
    /// Why it was rejected, for people.
    pub reason: &'a str,
    /// The reason's stable name, for programs (the message may be reworded).
    pub kind: &'static str,
    /// Its size in the input.
    pub bytes: u64,
}

/// A line of `<name>.duplicates.jsonl` (with `--drop-duplicates`).
#[derive(Serialize, Debug)]
pub struct DuplicateRecord<'a> {
    /// The dropped document's id.
    pub id: &'a str,
    /// Where it came from.
    pub source: &'a str,
    /// The earlier document it repeats most closely, which may itself be a dropped duplicate
    /// (B repeats A, C repeats B).
    pub duplicate_of: Option<&'a str>,
    /// The earliest document of its cluster: always a unique document, so always in the
    /// output. Join on this to find the kept version of a dropped one.
    pub cluster: &'a str,
    /// `exact` or `near`.
    pub status: &'static str,
    /// Estimated Jaccard similarity to `duplicate_of`, for near duplicates.
    pub similarity: Option<f64>,
}

/// A line of the `--signatures` file.
#[derive(Serialize, Debug)]
pub struct SignatureRecord<'a> {
    /// The document's id.
    pub id: &'a str,
    /// 128-bit key of the canonical text (`Fingerprint::exact`), hex.
    pub exact: String,
    /// One LSH band key per band, hex: documents sharing any key are candidate duplicates.
    pub bands: Vec<String>,
    /// The whole fingerprint (`Fingerprint::to_bytes`), hex, for verifying candidate pairs.
    pub fingerprint: String,
}
