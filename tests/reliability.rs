//! End-to-end: nothing a user points `docpipe run` at can destroy data or hang the run. Each
//! test is one finding of an outside test of an earlier build (output over input, a FIFO or
//! device as output, two runs on one output, FIFOs among the inputs, a resumed run over
//! changed inputs, a folder walk that read back earlier outputs) and failed on that build.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{docpipe, read_json, read_jsonl, PROSE};

fn lines(n: usize) -> String {
    (0..n)
        .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"Story {i}. {PROSE} Item {i}.\"}}\n"))
        .collect()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    docpipe()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("docpipe runs")
}

/// Asserts a refusal: exit status 2, one line on stderr naming `names`.
fn assert_refused(output: &Output, names: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "stderr: {stderr}");
    for name in names {
        assert!(stderr.contains(name), "{name} not named in: {stderr}");
    }
}

/// Every file in `dir` (recursively), for checking that a refused run left nothing behind.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            all.push(path);
        }
    }
    all.sort();
    all
}

fn mkfifo(path: &Path) -> bool {
    let made = Command::new("mkfifo").arg(path).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("no mkfifo on this machine: test skipped");
        return false;
    }
    true
}

/// Waits for `child` for at most `limit`, killing it if it is still running then.
fn wait_at_most(mut child: Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// [`run_in`] for a run that could wait on a FIFO: killed (and the test failed) after `limit`.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let child = docpipe()
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docpipe runs");
    let id = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let output = child.wait_with_output();
        let _ = done.send(());
        output
    });
    if finished.recv_timeout(limit).is_err() {
        let _ = Command::new("kill")
            .args(["-KILL", &id.to_string()])
            .status();
        panic!("docpipe {args:?} did not finish in {limit:?}");
    }
    waiter.join().unwrap().unwrap()
}

fn signal(child: &Child, name: &str) {
    Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
}

#[test]
fn an_output_that_is_an_input_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let data = lines(3);
    fs::write(root.join("data.jsonl"), &data).unwrap();
    fs::create_dir(root.join("output")).unwrap();
    fs::write(root.join("output/foo.jsonl"), &data).unwrap();
    fs::write(root.join("x.rejects.jsonl"), &data).unwrap();
    fs::write(root.join("x.duplicates.jsonl"), &data).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("data.jsonl"), root.join("alias.jsonl")).unwrap();
    let before = tree(root);

    let cases: &[(&[&str], &[&str])] = &[
        (&["run", "data.jsonl", "-o", "data.jsonl"], &["data.jsonl"]),
        (
            &["run", "data.jsonl", "-o", "./data.jsonl"],
            &["data.jsonl"],
        ),
        // The default output of output/foo.jsonl is output/foo.jsonl.
        (&["run", "output/foo.jsonl"], &["output/foo.jsonl"]),
        (
            &["run", "x.rejects.jsonl", "-o", "x.jsonl"],
            &["x.rejects.jsonl"],
        ),
        (
            &[
                "run",
                "x.duplicates.jsonl",
                "-o",
                "x.jsonl",
                "--drop-duplicates",
            ],
            &["x.duplicates.jsonl"],
        ),
        (
            &[
                "run",
                "data.jsonl",
                "-o",
                "o.jsonl",
                "--signatures",
                "data.jsonl",
            ],
            &["data.jsonl"],
        ),
        #[cfg(unix)]
        (
            &["run", "data.jsonl", "-o", "alias.jsonl"],
            &["alias.jsonl", "data.jsonl"],
        ),
    ];
    for (args, names) in cases {
        let output = run_in(root, args);
        assert_refused(&output, names);
        for file in ["data.jsonl", "output/foo.jsonl", "x.rejects.jsonl"] {
            assert_eq!(
                fs::read_to_string(root.join(file)).unwrap(),
                data,
                "{args:?}"
            );
        }
        assert_eq!(tree(root), before, "{args:?} left files behind");
    }

    // Standard input redirected from the output file.
    let output = docpipe()
        .args(["run", "-", "-o", "data.jsonl"])
        .current_dir(root)
        .stdin(fs::File::open(root.join("data.jsonl")).unwrap())
        .output()
        .unwrap();
    assert_refused(&output, &["data.jsonl", "standard input"]);
    assert_eq!(fs::read_to_string(root.join("data.jsonl")).unwrap(), data);
}

