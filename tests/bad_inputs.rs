//! End-to-end: bad input never crashes a run and never disappears. Every document ends up in
//! the output or in the rejects file with a reason, and the counts add up.

mod common;

use std::io::Write;
use std::path::Path;

use common::{assert_counts_add_up, docpipe, read_json, read_jsonl, run_quiet, PROSE};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn bad_inputs_are_rejected_with_reasons_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();

    write(&input.join("a_empty.txt"), b"");
    write(
        &input.join("b_binary.bin"),
        &[0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 0, 0, 0, 3, 0, 0],
    );
    // Windows-1252 bytes (0xE9 = e acute, 0x93/0x94 = curly quotes) are not valid UTF-8.
    let mut latin = b"Title line\n\n".to_vec();
    latin.extend_from_slice(b"The caf\xe9 reopened. \x93It is good,\x94 she said. ");
    latin.extend_from_slice(PROSE.as_bytes());
    write(&input.join("c_latin1.txt"), &latin);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in format!("Caf\u{e9} news\n\n{PROSE}").encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    write(&input.join("d_utf16.txt"), &utf16);
    let jsonl = format!(
        "{}\n{{not json\n\n{}\n{}\n",
        serde_json::json!({"id": "good", "text": PROSE}),
        serde_json::json!({"id": "no-text", "body": PROSE}),
        serde_json::json!({"id": "number-text", "text": 42}),
    );
    write(&input.join("e_mixed.jsonl"), jsonl.as_bytes());
    let mut many = String::new();
    for i in 0..400 {
        many.push_str(
            &serde_json::json!({"id": format!("gz{i}"), "text": format!("{PROSE} Item {i}.")})
                .to_string(),
        );
        many.push('\n');
    }
    let compressed = gzip(many.as_bytes());
    write(
        &input.join("f_cut.jsonl.gz"),
        &compressed[..compressed.len() / 2],
    );

    let out = dir.path().join("bad.jsonl");
    let output = docpipe()
        .args([
            "run",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--stages",
            "normalize,lang",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("docpipe: read"),
        "no summary line: {stderr}"
    );

    let records = read_jsonl(&out);
    let rejects = read_jsonl(&dir.path().join("bad.rejects.jsonl"));
    let stats = read_json(&dir.path().join("bad.stats.json"));
    assert_counts_add_up(&stats);
    assert_eq!(stats["written"].as_u64().unwrap() as usize, records.len());
    assert_eq!(stats["rejected"].as_u64().unwrap() as usize, rejects.len());

    let reject_of = |needle: &str| {
        rejects
            .iter()
            .find(|r| r["source"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no reject for {needle}: {rejects:?}"))
    };
    for reject in &rejects {
        assert!(!reject["reason"].as_str().unwrap().is_empty());
        assert!(reject["bytes"].is_u64());
    }
    reject_of("a_empty.txt");
    reject_of("b_binary.bin");
    reject_of("f_cut.jsonl.gz");
    let jsonl_rejects = rejects
        .iter()
        .filter(|r| r["source"].as_str().unwrap().contains("e_mixed.jsonl"))
        .count();
    assert_eq!(
        jsonl_rejects, 4,
        "not JSON, empty line, no text field, text not a string: {rejects:?}"
    );

    let record = |id: &str| {
        records
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no record {id}"))
    };
    let latin = record("c_latin1");
    assert_eq!(latin["encoding"], "windows-1252");
    assert!(latin["text"].as_str().unwrap().contains("caf\u{e9}"));
    assert!(latin["text"]
        .as_str()
        .unwrap()
        .contains("\u{201c}It is good,\u{201d}"));
    let utf16 = record("d_utf16");
    assert_eq!(utf16["encoding"], "utf-16le");
    assert!(utf16["text"].as_str().unwrap().contains("five percent"));
    assert_eq!(record("good")["lang"], "eng");
    let from_gzip = records
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("gz"))
        .count();
    assert!(
        from_gzip > 0 && from_gzip < 400,
        "documents before the damage are kept: {from_gzip}"
    );
}

#[test]
fn drop_duplicates_lists_them_and_counts_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dups.jsonl");
    let mut lines = String::new();
    for (id, text) in [("a", PROSE), ("b", PROSE), ("c", "A completely different story about the weather in the mountains, where snow fell for three days and roads were closed.")] {
        lines.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
        lines.push('\n');
    }
    write(&input, lines.as_bytes());
    let out = dir.path().join("dups.out.jsonl");
    run_quiet(&input, &out, &["--drop-duplicates"], dir.path());
    let records = read_jsonl(&out);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "c"]);
    let duplicates = read_jsonl(&dir.path().join("dups.out.duplicates.jsonl"));
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0]["id"], "b");
    assert_eq!(duplicates[0]["duplicate_of"], "a");
    let stats = read_json(&dir.path().join("dups.out.stats.json"));
    assert_eq!(stats["duplicates_dropped"], 1);

    // The fingerprints and band keys, for a cluster job: the copies share every band key.
    let signatures = dir.path().join("signatures.jsonl");
    run_quiet(
        &input,
        &out,
        &["--signatures", signatures.to_str().unwrap()],
        dir.path(),
    );
    let rows = read_jsonl(&signatures);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["bands"], rows[1]["bands"]);
    assert_ne!(rows[0]["bands"], rows[2]["bands"]);
    assert_eq!(rows[0]["bands"].as_array().unwrap().len(), 40);
    assert_counts_add_up(&stats);
}

