//! Fuzz target: the input bytes are a page body, through `docpipe_extract::extract` (as bytes,
//! with and without a URL) and `extract_str` on their lossy UTF-8. Besides "no panic" it
//! checks what an `Article` promises: at least one block, every block's text non-empty with
//! whitespace folded (no leading, trailing or doubled whitespace), and `Article::text()`
//! segmented by docpipe-normalize into blocks that lie within it.
//!
//! Self-contained rather than a function of `checks.rs`: the root package, whose replay test
//! includes that file, does not depend on docpipe-extract yet.
#![no_main]

use docpipe_extract::{extract, extract_str, Article, Page};

fn check(article: &Article) {
    assert!(!article.blocks.is_empty(), "an article without blocks");
    for block in &article.blocks {
        let text = &block.text;
        assert!(!text.is_empty(), "an empty block");
        assert_eq!(text.trim(), text, "block not trimmed: {text:?}");
        assert!(!text.contains("  "), "whitespace not folded: {text:?}");
        assert!(!text.contains(['\n', '\t', '\r']), "whitespace not folded: {text:?}");
    }
    let text = article.text();
    for block in docpipe_normalize::blocks(&text) {
        assert!(block.span.end <= text.len() && !text[block.span.clone()].is_empty());
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for url in [None, Some("https://example.com/2024/05/01/a-story")] {
        let page = Page {
            html: data,
            url,
            content_type: Some("text/html"),
        };
        if let Ok(article) = extract(&page) {
            check(&article);
        }
    }
    if let Ok(article) = extract_str(&String::from_utf8_lossy(data), None) {
        check(&article);
    }
});
