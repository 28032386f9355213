//! How the pipeline hands a segmented text to the summarizer: one paragraph per block, its
//! kind as the sentences' role. The fuzz checks include this file too, so that they test the
//! same inputs the pipeline makes.

use docpipe_normalize::{Block, BlockKind};
use docpipe_summarize::{SentenceInput, SentenceRole};

/// The sentences of a document in the form the summarizer takes.
pub fn sentence_inputs(blocks: &[Block]) -> Vec<SentenceInput> {
    // Sized exactly: a document of short sentences has more of these than bytes of text, and a
    // list that doubles as it grows holds its old and new copies at once.
    let mut inputs = Vec::with_capacity(blocks.iter().map(|b| b.sentences.len()).sum());
    for (paragraph, block) in blocks.iter().enumerate() {
        let role = match block.kind {
            BlockKind::Heading => SentenceRole::Heading,
            BlockKind::ListItem => SentenceRole::ListItem,
            BlockKind::Paragraph => SentenceRole::Body,
        };
        for span in &block.sentences {
            inputs.push(SentenceInput {
                span: span.clone(),
                role,
                paragraph,
            });
        }
    }
    inputs
}
