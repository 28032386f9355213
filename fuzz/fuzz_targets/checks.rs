//! What each fuzz target does with one input, shared by the libFuzzer targets next to this file
//! and by the root package's `tests/fuzz_corpus.rs`, which replays the committed corpora in CI.
//! Every function takes the raw bytes of one corpus file, runs the stage on them the way the
//! pipeline does, and panics if the stage panics or breaks an invariant it documents.

// Each fuzz target uses one of these functions; the replay test uses them all.
#![allow(dead_code)]

use std::io::Write;
use std::ops::Range;
use std::sync::OnceLock;

use chrono::NaiveDate;
use docpipe_date_extract::{publication_date, Extractor, PublishedSource, Timex};
use docpipe_deduplicate::{DedupConfig, Fingerprinter};
use docpipe_extract::{Article, Page};
use docpipe_ingest::{Document, Ingest, IngestOptions, Item};
use docpipe_normalize::{segment, Block, LanguageDetector, NormalForm, Normalizer};
use docpipe_summarize::{Budget, SentenceInput, SentenceRole, Summarizer};

use docpipe_pipeline::{sentence_inputs, Pipeline, PipelineConfig};

/// Small enough that a decompression bomb costs milliseconds, not seconds, per input; large
/// enough that every fuzz input (at most 64 KiB) fits uncompressed.
const FUZZ_MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// A stream of a million empty JSON lines is a valid input that only takes long to read; the
/// first items are where the bugs are.
const MAX_ITEMS: usize = 4096;

const GZIP_MAGIC: &[u8] = &[0x1F, 0x8B];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xB5, 0x2F, 0xFD];

/// The bytes as every format and compression ingest knows, by name and by sniffing; the bytes
/// as the body of a compressed stream; and the bytes validly compressed, which must read the
/// same as the plain bytes.
pub fn ingest(data: &[u8]) {
    for name in ["story.txt", "story.md", "dump.jsonl", "dump.json", "dump"] {
        read_all(name, data.to_vec());
    }
    let mut array = b"[".to_vec();
    array.extend_from_slice(data);
    read_all("array", array);
    for magic in [GZIP_MAGIC, ZSTD_MAGIC] {
        let mut stream = magic.to_vec();
        stream.extend_from_slice(data);
        read_all("dump.jsonl.gz", stream.clone());
        read_all("story.txt.zst", stream);
    }
    // Compression is unwrapped once: compressed bytes compressed again read as binary.
    if data.starts_with(GZIP_MAGIC) || data.starts_with(ZSTD_MAGIC) {
        return;
    }
    for name in ["story.txt", "dump.jsonl", "dump"] {
        let plain = read_all(name, data.to_vec());
        // Under the same name, since compression is told from the bytes: ids and sources that
        // come from the name then match too.
        let gzipped = read_all(name, gzip(data));
        let zstd = read_all(name, zstd(data));
        for compressed in [&gzipped, &zstd] {
            assert_eq!(plain.len(), compressed.len(), "{name}: item counts differ");
            for (a, b) in plain.iter().zip(compressed) {
                assert_eq!(
                    a.as_ref().map(content),
                    b.as_ref().map(content),
                    "{name}: compression changed a document"
                );
            }
        }
    }
}

/// Reads every item (up to [`MAX_ITEMS`]); documents as `Some`, rejects as `None`.
fn read_all(name: &str, bytes: Vec<u8>) -> Vec<Option<Document>> {
    let options = IngestOptions::new().max_document_bytes(FUZZ_MAX_DOCUMENT_BYTES);
    let items: Vec<Option<Document>> =
        Ingest::from_reader(name, Box::new(std::io::Cursor::new(bytes)), options)
            .take(MAX_ITEMS)
            .map(|item| match item {
                Item::Document(doc) => Some(doc),
                Item::Rejected(rejected) => {
                    assert!(
                        !rejected.source.is_empty(),
                        "{name}: reject without a source"
                    );
                    None
                }
            })
            .collect();
    assert!(
        !items.is_empty(),
        "{name}: an input must yield at least one item"
    );
    for doc in items.iter().flatten() {
        assert!(
            !doc.text.trim().is_empty(),
            "{name}: a document with no text"
        );
    }
    items
}

