//! Reading a JSON Lines dump from memory: decoding, parsing, field mapping.

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
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
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
