//! `Article::text()` is what the pipeline segments: docpipe-normalize must find the same
//! blocks, with the same kinds where it has them, in the text of a made-up page.

use docpipe_extract::{extract_str, BlockKind};
use docpipe_normalize::{segment, BlockKind as NormalizeKind};

#[test]
fn normalize_segments_the_text_back_into_the_blocks() {
    let html = r#"<html><body><nav><a href="/">Home</a></nav><main><article>
        <h1>Council Approves the New Budget</h1>
        <p>The city council approved the budget on Tuesday, after a debate that ran past
        midnight, with seven votes to two.</p>
        <h2>What Changes for Residents</h2>
        <p>Bus fares stay the same. Parking fees rise by ten percent in the centre, and the
        library opens on Sundays from next month.</p>
        <ul><li>Bus fares unchanged</li><li>Parking fees up by a tenth</li>
        <li>Libraries open on Sundays</li></ul>
        <blockquote><p>"It is a fair budget for hard times," the mayor said.</p></blockquote>
        <p>The budget takes effect in January.</p>
        </article></main><footer>Copyright 2024 City News</footer></body></html>"#;
    let article = match extract_str(html, None) {
        Ok(article) => article,
        Err(e) => panic!("no article: {e}"),
    };
    let text = article.text();
    let segmented = segment(&text);
    assert_eq!(segmented.len(), article.blocks.len(), "{text}");
    for (block, seg) in article.blocks.iter().zip(&segmented) {
        let expected = match block.kind {
            BlockKind::Heading => NormalizeKind::Heading,
            BlockKind::ListItem => NormalizeKind::ListItem,
            BlockKind::Paragraph | BlockKind::Quote => NormalizeKind::Paragraph,
            other => panic!("a block kind this test does not map: {other:?}"),
        };
        assert_eq!(seg.kind, expected, "{:?}", &text[seg.span.clone()]);
        assert!(text[seg.span.clone()].ends_with(&block.text));
    }
}
