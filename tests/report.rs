//! `docpipe report` end to end: the real binary runs the pipeline, then writes the report, and
//! every chart's numbers are checked against counts this test makes from the records and side
//! files itself. The page is read back with html5gum, as a browser would tokenize it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use html5gum::{Token, Tokenizer};
use serde_json::Value;

use common::{docpipe, read_json, read_jsonl, repo_root, run_ok, run_quiet, PROSE};

/// What the test reads of a report page.
#[derive(Default, Debug, PartialEq)]
struct Page {
    /// `data-chart` to its bars, `(data-label, data-value)` in order.
    charts: BTreeMap<String, Vec<(String, u64)>>,
    /// `data-count` rows of the counts table.
    counts: BTreeMap<String, u64>,
    /// `data-story` to `data-articles`, in page order.
    stories: Vec<(String, u64)>,
    tags: Vec<String>,
    texts: String,
}

fn parse(html: &str) -> Page {
    let mut page = Page::default();
    let mut chart: Option<String> = None;
    let mut open: Vec<String> = Vec::new();
    for token in Tokenizer::new(html) {
        let token = token.unwrap_or_else(|never| match never {});
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                let get = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|value| String::from_utf8_lossy(value).into_owned())
                };
                let value = || get("data-value").map(|v| v.parse::<u64>().expect("a count"));
                if name == "svg" {
                    chart = get("data-chart");
                }
                if let (Some(chart), Some(label), Some(value)) =
                    (&chart, get("data-label"), value())
                {
                    page.charts
                        .entry(chart.clone())
                        .or_default()
                        .push((label, value));
                }
                if let (Some(key), Some(value)) = (get("data-count"), value()) {
                    page.counts.insert(key, value);
                }
                if let (Some(id), Some(n)) = (get("data-story"), get("data-articles")) {
                    page.stories.push((id, n.parse().expect("a count")));
                }
                if name != "meta" && !tag.self_closing {
                    open.push(name.clone());
                }
                page.tags.push(name);
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                assert_eq!(open.pop().as_deref(), Some(name.as_str()), "misnested");
                if name == "svg" {
                    chart = None;
                }
            }
            Token::String(text) => page.texts.push_str(&String::from_utf8_lossy(&text)),
            Token::Error(error) => panic!("the report does not parse: {error:?}"),
            Token::Comment(_) | Token::Doctype(_) => {}
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
    page
}

fn bars(page: &Page, chart: &str) -> BTreeMap<String, u64> {
    page.charts
        .get(chart)
        .unwrap_or_else(|| panic!("no chart {chart} in {:?}", page.charts.keys()))
        .iter()
        .filter(|(_, count)| *count > 0)
        .cloned()
        .collect()
}

fn tally<'a>(keys: impl Iterator<Item = String> + 'a) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for key in keys {
        *counts.entry(key).or_default() += 1;
    }
    counts
}

/// The label of the log-scale length bin of `words`: `0`, `1`, `2–3`, `4–7`, …
fn length_label(words: u64) -> String {
    match words {
        0 => "0".to_string(),
        1 => "1".to_string(),
        _ => {
            let low = 1u64 << words.ilog2();
            format!("{low}–{}", low * 2 - 1)
        }
    }
}

