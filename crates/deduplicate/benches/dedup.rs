//! The parallel part of dedup on real articles, fingerprint and band keys (MB/s), and the
//! serial part, index checks in input order (documents/s).

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use docpipe_deduplicate::{DedupConfig, Fingerprinter, Index};

fn bench(c: &mut Criterion) {
    let (sample, long, short) = articles::sample();
    let dedup = Fingerprinter::new(DedupConfig::default());
    let mut group = c.benchmark_group("dedup");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(articles::bytes(&sample)));
    group.bench_function("prepare/sample", |b| {
        b.iter(|| {
            sample
                .iter()
                .map(|t| dedup.prepare(t).band_keys().len())
                .sum::<usize>()
        })
    });
    for (name, text) in [("long", &long), ("short", &short)] {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("prepare/{name}"), |b| {
            b.iter(|| dedup.prepare(text))
        });
    }
    // Index checks: the sample's prepared fingerprints, with new ids, into a fresh index.
    let fingerprints: Vec<_> = sample.iter().map(|t| dedup.prepare(t)).collect();
    let ids: Vec<String> = (0..fingerprints.len())
        .map(|i| format!("doc-{i}"))
        .collect();
    group.throughput(Throughput::Elements(fingerprints.len() as u64));
    group.bench_function("check/sample", |b| {
        b.iter_batched(
            || (Index::new(DedupConfig::default()), fingerprints.clone()),
            |(mut index, prints)| {
                for (id, print) in ids.iter().zip(prints) {
                    index.check(id, print);
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
