//! End-to-end: the stories stage of `docpipe run`. Every record names its story, the stories
//! file lists each written record once with spans into the records' texts, duplicates join
//! their original's story, bad input still gets a story, and the files are the same for any
//! thread count and batch size.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{
    assert_counts_add_up, char_slice, read_json, read_jsonl, repo_root, run_ok, run_quiet,
};

/// Every stage but stories.
const WITHOUT_STORIES: &str = "normalize,lang,dedup,dates,summarize";

/// Checks the stories file against the records: each record is in exactly the story its
/// `story` names, and every span cuts its text out of the named record's text.
fn assert_stories_match_records(records: &[serde_json::Value], stories: &[serde_json::Value]) {
    let by_id: BTreeMap<&str, &serde_json::Value> = records
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    let mut seen = BTreeSet::new();
    for story in stories {
        let id = story["id"].as_str().unwrap();
        for article in story["articles"].as_array().unwrap() {
            let article = article.as_str().unwrap();
            assert!(seen.insert(article), "{article} is in two stories");
            assert_eq!(
                by_id[article]["story"], id,
                "{article}'s record names another story"
            );
        }
        let spans = story["summary"]
            .as_array()
            .unwrap()
            .iter()
            .chain(story["timeline"].as_array().unwrap());
        for span in spans {
            let record = by_id[span["article"].as_str().unwrap()];
            let text = record["text"].as_str().unwrap();
            let (start, end) = (
                span["start"].as_u64().unwrap(),
                span["end"].as_u64().unwrap(),
            );
            assert_eq!(char_slice(text, start, end), span["text"].as_str().unwrap());
        }
    }
    assert_eq!(seen.len(), records.len(), "every record is in one story");
}

#[test]
fn the_corpus_is_one_story_with_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = repo_root().join("corpus");
    let out = dir.path().join("corpus.jsonl");
    run_quiet(&corpus, &out, &[], dir.path());
    let records = read_jsonl(&out);
    let stories = read_jsonl(&dir.path().join("corpus.stories.jsonl"));
    assert_eq!(records.len(), 5);
    assert_eq!(stories.len(), 1, "{stories:?}");
    let story = &stories[0];
    assert_eq!(
        story["id"], records[0]["id"],
        "a story is named after its first article"
    );
    assert_stories_match_records(&records, &stories);
    let dates: Vec<&str> = story["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    for date in ["2021-08", "2024-03-18", "2025-04"] {
        assert!(
            dates.contains(&date),
            "{date} not in the timeline {dates:?}"
        );
    }
    assert_eq!(story["first_published"], "2024-03-18");
    assert!(!story["title"].as_str().unwrap().is_empty());
    assert!(!story["summary"].as_array().unwrap().is_empty());

    // The stage only adds `story`: without it every record is the same but for that field,
    // which is null, and there is no stories file.
    let plain = dir.path().join("plain.jsonl");
    run_quiet(&corpus, &plain, &["--stages", WITHOUT_STORIES], dir.path());
    assert!(!dir.path().join("plain.stories.jsonl").exists());
    for (with, without) in records.iter().zip(read_jsonl(&plain)) {
        assert_eq!(without["story"], serde_json::Value::Null);
        let mut with = with.clone();
        with["story"] = serde_json::Value::Null;
        assert_eq!(with, without);
    }
}

/// Two threads of news on different subjects, interleaved, with a copy of an earlier article
/// and documents that give the tracker almost nothing.
fn make_stream(path: &Path) {
    let quake = [
        "A magnitude 6.1 earthquake hit Aceh province on Sumatra, killing twenty people in Bener Meriah. Houses collapsed in Takengon.",
        "The toll from the Aceh earthquake rose to thirty as rescuers reached Bener Meriah. Soldiers cleared landslides near Takengon.",
        "Aftershocks shook Aceh again as survivors of the Bener Meriah earthquake slept outside. Aid reached Takengon by road.",
    ];
    let vote = [
        "Voters in Norway elected a new parliament, with Labour winning the most seats in Oslo. Turnout was high across the country.",
        "Coalition talks began in Oslo after the Norway election, the Labour leader said. Smaller parties set their terms.",
        "Labour agreed a coalition in Oslo, ending talks that followed the Norway parliament election. A cabinet is named Friday.",
    ];
    let mut lines = Vec::new();
    for i in 0..3 {
        lines.push(serde_json::json!({"id": format!("quake-{i}"), "title": format!("Aceh quake, day {i}"), "date": format!("2013-07-0{}", i + 2), "source": format!("wire-{}", i % 2), "text": quake[i]}));
        lines.push(serde_json::json!({"id": format!("vote-{i}"), "text": vote[i]}));
    }
    // An exact copy under another id, and bad input: one word, another language, a text of
    // numbers, a heading only.
    lines.push(serde_json::json!({"id": "copy", "text": quake[0]}));
    lines.push(serde_json::json!({"id": "word", "text": "Hello"}));
    lines.push(serde_json::json!({"id": "german", "text": "Der Bundestag hat am Donnerstag das neue Gesetz zur Energie beschlossen."}));
    lines.push(serde_json::json!({"id": "numbers", "text": "12 34 56 78"}));
    lines.push(serde_json::json!({"id": "heading", "title": "Weather", "text": "# Weather\n"}));
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(path, text).unwrap();
}

