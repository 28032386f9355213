//! Writes a [`Record`] as serde_json writes it, byte for byte, with the hot parts by hand.
//!
//! Every record carries its text and a list of block and sentence spans: in the light path,
//! serializing them through serde was a quarter of all instructions (a call and an escape scan
//! for every key, a formatter call for every number). Here the keys are constant bytes, numbers
//! go through `itoa`, and strings are escaped eight bytes at a time; the fields that are rare or
//! nested (metadata, dates, dedup, summary, keywords, floats) still go through serde_json. The
//! tests hold the output to `serde_json::to_vec` of the same record.

use crate::record::{BlockSpans, Gaps, Record, SentenceSpans};

impl Record<'_> {
    /// Appends the record as one JSON object (no newline), exactly as `serde_json::to_writer`
    /// would write it. With `dedup_pending`, the `dedup` value is left out and its offset in
    /// `out` returned: the writer puts the verdict there once it knows it; `story_pending`
    /// likewise for the story.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<Gaps> {
        out.extend_from_slice(b"{\"schema\":");
        push_number(out, self.schema);
        out.extend_from_slice(b",\"id\":");
        push_string(out, self.id);
        out.extend_from_slice(b",\"source\":");
        push_string(out, self.source);
        out.extend_from_slice(b",\"url\":");
        push_optional_string(out, self.url);
        out.extend_from_slice(b",\"canonical_url\":");
        push_optional_string(out, self.canonical_url);
        out.extend_from_slice(b",\"warc_record_id\":");
        push_optional_string(out, self.warc_record_id);
        out.extend_from_slice(b",\"title\":");
        push_optional_string(out, self.title);
        out.extend_from_slice(b",\"subtitle\":");
        push_optional_string(out, self.subtitle);
        out.extend_from_slice(b",\"authors\":[");
        for (i, author) in self.authors.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_string(out, author);
        }
        out.push(b']');
        out.extend_from_slice(b",\"site\":");
        push_optional_string(out, self.site);
        out.extend_from_slice(b",\"text\":");
        push_string(out, self.text);
        out.extend_from_slice(b",\"lang\":");
        push_optional_string(out, self.lang);
        out.extend_from_slice(b",\"lang_confidence\":");
        serde_json::to_writer(&mut *out, &self.lang_confidence)?;
        out.extend_from_slice(b",\"lang_reliable\":");
        serde_json::to_writer(&mut *out, &self.lang_reliable)?;
        out.extend_from_slice(b",\"encoding\":");
        push_string(out, &self.encoding);
        out.extend_from_slice(b",\"replaced_invalid\":");
        out.extend_from_slice(if self.replaced_invalid {
            b"true"
        } else {
            b"false"
        });
        out.extend_from_slice(b",\"chars\":");
        push_number(out, self.chars);
        out.extend_from_slice(b",\"words\":");
        push_number(out, self.words);
        out.extend_from_slice(b",\"blocks\":");
        match &self.blocks {
            None => out.extend_from_slice(b"null"),
            Some(blocks) => push_blocks(out, blocks),
        }
        out.extend_from_slice(b",\"sentences\":");
        match &self.sentences {
            None => out.extend_from_slice(b"null"),
            Some(sentences) => push_pairs(out, sentences),
        }
        out.extend_from_slice(b",\"metadata\":");
        serde_json::to_writer(&mut *out, self.metadata)?;
        out.extend_from_slice(b",\"published\":");
        serde_json::to_writer(&mut *out, &self.published)?;
        out.extend_from_slice(b",\"dates\":");
        serde_json::to_writer(&mut *out, &self.dates)?;
        out.extend_from_slice(b",\"dedup\":");
        let dedup_at = if self.dedup_pending {
            Some(out.len())
        } else {
            serde_json::to_writer(&mut *out, &self.dedup)?;
            None
        };
        out.extend_from_slice(b",\"summary\":");
        serde_json::to_writer(&mut *out, &self.summary)?;
        out.extend_from_slice(b",\"keywords\":");
        serde_json::to_writer(&mut *out, &self.keywords)?;
        out.extend_from_slice(b",\"story\":");
        let story_at = if self.story_pending {
            Some(out.len())
        } else {
            push_optional_string(out, self.story);
            None
        };
        out.push(b'}');
        Ok(Gaps {
            dedup: dedup_at,
            story: story_at,
        })
    }
}

