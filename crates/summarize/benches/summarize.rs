//! Summaries and keywords of real articles (segmentation done beforehand, outside the timing).

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use docpipe_normalize::{segment, Normalizer};
use docpipe_summarize::{SentenceInput, Summarizer};

fn prepare(text: &str) -> (String, Vec<SentenceInput>) {
    let text = Normalizer::new().normalize(text);
    let inputs = SentenceInput::from_blocks(&segment(&text));
    (text, inputs)
}

fn bench(c: &mut Criterion) {
    let (sample, long, short) = articles::sample();
    let prepared: Vec<_> = sample.iter().map(|t| prepare(t)).collect();
    let summarizer = Summarizer::new();
    let mut group = c.benchmark_group("summarize");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(articles::bytes(&sample)));
    group.bench_function("summary+keywords/sample", |b| {
        b.iter(|| {
            prepared
                .iter()
                .map(|(t, s)| {
                    let (summary, keywords) = summarizer.summary_and_keywords(t, s, 10);
                    summary.sentences.len() + keywords.len()
                })
                .sum::<usize>()
        })
    });
    for (name, text) in [("long", &long), ("short", &short)] {
        let (text, sentences) = prepare(text);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("summary+keywords/{name}"), |b| {
            b.iter(|| summarizer.summary_and_keywords(&text, &sentences, 10))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
