//! Groups the articles of a folder of text files into stories and prints each story's
//! articles and timeline: `cargo run -p docpipe-stories --example track -- corpus/`.
//!
//! It splits sentences at line ends and finds no dates or keywords in the text, so it shows
//! only what the tracker does with the bare minimum; the docpipe binary gives it the real
//! outputs of the earlier stages.

use docpipe_stories::{Article, StoryTracker};
use docpipe_summarize::{SentenceInput, SentenceRole};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let folder = std::env::args().nth(1).unwrap_or_else(|| "corpus".into());
    let mut paths: Vec<_> = std::fs::read_dir(&folder)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let mut tracker = StoryTracker::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let mut sentences = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim_end();
            if !trimmed.is_empty() {
                sentences.push(SentenceInput {
                    span: start..start + trimmed.len(),
                    role: SentenceRole::Body,
                    paragraph: sentences.len(),
                });
            }
            start += line.len();
        }
        let id = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        let mut article = Article::new(&id, &text);
        article.sentences = &sentences;
        let assignment = tracker.add(&article);
        println!("{id}: story {}", assignment.story);
    }
    for story in tracker.finish() {
        println!(
            "\n{} ({} articles): {}",
            story.id,
            story.articles.len(),
            story.title
        );
        for sentence in &story.summary {
            println!("  - {}", sentence.text);
        }
    }
    Ok(())
}
