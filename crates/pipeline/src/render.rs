//! Turns a processed document into its JSON record, converting byte spans to character offsets.

use std::ops::Range;

use docpipe_date_extract::PublishedSource;
use docpipe_deduplicate::Verdict;
use docpipe_normalize::Block;

use crate::offsets::CharOffsets;
use crate::processed::Processed;
use crate::record::{
    BlockSpans, DateRecord, DedupRecord, Gaps, PublishedRecord, Record, SentenceSpans, SpanRecord,
    SCHEMA_VERSION,
};

/// Serializes one record as a JSON line (with its newline) into `out`; `sentences` false leaves
/// them out (`--no-sentences`). A document waiting for its dedup verdict (it has a
/// fingerprint) or its story (it was prepared for the tracker) is rendered without them: the
/// returned gaps are where their JSON goes.
pub fn render(
    processed: &Processed,
    sentences: bool,
    out: &mut Vec<u8>,
) -> serde_json::Result<Gaps> {
    let text = processed.text.as_str();
    let doc = &processed.doc;
    out.reserve(record_capacity(processed, sentences));

    // Counted once; each list below walks its own copy from the start of the text.
    let text_offsets = CharOffsets::new(text);
    let segments = processed.blocks.as_deref();
    // Blocks and sentences are converted as they are written, not collected first.
    let blocks = segments.map(|blocks| BlockSpans {
        blocks,
        offsets: text_offsets.clone(),
    });
    let sentences = segments.filter(|_| sentences).map(|blocks| SentenceSpans {
        blocks,
        offsets: text_offsets.clone(),
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
        let mut offsets = text_offsets.clone();
        sentence_spans_at(segments.unwrap_or_default(), &summary.sentences)
            .into_iter()
            .flatten()
            .map(|span| {
                let (start, end) = offsets.span(span.clone());
                SpanRecord {
                    start,
                    end,
                    text: &text[span],
                }
            })
            .collect()
    });

    let page = doc.page.as_deref();
    let record = Record {
        schema: SCHEMA_VERSION,
        id: &doc.id,
        source: &doc.source,
        url: page.and_then(|page| page.url.as_deref()),
        canonical_url: page.and_then(|page| page.canonical_url.as_deref()),
        warc_record_id: page.and_then(|page| page.warc_record_id.as_deref()),
        title: doc.title.as_deref(),
        subtitle: doc.subtitle.as_deref(),
        authors: page.map_or(&[], |page| page.authors.as_slice()),
        site: page.and_then(|page| page.site.as_deref()),
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
                found_in: page
                    .and_then(|page| page.date_source)
                    .filter(|_| published.source == PublishedSource::Html)
                    .map(|source| source.as_str()),
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
        // Filled in by the writer when the stories stage ran, `null` when it did not.
        story: None,
        story_pending: processed.story.is_some(),
    };
    let gaps = record.write_json(out)?;
    out.push(b'\n');
    Ok(gaps)
}

