//! Cost per article of the story tracker, and memory per open story, on real articles
//! (what the earlier stages give the tracker is computed beforehand, outside the timing).
//!
//! `prepare` is the per-article work a caller can run on many threads; `track/N` is the whole
//! stage (prepare and add) over the first N articles of the corpus. Per-article times of
//! `track/1000` and `track/4000` that agree show that the cost does not grow with the number
//! of open stories (the default window keeps all of them open here).

#[path = "../../../benches/articles.rs"]
mod articles;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use docpipe_date_extract::{extract, Timex};
use docpipe_normalize::{segment, BlockKind, Normalizer};
use docpipe_stories::{Article, StoryTracker};
use docpipe_summarize::{Keyword, SentenceInput, SentenceRole, Summarizer};

struct Input {
    id: String,
    text: String,
    sentences: Vec<SentenceInput>,
    keywords: Vec<Keyword>,
    dates: Vec<Timex>,
}

impl Input {
    fn article(&self) -> Article<'_> {
        let mut article = Article::new(&self.id, &self.text);
        article.sentences = &self.sentences;
        article.keywords = &self.keywords;
        article.dates = &self.dates;
        article
    }
}

fn inputs(limit: usize) -> Vec<Input> {
    let summarizer = Summarizer::new();
    articles::articles(limit)
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            let text = Normalizer::new().normalize(&raw);
            let mut sentences = Vec::new();
            for (paragraph, block) in segment(&text).into_iter().enumerate() {
                let role = match block.kind {
                    BlockKind::Heading => SentenceRole::Heading,
                    BlockKind::ListItem => SentenceRole::ListItem,
                    BlockKind::Paragraph => SentenceRole::Body,
                };
                sentences.extend(block.sentences.into_iter().map(|span| SentenceInput {
                    span,
                    role,
                    paragraph,
                }));
            }
            let keywords = summarizer.keywords(&text, &sentences, 10);
            let dates = extract(&text, None);
            Input {
                id: format!("a{index}"),
                text,
                sentences,
                keywords,
                dates,
            }
        })
        .collect()
}

fn track(inputs: &[Input]) -> StoryTracker {
    let mut tracker = StoryTracker::new();
    for input in inputs {
        tracker.add(&input.article());
    }
    tracker
}

fn bench(c: &mut Criterion) {
    let all = inputs(4000);
    let tracker = track(&all);
    eprintln!(
        "{} articles: {} open stories, {} bytes of heap per open story",
        all.len(),
        tracker.open_stories(),
        tracker.open_heap_bytes() / tracker.open_stories().max(1)
    );
    let mut group = c.benchmark_group("stories");
    group.sample_size(10);
    let first = &all[..all.len().min(1000)];
    group.throughput(Throughput::Elements(first.len() as u64));
    let prepare_only = StoryTracker::new();
    group.bench_function("prepare/1000", |b| {
        b.iter(|| {
            first
                .iter()
                .map(|i| prepare_only.prepare(&i.article()).id().len())
                .sum::<usize>()
        })
    });
    for n in [1000, 4000] {
        let stream = &all[..all.len().min(n)];
        group.throughput(Throughput::Elements(stream.len() as u64));
        group.bench_function(format!("track/{n}"), |b| {
            b.iter(|| track(stream).open_stories())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
