//! End-to-end: temporal expressions through `docpipe run`. A relative date whose shift the
//! calendar cannot hold gets no date value, never the publication date (issue #14).

mod common;

use common::{read_jsonl, run_quiet};

#[test]
fn overflowing_relative_dates_never_take_the_publication_date() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let text = "The probe left 1000000000000 years ago and will return 99999999 hours later. \
                The fossil formed 4294967296 weeks ago. The ship docked two weeks ago, \
                an hour later, and the town was founded a century ago.";
    let line = serde_json::json!({"id": "a", "date": "2024-03-18", "text": text});
    std::fs::write(&input, format!("{line}\n")).unwrap();
    let output = dir.path().join("out.jsonl");
    run_quiet(
        &input,
        &output,
        &["--stages", "normalize,dates"],
        dir.path(),
    );
    let records = read_jsonl(&output);
    let dates = records[0]["dates"].as_array().expect("a dates list");
    let found: Vec<(String, String, String)> = dates
        .iter()
        .map(|t| {
            let field = |key: &str| t[key].as_str().unwrap_or("").to_string();
            (field("text"), field("type"), field("value"))
        })
        .collect();
    for (extent, kind, value) in &found {
        let ordinary = extent == "an hour later";
        assert!(
            ordinary || kind != "DATE" || value != "2024-03-18",
            "{extent:?} took the publication date: {found:?}"
        );
    }
    let has = |extent: &str, value: &str| found.iter().any(|(e, _, v)| e == extent && v == value);
    assert!(has("1000000000000 years", "P1000000000000Y"), "{found:?}");
    assert!(has("two weeks ago", "2024-W10"), "{found:?}");
    assert!(has("an hour later", "2024-03-18"), "{found:?}");
    assert!(has("a century ago", "19"), "{found:?}");
}