/// Room for a record, at least as much as it nearly always takes, so that its buffer is
/// allocated once. A buffer that doubles as it fills can hold twice what the record needs, and
/// for a moment holds the old and the new copy at once: for a document of short sentences,
/// whose offsets take more room than its text, that was several times the document. Reserving
/// more than is written costs address space, not memory: pages never written are never
/// resident.
fn record_capacity(processed: &Processed, sentences: bool) -> usize {
    // Escapes (quotes, backslashes, line ends) are rare in news text; a text with more than
    // one in eight bytes makes the buffer grow once, which is only slower.
    let escaped = |s: &str| s.len() + s.len() / 8 + 2;
    let text = processed.text.as_str();
    // Decimal digits of the largest character offset.
    let digits = text
        .len()
        .checked_ilog10()
        .map_or(1, |log| log as usize + 1);
    let blocks = processed.blocks.as_deref().unwrap_or_default();
    // `{"kind":"paragraph","start":N,"end":N},` and `[N,N],`.
    let block_bytes = blocks.len() * (40 + 2 * digits);
    let sentence_bytes = if sentences {
        blocks.iter().map(|b| b.sentences.len()).sum::<usize>() * (4 + 2 * digits)
    } else {
        0
    };
    let summary_bytes = processed.summary.as_ref().map_or(0, |summary| {
        sentence_spans_at(blocks, &summary.sentences)
            .into_iter()
            .flatten()
            .map(|span| escaped(text.get(span).unwrap_or_default()) + 32 + 2 * digits)
            .sum()
    });
    let date_bytes = processed.dates.as_ref().map_or(0, |dates| {
        dates
            .iter()
            .map(|t| escaped(text.get(t.span.clone()).unwrap_or_default()) + t.value.len() + 64)
            .sum()
    });
    let keyword_bytes = processed.keywords.as_ref().map_or(0, |keywords| {
        keywords.iter().map(|k| escaped(&k.phrase) + 1).sum()
    });
    let doc = &processed.doc;
    let field_bytes = escaped(&doc.id)
        + escaped(&doc.source)
        + doc.title.as_deref().map_or(0, escaped)
        + doc.subtitle.as_deref().map_or(0, escaped)
        + doc.page.as_deref().map_or(0, |page| {
            [
                &page.url,
                &page.canonical_url,
                &page.warc_record_id,
                &page.site,
            ]
            .iter()
            .map(|field| field.as_deref().map_or(0, escaped))
            .sum::<usize>()
                + page.authors.iter().map(|a| escaped(a) + 1).sum::<usize>()
        })
        + doc
            .metadata
            .iter()
            .map(|(key, value)| escaped(key) + escaped(value) + 2)
            .sum::<usize>();
    // The keys, the small fields, the dedup verdict and the story id.
    const FIXED_BYTES: usize = 1024;
    escaped(text)
        + block_bytes
        + sentence_bytes
        + summary_bytes
        + date_bytes
        + keyword_bytes
        + field_bytes
        + FIXED_BYTES
}

/// The spans of the sentences at `indices`, numbered as `sentence_inputs` numbers them (the
/// blocks' sentences in order), in the order of `indices`; `None` for an index past the last
/// sentence. One walk over the blocks, without the list of every sentence that
/// `sentence_inputs` makes.
fn sentence_spans_at(blocks: &[Block], indices: &[usize]) -> Vec<Option<Range<usize>>> {
    let mut wanted: Vec<(usize, usize)> = indices
        .iter()
        .enumerate()
        .map(|(at, &index)| (index, at))
        .collect();
    wanted.sort_unstable();
    let mut found = vec![None; indices.len()];
    let mut next = wanted.into_iter().peekable();
    let all = blocks.iter().flat_map(|block| block.sentences.iter());
    for (index, span) in all.enumerate() {
        while let Some((_, at)) = next.next_if(|&(want, _)| want == index) {
            found[at] = Some(span.clone());
        }
        if next.peek().is_none() {
            break;
        }
    }
    found
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

impl Gaps {
    /// Gives `write` the pieces of the complete record line in order: `record` (what
    /// [`render`] wrote) with the dedup verdict and the story id put in the gaps it left.
    pub fn fill<E: From<serde_json::Error>>(
        self,
        record: &[u8],
        verdict: Option<&Verdict>,
        story: Option<&str>,
        mut write: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut from = 0;
        let mut value = Vec::new();
        if let Some(at) = self.dedup {
            serde_json::to_writer(&mut value, &dedup_record(verdict))?;
            write(&record[from..at])?;
            write(&value)?;
            from = at;
        }
        if let Some(at) = self.story {
            value.clear();
            serde_json::to_writer(&mut value, &story)?;
            write(&record[from..at])?;
            write(&value)?;
            from = at;
        }
        write(&record[from..])
    }
}

/// Scores are estimates; three decimals keep records short and stable across platforms.
pub fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use docpipe_normalize::segment;

    use super::*;
    use crate::summary_input::sentence_inputs;

    #[test]
    fn sentence_spans_are_found_as_sentence_inputs_numbers_them() {
        let text = "Heading Line\n\nOne. Two. Three.\n\n- item\n\nFour. Five.";
        let blocks = segment(text);
        let inputs = sentence_inputs(&blocks);
        let indices = [5, 0, 3, 3, 99, 6];
        let expected: Vec<_> = indices
            .iter()
            .map(|&i| inputs.get(i).map(|s| s.span.clone()))
            .collect();
        assert_eq!(sentence_spans_at(&blocks, &indices), expected);
        assert!(expected[4].is_none() && expected[0].is_some());
    }
}
