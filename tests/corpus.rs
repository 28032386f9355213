//! End-to-end: the README's first command on the sample corpus.

mod common;

use common::{
    assert_counts_add_up, char_slice, read_json, read_jsonl, repo_root, run_ok, run_quiet,
};

#[test]
fn corpus_gives_five_correct_records() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("corpus.jsonl");
    let corpus = repo_root().join("corpus");
    run_quiet(&corpus, &out, &[], dir.path());

    let records = read_jsonl(&out);
    assert_eq!(records.len(), 5);
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "000_5d6421db837b649e",
            "001_c7db41f9e0a69020",
            "002_1ce6c68d86b79b4d",
            "003_40fdb6d53994b817",
            "004_4be72ea5d1cf2c89"
        ]
    );
    for record in &records {
        assert_eq!(record["schema"], 2);
        assert_eq!(record["lang"], "eng", "{}", record["id"]);
        assert_eq!(record["lang_reliable"], true);
        assert_eq!(record["encoding"], "utf-8");
        let text = record["text"].as_str().unwrap();
        assert_eq!(
            record["chars"].as_u64().unwrap() as usize,
            text.chars().count()
        );
        assert!(record["words"].as_u64().unwrap() > 200);
        // Every sentence is a real sentence of the text: trimmed, and ends where a reader would.
        let sentences = record["sentences"].as_array().unwrap();
        assert!(
            sentences.len() >= 8,
            "{}: {} sentences",
            record["id"],
            sentences.len()
        );
        for pair in sentences {
            let (start, end) = (pair[0].as_u64().unwrap(), pair[1].as_u64().unwrap());
            let sentence = char_slice(text, start, end);
            assert_eq!(sentence.trim(), sentence, "untrimmed sentence {sentence:?}");
            assert!(!sentence.is_empty());
        }
        for date in record["dates"].as_array().unwrap() {
            let span = char_slice(
                text,
                date["start"].as_u64().unwrap(),
                date["end"].as_u64().unwrap(),
            );
            assert_eq!(span, date["text"].as_str().unwrap());
        }
        for sentence in record["summary"].as_array().unwrap() {
            let span = char_slice(
                text,
                sentence["start"].as_u64().unwrap(),
                sentence["end"].as_u64().unwrap(),
            );
            assert_eq!(span, sentence["text"].as_str().unwrap());
        }
        assert_eq!(record["dedup"]["status"], "unique", "{}", record["id"]);
        assert!(!record["keywords"].as_array().unwrap().is_empty());
    }

    // 000 carries its header date as metadata, removed from the body.
    let first = &records[0];
    assert_eq!(first["metadata"]["date"], "2024-03-18");
    assert!(first["text"]
        .as_str()
        .unwrap()
        .starts_with("In a significant move"));
    assert_eq!(first["published"]["date"], "2024-03-18");
    assert_eq!(first["published"]["source"], "metadata");
    // 001 has a headline and a subtitle; 002 starts with body text and has no title.
    assert_eq!(
        records[1]["title"],
        "Pakistan's New Government Extends Olive Branch to Afghan Taliban in Diplomatic Gambit"
    );
    assert_eq!(
        records[1]["subtitle"],
        "Pakistan initiates Taliban talks in diplomatic breakthrough"
    );
    assert!(records[2]["title"].is_null());
    assert!(records[3]["title"].is_string());

    let stats = read_json(&dir.path().join("corpus.stats.json"));
    assert_eq!(stats["read"], 5);
    assert_eq!(stats["written"], 5);
    assert_counts_add_up(&stats);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("corpus.rejects.jsonl")).unwrap(),
        ""
    );
}

#[test]
fn output_is_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_root().join("corpus");
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = dir.path().join(format!("t{threads}.jsonl"));
        run_quiet(
            &corpus,
            &out,
            &["--threads", threads, "--batch-size", "2"],
            dir.path(),
        );
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn default_output_goes_to_output_folder_and_stdout_works() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(repo_root().join("corpus")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
    }
    run_ok(&["run", "corpus", "-q"], dir.path());
    let written = read_jsonl(&dir.path().join("output/corpus.jsonl"));
    assert_eq!(written.len(), 5);

    let stdout = run_ok(&["run", "corpus", "-o", "-", "-q"], dir.path()).stdout;
    let lines: Vec<&str> = std::str::from_utf8(&stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(
        stdout,
        std::fs::read(dir.path().join("output/corpus.jsonl")).unwrap()
    );
}

#[test]
fn stages_can_be_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_root().join("corpus");
    let out = dir.path().join("lang.jsonl");
    run_quiet(&corpus, &out, &["--stages", "normalize,lang"], dir.path());
    let records = read_jsonl(&out);
    assert_eq!(records.len(), 5);
    assert_eq!(records[0]["lang"], "eng");
    assert!(records[0]["dates"].is_null());
    assert!(records[0]["dedup"].is_null());
    assert!(records[0]["summary"].is_null());
    assert!(records[0]["blocks"].is_array() && records[0]["sentences"].is_array());

    // Without normalize (and summarize) the text is not segmented: null, not empty lists.
    let out = dir.path().join("dedup.jsonl");
    run_quiet(&corpus, &out, &["--stages", "dedup"], dir.path());
    let records = read_jsonl(&out);
    assert_eq!(records.len(), 5);
    assert!(records[0]["blocks"].is_null(), "{}", records[0]["blocks"]);
    assert!(records[0]["sentences"].is_null());
    assert_eq!(records[0]["dedup"]["status"], "unique");
}

#[test]
fn large_runs_weigh_summary_terms_by_their_own_documents() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let mut lines = String::new();
    for i in 0..1_000 {
        let text = format!(
            "Station {i} reported heavy rain on Monday. Rivers near station {i} rose by {} centimetres. \
             Officials said roads would stay closed until the water falls.",
            i % 97
        );
        lines.push_str(&serde_json::json!({"id": i, "text": text}).to_string());
        lines.push('\n');
    }
    std::fs::write(&input, lines).unwrap();
    let out = dir.path().join("many.out.jsonl");
    run_quiet(
        &input,
        &out,
        &["--stages", "normalize,summarize"],
        dir.path(),
    );
    assert_eq!(
        read_json(&dir.path().join("many.out.stats.json"))["idf"],
        "run"
    );
    assert_eq!(read_jsonl(&out).len(), 1_000);

    let small = dir.path().join("small.jsonl");
    run_quiet(&repo_root().join("corpus"), &small, &[], dir.path());
    assert_eq!(
        read_json(&dir.path().join("small.stats.json"))["idf"],
        "shipped"
    );
}

#[test]
fn no_sentences_leaves_only_the_sentences_out() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_root().join("corpus");
    let run = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        run_quiet(&corpus, &out, extra, dir.path());
        read_jsonl(&out)
    };
    for stages in ["normalize,lang,dedup,dates,summarize", "normalize,dedup"] {
        let with = run("with.jsonl", &["--stages", stages]);
        let without = run("without.jsonl", &["--stages", stages, "--no-sentences"]);
        assert_eq!(with.len(), without.len());
        for (mut full, mut light) in with.into_iter().zip(without) {
            assert!(light["sentences"].is_null(), "{stages}: {}", light["id"]);
            assert!(!full["sentences"].as_array().unwrap().is_empty());
            // Blocks, summaries and everything else stay as they were.
            full["sentences"] = serde_json::Value::Null;
            light["sentences"] = serde_json::Value::Null;
            assert_eq!(full, light, "{stages}");
        }
    }
}
