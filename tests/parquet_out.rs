//! End-to-end: `-o NAME.parquet` writes the same records as the JSON Lines output of the same
//! run, in the same order, as byte-identical files for any --threads and --batch-size and
//! after interruptions resumed with --resume; Parquet to a stream is refused; a later run over
//! the folder does not read the Parquet file back; the progress bar stays off a pipe.
#![cfg(feature = "parquet")]

mod common;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use arrow_json::{writer::LineDelimited, WriterBuilder};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use common::{assert_counts_add_up, docpipe, interrupt, read_json, read_jsonl, run_quiet, PROSE};

/// A dump of `files` JSON Lines files of `per_file` articles, some repeated (duplicates), some
/// with metadata and dates, a few that are rejected.
fn make_dump(dir: &Path, files: usize, per_file: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let topics = [
        "council", "harbour", "election", "factory", "river", "court",
    ];
    for file in 0..files {
        let mut lines = String::new();
        for i in 0..per_file {
            let n = file * per_file + i;
            let topic = topics[n % topics.len()];
            let line = match n % 17 {
                // Not an object: a reject.
                5 => "[1, 2]".to_string(),
                // One article again and again: duplicates of the first of them.
                3 | 11 => serde_json::json!({
                    "id": format!("doc{n}"),
                    "text": format!("The harbour met on March 1, 2024. {PROSE}"),
                })
                .to_string(),
                _ => serde_json::json!({
                    "id": format!("doc{n}"),
                    "title": format!("News about the {topic} ({n})"),
                    "date": "2024-03-18",
                    "author": "A. Writer",
                    "text": format!(
                        "The {topic} met on March {}, 2024. {PROSE} Item {n} was \
                         discussed last Friday and again on 2 April. Über café naïve.",
                        n % 28 + 1
                    ),
                })
                .to_string(),
            };
            lines.push_str(&line);
            lines.push('\n');
        }
        std::fs::write(dir.join(format!("part{file:02}.jsonl")), lines).unwrap();
    }
}

/// Every row of a Parquet file as the JSON object arrow-json writes for it (nulls kept).
fn parquet_rows(path: &Path) -> Vec<serde_json::Value> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap();
    let mut out = WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, LineDelimited>(Vec::new());
    for batch in reader {
        out.write(&batch.unwrap()).unwrap();
    }
    out.finish().unwrap();
    String::from_utf8(out.into_inner())
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn parquet_holds_the_records_of_the_json_lines_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump");
    make_dump(&input, 2, 150);
    // The repository's sample articles too: text files with headers.
    let corpus = common::repo_root().join("corpus");
    let jsonl = dir.path().join("out/run.jsonl");
    let parquet = dir.path().join("out/run.parquet");
    for out in [&jsonl, &parquet] {
        let output = docpipe()
            .args(["run", "-q"])
            .arg(&input)
            .arg(&corpus)
            .arg("-o")
            .arg(out)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
    }
    let records = read_jsonl(&jsonl);
    let rows = parquet_rows(&parquet);
    assert!(records.len() > 250, "{}", records.len());
    assert_eq!(rows.len(), records.len());
    for (row, record) in rows.iter().zip(&records) {
        assert_eq!(row, record);
    }
    // Duplicates and metadata made it in as structs and maps, not as nulls.
    assert!(records.iter().any(|r| r["dedup"]["status"] == "exact"));
    assert!(records
        .iter()
        .any(|r| r["metadata"]["author"] == "A. Writer"));

    // The side files are JSON as ever; the stats name the format.
    let stats = read_json(&dir.path().join("out/run.stats.json"));
    assert_eq!(stats["format"], "parquet");
    assert_counts_add_up(&stats);
    assert_eq!(
        read_json(&dir.path().join("out/run.stats.json"))["written"],
        records.len()
    );
    let names = files_in(&dir.path().join("out"));
    assert_eq!(
        names,
        [
            "run.jsonl",
            "run.parquet",
            "run.rejects.jsonl",
            "run.stats.json",
            "run.stories.jsonl"
        ],
        "no spool or .partial file is left"
    );
}

fn run_args(input: &Path, out: &Path, extra: &[&str]) {
    run_quiet(input, out, extra, input.parent().unwrap());
}

#[test]
fn parquet_bytes_are_the_same_for_any_threads_and_batch_size() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump");
    make_dump(&input, 3, 120);
    let runs = [
        ("a.parquet", vec!["-j", "1"]),
        ("b.parquet", vec!["-j", "2"]),
        ("c.parquet", vec!["-j", "2", "--batch-size", "7"]),
        ("d.parquet", vec!["-j", "1", "--batch-size", "1000"]),
    ];
    let mut bytes = Vec::new();
    for (name, extra) in &runs {
        let out = dir.path().join(name);
        run_args(&input, &out, extra);
        bytes.push(std::fs::read(&out).unwrap());
    }
    assert!(bytes[0].starts_with(b"PAR1"));
    for other in &bytes[1..] {
        assert!(*other == bytes[0], "the Parquet files differ");
    }
}

