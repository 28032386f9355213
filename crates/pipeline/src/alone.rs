//! The whole pipeline on a document that is alone in its run.

use docpipe_deduplicate::Index;
use docpipe_ingest::Document;
use docpipe_stories::ArticlePreparer;
use docpipe_summarize::IdfTable;

use crate::processed::{unserializable, Depth, Reject};
use crate::{render, Pipeline, Stage};

impl Pipeline {
    /// The record `docpipe run` writes for this document when it is the only one of its run
    /// (one JSON line with its newline): every configured stage, no other document to be a
    /// duplicate of (its verdict is `unique`), a story of its own (named by its id), terms
    /// weighed by the shipped English IDF table. A run of many documents weighs by their own
    /// IDF and compares them with each other, which only `docpipe run` (or a program doing
    /// what it does) can do.
    ///
    pub fn record(&self, doc: Document) -> Result<Vec<u8>, Reject> {
        let preparer = match self.runs(Stage::Stories) {
            true => Some(
                self.alone_stories
                    .get_or_init(|| ArticlePreparer::new(IdfTable::english())),
            ),
            false => None,
        };
        let processed = self.process_with(doc, Depth::Full, preparer)?;
        let mut line = Vec::new();
        let gaps = match render(&processed, self.sentences, &mut line) {
            Ok(gaps) => gaps,
            Err(err) => return Err(unserializable(processed.doc, &err)),
        };
        let verdict = processed.fingerprint.map(|prepared| {
            Index::new(self.dedup.config().clone()).check(&processed.doc.id, prepared)
        });
        let story = processed
            .story
            .is_some()
            .then_some(processed.doc.id.as_str());
        let mut record = Vec::with_capacity(line.len() + 128);
        let filled: serde_json::Result<()> = gaps.fill(&line, verdict.as_ref(), story, |piece| {
            record.extend_from_slice(piece);
            Ok(())
        });
        match filled {
            Ok(()) => Ok(record),
            Err(err) => Err(unserializable(processed.doc, &err)),
        }
    }
}
