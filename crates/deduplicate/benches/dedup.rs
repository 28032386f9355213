//! Fingerprints of real articles (MB/s), and index checks (documents/s).

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use docpipe_deduplicate::{DedupConfig, Deduplicator};

fn bench(c: &mut Criterion) {
    let (sample, long, short) = articles::sample();
    let dedup = Deduplicator::new(DedupConfig::default());
    let mut group = c.benchmark_group("dedup");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(articles::bytes(&sample)));
    group.bench_function("fingerprint/sample", |b| {
        b.iter(|| {
            sample
                .iter()
                .map(|t| dedup.fingerprint(t).shingles)
                .sum::<u32>()
        })
    });
    for (name, text) in [("long", &long), ("short", &short)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("fingerprint/{name}"), |b| {
            b.iter(|| dedup.fingerprint(text))
        });
    }
    // Index checks: the sample's fingerprints, repeated with new ids, into a fresh index.
    let fingerprints: Vec<_> = sample.iter().map(|t| dedup.fingerprint(t)).collect();
    let ids: Vec<String> = (0..fingerprints.len())
        .map(|i| format!("doc-{i}"))
        .collect();
    group.throughput(Throughput::Elements(fingerprints.len() as u64));
    group.bench_function("check/sample", |b| {
        b.iter_batched(
            || {
                (
                    Deduplicator::new(DedupConfig::default()),
                    fingerprints.clone(),
                )
            },
            |(mut index, prints)| {
                for (id, print) in ids.iter().zip(prints) {
                    index.check_fingerprint(id, print);
                }
                index.len()
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
