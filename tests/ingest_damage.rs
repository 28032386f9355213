//! End-to-end: damaged and oddly encoded inputs keep every document that can be read (issue 14,
//! items 5, 6, 11, 12, 13 and the low ones about reject reasons, UTF-32 and big numbers). Each
//! input is built here and run through the real `docpipe run`; the records, rejects and stats
//! files are read back.

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::{assert_counts_add_up, read_json, read_jsonl, run_quiet, PROSE};
use serde_json::Value;

/// What one run wrote.
struct Run {
    records: Vec<Value>,
    rejects: Vec<Value>,
    stats: Value,
}

impl Run {
    fn ids(&self) -> Vec<&str> {
        self.records
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect()
    }

    fn record(&self, id: &str) -> &Value {
        self.records
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no record {id}: {:?}", self.ids()))
    }

    fn reasons(&self) -> Vec<&str> {
        self.rejects
            .iter()
            .map(|r| r["reason"].as_str().unwrap())
            .collect()
    }
}

/// Writes `bytes` as `name` in a fresh directory and runs `docpipe run` on it.
fn run_on(name: &str, bytes: &[u8]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, bytes).unwrap();
    run_in(dir.path(), &input)
}

fn run_in(dir: &Path, input: &Path) -> Run {
    let out = dir.join("out.jsonl");
    let output = run_quiet(input, &out, &["--stages", "normalize"], dir);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    let run = Run {
        records: read_jsonl(&out),
        rejects: read_jsonl(&dir.join("out.rejects.jsonl")),
        stats: read_json(&dir.join("out.stats.json")),
    };
    assert_counts_add_up(&run.stats);
    assert_eq!(run.stats["written"], run.records.len() as u64);
    assert_eq!(run.stats["rejected"], run.rejects.len() as u64);
    run
}

/// `n` JSON Lines of about 200 bytes each, ids `d0`, `d1`, ...
fn lines(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("d{i}"), "text": PROSE})
            )
        })
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 3).unwrap()
}

/// How many whole lines a reference decoder gets out of a damaged stream before it fails.
fn complete_lines_before_damage(mut decoder: impl Read) -> usize {
    let mut out = Vec::new();
    let mut chunk = [0u8; 64];
    loop {
        match decoder.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&chunk[..n]),
        }
    }
    out.iter().filter(|&&b| b == b'\n').count()
}

/// 32 documents, about 7 KB decompressed: small enough to fit the first read of a stream.
const SMALL: usize = 32;

