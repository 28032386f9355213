//! Tags articles of a JSON Lines corpus (gzipped or not) and prints how many timexes it
//! found: a driver for profilers (`valgrind --tool=callgrind`, `perf`), which need a process
//! that does little else than tag.
//!
//! ```text
//! cargo run --release -p docpipe-date-extract --example tag_corpus -- CORPUS.jsonl.gz [EVERY] [LIMIT]
//! ```
//!
//! Every `EVERY`-th article (default 1) is tagged, at most `LIMIT` of them, each against its
//! publication date found as the pipeline finds it (`publication_date` from the `date` field
//! and the text).

use std::io::{BufRead, BufReader, Read};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: tag_corpus CORPUS [EVERY] [LIMIT]")?;
    let every: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let limit: usize = args.next().map_or(Ok(usize::MAX), |a| a.parse())?;
    let file = std::fs::File::open(&path)?;
    let reader: Box<dyn Read> = if path.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut articles = Vec::new();
    for (index, line) in BufReader::new(reader).lines().enumerate() {
        let line = line?;
        if index % every.max(1) != 0 {
            continue;
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let text = value.get("text").and_then(|t| t.as_str()).unwrap_or("");
        let date = value
            .get("date")
            .and_then(|d| d.as_str())
            .map(str::to_string);
        articles.push((date, text.to_string()));
        if articles.len() >= limit {
            break;
        }
    }
    let extractor = docpipe_date_extract::Extractor::new();
    let (mut timexes, mut bytes) = (0, 0);
    for (date, text) in &articles {
        let published = docpipe_date_extract::publication_date(date.as_deref(), text, None);
        timexes += extractor.extract(text, published.map(|p| p.date)).len();
        bytes += text.len();
    }
    println!(
        "{} articles, {bytes} bytes, {timexes} timexes",
        articles.len()
    );
    Ok(())
}
