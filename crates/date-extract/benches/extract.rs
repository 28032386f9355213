//! Temporal tagging with resolution on real articles.

#[path = "../../../benches/articles.rs"]
mod articles;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use docpipe_date_extract::Extractor;

fn bench(c: &mut Criterion) {
    let (sample, long, short) = articles::sample();
    let extractor = Extractor::new();
    let reference = NaiveDate::from_ymd_opt(2024, 3, 18);
    let mut group = c.benchmark_group("date-extract");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(articles::bytes(&sample)));
    group.bench_function("extract/sample", |b| {
        b.iter(|| {
            sample
                .iter()
                .map(|t| extractor.extract(t, reference).len())
                .sum::<usize>()
        })
    });
    for (name, text) in [("long", &long), ("short", &short)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("extract/{name}"), |b| {
            b.iter(|| extractor.extract(text, reference))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
