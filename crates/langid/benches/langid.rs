//! docpipe-langid against whatlang on the same 512-byte samples of real news articles (the
//! sample the pipeline's lang stage reads), and on the langid dev split's texts when
//! `../shared` is there.

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use docpipe_langid::Detector;

/// The pipeline's default sample (docpipe-normalize's `DEFAULT_SAMPLE_BYTES`).
const SAMPLE_BYTES: usize = 512;

/// The first `SAMPLE_BYTES` of a text, cut at a character boundary.
fn head(text: &str) -> &str {
    let mut end = SAMPLE_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn bench(c: &mut Criterion) {
    let (sample, _, _) = articles::sample();
    let heads: Vec<&str> = sample.iter().map(|t| head(t)).collect();
    let detector = Detector::new().expect("the shipped table parses");
    let mut group = c.benchmark_group("langid");
    group.sample_size(10);
    group.throughput(Throughput::Elements(heads.len() as u64));
    group.bench_function("docpipe-langid/news-512B", |b| {
        b.iter(|| {
            heads
                .iter()
                .filter(|t| detector.detect(t).code.is_some())
                .count()
        })
    });
    group.bench_function("whatlang/news-512B", |b| {
        b.iter(|| {
            heads
                .iter()
                .filter(|t| whatlang::detect(t).is_some())
                .count()
        })
    });
    let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/eval/langid/dev.jsonl");
    if let Ok(text) = std::fs::read_to_string(dev) {
        let items: Vec<String> = text
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
            .collect();
        group.throughput(Throughput::Elements(items.len() as u64));
        group.bench_function("docpipe-langid/dev", |b| {
            b.iter(|| {
                items
                    .iter()
                    .filter(|t| detector.detect(t).code.is_some())
                    .count()
            })
        });
        group.bench_function("whatlang/dev", |b| {
            b.iter(|| {
                items
                    .iter()
                    .filter(|t| whatlang::detect(t).is_some())
                    .count()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
