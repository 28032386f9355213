//! Parse + extraction throughput over the dev pages of ../shared/eval/html (licensed for
//! evaluation only, so read in place and never copied; the bench skips with a note when
//! they are absent). Reports bytes of HTML per second.

use std::io::Read;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// The dev pages, decompressed. The bench's inputs are held in memory so that only
/// extraction is timed.
fn load_pages() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/html/pages");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut pages = Vec::new();
    for path in paths {
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let mut html = Vec::new();
        if flate2::read::GzDecoder::new(file)
            .read_to_end(&mut html)
            .is_ok()
        {
            pages.push(html);
        }
    }
    pages
}

fn bench(c: &mut Criterion) {
    let pages = load_pages();
    if pages.is_empty() {
        eprintln!("extract bench: ../shared/eval/html/pages not found, skipped");
        return;
    }
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("dev_pages", |b| {
        b.iter(|| {
            let mut blocks = 0usize;
            for html in &pages {
                let page = docpipe_extract::Page {
                    html,
                    url: None,
                    content_type: None,
                };
                if let Ok(article) = docpipe_extract::extract(&page) {
                    blocks += article.blocks.len();
                }
            }
            blocks
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
