//! Helpers shared by the end-to-end tests: run the real `docpipe` binary and read its output.

#![allow(dead_code)]

pub mod warc;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::Duration;

/// A short news paragraph the fault tests feed in many shapes.
pub const PROSE: &str = "The council met on Tuesday to discuss the new budget. Members agreed \
to raise spending on schools by five percent next year. The mayor said the plan was fair.";

pub fn docpipe() -> Command {
    Command::new(env!("CARGO_BIN_EXE_docpipe"))
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository (eval data; CI always has it, a bare clone may not).
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().join("../shared");
    dir.is_dir().then_some(dir)
}

/// Runs `docpipe` with `args`, panicking with its stderr if it fails.
pub fn run_ok(args: &[&str], cwd: &Path) -> Output {
    let output = docpipe()
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("docpipe runs");
    assert!(
        output.status.success(),
        "docpipe {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Runs `docpipe run <input> -o <out> <extra...> -q` in `cwd` through [`run_ok`].
pub fn run_quiet(input: &Path, out: &Path, extra: &[&str], cwd: &Path) -> Output {
    let mut args = vec![
        "run",
        input.to_str().expect("a UTF-8 input path"),
        "-o",
        out.to_str().expect("a UTF-8 output path"),
    ];
    args.extend_from_slice(extra);
    args.push("-q");
    run_ok(&args, cwd)
}

/// Parses a JSON Lines file.
pub fn read_jsonl(path: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_json::from_str(&text).expect("JSON")
}

/// The text of a span given as Unicode character offsets, as `text[start:end]` in Python.
pub fn char_slice(text: &str, start: u64, end: u64) -> String {
    text.chars()
        .skip(start as usize)
        .take((end - start) as usize)
        .collect()
}

/// Checks `read = written + duplicates dropped + rejected` in a stats file.
pub fn assert_counts_add_up(stats: &serde_json::Value) {
    let count = |key: &str| {
        stats[key]
            .as_u64()
            .unwrap_or_else(|| panic!("no {key} in {stats}"))
    };
    assert_eq!(
        count("read"),
        count("written") + count("duplicates_dropped") + count("rejected"),
        "counts do not add up: {stats}"
    );
}

/// Kills `child` after `delay`, with SIGINT (through `kill -INT`) or SIGKILL, and waits for it.
pub fn interrupt(mut child: Child, delay: Duration, sigint: bool) {
    std::thread::sleep(delay);
    if sigint {
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
    } else {
        let _ = child.kill();
    }
    let _ = child.wait();
}
