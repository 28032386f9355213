//! What the story tracker is given of a document: the outputs of the stages that ran before
//! it, as the stage crates report them (byte spans), read on the worker that processed it.

use docpipe_ingest::Document;
use docpipe_stories::{Article, ArticlePreparer, PreparedArticle};

use crate::processed::Parts;
use crate::summary_input::sentence_inputs;

/// Metadata fields that name a document's outlet when it is not a page with a site name, in
/// the order they are looked for (JSON inputs keep their other scalar fields as metadata).
const OUTLET_FIELDS: [&str; 3] = ["site", "outlet", "source"];

/// Prepares one document for the tracker. Sentences are the blocks' own when the text was
/// segmented into sentences; else (`--no-sentences` without summarize, or the normalize
/// stage off) the text is split here, since a story's summary and timeline are made of
/// sentences. Whatever stage did not run leaves its part of the article empty.
pub fn prepare(preparer: &ArticlePreparer, doc: &Document, parts: &Parts) -> PreparedArticle {
    let text = parts.text.as_str();
    let segmented = parts
        .blocks
        .as_deref()
        .filter(|blocks| blocks.iter().any(|block| !block.sentences.is_empty()));
    let own_blocks;
    let blocks = match segmented {
        Some(blocks) => blocks,
        None => {
            own_blocks = docpipe_normalize::segment(text);
            &own_blocks
        }
    };
    let sentences = sentence_inputs(blocks);
    let mut article = Article::new(&doc.id, text);
    article.title = doc.title.as_deref();
    article.outlet = doc
        .page
        .as_deref()
        .and_then(|page| page.site.as_deref())
        .or_else(|| {
            OUTLET_FIELDS
                .iter()
                .find_map(|field| doc.metadata.get(*field).map(String::as_str))
        });
    article.published = parts.published.as_ref().map(|published| published.date);
    article.sentences = &sentences;
    article.keywords = parts.keywords.as_deref().unwrap_or_default();
    article.dates = parts.dates.as_deref().unwrap_or_default();
    preparer.prepare(&article)
}
