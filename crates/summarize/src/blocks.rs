//! From `docpipe-normalize`'s blocks to the sentences the summarizer takes: the stage before
//! hands its output on as it is, with no adapter in between.

use docpipe_normalize::{Block, BlockKind};

use crate::sentence::{SentenceInput, SentenceRole};

impl From<BlockKind> for SentenceRole {
    fn from(kind: BlockKind) -> Self {
        match kind {
            BlockKind::Heading => SentenceRole::Heading,
            BlockKind::ListItem => SentenceRole::ListItem,
            BlockKind::Paragraph => SentenceRole::Body,
        }
    }
}

impl SentenceInput {
    /// The sentences of segmented text (`docpipe_normalize::segment`), in order: one
    /// paragraph per block, the block's kind as the role of its sentences.
    ///
    /// ```
    /// use docpipe_summarize::{SentenceInput, SentenceRole};
    ///
    /// let text = "Floods Hit the North\n\nRain flooded homes. Rescue teams came.";
    /// let sentences = SentenceInput::from_blocks(&docpipe_normalize::segment(text));
    /// assert_eq!(sentences.len(), 3);
    /// assert_eq!(sentences[0].role, SentenceRole::Heading);
    /// assert_eq!(&text[sentences[2].span.clone()], "Rescue teams came.");
    /// assert_eq!(sentences[2].paragraph, 1);
    /// ```
    pub fn from_blocks(blocks: &[Block]) -> Vec<SentenceInput> {
        // Sized exactly: a document of short sentences has more of these than bytes of text,
        // and a list that doubles as it grows holds its old and new copies at once.
        let mut inputs = Vec::with_capacity(blocks.iter().map(|b| b.sentences.len()).sum());
        for (paragraph, block) in blocks.iter().enumerate() {
            let role = SentenceRole::from(block.kind);
            inputs.extend(block.sentences.iter().map(|span| SentenceInput {
                span: span.clone(),
                role,
                paragraph,
            }));
        }
        inputs
    }
}
