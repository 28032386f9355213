//! End-to-end: the Spark job (`spark/docpipe_spark.py`, PySpark in `local[2]`) gives the same
//! records and stories file as `docpipe run`, on `corpus/` (one article per file) and on the
//! dedup dev set (2,739 JSON lines with many duplicates, split across partitions), also with
//! `--drop-duplicates`.
//!
//! PySpark is installed from PyPI into `target/spark-venv` on the first run and reused after.
//! Without `../shared` or Java the test says so and passes; CI has both. Without PyPI it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{repo_root, run_quiet, shared_dir};

/// Pinned: 4.x runs on the machine's Java 17. PyPI has only a source distribution (mostly
/// Spark's jars); it installs in about a minute and takes about 500 MB.
const PYSPARK: &str = "pyspark==4.0.1";

fn target_dir() -> PathBuf {
    // target/<profile>/docpipe
    let binary = Path::new(env!("CARGO_BIN_EXE_docpipe"));
    binary
        .parent()
        .and_then(Path::parent)
        .expect("the binary lives in target/<profile>/")
        .to_path_buf()
}

fn java_runs() -> bool {
    Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The virtual environment's python, with PySpark installed (once).
fn spark_python() -> PathBuf {
    let venv = target_dir().join("spark-venv");
    let python = venv.join("bin/python");
    let version = PYSPARK.trim_start_matches("pyspark==");
    let installed = Command::new(&python)
        .args(["-c", "import pyspark; print(pyspark.__version__)"])
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == version);
    if installed {
        return python;
    }
    let started = Instant::now();
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("python3 runs");
    assert!(status.success(), "cannot create {}", venv.display());
    let output = Command::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", PYSPARK])
        .output()
        .expect("pip runs");
    assert!(
        output.status.success(),
        "pip install {PYSPARK} failed (CI needs PyPI): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "spark test: installed {PYSPARK} in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    python
}

/// Runs the Spark job on `input` and returns its records (part files in order) and summary.
fn spark_run(
    python: &Path,
    input: &Path,
    out: &Path,
    extra: &[&str],
) -> (String, serde_json::Value) {
    let started = Instant::now();
    let output = Command::new(python)
        .arg(repo_root().join("spark/docpipe_spark.py"))
        .args(["--master", "local[2]", "--partitions", "4", "--binary"])
        .arg(env!("CARGO_BIN_EXE_docpipe"))
        .args(extra)
        .arg("-o")
        .arg(out)
        .arg(input)
        // Executors' Python workers run the same interpreter as the driver.
        .env("PYSPARK_PYTHON", python)
        .output()
        .expect("the Spark job starts");
    assert!(
        output.status.success(),
        "the Spark job failed on {}: {}",
        input.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!(
        "spark test: {} in {:.1} s",
        input.display(),
        started.elapsed().as_secs_f64()
    );
    let records = read_parts(&out.join("records"));
    let summary = std::fs::read_to_string(out.join("summary.json")).expect("summary.json");
    (records, serde_json::from_str(&summary).expect("JSON"))
}

/// The part files of a Spark output directory, concatenated in name order.
fn read_parts(dir: &Path) -> String {
    let mut parts: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("part-"))
        })
        .collect();
    parts.sort();
    parts
        .iter()
        .map(|part| std::fs::read_to_string(part).expect("a part file"))
        .collect()
}

/// Checks the Spark records against `docpipe run` on the same input, every stage (stories
/// included): the same lines (order aside), and in fact in the same order; the same rejects,
/// stories file and (with `--drop-duplicates` in `extra`) duplicates list.
fn assert_same_records(
    input: &Path,
    work: &Path,
    python: &Path,
    idf: &str,
    rejected: u64,
    extra: &[&str],
) {
    let single = work.join("single.jsonl");
    let started = Instant::now();
    run_quiet(input, &single, extra, work);
    eprintln!(
        "spark test: docpipe run {} in {:.1} s",
        input.display(),
        started.elapsed().as_secs_f64()
    );
    let expected = std::fs::read_to_string(&single).expect("the single-machine records");
    let (records, summary) = spark_run(python, input, &work.join("spark"), extra);
    assert_eq!(summary["idf"], idf, "{summary}");
    assert_eq!(summary["rejected"], rejected, "{summary}");

    let mut expected_lines: Vec<&str> = expected.lines().collect();
    let mut spark_lines: Vec<&str> = records.lines().collect();
    assert_eq!(spark_lines.len(), expected_lines.len(), "record count");
    let in_order = spark_lines == expected_lines;
    expected_lines.sort_unstable();
    spark_lines.sort_unstable();
    for (spark, single) in spark_lines.iter().zip(&expected_lines) {
        if spark != single {
            let id = |line: &str| -> String {
                let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
                value["id"].to_string()
            };
            panic!(
                "records differ (Spark {} vs docpipe run {}):\n{spark}\n{single}",
                id(spark),
                id(single)
            );
        }
    }
    assert!(in_order, "same records, but not in input order");
    let rejects = std::fs::read_to_string(work.join("single.rejects.jsonl")).expect("rejects");
    assert_eq!(rejects.lines().count() as u64, rejected, "{rejects}");
    assert_eq!(read_parts(&work.join("spark/rejects")), rejects, "rejects");
    let stories = std::fs::read_to_string(work.join("single.stories.jsonl")).expect("stories");
    let spark_stories = read_parts(&work.join("spark/stories"));
    assert_eq!(
        spark_stories.lines().count(),
        stories.lines().count(),
        "story count"
    );
    assert!(spark_stories == stories, "the stories files differ");
    if extra.contains(&"--drop-duplicates") {
        let duplicates =
            std::fs::read_to_string(work.join("single.duplicates.jsonl")).expect("duplicates");
        assert!(!duplicates.is_empty(), "the dev set has duplicates");
        assert!(
            read_parts(&work.join("spark/duplicates")) == duplicates,
            "the duplicates lists differ"
        );
    }
    let with_story = records
        .lines()
        .filter(|line| !line.ends_with(",\"story\":null}"))
        .count();
    assert_eq!(with_story, spark_lines.len(), "every record has a story");
    eprintln!(
        "spark test: {} records identical to docpipe run: {}",
        spark_lines.len(),
        summary["seconds"]
    );
}