/// A run of `dump` into `out`, interrupted or not.
fn command(input: &Path, out: &Path, resume: bool) -> Command {
    let mut command = docpipe();
    command
        .arg("run")
        .arg(input)
        .arg("-o")
        .arg(out.join("dump.parquet"))
        .args(["--drop-duplicates", "--batch-size", "16", "-j", "2", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if resume {
        command.arg("--resume");
    }
    command
}

#[test]
fn interrupted_parquet_runs_resume_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump");
    // Large enough that most kill points fall after the run's IDF read-ahead (its first 1,000
    // documents) and its first checkpoints.
    make_dump(&input, 16, 250);
    let reference = dir.path().join("reference");
    let started = Instant::now();
    assert!(command(&input, &reference, false)
        .status()
        .unwrap()
        .success());
    let full_run = started.elapsed();
    let expected = std::fs::read(reference.join("dump.parquet")).unwrap();
    let expected_duplicates = std::fs::read(reference.join("dump.duplicates.jsonl")).unwrap();

    // Kill points spread over a full run, SIGKILL and SIGINT alternating: some land in the
    // processing, some (the last ones) in the conversion or after it.
    let mut journals_left = 0;
    for (trial, fraction) in [0.3, 0.5, 0.65, 0.8, 0.9, 0.97].into_iter().enumerate() {
        let out = dir.path().join(format!("trial{trial}"));
        let child = command(&input, &out, false).spawn().unwrap();
        interrupt(child, full_run.mul_f64(fraction), trial % 2 == 0);
        journals_left += usize::from(out.join("dump.progress.json").exists());
        let resumed = command(&input, &out, true).output().unwrap();
        assert!(resumed.status.success(), "{resumed:?}");
        assert!(
            std::fs::read(out.join("dump.parquet")).unwrap() == expected,
            "trial {trial}: the resumed Parquet file differs"
        );
        assert_eq!(
            std::fs::read(out.join("dump.duplicates.jsonl")).unwrap(),
            expected_duplicates
        );
        assert!(
            files_in(&out)
                .iter()
                .all(|name| !name.ends_with(".partial")),
            "{:?}",
            files_in(&out)
        );
    }
    eprintln!("{journals_left} of 6 interruptions left a journal to resume from");
    assert!(
        journals_left > 0,
        "no interruption left a journal: the dump is too small to interrupt"
    );
}

#[test]
fn parquet_to_a_stream_or_over_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, format!("{{\"text\": \"{PROSE}\"}}\n")).unwrap();
    let refused = |args: &[&str]| {
        let output = docpipe()
            .arg("run")
            .arg(&input)
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let message = refused(&["-o", "-", "--format", "parquet"]);
    assert!(message.contains("Parquet output needs a file"), "{message}");
    #[cfg(unix)]
    {
        let message = refused(&["-o", "/dev/null", "--format", "parquet"]);
        assert!(message.contains("Parquet output needs a file"), "{message}");
    }
    // An existing file as both input and Parquet output.
    let other = dir.path().join("data.parquet");
    std::fs::write(&other, "PAR1").unwrap();
    let output = docpipe()
        .arg("run")
        .arg(&other)
        .arg("-o")
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert_eq!(std::fs::read(&other).unwrap(), b"PAR1");
}

#[test]
fn a_later_run_over_the_folder_skips_the_parquet_output() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    make_dump(&folder, 1, 40);
    let out = folder.join("out.parquet");
    run_args(&folder, &out, &[]);
    let first = read_json(&folder.join("out.stats.json"));
    // Again over the same folder, which now holds out.parquet and its side files.
    run_args(&folder, &folder.join("again.parquet"), &[]);
    let second = read_json(&folder.join("again.stats.json"));
    assert_eq!(second["read"], first["read"]);
    let skipped: Vec<PathBuf> = second["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| PathBuf::from(s["path"].as_str().unwrap()))
        .collect();
    assert!(skipped.contains(&out), "{skipped:?}");
    // And with the first run's file no longer its own output: recognized by content.
    let moved = folder.join("moved.parquet");
    std::fs::rename(folder.join("again.parquet"), &moved).unwrap();
    run_args(&folder, &dir.path().join("third.jsonl"), &[]);
    let third = read_json(&dir.path().join("third.stats.json"));
    assert_eq!(third["read"], first["read"]);
    let reasons = third["skipped"].to_string();
    assert!(reasons.contains("moved.parquet"), "{reasons}");
}

#[test]
fn no_progress_bar_on_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump");
    make_dump(&input, 2, 60);
    let output = docpipe()
        .arg("run")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("x.parquet"))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Only the summary line: no bar, no carriage returns.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("docpipe: read 120,"), "{stderr}");
    assert!(
        !stderr.contains('\r') && !stderr.contains("left"),
        "{stderr}"
    );
}
