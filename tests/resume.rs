//! End-to-end: a run killed at random points and resumed with `--resume` writes exactly the
//! files an uninterrupted run writes, byte for byte: nothing lost, nothing twice.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use common::{assert_counts_add_up, docpipe, interrupt, read_json};

/// A small deterministic generator, so a failing seed can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: &[&str] = &[
    "council",
    "budget",
    "minister",
    "talks",
    "border",
    "trade",
    "market",
    "shares",
    "rain",
    "storm",
    "harbour",
    "court",
    "judge",
    "ruling",
    "election",
    "voters",
    "party",
    "leader",
    "company",
    "profit",
    "quarter",
    "factory",
    "workers",
    "strike",
    "union",
    "police",
    "city",
    "river",
    "bridge",
    "school",
    "teachers",
    "hospital",
    "doctors",
    "patients",
    "energy",
    "prices",
    "oil",
    "gas",
    "wind",
    "farm",
    "harvest",
    "wheat",
    "exports",
    "bank",
    "rates",
    "inflation",
    "team",
    "match",
    "season",
    "coach",
    "players",
    "museum",
    "festival",
    "artists",
    "film",
    "report",
    "officials",
    "agency",
    "plan",
    "project",
    "railway",
    "airport",
    "flights",
    "port",
];

fn sentence(rng: &mut Lcg) -> String {
    let length = 8 + rng.below(12) as usize;
    let words: Vec<&str> = (0..length)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect();
    let mut text = words.join(" ");
    text[..1].make_ascii_uppercase();
    text.push('.');
    text
}

fn article(rng: &mut Lcg) -> String {
    let sentences = 4 + rng.below(6) as usize;
    (0..sentences)
        .map(|_| sentence(rng))
        .collect::<Vec<_>>()
        .join(" ")
}

/// About 1,200 documents in 40 files (JSON Lines and plain text, one empty, some broken
/// lines), with syndicated copies of earlier articles in later files: the dedup index and the
/// run's IDF table both depend on documents in files a resumed run does not process again.
fn make_dump(dir: &Path) {
    let mut rng = Lcg(7);
    let mut written: Vec<String> = Vec::new();
    for file in 0..40 {
        if file == 13 {
            std::fs::write(dir.join(format!("f{file:02}.txt")), "").unwrap();
            continue;
        }
        if file % 7 == 3 {
            let text = format!("Headline number {file}\n\n{}", article(&mut rng));
            std::fs::write(dir.join(format!("f{file:02}.txt")), &text).unwrap();
            written.push(text);
            continue;
        }
        let mut lines = String::new();
        for line in 0..32 {
            let text = if line % 9 == 4 && !written.is_empty() {
                let original = &written[rng.below(written.len() as u64) as usize];
                format!("{original} {}", sentence(&mut rng))
            } else {
                article(&mut rng)
            };
            if line == 17 && file % 5 == 0 {
                lines.push_str("{this line is not JSON\n");
            }
            let id = format!("f{file:02}-{line:02}");
            lines.push_str(&serde_json::json!({"id": id, "text": text}).to_string());
            lines.push('\n');
            written.push(text);
        }
        std::fs::write(dir.join(format!("f{file:02}.jsonl")), lines).unwrap();
    }
}

/// The files a run writes into `out`, by name.
fn outputs(out: &Path) -> [PathBuf; 5] {
    [
        out.join("dump.jsonl"),
        out.join("dump.rejects.jsonl"),
        out.join("dump.duplicates.jsonl"),
        out.join("dump.stories.jsonl"),
        out.join("signatures.jsonl"),
    ]
}