#[test]
fn a_directory_as_output_and_bad_options_are_refused_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("data.jsonl"), lines(2)).unwrap();
    fs::create_dir(root.join("out")).unwrap();
    assert_refused(&run_in(root, &["run", "data.jsonl", "-o", "out"]), &["out"]);
    assert_refused(
        &run_in(
            root,
            &["run", "data.jsonl", "-o", "o.jsonl", "--batch-size", "0"],
        ),
        &["--batch-size"],
    );
    assert_refused(
        &run_in(
            root,
            &[
                "run",
                "data.jsonl",
                "-o",
                "o.jsonl",
                "--reference-date",
                "2024-02-30",
            ],
        ),
        &["--reference-date"],
    );
    assert_refused(
        &run_in(
            root,
            &["run", "data.jsonl", "-o", "o.jsonl", "--threads", "5000"],
        ),
        &["--threads"],
    );
    assert!(!root.join("o.jsonl").exists() && !root.join("output").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_as_output_is_written_in_place_with_no_side_files_beside_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("data.jsonl"), lines(4)).unwrap();
    fs::create_dir(root.join("pipes")).unwrap();
    let fifo = root.join("pipes/out.jsonl");
    if !mkfifo(&fifo) {
        return;
    }
    let reader_path = fifo.clone();
    let reader = std::thread::spawn(move || fs::read_to_string(reader_path).unwrap());
    let output = run_in(root, &["run", "data.jsonl", "-o", "pipes/out.jsonl", "-q"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Checked before waiting for the reader, which waits forever on a replaced FIFO.
    assert!(
        fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the FIFO was replaced"
    );
    let records = reader.join().unwrap();
    assert_eq!(records.lines().count(), 4);
    // Nothing beside the FIFO; the side files went where a run to standard output puts them.
    assert_eq!(tree(&root.join("pipes")), std::slice::from_ref(&fifo));
    assert!(root.join("output/data.stats.json").exists());
    // A FIFO cannot be cut back to a checkpoint.
    assert_refused(
        &run_in(
            root,
            &["run", "data.jsonl", "-o", "pipes/out.jsonl", "--resume"],
        ),
        &["--resume"],
    );
}

#[cfg(unix)]
#[test]
fn a_second_run_on_the_same_output_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The first run reads a FIFO that this test holds open: it is writing (and holds the lock)
    // for as long as the test wants.
    let fifo = root.join("slow.jsonl");
    if !mkfifo(&fifo) {
        return;
    }
    fs::write(root.join("other.jsonl"), lines(2)).unwrap();
    let first = docpipe()
        .args(["run", "slow.jsonl", "-o", "same.jsonl", "-q"])
        .current_dir(root)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut writer = fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writer.write_all(lines(5).as_bytes()).unwrap();
    writer.flush().unwrap();
    let partial = root.join(".same.jsonl.partial");
    let started = Instant::now();
    while !partial.exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(partial.exists(), "the first run did not start writing");

    let second = run_in(root, &["run", "other.jsonl", "-o", "same.jsonl", "-q"]);
    assert_refused(&second, &["same.jsonl", &first.id().to_string()]);

    writer.write_all(lines(5).as_bytes()).unwrap();
    drop(writer);
    let status = wait_at_most(first, Duration::from_secs(60)).expect("the first run finished");
    assert!(status.success());
    let records = read_jsonl(&root.join("same.jsonl"));
    assert_eq!(
        records.len(),
        10,
        "the first run's output is whole and only its own"
    );
}

#[cfg(unix)]
#[test]
fn fifos_among_the_inputs_never_hang_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();

    // Inside a walked folder: rejected with a reason, not opened.
    fs::create_dir(root.join("dump")).unwrap();
    fs::write(root.join("dump/a.jsonl"), lines(2)).unwrap();
    if !mkfifo(&root.join("dump/b.jsonl")) {
        return;
    }
    let child = docpipe()
        .args(["run", "dump", "-o", "walked.jsonl", "-q"])
        .current_dir(root)
        .spawn()
        .unwrap();
    let status = wait_at_most(child, Duration::from_secs(60)).expect("the walk hung on a FIFO");
    assert!(status.success());
    let rejects = read_jsonl(&root.join("walked.rejects.jsonl"));
    assert_eq!(rejects.len(), 1);
    assert!(
        rejects[0]["reason"].as_str().unwrap().contains("FIFO"),
        "{rejects:?}"
    );
    assert_eq!(rejects[0]["kind"], "not_regular_file");
    let stats = read_json(&root.join("walked.stats.json"));
    assert_eq!(
        (stats["read"].as_u64(), stats["written"].as_u64()),
        (Some(3), Some(2))
    );

    // Given directly: read as a stream once a writer comes.
    let fifo = root.join("dump/b.jsonl");
    let writer_path = fifo.clone();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        fs::write(writer_path, lines(3)).unwrap();
    });
    let output = run_in(root, &["run", "dump/b.jsonl", "-o", "direct.jsonl", "-q"]);
    writer.join().unwrap();
    assert!(output.status.success());
    assert_eq!(read_jsonl(&root.join("direct.jsonl")).len(), 3);

    // Given directly with no writer ever: SIGINT and SIGTERM stop the run.
    for name in ["INT", "TERM"] {
        let child = docpipe()
            .args(["run", "dump/b.jsonl", "-o", "never.jsonl", "-q"])
            .current_dir(root)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(500));
        signal(&child, name);
        let status = wait_at_most(child, Duration::from_secs(20))
            .unwrap_or_else(|| panic!("SIG{name} did not stop a run waiting on a FIFO"));
        assert_eq!(status.code(), Some(130), "SIG{name}");
    }
}

