//! What the stages make of a document: the types between [`Pipeline`](crate::Pipeline) and
//! [`render`](crate::render).

use docpipe_date_extract::{Published, Timex};
use docpipe_deduplicate::Prepared;
use docpipe_ingest::Document;
use docpipe_normalize::{Block, Language};
use docpipe_stories::PreparedArticle;
use docpipe_summarize::{Keyword, Summary};

/// How much of the work a document gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// Every configured stage.
    Full,
    /// Only what rebuilds the dedup index, and the story tracker when the stories stage runs
    /// (which then needs every stage but language ID): a resumed run re-reads the inputs an
    /// interrupted run finished, whose records are already written.
    Replay,
}

/// A document that could not be read or processed: where it came from, why, and its size.
#[derive(Debug)]
pub struct Reject {
    /// Where the document came from (file, line or record).
    pub source: String,
    /// A stable name for the reason, for programs: ingest's
    /// [`RejectReason::kind`](docpipe_ingest::RejectReason::kind), or one of the pipeline's own
    /// (`internal_error`, `empty_after_normalization`, `unserializable`).
    pub kind: &'static str,
    /// What went wrong, for people.
    pub reason: String,
    /// The document's size in its input.
    pub bytes: u64,
}

/// A document after the parallel stages. Its dedup verdict depends on every earlier document,
/// so the writer gives it, in input order, and puts it into the rendered record.
pub struct Processed {
    /// The document as ingest read it, but for its text, which moved into the stages.
    pub doc: Document,
    /// The text the record holds: normalized when the normalize stage ran.
    pub text: String,
    /// `None` when the text was not split into blocks (neither normalize nor summarize ran):
    /// the record's `blocks` and `sentences` are then `null`, not empty.
    pub blocks: Option<Vec<Block>>,
    /// The language found, when the lang stage ran.
    pub lang: Option<Language>,
    /// What the dedup index needs of the document, when the dedup stage ran.
    pub fingerprint: Option<Prepared>,
    /// The publication date and where it came from, when the dates stage found one.
    pub published: Option<Published>,
    /// The temporal expressions found, when the dates stage ran.
    pub dates: Option<Vec<Timex>>,
    /// The summary, when the summarize stage ran.
    pub summary: Option<Summary>,
    /// The keywords, when the summarize stage ran.
    pub keywords: Option<Vec<Keyword>>,
    /// What the story tracker needs of the document, when the stories stage runs.
    pub story: Option<PreparedArticle>,
}

/// What the stages made of a document so far.
#[derive(Default)]
pub(crate) struct Parts {
    pub text: String,
    pub blocks: Option<Vec<Block>>,
    pub lang: Option<Language>,
    pub fingerprint: Option<Prepared>,
    pub published: Option<Published>,
    pub dates: Option<Vec<Timex>>,
    pub summary: Option<Summary>,
    pub keywords: Option<Vec<Keyword>>,
    pub story: Option<PreparedArticle>,
}

impl Parts {
    pub(crate) fn into_processed(self, doc: Document) -> Processed {
        Processed {
            doc,
            text: self.text,
            blocks: self.blocks,
            lang: self.lang,
            fingerprint: self.fingerprint,
            published: self.published,
            dates: self.dates,
            summary: self.summary,
            keywords: self.keywords,
            story: self.story,
        }
    }
}

/// A document whose record cannot be serialized.
pub fn unserializable(doc: Document, err: &serde_json::Error) -> Reject {
    Reject {
        kind: "unserializable",
        reason: format!("cannot serialize the record: {err}"),
        source: doc.source,
        bytes: doc.bytes,
    }
}
