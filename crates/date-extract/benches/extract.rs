//! Temporal tagging with resolution on real articles, and the cost of pathological documents
//! at 64 KiB and 1 MiB (issue #17): a linear tagger takes 16x the time on the larger one, the
//! quadratic one of before 256x and more.

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

/// The repeated units of the linearity check: one per pattern family the issue found
/// quadratic, and real news text.
const UNITS: [(&str, &str); 6] = [
    ("jan", "Jan. "),
    ("may", "May "),
    ("iso", "2024-01-01 "),
    ("in-1-day", "in 1 day "),
    ("clock", "10:30 a.m. "),
    ("next-monday", "next Monday "),
];

/// Sizes of the small and the large document.
const SMALL: usize = 64 << 10;
const LARGE: usize = 1 << 20;

/// `unit` repeated to at most `bytes` bytes, cut at a whole unit.
fn repeated(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes / unit.len())
}

fn linear(c: &mut Criterion) {
    let (_, long, _) = articles::sample();
    let extractor = Extractor::new();
    let reference = NaiveDate::from_ymd_opt(2024, 3, 18);
    let mut group = c.benchmark_group("date-extract-linear");
    group.sample_size(10);
    let news = format!("{long}\n");
    let units = UNITS
        .iter()
        .map(|&(name, unit)| (name, unit))
        .chain([("news", news.as_str())]);
    for (name, unit) in units {
        for (size, bytes) in [("64k", SMALL), ("1m", LARGE)] {
            let text = repeated(unit, bytes);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_function(format!("{name}/{size}"), |b| {
                b.iter(|| extractor.extract(&text, reference).len())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench, linear);
criterion_main!(benches);