#[test]
fn a_resumed_run_refuses_inputs_that_changed_since_the_interruption() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir(root.join("dump")).unwrap();
    let a = lines(3);
    fs::write(root.join("dump/a.jsonl"), &a).unwrap();
    fs::write(root.join("dump/b.jsonl"), lines(3)).unwrap();
    // An interrupted run's outputs, made the way a run leaves them: the records of a.jsonl in
    // the .partial files and a journal that says a.jsonl is finished. Made by a real run that
    // is stopped on a FIFO after the two files (see `fifos_among_the_inputs_never_hang_the_run`).
    #[cfg(unix)]
    {
        // Given directly, so that the run waits on it (a walk would reject it).
        if !mkfifo(&root.join("c.jsonl")) {
            return;
        }
        let inputs = ["dump/a.jsonl", "dump/b.jsonl", "c.jsonl"];
        let child = docpipe()
            .arg("run")
            .args(inputs)
            // Without summaries: their IDF read-ahead would wait on the FIFO before writing.
            .args([
                "-o",
                "out.jsonl",
                "--batch-size",
                "1",
                "-q",
                "--threads",
                "1",
            ])
            .args(["--stages", "normalize,dedup"])
            .current_dir(root)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let journal = root.join("out.progress.json");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            let finished_b = fs::read_to_string(&journal)
                .ok()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .is_some_and(|json| json["checkpoint"]["inputs_done"].as_u64() >= Some(1));
            if finished_b {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        signal(&child, "INT");
        assert_eq!(
            wait_at_most(child, Duration::from_secs(20)).and_then(|s| s.code()),
            Some(130)
        );
        assert!(root.join(".out.jsonl.partial").exists());

        // a.jsonl changes: same size, other content.
        let modified = fs::metadata(root.join("dump/a.jsonl"))
            .unwrap()
            .modified()
            .unwrap();
        fs::write(root.join("dump/a.jsonl"), a.replace("Story", "Stori")).unwrap();
        let options = [
            "-o",
            "out.jsonl",
            "--resume",
            "-q",
            "--stages",
            "normalize,dedup",
        ];
        let resume = [&["run"], &inputs[..], &options[..]].concat();
        let resumed = run_within(root, &resume, Duration::from_secs(60));
        assert_refused(&resumed, &["--resume"]);
        // Refused before anything was changed: the interrupted run can still be resumed.
        assert!(root.join(".out.jsonl.partial").exists() && journal.exists());

        // Put back as it was, the same command resumes (the FIFO gets a writer this time).
        fs::write(root.join("dump/a.jsonl"), &a).unwrap();
        let file = fs::File::options()
            .write(true)
            .open(root.join("dump/a.jsonl"))
            .unwrap();
        file.set_modified(modified).unwrap();
        drop(file);
        let fifo = root.join("c.jsonl");
        let writer_fifo = fifo.clone();
        let writer = std::thread::spawn(move || fs::write(writer_fifo, lines(1)).unwrap());
        let resumed = run_within(root, &resume, Duration::from_secs(60));
        if !resumed.status.success() {
            // The writer waits for a reader: be it, so the test fails instead of hanging.
            let _ = fs::read(&fifo);
        }
        writer.join().unwrap();
        assert!(
            resumed.status.success(),
            "{}",
            String::from_utf8_lossy(&resumed.stderr)
        );
        assert_eq!(read_jsonl(&root.join("out.jsonl")).len(), 7);
    }
}