/// Item 5: a damaged or padded tail loses only what it damaged, whatever the file size.
#[test]
fn small_gzip_files_keep_every_document_before_the_damage() {
    let plain = lines(SMALL);
    assert!(plain.len() < 8000);
    let whole = gzip(plain.as_bytes());

    // Zero padding after a complete member (`gzip -t` accepts it) is not an error.
    let mut padded = whole.clone();
    padded.extend_from_slice(&[0; 512]);
    let run = run_on("padded.jsonl.gz", &padded);
    assert_eq!(run.records.len(), SMALL, "{:?}", run.reasons());
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);

    // Several members, then zero padding: still one stream.
    let mut members = gzip(lines(3).as_bytes());
    members.extend_from_slice(&whole);
    members.extend_from_slice(&[0; 100]);
    let run = run_on("members.jsonl.gz", &members);
    assert_eq!(run.records.len(), SMALL + 3, "{:?}", run.reasons());
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);

    // Trailing garbage: every document is kept, the garbage is one reject that says where.
    let mut garbage = whole.clone();
    garbage.extend_from_slice(b"this is not gzip at all\n");
    let run = run_on("garbage.jsonl.gz", &garbage);
    assert_eq!(run.records.len(), SMALL, "{:?}", run.reasons());
    assert_eq!(run.rejects.len(), 1, "{:?}", run.rejects);
    let reason = run.reasons()[0];
    assert!(
        reason.contains(&format!("compressed byte {}", whole.len())),
        "{reason}"
    );
    assert!(
        run.rejects[0]["source"]
            .as_str()
            .unwrap()
            .ends_with(&format!("garbage.jsonl.gz:{}", SMALL + 1)),
        "{:?}",
        run.rejects
    );

    // A text article is whole when only what follows its last member is bad: it is kept, and
    // the trailing data rejected beside it.
    let mut story = gzip(format!("Council news\n\n{PROSE}").as_bytes());
    story.extend_from_slice(b"\x00\x00garbage");
    let run = run_on("story.txt.gz", &story);
    assert_eq!(run.record("story")["text"], PROSE);
    assert_eq!(run.rejects.len(), 1, "{:?}", run.rejects);

    // A cut tail: the documents before the cut are kept (as many as `gzip -dc` gets: 31 of 32
    // for Python's gzip of the same lines cut the same way), the cut one is rejected with the
    // offset where the stream broke.
    let cut = &whole[..whole.len() - 12];
    let expected = complete_lines_before_damage(flate2::read::GzDecoder::new(cut));
    assert!(expected >= SMALL - 2, "{expected}");
    let run = run_on("cut.jsonl.gz", cut);
    assert_eq!(run.records.len(), expected, "{:?}", run.reasons());
    assert_eq!(run.rejects.len(), 1, "{:?}", run.rejects);
    assert!(
        run.reasons()[0].contains("decompressed byte"),
        "{:?}",
        run.reasons()
    );
    assert_eq!(run.record(&format!("d{}", expected - 1))["text"], PROSE);

    // A bad checksum: the data decoded, the stream is said to be corrupt after it.
    let mut bad_crc = whole.clone();
    let crc = bad_crc.len() - 8;
    bad_crc[crc] ^= 0xFF;
    let run = run_on("crc.jsonl.gz", &bad_crc);
    assert_eq!(run.records.len(), SMALL, "{:?}", run.reasons());
    assert_eq!(run.rejects.len(), 1, "{:?}", run.rejects);
    assert!(
        run.reasons()[0].contains(&format!("decompressed byte {}", plain.len())),
        "{:?}",
        run.reasons()
    );
}

#[test]
fn small_zstd_files_keep_every_document_before_the_damage() {
    let plain = lines(SMALL);
    let whole = zstd(plain.as_bytes());

    let mut padded = whole.clone();
    padded.extend_from_slice(&[0; 512]);
    let run = run_on("padded.jsonl.zst", &padded);
    assert_eq!(run.records.len(), SMALL, "{:?}", run.reasons());
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);

    let mut frames = zstd(lines(3).as_bytes());
    frames.extend_from_slice(&whole);
    let run = run_on("frames.jsonl.zst", &frames);
    assert_eq!(run.records.len(), SMALL + 3, "{:?}", run.reasons());

    let mut garbage = whole.clone();
    garbage.extend_from_slice(b"this is not zstd at all\n");
    let run = run_on("garbage.jsonl.zst", &garbage);
    assert_eq!(run.records.len(), SMALL, "{:?}", run.reasons());
    assert_eq!(run.rejects.len(), 1, "{:?}", run.rejects);
    assert!(
        run.reasons()[0].contains(&format!("compressed byte {}", whole.len())),
        "{:?}",
        run.reasons()
    );

    // zstd decodes a block at a time: a cut in the last block loses that block, not the file.
    let cut = &whole[..whole.len() - 3];
    let expected = complete_lines_before_damage(zstd::stream::read::Decoder::new(cut).unwrap());
    let run = run_on("cut.jsonl.zst", cut);
    assert_eq!(run.records.len(), expected, "{:?}", run.reasons());
    assert_eq!(run.rejects.len(), 1, "{:?}", run.rejects);
    assert!(
        run.reasons()[0].contains("decompressed byte"),
        "{:?}",
        run.reasons()
    );
}

