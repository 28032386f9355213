//! Normalization, segmentation and language identification on real articles.

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use docpipe_normalize::{segment, LanguageDetector, Normalizer};

fn bench(c: &mut Criterion) {
    let (sample, long, short) = articles::sample();
    let normalizer = Normalizer::new();
    let normalized: Vec<String> = sample.iter().map(|t| normalizer.normalize(t)).collect();
    let detector = LanguageDetector::new();
    let mut group = c.benchmark_group("normalize");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(articles::bytes(&sample)));
    group.bench_function("normalize/sample", |b| {
        b.iter(|| {
            sample
                .iter()
                .map(|t| normalizer.normalize(t).len())
                .sum::<usize>()
        })
    });
    group.bench_function("segment/sample", |b| {
        b.iter(|| normalized.iter().map(|t| segment(t).len()).sum::<usize>())
    });
    group.bench_function("language/sample", |b| {
        b.iter(|| {
            normalized
                .iter()
                .filter(|t| detector.detect(t).reliable)
                .count()
        })
    });
    for (name, text) in [("long", &long), ("short", &short)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("all/{name}"), |b| {
            b.iter(|| {
                let clean = normalizer.normalize(text);
                (segment(&clean).len(), detector.detect(&clean).reliable)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
