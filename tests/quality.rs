//! Quality floors on the shared gold data (`../shared/eval`, evaluation-only licences, never
//! copied into this repository). Each test runs `docpipe eval STAGE --json` and fails when a
//! figure drops below the floor measured when the stage was built. When `../shared` is absent
//! the tests say so and pass; CI always has it.

mod common;

use common::{docpipe, repo_root, shared_dir};

/// Runs an eval command and returns its metrics, or `None` without `../shared`.
fn eval(stage: &str, extra: &[&str]) -> Option<serde_json::Value> {
    let Some(_) = shared_dir() else {
        eprintln!("skipped: ../shared is absent, no gold data to score {stage} on");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let predictions = dir.path().join("predictions.jsonl");
    let mut args = vec![
        "eval",
        stage,
        "--json",
        "--predictions",
        predictions.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = docpipe()
        .args(&args)
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(predictions.exists(), "no predictions written");
    let stdout = String::from_utf8(output.stdout).unwrap();
    Some(serde_json::from_str(stdout.trim()).expect("one JSON object of metrics"))
}

fn metric(metrics: &serde_json::Value, name: &str) -> f64 {
    metrics[name]
        .as_f64()
        .unwrap_or_else(|| panic!("no {name} in {metrics}"))
}

#[test]
fn sentences_pass_all_golden_rules() {
    let Some(metrics) = eval("sentences", &[]) else {
        return;
    };
    assert_eq!(metric(&metrics, "total"), 48.0);
    assert_eq!(metric(&metrics, "passed"), 48.0, "{metrics}");
}

#[test]
fn language_accuracy_holds() {
    let Some(metrics) = eval("langid", &[]) else {
        return;
    };
    // docpipe-langid measured on all of dev: micro 0.971, paragraphs 0.999, sentences 0.986,
    // word pairs 0.915; by length 0.911 / 0.956 / 0.989 / 0.996; reliable: 64 % of items at
    // 0.998 (whatlang: micro 0.900, paragraphs 0.991, sentences 0.948, <=20 chars 0.706). The
    // issue's bars are micro 0.95, sentences 0.98, paragraphs 0.995, <=20 chars 0.85; the
    // floors sit between the bars and the measurement.
    let floors = [
        ("accuracy", 0.965),
        ("accuracy_paragraph", 0.995),
        ("accuracy_sentence", 0.982),
        ("accuracy_word_pair", 0.90),
        ("accuracy_chars_le20", 0.90),
        ("accuracy_chars_21_50", 0.945),
        ("accuracy_chars_51_100", 0.983),
        ("accuracy_chars_gt100", 0.993),
        ("reliable_accuracy", 0.995),
        ("reliable_share", 0.60),
    ];
    for (name, floor) in floors {
        assert!(
            metric(&metrics, name) >= floor,
            "{name} < {floor}: {metrics}"
        );
    }
    assert!(metric(&metrics, "abstained") <= 20.0, "{metrics}");
}

#[test]
fn dedup_dev_floors_hold() {
    let Some(metrics) = eval("dedup", &[]) else {
        return;
    };
    // Measured P 0.993, R 0.969, F1 0.981 (F1 0.985 ± 0.003 across word-hash seeds); the issue's
    // bar is F1 >= 0.97 with P >= 0.99.
    assert!(metric(&metrics, "precision") >= 0.99, "{metrics}");
    assert!(metric(&metrics, "f1") >= 0.97, "{metrics}");
    assert!(metric(&metrics, "recall") >= 0.95, "{metrics}");
}

/// LEAD-3 on each dev file as `score.py` gives it (the file's README), R-Lsum.
const LEAD3: [(&str, [f64; 3]); 3] = [
    ("cnndm_dev", [39.94, 17.66, 36.28]),
    ("bbc_dev", [44.43, 35.54, 43.31]),
    ("cnndm_raw_dev", [30.14, 11.81, 26.87]),
];

#[test]
fn summaries_beat_lead3_on_every_dev_file() {
    for (file, lead3) in LEAD3 {
        let gold = format!("../shared/eval/summarization/{file}.jsonl");
        let Some(metrics) = eval("summarize", &["--gold", &gold]) else {
            return;
        };
        for (name, floor) in ["rouge1", "rouge2", "rougeLsum"].iter().zip(lead3) {
            let ours = metric(&metrics, name);
            assert!(
                ours > floor,
                "{file}: {name} {ours:.2} is not above LEAD-3's {floor}"
            );
        }
    }
}

#[test]
fn timex_dev_floors_hold() {
    let Some(metrics) = eval("timex", &[]) else {
        return;
    };
    // Measured relaxed 0.946, strict 0.891, type F1 0.915, value F1 0.822 (score.py agrees).
    // The bar is 0.92 / 0.85 / 0.88 / 0.82; value F1 sits just above it, so its floor
    // is the bar itself, and the others stop regressions well above theirs.
    assert!(metric(&metrics, "relaxed_f1") >= 0.940, "{metrics}");
    assert!(metric(&metrics, "strict_f1") >= 0.885, "{metrics}");
    assert!(metric(&metrics, "type_f1") >= 0.908, "{metrics}");
    assert!(metric(&metrics, "value_f1") >= 0.820, "{metrics}");
}

/// HTML extraction on the WCXB dev pages, read as files through `docpipe run` (measured when
/// it was built: word F1 0.800, articles 0.932, shingle F1 0.810, title 0.743, date 0.833 with
/// 201 spurious, author 0.700).
#[test]
fn extraction_floors_hold() {
    let Some(metrics) = eval("extract", &["--by-type"]) else {
        return;
    };
    let figure = |path: &[&str]| -> f64 {
        let mut value = &metrics;
        for key in path {
            value = &value[*key];
        }
        value
            .as_f64()
            .unwrap_or_else(|| panic!("no {path:?} in the scorer's output"))
    };
    for (path, floor) in [
        (&["overall", "wcxb", "f1"][..], 0.795),
        (&["by_type", "article", "wcxb", "f1"][..], 0.925),
        (&["overall", "shingle", "f1"][..], 0.805),
        (&["metadata", "title", "exact"][..], 0.735),
        (&["metadata", "published", "accuracy"][..], 0.825),
        (&["metadata", "author", "match"][..], 0.69),
    ] {
        let value = figure(path);
        assert!(
            value >= floor,
            "{path:?} {value:.4} below its floor {floor}"
        );
    }
    let spurious = figure(&["metadata", "published", "spurious"]);
    assert!(spurious <= 210.0, "{spurious} spurious publication dates");
}

/// Story BCubed F1 on the ECB+ dev set, with and without the articles' dates: 0.918 and 0.908
/// measured (`docpipe eval stories`, when the stage was wired into `docpipe run`), less a
/// margin for a changed stage upstream moving an article or two.
/// The ECB+ dev topics whose `md5(topic) % 5 == 0` (`python3 -c` in the README, Stories).
const HELD_OUT_STORY_TOPICS: &str = "11,37,43,45,7";

#[test]
fn stories_dev_floors_hold() {
    // The held-out split of the README (Stories): the topics whose md5 is 0 mod 5, scored
    // apart from the other sixteen.
    let Some(metrics) = eval("stories", &["--topics", HELD_OUT_STORY_TOPICS]) else {
        return;
    };
    let with_dates = metric(&metrics, "published.story.bcubed_f1");
    let without = metric(&metrics, "no_published.story.bcubed_f1");
    assert!(
        with_dates >= 0.905,
        "story BCubed F1 with dates {with_dates}"
    );
    assert!(without >= 0.895, "story BCubed F1 without dates {without}");
    for (part, floor_with, floor_without) in
        [("topics", 0.95, 0.90), ("other_topics", 0.895, 0.895)]
    {
        let with_dates = metric(&metrics, &format!("published.{part}.story.bcubed_f1"));
        let without = metric(&metrics, &format!("no_published.{part}.story.bcubed_f1"));
        assert!(
            with_dates >= floor_with,
            "{part}: story BCubed F1 with dates {with_dates}"
        );
        assert!(
            without >= floor_without,
            "{part}: story BCubed F1 without dates {without}"
        );
    }
    // Without the field, nothing dates the articles: the figure is truly without dates.
    assert_eq!(metric(&metrics, "no_published.dated_articles"), 0.0);
    assert_eq!(
        metric(&metrics, "published.missing"),
        0.0,
        "every article has a story"
    );
}
