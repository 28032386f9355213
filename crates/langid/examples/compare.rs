//! docpipe-langid and whatlang side by side on a gold file of `{id, text, lang}` lines (the
//! langid dev split): writes both detectors' predictions (with their confidence) for `score.py` and prints the time
//! each took per item (best of three passes, same process).
//!
//! `cargo run --release -p docpipe-langid --example compare -- ../shared/eval/langid/dev.jsonl output/eval/compare`

use std::io::Write;
use std::time::Instant;

use docpipe_langid::Detector;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let gold = args.next().ok_or("usage: compare GOLD.jsonl OUT_PREFIX")?;
    let prefix = args.next().ok_or("usage: compare GOLD.jsonl OUT_PREFIX")?;
    let mut items = Vec::new();
    for line in std::fs::read_to_string(&gold)?.lines() {
        let value: serde_json::Value = serde_json::from_str(line)?;
        let id = value["id"].as_str().ok_or("no id")?.to_string();
        let text = value["text"].as_str().ok_or("no text")?.to_string();
        items.push((id, text));
    }
    let detector = Detector::new()?;
    let ours = |text: &str| {
        let found = detector.detect(text);
        (found.code, found.confidence)
    };
    let theirs = |text: &str| {
        whatlang::detect(text).map_or((None, 0.0), |info| {
            (info.lang().code().into(), info.confidence())
        })
    };
    for (name, detect) in [
        (
            "docpipe-langid",
            &ours as &dyn Fn(&str) -> (Option<&'static str>, f64),
        ),
        ("whatlang", &theirs),
    ] {
        let mut best = f64::MAX;
        let mut guesses = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            guesses = items.iter().map(|(_, text)| detect(text)).collect();
            best = best.min(started.elapsed().as_secs_f64());
        }
        let path = format!("{prefix}.{name}.jsonl");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for ((id, _), (guess, confidence)) in items.iter().zip(&guesses) {
            let line = serde_json::json!({"id": id, "lang": guess, "confidence": confidence});
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        println!(
            "{name}: {:.2} µs per item over {} items -> {path}",
            best * 1e6 / items.len() as f64,
            items.len()
        );
    }
    Ok(())
}