#[test]
fn duplicates_join_their_original_and_bad_input_gets_a_story() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    make_stream(&input);
    let out = dir.path().join("out.jsonl");
    run_quiet(&input, &out, &[], dir.path());
    let records = read_jsonl(&out);
    let stats = read_json(&dir.path().join("out.stats.json"));
    assert_counts_add_up(&stats);
    assert_eq!(
        records.len() as u64 + stats["rejected"].as_u64().unwrap(),
        11
    );
    let stories = read_jsonl(&dir.path().join("out.stories.jsonl"));
    assert_stories_match_records(&records, &stories);
    let story: BTreeMap<&str, &str> = records
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["story"].as_str().unwrap()))
        .collect();
    assert_eq!(
        story["copy"], "quake-0",
        "a duplicate joins its original's story"
    );
    assert_eq!(story["quake-2"], "quake-0");
    let quake = stories.iter().find(|s| s["id"] == "quake-0").unwrap();
    assert_eq!(quake["outlets"], serde_json::json!(["wire-0", "wire-1"]));
    assert_eq!(quake["first_published"], "2013-07-02");
    assert_eq!(quake["last_published"], "2013-07-04");
    assert_eq!(story["vote-2"], "vote-0");
    assert_ne!(story["german"], "quake-0");
    assert_ne!(story["word"], "vote-0");
    for id in ["word", "german", "numbers"] {
        assert!(story.contains_key(id), "{id} has no record");
    }
}

#[test]
fn stories_are_the_same_for_any_threads_and_batch_size() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    make_stream(&input);
    let mut seen: Option<(Vec<u8>, Vec<u8>)> = None;
    for (threads, batch) in [("1", "512"), ("2", "1"), ("3", "4")] {
        let out = dir.path().join(format!("t{threads}b{batch}.jsonl"));
        // A window of two articles closes stories all through the stream.
        let extra = [
            "-j",
            threads,
            "--batch-size",
            batch,
            "--story-window-articles",
            "2",
        ];
        run_quiet(&input, &out, &extra, dir.path());
        let stories_path = dir.path().join(format!("t{threads}b{batch}.stories.jsonl"));
        let files = (
            std::fs::read(&out).unwrap(),
            std::fs::read(&stories_path).unwrap(),
        );
        assert_stories_match_records(&read_jsonl(&out), &read_jsonl(&stories_path));
        match &seen {
            None => seen = Some(files),
            Some(first) => assert!(*first == files, "-j {threads} --batch-size {batch} differs"),
        }
    }
}

#[test]
fn stories_work_with_the_other_stages_off() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    make_stream(&input);
    for stages in ["normalize,stories", "stories", "dedup,stories"] {
        let name = stages.replace(',', "-");
        let out = dir.path().join(format!("{name}.jsonl"));
        run_quiet(&input, &out, &["--stages", stages], dir.path());
        let records = read_jsonl(&out);
        let stories = read_jsonl(&dir.path().join(format!("{name}.stories.jsonl")));
        assert_stories_match_records(&records, &stories);
        let story_of = |id: &str| {
            records
                .iter()
                .find(|r| r["id"] == id)
                .map(|r| r["story"].clone())
                .unwrap()
        };
        assert_eq!(story_of("vote-1"), "vote-0", "--stages {stages}");
    }
}

