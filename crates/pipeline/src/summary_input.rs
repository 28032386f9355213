//! How the pipeline hands a segmented text to the summarizer: one paragraph per block, its
//! kind as the sentences' role. The conversion lives in the summarize crate
//! ([`SentenceInput::from_blocks`]), so that a library user needs no adapter; the fuzz checks
//! call this function too, so that they test the same inputs the pipeline makes.

use docpipe_normalize::Block;
use docpipe_summarize::SentenceInput;

/// The sentences of a document in the form the summarizer takes.
pub fn sentence_inputs(blocks: &[Block]) -> Vec<SentenceInput> {
    SentenceInput::from_blocks(blocks)
}