#[test]
fn usage_errors_exit_2_and_missing_input_exits_1_naming_the_file() {
    let status = docpipe().args(["run"]).output().unwrap().status;
    assert_eq!(status.code(), Some(2));
    let status = docpipe()
        .args(["run", "x", "--threads", "many"])
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let output = docpipe()
        .args(["run", "does-not-exist.jsonl", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("does-not-exist.jsonl"), "{stderr}");
    assert!(!dir.path().join("output/does-not-exist.jsonl").exists());
}

#[test]
fn ctrl_c_leaves_no_file_that_looks_finished() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let mut lines = String::new();
    for i in 0..200_000 {
        lines.push_str(
            &serde_json::json!({"id": i, "text": format!("{PROSE} Item {i}.")}).to_string(),
        );
        lines.push('\n');
    }
    write(&input, lines.as_bytes());
    let out = dir.path().join("big.out.jsonl");
    let child = docpipe()
        .args([
            "run",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--threads",
            "1",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !out.exists(),
        "an interrupted run must not leave a finished-looking output"
    );
    assert!(dir.path().join(".big.out.jsonl.partial").exists());
    let stats = read_json(&dir.path().join("big.out.stats.json"));
    assert_eq!(stats["interrupted"], true);
    assert_counts_add_up(&stats);
    assert!(stats["read"].as_u64().unwrap() < 200_000);
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
}

#[test]
fn long_lines_large_documents_deep_trees_and_many_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    // Deeply nested directories, each with a file.
    let mut deep = input.clone();
    for level in 0..60 {
        deep = deep.join(format!("d{level:02}"));
        std::fs::create_dir_all(&deep).unwrap();
        write(
            &deep.join("a.txt"),
            format!("{PROSE} Level {level}.").as_bytes(),
        );
    }
    // Many tiny files.
    let many = input.join("many");
    std::fs::create_dir_all(&many).unwrap();
    for i in 0..2_000 {
        write(
            &many.join(format!("{i:05}.txt")),
            format!("Note {i}: the office opens at nine today.").as_bytes(),
        );
    }
    // A 1 MB JSON line with no final newline, and a document over the size limit.
    let long_text = "word ".repeat(200_000);
    write(
        &input.join("long.jsonl"),
        serde_json::json!({"id": "long", "text": long_text})
            .to_string()
            .as_bytes(),
    );
    write(&input.join("huge.txt"), "x".repeat(3_000_000).as_bytes());
    // A zstd stream with its middle corrupted.
    let mut lines = String::new();
    for i in 0..300 {
        lines.push_str(
            &serde_json::json!({"id": format!("z{i}"), "text": format!("{PROSE} {i}")}).to_string(),
        );
        lines.push('\n');
    }
    let mut zst = zstd::encode_all(lines.as_bytes(), 3).unwrap();
    let middle = zst.len() / 2;
    for byte in &mut zst[middle..middle + 64] {
        *byte ^= 0x5A;
    }
    write(&input.join("bad.jsonl.zst"), &zst);

    let out = dir.path().join("robust.jsonl");
    run_quiet(
        &input,
        &out,
        &[
            "--stages",
            "normalize,lang,dedup",
            "--max-document-bytes",
            "2000000",
        ],
        dir.path(),
    );
    let stats = read_json(&dir.path().join("robust.stats.json"));
    assert_counts_add_up(&stats);
    let records = read_jsonl(&out);
    let rejects = read_jsonl(&dir.path().join("robust.rejects.jsonl"));
    assert!(records
        .iter()
        .any(|r| r["id"] == "long" && r["words"] == 200_000));
    assert_eq!(
        records
            .iter()
            .filter(|r| r["source"].as_str().unwrap().contains("/many/"))
            .count(),
        2_000
    );
    assert_eq!(records.iter().filter(|r| r["id"] == "a").count(), 60);
    let huge = rejects
        .iter()
        .find(|r| r["source"].as_str().unwrap().ends_with("huge.txt"))
        .expect("huge.txt rejected");
    assert!(
        huge["reason"]
            .as_str()
            .unwrap()
            .contains("maximum document size"),
        "{huge}"
    );
    assert!(
        rejects
            .iter()
            .any(|r| r["source"].as_str().unwrap().contains("bad.jsonl.zst")),
        "{rejects:?}"
    );
}
