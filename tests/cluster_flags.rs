//! End-to-end: the binary's pieces for cluster runs (spark/README.md). Part of a file piped in
//! with `--stdin-name`/`--stdin-first-line` gives that part's records of a whole-file run; a
//! table from `docpipe idf` gives every part the summaries of the whole run; and
//! `docpipe dedup-verify` scores a pair as `docpipe run` does.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use common::{docpipe, read_jsonl, run_ok, run_quiet};

/// Runs `docpipe args...` in `cwd` with `input` on standard input and returns its output.
fn output_with_stdin(args: &[&str], cwd: &Path, input: &str) -> Output {
    let mut child = docpipe()
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docpipe runs");
    let mut stdin = child.stdin.take().expect("a stdin pipe");
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("docpipe finishes");
    writer
        .join()
        .expect("the writer thread")
        .expect("stdin written");
    output
}

/// Runs `docpipe args...` in `cwd` with `input` on standard input and returns standard output,
/// panicking with its stderr if it fails.
fn run_with_stdin(args: &[&str], cwd: &Path, input: &str) -> String {
    let output = output_with_stdin(args, cwd, input);
    assert!(
        output.status.success(),
        "docpipe {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 records")
}

/// `n` short, varied news-like articles as JSON lines (some without an id).
fn articles(n: usize) -> String {
    let subjects = [
        "The council",
        "Farmers",
        "The central bank",
        "Rescue teams",
        "Voters",
    ];
    let verbs = ["approved", "rejected", "discussed", "postponed", "welcomed"];
    let objects = [
        "a new budget",
        "the water plan",
        "higher rates",
        "the harbour repairs",
    ];
    let places = [
        "in the north",
        "near the river",
        "downtown",
        "across the valley",
    ];
    let mut out = String::new();
    for i in 0..n {
        let pick =
            |list: &[&'static str], salt: usize| list[(i * 7 + salt * 13 + i / 5) % list.len()];
        let text = format!(
            "{} {} {} {} on day {i}. {} said the decision on {} would be reviewed. \
             Officials {} more talks {} next week. The vote ended {} to {}.",
            pick(&subjects, 1),
            pick(&verbs, 2),
            pick(&objects, 3),
            pick(&places, 4),
            pick(&subjects, 5),
            pick(&objects, 6),
            pick(&verbs, 7),
            pick(&places, 8),
            i % 17 + 3,
            i % 5 + 1,
        );
        let line = if i % 3 == 0 {
            serde_json::json!({"text": text, "date": "2024-03-18"})
        } else {
            serde_json::json!({"id": format!("a{i}"), "text": text, "date": "2024-03-18"})
        };
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

#[test]
fn part_of_a_file_on_stdin_gives_that_parts_records() {
    let dir = tempfile::tempdir().unwrap();
    let dump = articles(9);
    std::fs::write(dir.path().join("dump.jsonl"), &dump).unwrap();
    let stages = "normalize,lang,dates,summarize";
    run_quiet(
        Path::new("dump.jsonl"),
        Path::new("full.jsonl"),
        &["--stages", stages],
        dir.path(),
    );
    let full = std::fs::read_to_string(dir.path().join("full.jsonl")).unwrap();
    let tail: String = dump.lines().skip(4).map(|l| format!("{l}\n")).collect();
    let part = run_with_stdin(
        &[
            "run",
            "-",
            "-o",
            "-",
            "-q",
            "--stages",
            stages,
            "--stdin-name",
            "dump.jsonl",
            "--stdin-first-line",
            "5",
        ],
        dir.path(),
        &tail,
    );
    let expected: Vec<&str> = full.lines().skip(4).collect();
    assert_eq!(part.lines().collect::<Vec<_>>(), expected);
    // Line 7 has no id: it is named after the file and line, as in the whole-file run.
    assert!(part.contains(r#""id":"dump.jsonl:7","source":"dump.jsonl:7""#));
}

#[test]
fn an_idf_table_gives_every_part_the_summaries_of_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let dump = articles(1_040);
    std::fs::write(dir.path().join("dump.jsonl"), &dump).unwrap();
    let stages = "normalize,summarize";
    run_quiet(
        Path::new("dump.jsonl"),
        Path::new("full.jsonl"),
        &["--stages", stages],
        dir.path(),
    );
    let output = run_ok(&["idf", "dump.jsonl", "-o", "idf.tsv"], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({"documents": 1000, "written": true})
    );

    // The last 40 documents alone would use the shipped table; with the file, the run's.
    let tail: String = dump.lines().skip(1_000).map(|l| format!("{l}\n")).collect();
    let args = [
        "run",
        "-",
        "-o",
        "-",
        "-q",
        "--stages",
        stages,
        "--stdin-name",
        "dump.jsonl",
        "--stdin-first-line",
        "1001",
    ];
    let with_table = run_with_stdin(
        &[&args[..], &["--idf", "idf.tsv"]].concat(),
        dir.path(),
        &tail,
    );
    let full = std::fs::read_to_string(dir.path().join("full.jsonl")).unwrap();
    let expected: Vec<&str> = full.lines().skip(1_000).collect();
    assert_eq!(with_table.lines().collect::<Vec<_>>(), expected);
    let stats = common::read_json(&dir.path().join("output/stdin.stats.json"));
    assert_eq!(stats["idf"], "file");
    // Control: without the table the same part gives other summaries, so the table matters.
    let without_table = run_with_stdin(&args, dir.path(), &tail);
    assert_ne!(without_table.lines().collect::<Vec<_>>(), expected);

    // Fewer than 1,000 documents: no table, as such a run uses the shipped one.
    std::fs::write(dir.path().join("small.jsonl"), articles(20)).unwrap();
    let output = run_ok(&["idf", "small.jsonl", "-o", "small.tsv"], dir.path());
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({"documents": 20, "written": false})
    );
    assert!(!dir.path().join("small.tsv").exists());

    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "not a table\n").unwrap();
    let output = docpipe()
        .args(["run", "small.jsonl", "-o", "-", "-q", "--idf", "bad.tsv"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("bad.tsv is not an IDF table"));
}

#[test]
fn dedup_verify_scores_a_pair_as_run_does() {
    let dir = tempfile::tempdir().unwrap();
    let story: String = (0..12)
        .map(|i| format!("Paragraph {i} reports that the minister met officials from district {i} about water, roads and the harvest season ahead of winter.\n\n"))
        .collect();
    let copy = format!(
        "UPDATE 1-Minister tours districts\n\n{}",
        &story[..story.len() * 2 / 3]
    );
    let other = "The city council approved a new budget for schools and parks on Monday after a long debate about property taxes and the cost of repairing old buildings downtown.";
    let dump: String = [("a", story.as_str()), ("b", copy.as_str()), ("c", other)]
        .iter()
        .map(|(id, text)| format!("{}\n", serde_json::json!({"id": id, "text": text})))
        .collect();
    std::fs::write(dir.path().join("dump.jsonl"), dump).unwrap();
    run_quiet(
        Path::new("dump.jsonl"),
        Path::new("out.jsonl"),
        &["--signatures", "sig.jsonl"],
        dir.path(),
    );
    let records = read_jsonl(&dir.path().join("out.jsonl"));
    assert_eq!(records[1]["dedup"]["status"], "near");
    let signatures = read_jsonl(&dir.path().join("sig.jsonl"));
    let print = |i: usize| signatures[i]["fingerprint"].as_str().unwrap().to_string();
    let pairs = format!(
        "{}\n{}\n",
        serde_json::json!({"a": print(1), "b": print(0)}),
        serde_json::json!({"a": print(2), "b": print(0)})
    );
    let scores = run_with_stdin(&["dedup-verify"], dir.path(), &pairs);
    let scores: Vec<serde_json::Value> = scores
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(scores.len(), 2);
    assert_eq!(scores[0]["similarity"], records[1]["dedup"]["similarity"]);
    assert!(scores[0]["score"].as_f64().unwrap() >= 0.6);
    assert_eq!(
        scores[1],
        serde_json::json!({"score": null, "similarity": null})
    );

    let output = output_with_stdin(
        &["dedup-verify"],
        dir.path(),
        "{\"a\": \"00\", \"b\": \"00\"}\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 1, fingerprint a"));
}
