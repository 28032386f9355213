//! Turns a processed document into its JSON record, converting byte spans to character offsets.

use docpipe_deduplicate::Verdict;
use docpipe_normalize::BlockKind;

use crate::offsets::CharOffsets;
use crate::process::Processed;
use crate::record::{
    BlockRecord, DateRecord, DedupRecord, PublishedRecord, Record, SpanRecord, SCHEMA_VERSION,
};
use crate::summary_input::sentence_inputs;

/// Serializes one record as a JSON line (with its newline) into `out`; `sentences` false leaves
/// them out (`--no-sentences`). A document waiting for its dedup verdict (it has a
/// fingerprint) is rendered without it: the returned offset is where the verdict's JSON goes.
pub fn render(
    processed: &Processed,
    sentences: bool,
    out: &mut Vec<u8>,
) -> serde_json::Result<Option<usize>> {
    let text = processed.text.as_str();
    let doc = &processed.doc;

    // Counted once; each list below walks its own copy from the start of the text.
    let text_offsets = CharOffsets::new(text);
    let mut offsets = text_offsets.clone();
    let segments = processed.blocks.as_deref();
    let blocks = segments.map(|blocks| {
        blocks
            .iter()
            .map(|block| {
                let (start, end) = offsets.span(block.span.clone());
                BlockRecord {
                    kind: block_kind_name(block.kind),
                    start,
                    end,
                }
            })
            .collect()
    });
    let sentences = segments.filter(|_| sentences).map(|blocks| {
        let mut offsets = text_offsets.clone();
        blocks
            .iter()
            .flat_map(|block| block.sentences.iter())
            .map(|span| {
                let (start, end) = offsets.span(span.clone());
                [start, end]
            })
            .collect()
    });

    let dates = processed.dates.as_ref().map(|dates| {
        let mut offsets = text_offsets.clone();
        dates
            .iter()
            .map(|timex| {
                let (start, end) = offsets.span(timex.span.clone());
                DateRecord {
                    start,
                    end,
                    text: &text[timex.span.clone()],
                    kind: timex.kind.to_string(),
                    value: &timex.value,
                }
            })
            .collect()
    });

    let summary = processed.summary.as_ref().map(|summary| {
        let inputs = sentence_inputs(segments.unwrap_or_default());
        let mut offsets = text_offsets.clone();
        summary
            .sentences
            .iter()
            .filter_map(|&index| inputs.get(index))
            .map(|sentence| {
                let (start, end) = offsets.span(sentence.span.clone());
                SpanRecord {
                    start,
                    end,
                    text: &text[sentence.span.clone()],
                }
            })
            .collect()
    });

    let record = Record {
        schema: SCHEMA_VERSION,
        id: &doc.id,
        source: &doc.source,
        title: doc.title.as_deref(),
        subtitle: doc.subtitle.as_deref(),
        text,
        lang: processed.lang.as_ref().and_then(|lang| lang.code),
        lang_confidence: processed.lang.as_ref().map(|lang| round3(lang.confidence)),
        lang_reliable: processed.lang.as_ref().map(|lang| lang.reliable),
        encoding: doc.encoding.to_string(),
        replaced_invalid: doc.replaced_invalid,
        chars: text_offsets.len(),
        words: docpipe_normalize::word_count(text),
        blocks,
        sentences,
        metadata: &doc.metadata,
        published: processed
            .published
            .as_ref()
            .map(|published| PublishedRecord {
                date: published.date.format("%Y-%m-%d").to_string(),
                source: published.source.as_str(),
            }),
        dates,
        // Filled in by the writer when dedup ran (`dedup_pending`), `null` when it did not.
        dedup: None,
        dedup_pending: processed.fingerprint.is_some(),
        summary,
        keywords: processed
            .keywords
            .as_ref()
            .map(|keywords| keywords.iter().map(|k| k.phrase.as_str()).collect()),
    };
    let dedup_at = record.write_json(out)?;
    out.push(b'\n');
    Ok(dedup_at)
}

/// The `dedup` field of a record: `null` when the stage did not run on the document.
pub fn dedup_record(verdict: Option<&Verdict>) -> Option<DedupRecord<'_>> {
    verdict.map(|verdict| DedupRecord {
        status: verdict.status.as_str(),
        duplicate_of: verdict.duplicate_of.as_deref(),
        cluster: &verdict.cluster,
        similarity: verdict.similarity.map(round3),
    })
}

fn block_kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Heading => "heading",
        BlockKind::Paragraph => "paragraph",
        BlockKind::ListItem => "list_item",
    }
}

/// Scores are estimates; three decimals keep records short and stable across platforms.
pub(crate) fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