#[test]
fn spark_job_gives_the_records_of_docpipe_run() {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (the dedup dev set) is absent");
        return;
    };
    if !java_runs() {
        eprintln!("skipped: no Java for Spark");
        return;
    }
    let python = spark_python();
    let dir = tempfile::tempdir().expect("a temporary directory");

    // One article per file, read whole; fewer than 1,000 documents: the shipped IDF table.
    let corpus_work = dir.path().join("corpus");
    std::fs::create_dir(&corpus_work).expect("a directory");
    assert_same_records(
        &repo_root().join("corpus"),
        &corpus_work,
        &python,
        "shipped",
        0,
        &[],
    );

    // JSON Lines with bad lines among good ones: the same rejects, with the same reasons and
    // line numbers.
    let mixed_work = dir.path().join("mixed");
    std::fs::create_dir(&mixed_work).expect("a directory");
    let mixed = mixed_work.join("mixed.jsonl");
    let good = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
    let lines = [
        good(
            "a",
            "Rates rose on Monday. The bank said inflation was easing.",
        ),
        "this line is not JSON".to_string(),
        good("b", "   "),
        r#"{"id": "c", "body": "no text field"}"#.to_string(),
        r#"{"id": "d", "text": 42}"#.to_string(),
        good(
            "e",
            "Floods closed roads in the north. Officials expect them to reopen soon.",
        ),
    ];
    std::fs::write(&mixed, lines.join("\n") + "\n").expect("the mixed input");
    assert_same_records(&mixed, &mixed_work, &python, "shipped", 4, &[]);

    // HTML pages (one plain, one gzipped) and a WARC crawl beside them, read whole and piped
    // to the binary: the same records (page metadata, WARC record ids and offsets) and the
    // same rejects (a page with no main text), the WARC's request and image skipped.
    let web_work = dir.path().join("web");
    let web = web_work.join("input");
    std::fs::create_dir_all(&web).expect("a directory");
    let page = |title: &str, body: &str| {
        format!(
            "<!doctype html><html lang=\"en\"><head><title>{title} | The Example Times</title>\
             <meta property=\"og:site_name\" content=\"The Example Times\">\
             <meta property=\"article:published_time\" content=\"2024-03-18T09:00:00Z\">\
             </head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
             <article><h1>{title}</h1><p class=\"byline\">By Jane Roe</p><p>{body}</p>\
             <p>{body} Officials said more talks would follow next week.</p></article>\
             <footer>Copyright 2024 The Example Times</footer></body></html>"
        )
    };
    std::fs::write(
        web.join("a.html"),
        page(
            "Talks resume in Kabul",
            "Foreign ministers met in Kabul on Monday to resume talks on trade and security.",
        ),
    )
    .expect("a page");
    std::fs::write(
        web.join("b.html.gz"),
        common::warc::gzip(
            page(
                "Floods close northern roads",
                "Heavy rain flooded roads across the north, and crews worked through the night.",
            )
            .as_bytes(),
        ),
    )
    .expect("a page");
    std::fs::write(
        web.join("c.html"),
        "<html><head><script>var x = 1;</script></head></html>",
    )
    .expect("a page");
    let mut crawl = Vec::new();
    for (id, title, body) in [
        (
            "00000000-0000-0000-0000-000000000001",
            "Markets rally on rate hopes",
            "Shares rose in early trading as investors bet that central banks would cut rates.",
        ),
        (
            "00000000-0000-0000-0000-000000000002",
            "Storm warning for the coast",
            "Forecasters warned of gale-force winds along the coast from Tuesday evening onward.",
        ),
    ] {
        crawl.extend(common::warc::gzip(&common::warc::record(
            "request",
            &format!("{id}-r"),
            "",
            b"GET / HTTP/1.1\r\n\r\n",
        )));
        crawl.extend(common::warc::gzip(&common::warc::response(
            id,
            "text/html; charset=utf-8",
            page(title, body).as_bytes(),
        )));
    }
    crawl.extend(common::warc::gzip(&common::warc::response(
        "00000000-0000-0000-0000-000000000003",
        "image/png",
        b"\x89PNG\r\n",
    )));
    std::fs::write(web.join("crawl.warc.gz"), crawl).expect("a WARC");
    assert_same_records(&web, &web_work, &python, "shipped", 1, &[]);

    // JSON Lines split into 4 partitions, 1,214 duplicates among 2,739 documents, summaries
    // weighed by the IDF of the first 1,000.
    let dev_work = dir.path().join("dev");
    std::fs::create_dir(&dev_work).expect("a directory");
    let dev = shared.join("eval/dedup/dev.jsonl");
    let dev = dev.canonicalize().unwrap_or(dev);
    assert_same_records(&dev, &dev_work, &python, "file", 0, &[]);

    // The same with duplicates left out: they join no story, as on one machine.
    let drop_work = dir.path().join("dev-drop");
    std::fs::create_dir(&drop_work).expect("a directory");
    assert_same_records(&dev, &drop_work, &python, "file", 0, &["--drop-duplicates"]);
}
