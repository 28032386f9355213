//! Reading a JSON Lines dump from memory: decoding, parsing, field mapping; and reading a
//! `.warc.gz` of the same articles as made-up HTML pages, up to the page items (the extraction,
//! which `RawItem::parse` runs on the workers, left out).

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::io::Write;

use docpipe_ingest::{Ingest, IngestOptions};

fn bench(c: &mut Criterion) {
    let (sample, _, _) = articles::sample();
    let dump: String = sample
        .iter()
        .enumerate()
        .map(|(i, text)| {
            format!(
                "{}\n",
                serde_json::json!({"id": i, "text": text, "date": "2024-03-18"})
            )
        })
        .collect();
    let mut group = c.benchmark_group("ingest");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(dump.len() as u64));
    group.bench_function("jsonl/sample", |b| {
        b.iter(|| {
            Ingest::from_reader(
                "dump.jsonl",
                Box::new(std::io::Cursor::new(dump.clone().into_bytes())),
                IngestOptions::new(),
            )
            .count()
        })
    });
    let warc = warc_gz(&sample);
    group.throughput(Throughput::Bytes(warc.len() as u64));
    group.bench_function("warc.gz/sample/read", |b| {
        b.iter(|| {
            let mut ingest = Ingest::from_reader(
                "crawl.warc.gz",
                Box::new(std::io::Cursor::new(warc.clone())),
                IngestOptions::new(),
            );
            let mut pages = 0;
            while ingest.next_raw().is_some() {
                pages += 1;
            }
            pages
        })
    });
    group.finish();
}

/// Each article as an HTML page in a response record, behind a request record, each record
/// its own gzip member, as crawlers write them.
fn warc_gz(texts: &[String]) -> Vec<u8> {
    let mut file = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let paragraphs: String = text
            .split("\n\n")
            .map(|p| format!("<p>{p}</p>\n"))
            .collect();
        let page = format!(
            "<!DOCTYPE html><html><head><title>Story {i}</title></head><body><nav>Home</nav>\
             <article>{paragraphs}</article></body></html>"
        );
        let http = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{page}",
            page.len()
        );
        for (kind, block) in [
            ("request", "GET / HTTP/1.1\r\n\r\n".to_string()),
            ("response", http),
        ] {
            let record = format!(
                "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{i}>\r\n\
                 WARC-Target-URI: https://example.com/{i}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
                block.len()
            );
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder
                .write_all(record.as_bytes())
                .expect("writing to a Vec");
            file.extend(encoder.finish().expect("writing to a Vec"));
        }
    }
    file
}

criterion_group!(benches, bench);
criterion_main!(benches);
