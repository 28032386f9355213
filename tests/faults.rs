//! End-to-end: faults around the inputs and the outputs. Odd encodings, links and vanished
//! files, a 200 MB document, 100,000 tiny files; a full disk, an unwritable output and a closed
//! pipe. Every document is accounted for, and a write error is one clear line and a non-zero
//! exit (a closed standard output ends the run quietly, like other Unix tools).

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::{assert_counts_add_up, docpipe, read_json, read_jsonl, run_ok, run_quiet, PROSE};

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| {
            if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_without_bom_link_loops_and_vanished_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("le.txt"), utf16(PROSE, false)).unwrap();
    std::fs::write(input.join("be.txt"), utf16(PROSE, true)).unwrap();
    std::fs::write(input.join("plain.txt"), PROSE).unwrap();
    // A directory link back to the top: walked once, not forever.
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    // A file that vanished after it was linked: listed, then unreadable.
    std::fs::write(dir.path().join("gone.txt"), PROSE).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), input.join("vanished.txt")).unwrap();
    std::fs::remove_file(dir.path().join("gone.txt")).unwrap();

    let out = dir.path().join("faults.jsonl");
    let output = run_ok(
        &[
            "run",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--stages",
            "normalize,lang",
        ],
        dir.path(),
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    let stats = read_json(&dir.path().join("faults.stats.json"));
    assert_counts_add_up(&stats);
    let records = read_jsonl(&out);
    let rejects = read_jsonl(&dir.path().join("faults.rejects.jsonl"));
    let encoding = |id: &str| {
        let record = records
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no record {id}: {records:?}"));
        assert_eq!(record["text"], PROSE);
        record["encoding"].as_str().unwrap().to_string()
    };
    assert_eq!(encoding("le"), "utf-16le");
    assert_eq!(encoding("be"), "utf-16be");
    assert_eq!(encoding("plain"), "utf-8");
    assert_eq!(records.len(), 3, "the loop is walked once: {records:?}");
    assert_eq!(rejects.len(), 1, "{rejects:?}");
    assert!(rejects[0]["source"]
        .as_str()
        .unwrap()
        .ends_with("vanished.txt"));
    assert!(!rejects[0]["reason"].as_str().unwrap().is_empty());
}

/// The peak resident memory of a command, in KiB, from GNU time.
fn peak_rss_kib(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .rev()
        .find_map(|line| line.strip_prefix("peak-rss-kib "))
        .and_then(|value| value.trim().parse().ok())
}

#[test]
fn a_200_mb_document_is_rejected_without_reading_it_into_memory() {
    if !Path::new("/usr/bin/time").exists() {
        eprintln!("skipped: /usr/bin/time (GNU time) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    let mut big = std::fs::File::create(input.join("big.txt")).unwrap();
    let chunk = format!("{PROSE}\n").repeat(4096);
    let mut written = 0;
    while written < 200 * 1024 * 1024 {
        big.write_all(chunk.as_bytes()).unwrap();
        written += chunk.len();
    }
    drop(big);
    std::fs::write(input.join("small.txt"), PROSE).unwrap();

    let out = dir.path().join("big.out.jsonl");
    let output = std::process::Command::new("/usr/bin/time")
        .args(["-f", "peak-rss-kib %M"])
        .arg(env!("CARGO_BIN_EXE_docpipe"))
        .args(["run", input.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let stats = read_json(&dir.path().join("big.out.stats.json"));
    assert_counts_add_up(&stats);
    assert_eq!(stats["written"], 1);
    let rejects = read_jsonl(&dir.path().join("big.out.rejects.jsonl"));
    assert!(rejects[0]["reason"]
        .as_str()
        .unwrap()
        .contains("maximum document size"));
    let peak = peak_rss_kib(&stderr).expect("GNU time reports the peak");
    // The default limit is 64 MiB: the reader stops there instead of holding 200 MB.
    assert!(peak < 160 * 1024, "peak RSS {peak} KiB");
}

#[test]
fn a_hundred_thousand_tiny_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    for shard in 0..100 {
        let folder = input.join(format!("{shard:03}"));
        std::fs::create_dir_all(&folder).unwrap();
        for i in 0..1_000 {
            std::fs::write(
                folder.join(format!("{i:04}.txt")),
                format!("Note {shard}-{i}: the office opens at nine."),
            )
            .unwrap();
        }
    }
    let out = dir.path().join("tiny.jsonl");
    run_quiet(&input, &out, &["--stages", "normalize,dedup"], dir.path());
    let stats = read_json(&dir.path().join("tiny.stats.json"));
    assert_counts_add_up(&stats);
    assert_eq!(stats["read"], 100_000);
    assert_eq!(stats["written"], 100_000);
    let first = BufReader::new(std::fs::File::open(&out).unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    assert!(first.contains("\"id\":\"0000\""), "{first}");
}

fn corpus() -> String {
    common::repo_root().join("corpus").display().to_string()
}

/// Runs `docpipe run corpus/ -o <output>` in a shell that first runs `setup`.
fn run_in_shell(setup: &str, output: &str) -> std::process::Output {
    let script = format!("{setup}; exec \"$0\" run \"$1\" -o \"$2\" -q",);
    std::process::Command::new("sh")
        .args([
            "-c",
            &script,
            env!("CARGO_BIN_EXE_docpipe"),
            &corpus(),
            output,
        ])
        .output()
        .unwrap()
}

fn assert_one_error_line(output: &std::process::Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("docpipe: error: "), "{stderr}");
    assert!(stderr.contains(needle), "{needle:?} in {stderr}");
}

#[test]
fn a_full_disk_is_one_clear_error() {
    // Standard output on /dev/full: every write fails with ENOSPC.
    let output = docpipe()
        .args(["run", &corpus(), "-o", "-", "-q"])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_one_error_line(&output, "No space left on device");

    // A file output that hits the file size limit (EFBIG), as a disk that fills up midway.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("full.jsonl");
    let output = run_in_shell("trap '' XFSZ; ulimit -f 8", out.to_str().unwrap());
    assert_one_error_line(&output, "File too large");
    assert!(!out.exists(), "no file that looks finished");
}

#[test]
fn an_unwritable_output_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    // A regular file where the output folder should be: no user, root included, can write.
    std::fs::write(dir.path().join("taken"), "").unwrap();
    let out = dir.path().join("taken/records.jsonl");
    let output = run_in_shell(":", out.to_str().unwrap());
    assert_one_error_line(&output, "taken");
    // A read-only file system.
    if Path::new("/proc/version").exists() {
        let output = run_in_shell(":", "/proc/docpipe.jsonl");
        assert_one_error_line(&output, "/proc/");
    }
}

#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let mut lines = String::new();
    for i in 0..3_000 {
        lines.push_str(
            &serde_json::json!({"id": format!("n{i}"), "text": format!("{PROSE} Item {i}.")})
                .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    // `docpipe run ... -o - | head -1`
    let mut child = docpipe()
        .args([
            "run",
            input.to_str().unwrap(),
            "-o",
            "-",
            "--stages",
            "normalize",
            "-q",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("\"id\":\"n0\""));
    drop(stdout);
    let started = std::time::Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert!(output.status.success(), "exit {:?}", output.status);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The side files are finished, not left as .partial files, and the stats say why the run
    // stopped early.
    let side: Vec<String> = std::fs::read_dir(dir.path().join("output"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        side.iter().all(|name| !name.ends_with(".partial")),
        "{side:?}"
    );
    let stats = read_json(&dir.path().join("output/many.stats.json"));
    assert_eq!(stats["output_closed"], true);
    assert_counts_add_up(&stats);
}