#[test]
fn runs_over_a_folder_never_read_back_their_own_or_earlier_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.jsonl"), lines(3)).unwrap();
    fs::write(root.join("b.txt"), PROSE).unwrap();
    let mut reads = Vec::new();
    for _ in 0..3 {
        // The default output folder, ./output, is inside the walked folder.
        let output = run_in(root, &["run", ".", "-q"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        let stats = read_json(&root.join(format!("output/{name}.stats.json")));
        reads.push(stats["read"].as_u64().unwrap());
    }
    assert_eq!(reads, [4, 4, 4]);

    // Another run's outputs under other names, and an unfinished run's .partial file.
    fs::create_dir(root.join("old")).unwrap();
    for entry in fs::read_dir(root.join("output")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        fs::copy(&path, root.join("old").join(format!("old_{name}"))).unwrap();
    }
    fs::write(
        root.join("old/.x.jsonl.partial"),
        "{\"text\": \"half a run\"}\n",
    )
    .unwrap();
    let output = run_in(root, &["run", ".", "-o", "elsewhere.jsonl"]);
    assert!(output.status.success());
    let stats = read_json(&root.join("elsewhere.stats.json"));
    assert_eq!(stats["read"].as_u64(), Some(4), "{stats}");
    let skipped = stats["skipped"].as_array().expect("skipped files listed");
    assert!(skipped.len() >= 4, "{skipped:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("not read"));
}

#[test]
fn every_dropped_duplicate_names_a_kept_document() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // A chain: each version changes a few more words of the one before, so a later version
    // is closest to a version that is itself dropped.
    let words: Vec<String> = (0..240)
        .map(|i| format!("word{}", i * 7919 % 1000))
        .collect();
    let mut lines = String::new();
    let mut version = words.clone();
    for v in 0..6 {
        for i in 0..12 {
            version[(v * 37 + i * 19) % 240] = format!("changed{v}x{i}");
        }
        let text = version.join(" ");
        lines.push_str(&format!("{{\"id\": \"v{v}\", \"text\": \"{text}.\"}}\n"));
        lines.push_str(&format!(
            "{{\"id\": \"v{v}copy\", \"text\": \"{text}.\"}}\n"
        ));
    }
    fs::write(root.join("chain.jsonl"), lines).unwrap();
    let output = run_in(
        root,
        &[
            "run",
            "chain.jsonl",
            "-o",
            "out.jsonl",
            "--drop-duplicates",
            "-q",
        ],
    );
    assert!(output.status.success());
    let kept: Vec<String> = read_jsonl(&root.join("out.jsonl"))
        .iter()
        .map(|record| record["id"].as_str().unwrap().to_string())
        .collect();
    let dropped = read_jsonl(&root.join("out.duplicates.jsonl"));
    assert!(dropped.len() >= 6, "{dropped:?}");
    for line in &dropped {
        let cluster = line["cluster"].as_str().expect("a cluster id");
        assert!(
            kept.iter().any(|id| id == cluster),
            "{line} names a dropped document"
        );
    }
}

#[test]
fn a_text_empty_after_normalization_is_rejected_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("in.jsonl"),
        "{\"id\": \"z\", \"text\": \"\\u200b\\u200b\\u200b\"}\n\
         {\"id\": \"c\", \"text\": \"\\u0007\\u0008 \\u200d\"}\n\
         {\"id\": \"ok\", \"text\": \"A real text.\"}\n",
    )
    .unwrap();
    let output = run_in(root, &["run", "in.jsonl", "-o", "out.jsonl", "-q"]);
    assert!(output.status.success());
    let records = read_jsonl(&root.join("out.jsonl"));
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "ok");
    let rejects = read_jsonl(&root.join("out.rejects.jsonl"));
    assert_eq!(rejects.len(), 2);
    assert!(rejects[0]["reason"]
        .as_str()
        .unwrap()
        .contains("empty after normalization"));
    assert_eq!(rejects[1]["kind"], "empty_after_normalization");
    common::assert_counts_add_up(&read_json(&root.join("out.stats.json")));
}

#[test]
fn documents_that_reuse_an_id_are_kept_counted_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(
        root.join("ids.jsonl"),
        format!(
            "{{\"id\": \"same\", \"text\": \"{PROSE}\"}}\n\
             {{\"id\": \"other\", \"text\": \"A different story about the harbour.\"}}\n\
             {{\"id\": \"same\", \"text\": \"Another text that has nothing to do with it.\"}}\n"
        ),
    )
    .unwrap();
    let output = run_in(root, &["run", "ids.jsonl", "-o", "out.jsonl"]);
    assert!(output.status.success());
    assert_eq!(read_jsonl(&root.join("out.jsonl")).len(), 3);
    let stats = read_json(&root.join("out.stats.json"));
    assert_eq!(stats["duplicate_ids"], 1, "{stats}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"same\"") && stderr.contains("ids.jsonl:3"),
        "{stderr}"
    );
}
