//! End-to-end robustness checks on the real binary: documents without words keep their own
//! dedup verdicts, and a large document costs a bounded multiple of its size in memory.

mod common;

use std::fs;

use common::{read_jsonl, run_quiet};

#[test]
fn documents_without_words_are_only_duplicates_of_the_same_characters() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("wordless.jsonl");
    // Emoji, a skin-tone sequence, combining marks alone, punctuation, symbols: none has a word,
    // so all of them once had the exact key of the empty text and all but the first were
    // dropped. Only "grin-again" repeats an earlier document (spaced differently).
    let docs = [
        ("grin", "\u{1f600}"),
        ("party", "\u{1f389}\u{1f389}"),
        ("thumbs", "\u{1f44d}\u{1f3fd}"),
        ("marks", "\u{301}\u{308}"),
        ("bangs", "!!!"),
        ("asks", "???"),
        ("stars", "\u{2605} \u{2605} \u{2605}"),
        ("grin-again", "  \u{1f600}\n"),
        ("prose", common::PROSE),
    ];
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, text)| serde_json::json!({"id": id, "text": text}).to_string())
        .collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.path().join("out.jsonl");
    run_quiet(&input, &out, &["--drop-duplicates"], dir.path());

    let written: Vec<String> = read_jsonl(&out)
        .iter()
        .map(|record| record["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        written,
        ["grin", "party", "thumbs", "marks", "bangs", "asks", "stars", "prose"]
    );
    let duplicates = read_jsonl(&dir.path().join("out.duplicates.jsonl"));
    assert_eq!(duplicates.len(), 1, "{duplicates:?}");
    assert_eq!(duplicates[0]["id"], "grin-again");
    assert_eq!(duplicates[0]["duplicate_of"], "grin");
    assert_eq!(duplicates[0]["status"], "exact");
}

/// What the binary may take whatever the input (code, thread stacks, the shipped IDF table,
/// the date patterns): a run on a tiny document measures it, and must stay below this.
const MAX_FIXED_BYTES: u64 = 64 << 20;

/// Peak memory a document may take beyond the fixed part, as a multiple of its size: the
/// README's bound ("Memory").
const BYTES_PER_DOCUMENT_BYTE: u64 = 12;

/// Size of the generated documents: large enough that the per-document cost dwarfs noise in
/// the fixed part, small enough for the dev-profile binary to stay quick.
const DOCUMENT_BYTES: usize = 16 << 20;

/// The largest peak resident set of any child process waited for so far, in bytes.
///
/// `RUSAGE_CHILDREN` is the maximum over every child reaped, including those of tests running
/// beside this one; that can only make the figure larger, so a bound it stays under holds for
/// each child.
fn children_peak_bytes() -> u64 {
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage");
    // Linux reports kilobytes.
    u64::try_from(usage.max_rss()).expect("a positive peak") * 1024
}

/// Short sentences, one after the other on one line: each costs a sentence span, offsets in the
/// record and summary terms, which are more bytes than the sentence itself.
fn short_sentences(bytes: usize) -> String {
    const WORDS: [&str; 16] = [
        "rates",
        "rose",
        "the",
        "bank",
        "said",
        "on",
        "council",
        "water",
        "roads",
        "met",
        "officials",
        "a",
        "city",
        "winter",
        "fell",
        "today",
    ];
    let mut text = String::with_capacity(bytes + 64);
    let mut state: u32 = 7;
    while text.len() < bytes {
        let words = 3 + state % 5;
        for i in 0..words {
            // A small linear congruential generator: varied sentences, the same on every run.
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let word = WORDS[(state >> 16) as usize % WORDS.len()];
            if i > 0 {
                text.push(' ');
            }
            text.push_str(word);
        }
        text.push_str(". ");
    }
    text
}

/// Every stage but dates: date-extract is being restructured and is slow on text this dense
/// with sentences (it alone is most of a run's time); the one-word document runs it.
const ALL_BUT_DATES: &str = "normalize,lang,dedup,summarize";

#[test]
fn a_large_document_takes_a_bounded_multiple_of_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.jsonl");
    let tiny = dir.path().join("tiny.txt");
    fs::write(&tiny, common::PROSE).unwrap();
    run_quiet(&tiny, &out, &[], dir.path());
    let fixed = children_peak_bytes();
    assert!(
        fixed < MAX_FIXED_BYTES,
        "a tiny document peaked at {} MiB, above the {} MiB allowed for the binary itself",
        fixed >> 20,
        MAX_FIXED_BYTES >> 20
    );

    let cases: [(&str, String, &[&str]); 2] = [
        (
            "sentences.txt",
            short_sentences(DOCUMENT_BYTES),
            &["--stages", ALL_BUT_DATES],
        ),
        ("word.txt", "a".repeat(DOCUMENT_BYTES), &[]),
    ];
    for (name, text, args) in cases {
        let input = dir.path().join(name);
        fs::write(&input, &text).unwrap();
        let bytes = text.len() as u64;
        drop(text);
        run_quiet(&input, &out, args, dir.path());
        let peak = children_peak_bytes();
        let bound = fixed + BYTES_PER_DOCUMENT_BYTE * bytes;
        assert!(
            peak <= bound,
            "{name}: {} MiB peak for a {} MiB document, above the bound of {} MiB",
            peak >> 20,
            bytes >> 20,
            bound >> 20
        );
        let records = read_jsonl(&out);
        assert_eq!(records.len(), 1, "{name}: one record");
        fs::remove_file(&input).unwrap();
    }
}