/// Checks every chart that depends on the records alone against counts made from them.
fn check_record_charts(page: &Page, records: &[Value]) {
    let languages = tally(
        records
            .iter()
            .map(|r| r["lang"].as_str().unwrap_or("none").to_string()),
    );
    assert_eq!(bars(page, "languages"), languages);

    let lengths = tally(
        records
            .iter()
            .map(|r| length_label(r["words"].as_u64().expect("words"))),
    );
    assert_eq!(bars(page, "length"), lengths);

    // Within a quarter the dates are counted per day.
    let dates: Vec<String> = records
        .iter()
        .filter_map(|r| r["published"]["date"].as_str())
        .map(|date| date[..10].to_string())
        .collect();
    if !dates.is_empty() {
        assert_eq!(bars(page, "published"), tally(dates.into_iter()));
    }

    let mut keywords: BTreeMap<String, u64> = BTreeMap::new();
    for record in records {
        let mut mine: Vec<&str> = record["keywords"]
            .as_array()
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        mine.sort_unstable();
        mine.dedup();
        for keyword in mine {
            *keywords.entry(keyword.to_string()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(String, u64)> = keywords.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(docpipe_report::TOP_KEYWORDS);
    assert_eq!(page.charts["keywords"], ranked);
}

#[test]
fn the_report_of_corpus_shows_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus.jsonl");
    run_quiet(&repo_root().join("corpus"), &out, &[], dir.path());
    let ran = run_ok(&["report", out.to_str().unwrap()], dir.path());
    let stderr = String::from_utf8_lossy(&ran.stderr);
    let report = dir.path().join("corpus.report.html");
    assert!(stderr.contains("corpus.report.html"), "{stderr}");
    let page = parse(&fs::read_to_string(&report).unwrap());
    // Self-contained: no script, nothing fetched.
    for tag in ["script", "link", "img", "iframe", "object"] {
        assert!(!page.tags.iter().any(|t| t == tag), "a <{tag}>");
    }
    let records = read_jsonl(&out);
    check_record_charts(&page, &records);
    let stats = read_json(&dir.path().join("corpus.stats.json"));
    for key in [
        "read",
        "written",
        "rejected",
        "duplicates",
        "duplicates_dropped",
    ] {
        assert_eq!(Some(page.counts[key]), stats[key].as_u64(), "{key}");
    }
    assert_eq!(page.charts["outcome"][0], ("written".to_string(), 5));
    // The stories stage puts the five articles of corpus/ in one story, and the page shows it
    // with its five articles, named by the story's first article.
    let stories = read_jsonl(&dir.path().join("corpus.stories.jsonl"));
    assert_eq!(stories.len(), 1);
    let first = stories[0]["id"].as_str().expect("a story id").to_string();
    assert_eq!(page.stories, [(first, 5)]);
    assert!(page
        .texts
        .contains("No duplicates were found: each of the 5 documents"));
    assert_eq!(
        bars(&page, "story-sizes"),
        BTreeMap::from([("5".to_string(), 1)])
    );
}

/// A run with rejects of three kinds and duplicates dropped, plus a stories file.
fn messy_run(dir: &Path) -> std::path::PathBuf {
    let input = dir.join("messy.jsonl");
    let mut lines = Vec::new();
    let other = "Shares of the mining group fell sharply on Monday after it warned that \
                 profits would halve. Analysts expect a dividend cut in the spring.";
    for n in 0..12 {
        let text = if n % 3 == 0 { other } else { PROSE };
        // Every fourth line repeats an earlier text exactly; the others differ by a number.
        let text = if n % 4 == 1 {
            text.to_string()
        } else {
            format!("{text} Item {n} of the agenda was delayed.")
        };
        lines.push(
            serde_json::json!({"id": format!("d{n}"), "text": text,
                "date": format!("2024-03-{:02}", 1 + n % 5)})
            .to_string(),
        );
    }
    lines.push("this is not JSON".to_string());
    lines.push("{\"id\": \"x\", \"body\": \"no text field\"}".to_string());
    lines.push("{\"id\": \"y\", \"text\": 42}".to_string());
    lines.push("{\"id\": \"z\", \"body\": \"again no text\"}".to_string());
    fs::write(&input, lines.join("\n") + "\n").unwrap();
    let out = dir.join("run.jsonl");
    run_quiet(&input, &out, &["--drop-duplicates"], dir);

    let stories = [
        serde_json::json!({"id": "s1", "title": "<script>alert('x')</script> Council budget",
            "articles": ["d1", "d2", "d4"], "outlets": ["A & B"], "first_published": "2024-03-01",
            "last_published": "2024-03-05", "keywords": ["budget <b>"],
            "summary": [{"article": "d1", "start": 0, "end": 10, "text": "The council met."}],
            "timeline": [{"date": "2024-03-02", "article": "d2", "start": 0, "end": 5,
                          "text": "Tuesday <img src=x onerror=alert(1)> vote"}]}),
        serde_json::json!({"id": "s2", "title": "Mining shares", "articles": ["d0", "d3", "d6", "d9"],
            "outlets": [], "first_published": null, "last_published": null, "keywords": [],
            "summary": [], "timeline": []}),
        serde_json::json!({"id": "s3", "title": "One", "articles": ["d5"], "outlets": [],
            "first_published": "2024-03-01", "last_published": "2024-03-01", "keywords": [],
            "summary": [], "timeline": []}),
    ];
    let text: String = stories.iter().map(|s| format!("{s}\n")).collect();
    fs::write(dir.join("run.stories.jsonl"), text).unwrap();
    out
}

#[test]
fn rejects_duplicates_and_stories_are_charted_from_the_side_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = messy_run(dir.path());
    let report = dir.path().join("page.html");
    run_ok(
        &[
            "report",
            out.to_str().unwrap(),
            "-o",
            report.to_str().unwrap(),
        ],
        dir.path(),
    );
    let html = fs::read_to_string(&report).unwrap();
    let page = parse(&html);
    let records = read_jsonl(&out);
    check_record_charts(&page, &records);

    let rejects = read_jsonl(&dir.path().join("run.rejects.jsonl"));
    assert_eq!(rejects.len(), 4);
    let by_kind = tally(
        rejects
            .iter()
            .map(|r| r["kind"].as_str().unwrap().to_string()),
    );
    assert!(by_kind.len() >= 2, "{by_kind:?}");
    assert_eq!(bars(&page, "rejects"), by_kind);

    let stats = read_json(&dir.path().join("run.stats.json"));
    let duplicates = read_jsonl(&dir.path().join("run.duplicates.jsonl"));
    assert!(!duplicates.is_empty(), "the input has exact repeats");
    for key in [
        "read",
        "written",
        "rejected",
        "duplicates",
        "duplicates_dropped",
    ] {
        assert_eq!(Some(page.counts[key]), stats[key].as_u64(), "{key}");
    }
    assert_eq!(
        page.charts["outcome"],
        [
            ("written".to_string(), records.len() as u64),
            ("duplicates dropped".to_string(), duplicates.len() as u64),
            ("rejected".to_string(), 4),
        ]
    );

    // Cluster sizes: each cluster's records and dropped duplicates.
    let mut clusters: BTreeMap<String, u64> = BTreeMap::new();
    for record in &records {
        *clusters
            .entry(record["dedup"]["cluster"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    for dropped in &duplicates {
        *clusters
            .entry(dropped["cluster"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    // Documents alone are stated, not charted.
    let sizes = tally(clusters.values().filter(|&&n| n > 1).map(u64::to_string));
    assert!(!sizes.is_empty());
    assert_eq!(bars(&page, "cluster-sizes"), sizes);
    let alone = clusters.values().filter(|&&n| n == 1).count();
    assert!(
        html.contains(&format!("data-singletons=\"{alone}\"")),
        "{alone}"
    );

    // Stories, largest first, with the web's markup shown as text.
    assert_eq!(
        page.stories,
        [
            ("s2".to_string(), 4),
            ("s1".to_string(), 3),
            ("s3".to_string(), 1)
        ]
    );
    assert_eq!(
        bars(&page, "story-sizes"),
        [
            ("1".to_string(), 1),
            ("3".to_string(), 1),
            ("4".to_string(), 1)
        ]
        .into_iter()
        .collect()
    );
    assert!(!page
        .tags
        .iter()
        .any(|tag| tag == "script" || tag == "img" || tag == "b"));
    assert!(page
        .texts
        .contains("<script>alert('x')</script> Council budget"));
    assert!(page
        .texts
        .contains("Tuesday <img src=x onerror=alert(1)> vote"));
    assert!(page.texts.contains("A & B"));
}

#[test]
fn compressed_records_give_the_same_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = messy_run(dir.path());
    let plain = dir.path().join("plain.html");
    run_ok(
        &[
            "report",
            out.to_str().unwrap(),
            "-o",
            plain.to_str().unwrap(),
        ],
        dir.path(),
    );
    let bytes = fs::read(&out).unwrap();
    let gz = dir.path().join("run.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&bytes).unwrap();
    fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let zst = dir.path().join("run.jsonl.zst");
    fs::write(&zst, zstd::encode_all(&bytes[..], 3).unwrap()).unwrap();
    let expected = parse(&fs::read_to_string(&plain).unwrap());
    for compressed in [&gz, &zst] {
        run_ok(&["report", compressed.to_str().unwrap()], dir.path());
        // The side files are found beside it under the same run name.
        let html = fs::read_to_string(dir.path().join("run.report.html")).unwrap();
        let page = parse(&html);
        assert_eq!(page.charts, expected.charts, "{}", compressed.display());
        assert_eq!(page.counts, expected.counts);
        assert_eq!(page.stories, expected.stories);
    }
}

#[test]
fn the_report_never_overwrites_what_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = messy_run(dir.path());
    let before = fs::read(&out).unwrap();
    let link = dir.path().join("link.html");
    fs::hard_link(dir.path().join("run.stats.json"), &link).unwrap();
    let same = dir.path().join("sub/../run.jsonl");
    fs::create_dir(dir.path().join("sub")).unwrap();
    for target in [
        out.clone(),
        same,
        dir.path().join("run.rejects.jsonl"),
        dir.path().join("run.stories.jsonl"),
        link,
    ] {
        let status = docpipe()
            .args([
                "report",
                out.to_str().unwrap(),
                "-o",
                target.to_str().unwrap(),
            ])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(status.status.code(), Some(2), "{}", target.display());
        let stderr = String::from_utf8_lossy(&status.stderr);
        assert!(stderr.contains("would destroy"), "{stderr}");
    }
    assert_eq!(fs::read(&out).unwrap(), before);
    assert!(read_json(&dir.path().join("run.stats.json"))["read"].is_u64());
    // A folder is refused too, and nothing is left behind.
    let status = docpipe()
        .args([
            "report",
            out.to_str().unwrap(),
            "-o",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(2));
    let partials = fs::read_dir(dir.path())
        .unwrap()
        .filter(|entry| {
            let name = entry.as_ref().unwrap().file_name();
            name.to_string_lossy().ends_with(".partial")
        })
        .count();
    assert_eq!(partials, 0);
}

#[test]
fn a_damaged_records_line_is_counted_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let out = messy_run(dir.path());
    let mut text = fs::read_to_string(&out).unwrap();
    text.push_str("{\"id\": \"broken\", \"dedup\": {\"status\": \"maybe\", \"cluster\": \"x\"}}\n");
    text.push_str("not a record\n\n");
    let damaged = dir.path().join("damaged.jsonl");
    fs::write(&damaged, &text).unwrap();
    let ran = run_ok(&["report", damaged.to_str().unwrap()], dir.path());
    let stderr = String::from_utf8_lossy(&ran.stderr);
    assert!(stderr.contains("2 line(s) could not be read"), "{stderr}");
    let html = fs::read_to_string(dir.path().join("damaged.report.html")).unwrap();
    assert!(html.contains("data-unreadable=\"records\" data-value=\"2\""));
    let page = parse(&html);
    check_record_charts(&page, &read_jsonl(&out));
    // No side files beside damaged.jsonl: the page says which were not there.
    assert!(page.texts.contains("Not there"), "{}", page.texts);
    assert_eq!(page.counts["rejected"], 0);
}

#[test]
fn a_missing_records_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = docpipe()
        .args(["report", "nowhere.jsonl"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("nowhere.jsonl"), "{stderr}");
    assert!(!dir.path().join("nowhere.report.html").exists());
}