#[test]
fn stories_of_a_run_to_standard_output_go_beside_the_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    make_stream(&input);
    let output = run_ok(
        &["run", input.to_str().unwrap(), "-o", "-", "-q"],
        dir.path(),
    );
    let records: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let side = dir.path().join("output");
    assert!(side.join("stream.rejects.jsonl").exists());
    let stories = read_jsonl(&side.join("stream.stories.jsonl"));
    assert_stories_match_records(&records, &stories);
}

#[test]
fn bad_story_options_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("stream.jsonl");
    make_stream(&input);
    let output = common::docpipe()
        .args([
            "run",
            input.to_str().unwrap(),
            "--story-window-articles",
            "0",
            "-q",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("window_articles"));
}

/// A made-up word of a subject: syllables picked by the subject and the word's number, so
/// subjects share no words and each is its own story.
fn word(subject: usize, n: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ba", "de", "fu", "go", "ha", "ji", "pe",
        "zu",
    ];
    let mut word = String::new();
    for digit in [subject / 16, subject % 16, n % 16, (n / 16) % 16] {
        word.push_str(SYLLABLES[digit]);
    }
    word
}

/// About 900 articles in 30 files; each subject runs for 30 articles and never comes back,
/// so with a window of 40 articles stories close all through the run.
fn make_subjects(dir: &Path) {
    for file in 0..30 {
        let mut lines = String::new();
        for line in 0..30 {
            let n = file * 30 + line;
            let subject = n / 30;
            let sentences: Vec<String> = (0..4)
                .map(|s| {
                    let words: Vec<String> = (0..9)
                        .map(|w| word(subject, (n * 7 + s * 3 + w) % 20))
                        .collect();
                    let mut sentence = words.join(" ");
                    sentence[..1].make_ascii_uppercase();
                    sentence + "."
                })
                .collect();
            let record = serde_json::json!({"id": format!("a{n:04}"), "text": sentences.join(" ")});
            lines.push_str(&format!("{record}\n"));
        }
        std::fs::write(dir.join(format!("f{file:02}.jsonl")), lines).unwrap();
    }
}

/// A run interrupted (SIGINT, or killed) and continued with `--resume` writes the stories
/// file and the records of an uninterrupted run, byte for byte: the resumed run rebuilds the
/// tracker from the inputs the interrupted one finished.
#[test]
fn a_resumed_run_writes_the_same_stories() {
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("subjects");
    std::fs::create_dir(&input).unwrap();
    make_subjects(&input);
    let run = |out: &Path, resume: bool| {
        let mut command = common::docpipe();
        command
            .arg("run")
            .arg(&input)
            .arg("-o")
            .arg(out.join("s.jsonl"))
            .args([
                "--story-window-articles",
                "40",
                "--batch-size",
                "8",
                "-j",
                "2",
                "-q",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if resume {
            command.arg("--resume");
        }
        command
    };
    let files = |out: &Path| {
        ["s.jsonl", "s.stories.jsonl"].map(|name| std::fs::read(out.join(name)).unwrap())
    };
    let reference = dir.path().join("reference");
    let started = Instant::now();
    assert!(run(&reference, false).status().unwrap().success());
    let full = started.elapsed();
    let expected = files(&reference);
    let stories = String::from_utf8_lossy(&expected[1]).lines().count();
    assert!(stories >= 25, "stories: {stories}");
    assert_stories_match_records(
        &read_jsonl(&reference.join("s.jsonl")),
        &read_jsonl(&reference.join("s.stories.jsonl")),
    );
    let mut resumed = false;
    for (trial, fraction) in [0.3, 0.5, 0.7, 0.9].into_iter().enumerate() {
        let out = dir.path().join(format!("trial{trial}"));
        let mut child = run(&out, false).spawn().unwrap();
        std::thread::sleep(full.mul_f64(fraction));
        if trial % 2 == 0 {
            let _ = std::process::Command::new("kill")
                .args(["-INT", &child.id().to_string()])
                .status();
        } else {
            let _ = child.kill();
        }
        let _ = child.wait();
        resumed |= out.join("s.progress.json").exists();
        assert!(run(&out, true).status().unwrap().success(), "trial {trial}");
        assert!(
            files(&out) == expected,
            "trial {trial}: resumed files differ"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        resumed,
        "no trial stopped after a checkpoint: the test proved nothing"
    );
}