fn push_blocks(out: &mut Vec<u8>, blocks: &BlockSpans) {
    out.push(b'[');
    for (i, block) in blocks.records().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"kind\":");
        push_string(out, block.kind);
        out.extend_from_slice(b",\"start\":");
        push_number(out, block.start);
        out.extend_from_slice(b",\"end\":");
        push_number(out, block.end);
        out.push(b'}');
    }
    out.push(b']');
}

fn push_pairs(out: &mut Vec<u8>, pairs: &SentenceSpans) {
    out.push(b'[');
    for (i, [start, end]) in pairs.pairs().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'[');
        push_number(out, start);
        out.push(b',');
        push_number(out, end);
        out.push(b']');
    }
    out.push(b']');
}

fn push_number(out: &mut Vec<u8>, number: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

fn push_optional_string(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => push_string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// `text` as a JSON string, quotes included, escaped as serde_json escapes it: `"`, `\` and
/// the control characters, with the short forms where JSON has them.
fn push_string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    loop {
        let rest = &bytes[start..];
        // Quotes, backslashes and line ends, the escapes news text has, are found with memchr;
        // the other control characters are rare and checked for in the runs between them.
        let stop = memchr::memchr3(b'"', b'\\', b'\n', rest).unwrap_or(rest.len());
        let clean = first_control(&rest[..stop]).unwrap_or(stop);
        out.extend_from_slice(&rest[..clean]);
        let Some(&byte) = rest.get(clean) else {
            break;
        };
        push_escape(out, byte);
        start += clean + 1;
    }
    out.push(b'"');
}

/// Where the first byte below 0x20 is, testing eight bytes at a time.
fn first_control(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while let Some(chunk) = bytes[at..].first_chunk::<8>() {
        let word = u64::from_le_bytes(*chunk);
        // A borrow only starts at a byte below 0x20, so the lowest flagged byte is one.
        if word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| b < 0x20).map(|p| at + p)
}

/// The escape of one byte that JSON does not allow in a string as it is.
fn push_escape(out: &mut Vec<u8>, byte: u8) {
    let short: &[u8] = match byte {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        b'\n' => b"\\n",
        b'\r' => b"\\r",
        b'\t' => b"\\t",
        0x08 => b"\\b",
        0x0C => b"\\f",
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xF)]);
            return;
        }
    };
    out.extend_from_slice(short);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use docpipe_normalize::{Block, BlockKind};

    use crate::offsets::CharOffsets;
    use crate::record::{DateRecord, DedupRecord, PublishedRecord, SpanRecord};

    fn by_hand(record: &Record) -> String {
        let mut out = Vec::new();
        record.write_json(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A heading and a paragraph with one sentence each, on char boundaries of `text`.
    fn segments(text: &str) -> Vec<Block> {
        let end = text.len();
        let heading = 0..5.min(end);
        let sentence = 7.min(end)..19.min(end);
        vec![
            Block {
                kind: BlockKind::Heading,
                span: heading.clone(),
                sentences: vec![heading],
            },
            Block {
                kind: BlockKind::Paragraph,
                span: 7.min(end)..end,
                sentences: vec![sentence],
            },
        ]
    }

    fn record<'a>(
        text: &'a str,
        blocks: &'a [Block],
        metadata: &'a BTreeMap<String, String>,
    ) -> Record<'a> {
        Record {
            schema: 1,
            id: "id \"1\"",
            source: "dump.jsonl:7",
            url: Some("https://example.com/a?q=\"1\""),
            canonical_url: Some("https://example.com/a"),
            warc_record_id: Some("<urn:uuid:1>"),
            title: Some("T\u{e9}tle\n"),
            subtitle: None,
            authors: Box::leak(Box::new(["Ann \"A\" B".to_string(), "C\u{e9}".to_string()])),
            site: Some("Example\tNews"),
            text,
            lang: Some("en"),
            lang_confidence: Some(0.973),
            lang_reliable: Some(true),
            encoding: "utf-8".to_string(),
            replaced_invalid: false,
            chars: text.chars().count(),
            words: 12,
            blocks: Some(BlockSpans {
                blocks,
                offsets: CharOffsets::new(text),
            }),
            sentences: Some(SentenceSpans {
                blocks,
                offsets: CharOffsets::new(text),
            }),
            metadata,
            published: Some(PublishedRecord {
                date: "2024-05-01".to_string(),
                source: "field",
                found_in: Some("json-ld"),
            }),
            dates: Some(vec![DateRecord {
                start: 3,
                end: 9,
                text: "May 1",
                kind: "DATE".to_string(),
                value: "2024-05-01",
            }]),
            dedup: Some(DedupRecord {
                status: "near",
                duplicate_of: Some("a"),
                cluster: "a",
                similarity: Some(0.5),
            }),
            dedup_pending: false,
            summary: Some(vec![SpanRecord {
                start: 0,
                end: 5,
                text: "Hello",
            }]),
            keywords: Some(vec!["rates", "bank"]),
            story: Some("story \"1\""),
            story_pending: false,
        }
    }

    #[test]
    fn same_bytes_as_serde_json_with_every_field_set_and_unset() {
        let metadata = BTreeMap::from([("url".to_string(), "http://x/\u{1}".to_string())]);
        // Multi-byte characters before the second block: its offsets are characters, not bytes.
        let text = "Rat\u{e9}s \u{e9}\"rise\"\n\tagain \\ caf\u{e9} \u{2028}\u{7f}\u{1f}";
        let blocks = segments(text);
        let full = record(text, &blocks, &metadata);
        let json = by_hand(&full);
        assert!(json.contains(r#""start":6,"end":31}]"#), "{json}");
        assert!(json.contains(r#""sentences":[[0,4],[6,17]]"#), "{json}");
        assert_eq!(by_hand(&full), serde_json::to_string(&full).unwrap());
        let empty = BTreeMap::new();
        let bare = Record {
            url: None,
            canonical_url: None,
            warc_record_id: None,
            authors: &[],
            site: None,
            title: None,
            lang: None,
            lang_confidence: None,
            lang_reliable: None,
            replaced_invalid: true,
            blocks: None,
            sentences: None,
            published: None,
            dates: None,
            dedup: None,
            summary: None,
            keywords: None,
            story: None,
            ..record("", &[], &empty)
        };
        assert_eq!(by_hand(&bare), serde_json::to_string(&bare).unwrap());
    }

    #[test]
    fn a_pending_verdict_leaves_a_gap_where_the_dedup_value_goes() {
        let metadata = BTreeMap::new();
        let blocks = segments("Rates rise.");
        let full = record("Rates rise.", &blocks, &metadata);
        let pending = Record {
            dedup_pending: true,
            story_pending: true,
            ..record("Rates rise.", &blocks, &metadata)
        };
        let mut out = Vec::new();
        let gaps = pending.write_json(&mut out).unwrap();
        let (dedup_at, story_at) = (gaps.dedup.unwrap(), gaps.story.unwrap());
        assert!(dedup_at < story_at);
        // The later gap first, so the earlier offset still holds.
        out.splice(story_at..story_at, serde_json::to_vec(&full.story).unwrap());
        out.splice(dedup_at..dedup_at, serde_json::to_vec(&full.dedup).unwrap());
        assert_eq!(String::from_utf8(out).unwrap(), by_hand(&full));
        assert_eq!(full.write_json(&mut Vec::new()).unwrap(), Gaps::default());
    }

    proptest! {
        #[test]
        fn strings_escape_as_serde_json_does(
            text in "(\\PC|[\"\\\\\u{0}-\u{1f}\u{7f}\u{80}-\u{ff}\u{2028}])*"
        ) {
            let mut out = Vec::new();
            push_string(&mut out, &text);
            prop_assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&text).unwrap());
        }
    }
}