/// What a document says, leaving out where it came from and how it was wrapped.
fn content(doc: &Document) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &doc.id,
        &doc.title,
        &doc.subtitle,
        &doc.text,
        &doc.date,
        &doc.metadata,
        doc.format,
        doc.encoding,
        doc.replaced_invalid,
        doc.bytes,
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("writing to a Vec");
    encoder.finish().expect("writing to a Vec")
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 1).expect("compressing into a Vec")
}

/// Valid UTF-8 as given, else decoded lossily as ingest does: both in NFC and NFKC, then the
/// normalized text through segmentation and language detection (and, as with `--stages` that
/// leave normalization out, the raw text too).
pub fn normalize(data: &[u8]) {
    let raw = String::from_utf8_lossy(data);
    for form in [NormalForm::Nfc, NormalForm::Nfkc] {
        let normalizer = Normalizer::new().form(form);
        let text = normalizer.normalize(&raw);
        assert_eq!(
            normalizer.normalize(&text),
            text,
            "{form:?}: not idempotent"
        );
        assert!(
            text.chars().all(|c| c == '\n' || !c.is_control()),
            "{form:?}: control characters left"
        );
        check_blocks(&text, &segment(&text));
        check_language(&text);
    }
    check_blocks(&raw, &segment(&raw));
    check_language(&raw);
}

fn check_language(text: &str) {
    for sample in [0, 7, docpipe_normalize::DEFAULT_SAMPLE_BYTES] {
        let language = LanguageDetector::new().sample_bytes(sample).detect(text);
        assert!(
            (0.0..=1.0).contains(&language.confidence),
            "confidence {} out of [0, 1]",
            language.confidence
        );
        assert!(
            !language.reliable || language.code.is_some(),
            "reliable without a language"
        );
    }
}

/// Blocks in order without overlap, each on char boundaries; its sentences inside it, in
/// order, without overlap, non-empty, trimmed.
fn check_blocks(text: &str, blocks: &[Block]) {
    let mut block_end = 0;
    for block in blocks {
        check_span(text, &block.span, "block");
        assert!(
            block.span.start >= block_end,
            "blocks overlap or go backwards: {blocks:?}"
        );
        block_end = block.span.end;
        let mut sentence_end = block.span.start;
        for sentence in &block.sentences {
            check_span(text, sentence, "sentence");
            assert!(
                sentence.start >= sentence_end && sentence.end <= block.span.end,
                "sentence {sentence:?} out of order or outside its block {:?}",
                block.span
            );
            sentence_end = sentence.end;
            let words = &text[sentence.clone()];
            assert_eq!(words.trim(), words, "sentence {sentence:?} not trimmed");
        }
    }
}

/// A non-empty span within the text, on char boundaries.
fn check_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start < span.end && span.end <= text.len(),
        "{what} {span:?} empty or past the end ({} bytes)",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} {span:?} splits a character"
    );
}

/// Byte 0 picks options (bit 0: a reference date, bit 1: day-first, bit 2: the first line is
/// the metadata date); bytes 1..5 are the reference date as days from the Common Era, pinned
/// to chrono's range so the far ends of the calendar get tried; the rest is the text.
pub fn date_extract(data: &[u8]) {
    let (flags, rest) = data.split_first().map_or((0, data), |(f, rest)| (*f, rest));
    let (days, rest) = match rest.split_first_chunk::<4>() {
        Some((days, rest)) => (i32::from_le_bytes(*days), rest),
        None => (0, rest),
    };
    let reference = (flags & 1 != 0).then(|| {
        NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
    });
    let extractor = &extractors()[usize::from(flags & 2 != 0)];
    let raw = String::from_utf8_lossy(rest);
    let (metadata, text) = match (flags & 4 != 0, raw.split_once('\n')) {
        (true, Some((metadata, text))) => (Some(metadata), text),
        _ => (None, &*raw),
    };
    if let Some(metadata) = metadata {
        let _ = docpipe_date_extract::parse_date(metadata);
    }
    let published = publication_date(metadata, text, reference);
    if let Some(published) = published {
        if published.source == PublishedSource::Option {
            assert_eq!(Some(published.date), reference, "fallback date changed");
        }
    }
    check_timexes(text, &extractor.extract(text, reference));
    check_timexes(text, &extractor.extract(text, published.map(|p| p.date)));
}