/// Item 6: a UTF-8 byte-order mark does not cost the first record, plain or compressed.
#[test]
fn a_byte_order_mark_does_not_cost_the_first_record() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(lines(3).as_bytes());
    for (name, input) in [
        ("bom.jsonl", bytes.clone()),
        ("bom.jsonl.gz", gzip(&bytes)),
        ("bom", bytes.clone()),
    ] {
        let run = run_on(name, &input);
        assert_eq!(run.ids(), ["d0", "d1", "d2"], "{name}: {:?}", run.reasons());
        assert_eq!(run.record("d0")["encoding"], "utf-8");
    }
}

/// Item 11: one bad byte in a UTF-8 file is one U+FFFD, not a whole document of mojibake.
#[test]
fn one_invalid_byte_in_utf8_text_is_replaced_and_said() {
    let text = format!("Caf\u{e9} \u{2014} na\u{ef}ve \u{201c}news\u{201d}. {PROSE}");
    let mut bytes = text.clone().into_bytes();
    bytes.splice(5..5, [0xFF]);
    let run = run_on("story.txt", &bytes);
    let record = run.record("story");
    assert_eq!(record["encoding"], "utf-8");
    assert_eq!(record["replaced_invalid"], true);
    let expected = format!("Caf\u{e9}\u{FFFD} \u{2014} na\u{ef}ve \u{201c}news\u{201d}. {PROSE}");
    assert_eq!(record["text"], expected.as_str());

    // Text that is Windows-1252 throughout is still read as such, with nothing replaced.
    let run = run_on(
        "latin.txt",
        b"The caf\xe9 reopened. \x93It is good,\x94 she said.",
    );
    let record = run.record("latin");
    assert_eq!(record["encoding"], "windows-1252");
    assert_eq!(record["replaced_invalid"], false);
    assert_eq!(
        record["text"],
        "The caf\u{e9} reopened. \u{201c}It is good,\u{201d} she said."
    );
}

/// Item 12: a bad element of a JSON array is rejected alone.
#[test]
fn a_bad_first_array_element_is_rejected_alone() {
    let good = |id: &str| serde_json::json!({"id": id, "text": PROSE}).to_string();
    for first in ["1", "\"a string\"", "[1, 2]", "null"] {
        let array = format!("[{first},\n {},\n {}]", good("a"), good("b"));
        for name in ["array.json", "array"] {
            let run = run_on(name, array.as_bytes());
            assert_eq!(run.ids(), ["a", "b"], "{name} {first}: {:?}", run.reasons());
            assert_eq!(run.rejects.len(), 1, "{:?}", run.rejects);
            assert!(
                run.rejects[0]["source"].as_str().unwrap().ends_with(":1"),
                "{:?}",
                run.rejects
            );
        }
    }
}

