//! End to end: the `docpipe` binary over 1,500 real articles (JSON Lines), all stages, one
//! thread and two. Throughput is in bytes of input, so criterion prints MB/s.

mod articles;

use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let (sample, _, _) = articles::sample();
    let dir = std::env::temp_dir().join(format!("docpipe-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let input = dir.join("sample.jsonl");
    let lines: String = sample
        .iter()
        .enumerate()
        .map(|(i, text)| format!("{}\n", serde_json::json!({"id": i, "text": text})))
        .collect();
    std::fs::write(&input, &lines).expect("the sample is written");
    let output = dir.join("out.jsonl");
    let mut group = c.benchmark_group("pipeline");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(lines.len() as u64));
    for threads in ["1", "2"] {
        group.bench_function(format!("all-stages/{threads}-threads"), |b| {
            b.iter(|| {
                let status = Command::new(env!("CARGO_BIN_EXE_docpipe"))
                    .args(["run", input.to_str().unwrap_or_default(), "-o"])
                    .arg(&output)
                    .args(["--threads", threads, "-q"])
                    .status()
                    .expect("docpipe runs");
                assert!(status.success());
            })
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