/// Building an extractor compiles its patterns: once per process, not per input.
fn extractors() -> &'static [Extractor; 2] {
    static EXTRACTORS: OnceLock<[Extractor; 2]> = OnceLock::new();
    EXTRACTORS.get_or_init(|| {
        [
            Extractor::new(),
            Extractor::builder().day_first(true).build(),
        ]
    })
}

/// Spans on char boundaries within the text, in order and without overlap, each with a value.
fn check_timexes(text: &str, timexes: &[Timex]) {
    let mut end = 0;
    for timex in timexes {
        check_span(text, &timex.span, "timex");
        assert!(
            timex.span.start >= end,
            "timexes overlap or go backwards: {timexes:?}"
        );
        end = timex.span.end;
        assert!(!timex.value.is_empty(), "timex {timex:?} without a value");
    }
}

/// Byte 0 picks the budget and the number of keywords; the rest is the text, lossily decoded.
/// The text goes through the summarizer as the pipeline gives it (normalized and segmented,
/// or only segmented), then with arbitrary spans cut from the input, which the summarizer must
/// survive too.
pub fn summarize(data: &[u8]) {
    let (control, rest) = data.split_first().map_or((0, data), |(c, rest)| (*c, rest));
    let amount = usize::from(control >> 2);
    let summarizer = summarizer(control);
    let max_keywords = amount % 16;
    let raw = String::from_utf8_lossy(rest);
    let normalized = Normalizer::new().normalize(&raw);
    for text in [normalized.as_str(), &raw] {
        let sentences = sentence_inputs(&segment(text));
        check_summary(summarizer, text, &sentences, max_keywords);
    }
    // Arbitrary spans, even reversed or past the end: two bytes each, from the input's tail.
    let spans: Vec<SentenceInput> = rest
        .chunks_exact(2)
        .rev()
        .take(24)
        .enumerate()
        .map(|(i, pair)| SentenceInput {
            span: usize::from(pair[0])..usize::from(pair[1]),
            role: [
                SentenceRole::Body,
                SentenceRole::Heading,
                SentenceRole::ListItem,
            ][i % 3],
            paragraph: i / 2,
        })
        .collect();
    check_summary(summarizer, &raw, &spans, max_keywords);
}

/// The summarizer for a control byte: bits 0-1 pick the kind of budget, bits 2-7 its size.
/// Building one loads the IDF table, which would cost more than the summary; once per byte.
fn summarizer(control: u8) -> &'static Summarizer {
    static SUMMARIZERS: [OnceLock<Summarizer>; 256] = [const { OnceLock::new() }; 256];
    SUMMARIZERS[usize::from(control)].get_or_init(|| {
        let amount = usize::from(control >> 2);
        let budget = match control & 3 {
            0 => Budget::Sentences(amount),
            1 => Budget::Words(amount * 8),
            2 => Budget::Ratio(f64::from(control >> 2) / 32.0),
            _ => Budget::Sentences(3),
        };
        Summarizer::builder().budget(budget).build()
    })
}