fn utf16be(text: &str, bom: bool) -> Vec<u8> {
    let mut bytes = if bom { vec![0xFE, 0xFF] } else { Vec::new() };
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

/// Item 13: big-endian UTF-16 JSON is read as big-endian, with or without a BOM.
#[test]
fn big_endian_utf16_json_is_read_as_big_endian() {
    let array = format!(
        "[{}, {}]",
        serde_json::json!({"id": "a", "text": "Caf\u{e9} news."}),
        serde_json::json!({"id": "b", "text": PROSE})
    );
    for bom in [true, false] {
        for name in ["wide.json", "wide"] {
            let run = run_on(name, &utf16be(&array, bom));
            assert_eq!(
                run.ids(),
                ["a", "b"],
                "{name} bom {bom}: {:?}",
                run.reasons()
            );
            assert_eq!(run.record("a")["text"], "Caf\u{e9} news.");
            assert_eq!(run.record("a")["encoding"], "utf-16be");
        }
        for name in ["wide.jsonl", "wide"] {
            let run = run_on(name, &utf16be(&lines(3), bom));
            assert_eq!(
                run.ids(),
                ["d0", "d1", "d2"],
                "{name} bom {bom}: {:?}",
                run.reasons()
            );
            assert_eq!(run.record("d1")["encoding"], "utf-16be");
        }
    }
}

/// Low item: a reject names the line of the file and the column in it, not "line 1".
#[test]
fn json_reject_reasons_name_the_real_line_and_column() {
    let mut jsonl = lines(3);
    jsonl.push_str("{\"id\": \"bad\", \"text\": }\n");
    jsonl.push_str(&lines(1));
    let run = run_on("positions.jsonl", jsonl.as_bytes());
    assert_eq!(run.records.len(), 4);
    assert_eq!(run.rejects.len(), 1);
    assert!(
        run.rejects[0]["source"].as_str().unwrap().ends_with(":4"),
        "{:?}",
        run.rejects
    );
    assert!(
        run.reasons()[0].ends_with("at line 4 column 23"),
        "{:?}",
        run.reasons()
    );

    // An array element spread over lines: the line of the file, not of the element.
    let array = "[\n  {\"text\": \"fine\"},\n  {\"id\": \"bad\",\n   \"text\": tru}\n]\n";
    let run = run_on("positions.json", array.as_bytes());
    assert_eq!(run.records.len(), 1, "{:?}", run.reasons());
    assert!(
        run.reasons()[0].ends_with("at line 4 column 15"),
        "{:?}",
        run.reasons()
    );
    // On the element's first line, the bytes before the element count.
    let array = "[{\"text\": \"fine\"},\n  {\"text\": tru}]";
    let run = run_on("first_line.json", array.as_bytes());
    assert!(
        run.reasons()[0].ends_with("at line 2 column 15"),
        "{:?}",
        run.reasons()
    );
}

fn utf32(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let bom = bom.then_some('\u{feff}');
    bom.into_iter()
        .chain(text.chars())
        .flat_map(|c| {
            if big_endian {
                (c as u32).to_be_bytes()
            } else {
                (c as u32).to_le_bytes()
            }
        })
        .collect()
}

/// Low item: UTF-32 is decoded, not called binary data.
#[test]
fn utf32_text_and_json_lines_are_decoded() {
    let text = format!("Caf\u{e9} news \u{1F600}\n\n{PROSE}");
    for big_endian in [false, true] {
        for bom in [true, false] {
            let label = if big_endian { "utf-32be" } else { "utf-32le" };
            let run = run_on("story.txt", &utf32(&text, big_endian, bom));
            let record = run.record("story");
            assert_eq!(record["encoding"], label, "bom {bom}");
            assert_eq!(record["title"], "Caf\u{e9} news \u{1F600}");
            assert_eq!(record["text"], PROSE);
            for name in ["wide.jsonl", "wide"] {
                let run = run_on(name, &utf32(&lines(3), big_endian, bom));
                assert_eq!(run.ids(), ["d0", "d1", "d2"], "{name} {label} bom {bom}");
                assert_eq!(run.record("d2")["encoding"], label);
            }
        }
    }
}

/// Low item: a number too large for a float in a field nobody asked about keeps the document,
/// and the number as it was written.
#[test]
fn an_out_of_range_number_in_metadata_keeps_the_document() {
    let jsonl = format!(
        "{{\"id\": \"big\", \"text\": \"{PROSE}\", \"score\": 1e400, \"n\": -2.5E+999, \"ok\": 3}}\n\
         {{\"id\": 1e999, \"text\": \"{PROSE}\"}}\n"
    );
    let run = run_on("numbers.jsonl", jsonl.as_bytes());
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);
    let record = run.record("big");
    assert_eq!(record["text"], PROSE);
    assert_eq!(
        record["metadata"],
        serde_json::json!({"score": "1e400", "n": "-2.5E+999", "ok": "3"})
    );
    assert_eq!(run.record("1e999")["text"], PROSE);
}