/// `threads` 1 reads, processes and writes on one thread; 2 runs a reader and a writer thread
/// beside the workers. A journal written by either is resumed by either.
fn command(input: &Path, out: &Path, resume: bool, threads: &str) -> Command {
    let mut command = docpipe();
    command
        .arg("run")
        .arg(input)
        .arg("-o")
        .arg(out.join("dump.jsonl"))
        .arg("--signatures")
        .arg(out.join("signatures.jsonl"))
        .args([
            "--drop-duplicates",
            "--batch-size",
            "16",
            "--threads",
            threads,
            "-q",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if resume {
        command.arg("--resume");
    }
    command
}

/// The counts of a stats file that must not depend on interruptions.
fn counts(stats: &serde_json::Value) -> Vec<serde_json::Value> {
    [
        "read",
        "written",
        "rejected",
        "duplicates",
        "duplicates_dropped",
        "bytes",
        "languages",
        "idf",
    ]
    .iter()
    .map(|key| stats[*key].clone())
    .collect()
}

#[test]
fn runs_killed_at_random_points_resume_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump");
    std::fs::create_dir(&input).unwrap();
    make_dump(&input);

    let reference = dir.path().join("reference");
    let started = Instant::now();
    let status = command(&input, &reference, false, "2").status().unwrap();
    assert!(status.success());
    let full_run = started.elapsed();
    let expected: Vec<Vec<u8>> = outputs(&reference)
        .iter()
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    let expected_stats = read_json(&reference.join("dump.stats.json"));
    assert_counts_add_up(&expected_stats);
    assert_eq!(
        expected_stats["idf"], "run",
        "the dump is large enough for run IDF"
    );
    assert!(expected_stats["duplicates_dropped"].as_u64().unwrap() > 20);
    assert!(expected_stats["rejected"].as_u64().unwrap() > 3);

    // DOCPIPE_RESUME_SEED replays the kill points of a failed run.
    let seed = std::env::var("DOCPIPE_RESUME_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        });
    eprintln!("kill points from seed {seed}");
    let mut rng = Lcg(seed);
    let mut resumed_somewhere = false;
    for trial in 0..6 {
        let out = dir.path().join(format!("trial{trial}"));
        // One to three interruptions, each at a random point of a full run's duration.
        let interruptions = 1 + rng.below(3);
        for round in 0..interruptions {
            let delay = full_run.mul_f64(0.1 + 0.8 * (rng.below(1000) as f64 / 1000.0));
            let threads = if rng.below(2) == 0 { "1" } else { "2" };
            let child = command(&input, &out, round > 0, threads).spawn().unwrap();
            interrupt(child, delay, rng.below(2) == 0);
        }
        let threads = if rng.below(2) == 0 { "1" } else { "2" };
        let finish = command(&input, &out, true, threads).output().unwrap();
        assert!(
            finish.status.success(),
            "trial {trial} (seed {seed}): resume failed: {}",
            String::from_utf8_lossy(&finish.stderr)
        );
        for (path, bytes) in outputs(&out).iter().zip(&expected) {
            let found = std::fs::read(path).unwrap();
            assert!(
                &found == bytes,
                "trial {trial} (seed {seed}): {} differs from the uninterrupted run",
                path.display()
            );
        }
        let stats = read_json(&out.join("dump.stats.json"));
        assert_eq!(
            counts(&stats),
            counts(&expected_stats),
            "trial {trial} (seed {seed})"
        );
        resumed_somewhere |= stats["resumed_inputs"].as_u64().unwrap_or(0) > 0;
        let leftovers: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".partial") || name.contains("progress"))
            .collect();
        assert!(
            leftovers.is_empty(),
            "trial {trial}: left behind {leftovers:?}"
        );
    }
    assert!(
        resumed_somewhere,
        "no trial was interrupted after a checkpoint (seed {seed}); the test proved nothing"
    );
}

#[test]
fn a_journal_of_other_options_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dump");
    std::fs::create_dir(&input).unwrap();
    make_dump(&input);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let journal = serde_json::json!({
        "version": 3,
        "command": "some other run",
        "checkpoint": {
            "inputs_done": 1,
            "last_source": "x",
            "lengths": {"records": 0, "rejects": 0, "duplicates": null, "signatures": null},
            "counts": {"read": 0, "written": 0, "rejected": 0, "duplicates": 0,
                       "duplicates_dropped": 0, "bytes": 0, "languages": {}},
            "finished": ""
        }
    });
    std::fs::write(out.join("dump.progress.json"), journal.to_string()).unwrap();
    let output = command(&input, &out, true, "2").output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("other inputs or options"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one clear error line: {stderr}");
}

#[test]
fn resume_to_standard_output_is_refused() {
    let output = docpipe()
        .args(["run", "corpus", "-o", "-", "--resume"])
        .current_dir(common::repo_root())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs an output file"));
}