/// Summary indices in range, ascending, no repeats, body sentences only; keywords at most
/// `max`, best first, each phrase once and non-empty.
fn check_summary(summarizer: &Summarizer, text: &str, sentences: &[SentenceInput], max: usize) {
    let summary = summarizer.summarize(text, sentences);
    assert!(
        summary.sentences.iter().all(|&i| i < sentences.len()),
        "index out of range: {:?} of {}",
        summary.sentences,
        sentences.len()
    );
    assert!(
        summary.sentences.windows(2).all(|w| w[0] < w[1]),
        "indices not ascending or repeated: {:?}",
        summary.sentences
    );
    assert!(
        summary
            .sentences
            .iter()
            .all(|&i| sentences[i].role == SentenceRole::Body),
        "a heading or list item was picked"
    );
    let keywords = summarizer.keywords(text, sentences, max);
    assert!(
        keywords.len() <= max,
        "{} keywords, at most {max} asked",
        keywords.len()
    );
    for (i, keyword) in keywords.iter().enumerate() {
        assert!(!keyword.phrase.trim().is_empty(), "empty keyword");
        assert!(
            keywords[..i].iter().all(|k| k.phrase != keyword.phrase),
            "keyword {:?} repeated",
            keyword.phrase
        );
        if i > 0 {
            assert!(
                keywords[i - 1].score.total_cmp(&keyword.score).is_ge(),
                "keywords not best first"
            );
        }
    }
}

/// A stage's name and a call of it on a text.
pub type ScalingStage = (&'static str, fn(&str));

/// The stages the `scaling` target times, each as the pipeline calls it on a text. Dates run
/// with a reference date, so that every relative expression is resolved (and its tense read)
/// as in a run.
pub const SCALING_STAGES: &[ScalingStage] = &[
    ("dates", |text| {
        let _ = Extractor::new().extract(text, NaiveDate::from_ymd_opt(2024, 3, 18));
    }),
    ("normalize", |text| {
        let _ = Normalizer::new().normalize(text);
    }),
    ("segment", |text| {
        let _ = segment(text);
    }),
    ("blocks", |text| {
        let _ = docpipe_normalize::blocks(text);
    }),
    ("fingerprint", |text| {
        let _ = dedup().prepare(text);
    }),
    ("language", |text| {
        let _ = LanguageDetector::new().detect(text);
    }),
    ("summarize", |text| {
        let sentences = sentence_inputs(&segment(text));
        let _ = summarizer(0).summary_and_keywords(text, &sentences, 10);
    }),
];

/// One fingerprinter for the process: its configuration is all `prepare` reads.
fn dedup() -> &'static Fingerprinter {
    static DEDUP: OnceLock<Fingerprinter> = OnceLock::new();
    DEDUP.get_or_init(|| Fingerprinter::new(DedupConfig::default()))
}

/// A repeated unit is at least this long, so that a stage's fixed costs do not hide how its
/// time grows with the text.
pub const SCALING_MIN_UNIT: usize = 2 << 10;
/// ... and at most this long: the larger text is [`SCALING_REPEATS`] times the smaller one,
/// and must stay quick for every linear stage.
pub const SCALING_MAX_UNIT: usize = 64 << 10;
/// The smaller text is the unit twice, the larger one the unit this many times as often.
pub const SCALING_REPEATS: usize = 8;

/// The input as the unit of the scaling check: lossy UTF-8, repeated up to at least
/// [`SCALING_MIN_UNIT`] bytes, cut (on a char boundary) to at most [`SCALING_MAX_UNIT`]. An
/// input without characters gives no unit.
pub fn scaling_unit(data: &[u8]) -> Option<String> {
    let raw = String::from_utf8_lossy(data);
    if raw.is_empty() {
        return None;
    }
    let mut end = raw.len().min(SCALING_MAX_UNIT);
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    let piece = &raw[..end];
    let mut unit = piece.to_string();
    while unit.len() < SCALING_MIN_UNIT {
        unit.push_str(piece);
    }
    Some(unit)
}

/// The smaller and the larger text of the scaling check.
pub fn scaling_texts(unit: &str) -> (String, String) {
    (unit.repeat(2), unit.repeat(2 * SCALING_REPEATS))
}

/// What the replay test can check of the `scaling` target without a clock: every stage runs
/// on both texts without panicking. (Timing is the fuzz target's own job: tests never judge
/// speed.)
pub fn scaling(data: &[u8]) {
    let Some(unit) = scaling_unit(data) else {
        return;
    };
    let (small, large) = scaling_texts(&unit);
    for (_, stage) in SCALING_STAGES {
        stage(&small);
        stage(&large);
    }
}

/// `extract`: the input bytes are a page body, through `docpipe_extract::extract` (as bytes,
/// with and without a URL) and `extract_str` on their lossy UTF-8. Besides "no panic" it
/// checks what an `Article` promises: at least one block, every block's text non-empty with
/// whitespace folded (no leading, trailing or doubled whitespace), and `Article::text()`
/// segmented by docpipe-normalize into blocks that lie within it.
pub fn extract(data: &[u8]) {
    for url in [None, Some("https://example.com/2024/05/01/a-story")] {
        let page = Page {
            html: data,
            url,
            content_type: Some("text/html"),
        };
        if let Ok(article) = docpipe_extract::extract(&page) {
            check_article(&article);
        }
    }
    if let Ok(article) = docpipe_extract::extract_str(&String::from_utf8_lossy(data), None) {
        check_article(&article);
    }
}

fn check_article(article: &Article) {
    assert!(!article.blocks.is_empty(), "an article without blocks");
    for block in &article.blocks {
        let text = &block.text;
        assert!(!text.is_empty(), "an empty block");
        assert_eq!(text.trim(), text, "block not trimmed: {text:?}");
        assert!(!text.contains("  "), "whitespace not folded: {text:?}");
        assert!(
            !text.contains(['\n', '\t', '\r']),
            "whitespace not folded: {text:?}"
        );
    }
    let text = article.text();
    for block in docpipe_normalize::blocks(&text) {
        assert!(block.span.end <= text.len() && !text[block.span.clone()].is_empty());
    }
}

/// The whole pipeline, every stage, on each document ingest reads from the bytes (as a text
/// article and as JSON Lines), as `docpipe run` processes a document alone in its run: the
/// record must be one line of JSON whose spans are in its text, never a panic.
pub fn pipeline(data: &[u8]) {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    let pipeline = PIPELINE.get_or_init(|| Pipeline::new(&PipelineConfig::default()));
    for name in ["story.txt", "dump.jsonl"] {
        let options = IngestOptions::new().max_document_bytes(FUZZ_MAX_DOCUMENT_BYTES);
        let ingest =
            Ingest::from_reader(name, Box::new(std::io::Cursor::new(data.to_vec())), options);
        for item in ingest.take(MAX_ITEMS) {
            let Item::Document(doc) = item else { continue };
            let Ok(line) = pipeline.record(doc) else {
                continue;
            };
            assert_eq!(line.last(), Some(&b'\n'), "a record is one line");
            assert!(
                !line[..line.len() - 1].contains(&b'\n'),
                "a record is one line"
            );
            let record: serde_json::Value =
                serde_json::from_slice(&line).expect("a record is JSON");
            let text = record["text"].as_str().expect("a record has a text");
            let chars = text.chars().count() as u64;
            assert_eq!(record["chars"].as_u64(), Some(chars));
            let spans = ["blocks", "dates", "summary"]
                .iter()
                .flat_map(|field| record[field].as_array().cloned().unwrap_or_default());
            for span in spans {
                let (start, end) = (span["start"].as_u64(), span["end"].as_u64());
                assert!(matches!((start, end), (Some(s), Some(e)) if s <= e && e <= chars));
            }
            for pair in record["sentences"].as_array().cloned().unwrap_or_default() {
                let (start, end) = (pair[0].as_u64(), pair[1].as_u64());
                assert!(matches!((start, end), (Some(s), Some(e)) if s <= e && e <= chars));
            }
        }
    }
}
