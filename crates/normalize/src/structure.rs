//! Blocks (headings, paragraphs, list items) and their sentences.

use std::ops::Range;

use crate::sentences::SentenceSplitter;
pub use crate::words::word_count;
use crate::words::words;

/// A heading is at most this many words.
const MAX_HEADING_WORDS: usize = 14;

/// A list item longer than this many words is prose and is split into sentences.
const MAX_SINGLE_SENTENCE_ITEM_WORDS: usize = 40;

/// What a block of text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A title or section heading line.
    Heading,
    /// Running text.
    Paragraph,
    /// An item of a bulleted or numbered list.
    ListItem,
}

/// A block of the text with its sentences, as byte ranges into the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Heading, paragraph or list item.
    pub kind: BlockKind,
    /// The block, without surrounding whitespace.
    pub span: Range<usize>,
    /// The sentences, in order; a heading or a short list item is one sentence.
    pub sentences: Vec<Range<usize>>,
}

/// Splits text into blocks and sentences.
///
/// Blank lines always separate blocks. A single line break separates blocks too, unless it
/// falls inside a sentence (the line before does not end a sentence and the next line goes on
/// with it), which is how hard-wrapped text is told from one-paragraph-per-line text.
pub fn segment(text: &str) -> Vec<Block> {
    segment_with(text, Some(&SentenceSplitter::new()))
}

/// The blocks of [`segment`] without their sentences: every block's `sentences` is left empty.
/// Sentence splitting is most of the cost of [`segment`]; a caller that needs only the blocks
/// saves it.
pub fn blocks(text: &str) -> Vec<Block> {
    segment_with(text, None)
}

fn segment_with(text: &str, splitter: Option<&SentenceSplitter>) -> Vec<Block> {
    // At most one block per line. Reserved up front: a text of one short line per block has
    // more bytes of blocks than of text, and a list that doubles as it grows holds its old and
    // new copies at once. (Room reserved but never written is never resident.)
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut blocks = Vec::with_capacity(lines);
    let mut block_start: Option<usize> = None;
    let mut previous_line: Option<Line> = None;
    let mut offset = 0;
    // Line ends found with memchr: lines of news text are often whole paragraphs.
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        let line = &text[offset..end];
        let range = offset..end;
        offset = end + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let (Some(start), Some(prev)) = (block_start.take(), previous_line.take()) {
                push_block(text, start..prev.range.end, splitter, &mut blocks);
            }
            continue;
        }
        // Each line is looked at once, whether it then comes as the next line or the previous.
        let current = Line::new(range, trimmed);
        match (&block_start, &previous_line) {
            (Some(start), Some(prev)) if !continues(prev, &current) => {
                push_block(text, *start..prev.range.end, splitter, &mut blocks);
                block_start = Some(current.range.start);
            }
            (None, _) => block_start = Some(current.range.start),
            _ => {}
        }
        previous_line = Some(current);
    }
    if let (Some(start), Some(prev)) = (block_start, previous_line) {
        push_block(text, start..prev.range.end, splitter, &mut blocks);
    }
    blocks
}

/// A non-blank line and what decides whether the line after it continues its block.
struct Line {
    range: Range<usize>,
    /// A list item or a heading: a block of its own, never joined with its neighbours.
    stands_alone: bool,
    /// The line ends with sentence punctuation, so a line after it starts a new block.
    ends_sentence: bool,
}

impl Line {
    fn new(range: Range<usize>, trimmed: &str) -> Line {
        let ends_sentence = trimmed
            .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')'])
            .ends_with(['.', '!', '?', ':', '\u{2026}']);
        Line {
            range,
            stands_alone: is_list_item(trimmed) || heading_like(trimmed),
            ends_sentence,
        }
    }
}

/// Whether `next` continues the block of `previous` (a wrapped line) rather than opening one.
fn continues(previous: &Line, next: &Line) -> bool {
    !(previous.stands_alone || next.stands_alone || previous.ends_sentence)
}

fn push_block(
    text: &str,
    range: Range<usize>,
    splitter: Option<&SentenceSplitter>,
    blocks: &mut Vec<Block>,
) {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - slice.trim_start().len());
    let span = start..start + slice.trim().len();
    let body = &text[span.clone()];
    let kind = if is_list_item(body) {
        BlockKind::ListItem
    } else if !body.contains('\n') && (heading_like(body) || standalone_heading(body)) {
        BlockKind::Heading
    } else {
        BlockKind::Paragraph
    };
    let sentences = match splitter {
        None => Vec::new(),
        Some(_) if kind == BlockKind::Heading => vec![span.clone()],
        Some(splitter)
            if kind == BlockKind::ListItem
                && word_count(body) <= MAX_SINGLE_SENTENCE_ITEM_WORDS =>
        {
            item_sentences(body, span.start, splitter)
        }
        Some(splitter) => splitter
            .split(body)
            .into_iter()
            .map(|s| s.start + span.start..s.end + span.start)
            .collect(),
    };
    blocks.push(Block {
        kind,
        span,
        sentences,
    });
}

/// The sentences of a short list item: the whole item, unless the line holds several items
/// ("1.) The first item 2.) The second item"); then one per item, cut where the splitter ends
/// a sentence right before another list marker. Other sentence ends inside an item stay
/// joined: a short item is one sentence.
fn item_sentences(body: &str, offset: usize, splitter: &SentenceSplitter) -> Vec<Range<usize>> {
    let whole = std::iter::once(offset..offset + body.len()).collect::<Vec<_>>();
    // Most items hold one marker only; the splitter runs only on those that may hold more.
    let inline_marker = body
        .char_indices()
        .skip(1)
        .any(|(at, c)| c == ' ' && is_list_item(&body[at + 1..]));
    if !inline_marker {
        return whole;
    }
    let mut sentences: Vec<Range<usize>> = Vec::new();
    for part in splitter.split(body) {
        let starts_item = is_list_item(&body[part.start..]);
        match sentences.last_mut() {
            Some(last) if !starts_item => last.end = part.end + offset,
            _ => sentences.push(part.start + offset..part.end + offset),
        }
    }
    if sentences.is_empty() {
        whole
    } else {
        sentences
    }
}

/// A Markdown heading, or a short line without final punctuation whose words are mostly
/// capitalized ("Historic Call Sets Stage for Enhanced Cooperation"). Sentence-case lines and
/// table rows ("Shr 45 cts vs 58 cts") are not headings.
fn heading_like(line: &str) -> bool {
    let line = line.trim();
    if line.starts_with('#') {
        return true;
    }
    let Some(last) = line.chars().last() else {
        return false;
    };
    if matches!(
        last,
        '.' | '!' | '?' | ',' | ';' | ':' | '"' | '\u{201d}' | '\u{2026}'
    ) {
        return false;
    }
    // One pass over the words, no allocation: this runs on every line of every text.
    let (mut count, mut alphabetic, mut capitalized, mut long, mut long_capitalized) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    for word in words(line) {
        count += 1;
        if count > MAX_HEADING_WORDS {
            return false;
        }
        let mut chars = word.chars();
        let Some(first) = chars.next().filter(|c| c.is_alphabetic()) else {
            continue;
        };
        alphabetic += 1;
        let upper = first.is_uppercase();
        capitalized += usize::from(upper);
        // Short function words stay lower case in title case ("for", "of", "the").
        if chars.nth(2).is_some() {
            long += 1;
            long_capitalized += usize::from(upper);
            // Even if every word still allowed were long and capitalized, too few of the long
            // words would be: most lines of running text stop here, a few words in.
            let words_left = MAX_HEADING_WORDS - count;
            if 3 * long > 4 * long_capitalized + words_left {
                return false;
            }
        }
    }
    count > 0
        && alphabetic * 2 >= count
        && capitalized >= 1
        && long_capitalized * 4 >= long.max(1) * 3
}

/// A short line that stands alone as a block, starts with a capital and has no final
/// punctuation or figures: a subtitle or a sentence-case heading. (Inside running text such a
/// line is a wrapped line and joins the next one before it gets here.)
fn standalone_heading(line: &str) -> bool {
    let last = line.chars().last().unwrap_or('.');
    // The cheap tests first: most blocks are paragraphs that end with a stop.
    !matches!(
        last,
        '.' | '!' | '?' | ',' | ';' | ':' | '"' | '\u{201d}' | '\u{2026}'
    ) && line.chars().next().is_some_and(char::is_uppercase)
        && !line.bytes().any(|b| b.is_ascii_digit())
        && (2..=MAX_HEADING_WORDS).contains(&words(line).take(MAX_HEADING_WORDS + 1).count())
}

fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '+' | '\u{2022}' | '\u{2043}' | '\u{25e6}' | '\u{25aa}' | '\u{2013}') => {
            chars.next() == Some(' ')
        }
        Some(c) if c.is_ascii_digit() => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let after = &line[digits..];
            digits <= 3
                && (after.starts_with(". ") || after.starts_with(") ") || after.starts_with(".) "))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, &str)> {
        segment(text)
            .into_iter()
            .map(|b| (b.kind, &text[b.span]))
            .collect()
    }

    #[test]
    fn several_items_on_one_line_are_one_sentence_each() {
        for (text, expected) in [
            (
                "1.) The first item 2.) The second item",
                vec!["1.) The first item", "2.) The second item"],
            ),
            (
                "1. The first item. 2. The second item.",
                vec!["1. The first item.", "2. The second item."],
            ),
            (
                "\u{2022} 9. The first item \u{2022} 10. The second item",
                vec!["\u{2022} 9. The first item", "\u{2022} 10. The second item"],
            ),
            // One item: its sentence ends do not split it.
            (
                "- Prices rose. Sales fell.",
                vec!["- Prices rose. Sales fell."],
            ),
        ] {
            let blocks = segment(text);
            let sentences: Vec<&str> = blocks
                .iter()
                .flat_map(|b| b.sentences.iter().map(|s| &text[s.clone()]))
                .collect();
            assert_eq!(sentences, expected, "{text}");
        }
    }

    #[test]
    fn headings_paragraphs_and_lists() {
        let text = "Historic Call Sets Stage for Enhanced Cooperation\nThe call lasted an hour. Both sides spoke.\n\n- first point\n- second point\n2. numbered";
        assert_eq!(
            kinds(text),
            [
                (
                    BlockKind::Heading,
                    "Historic Call Sets Stage for Enhanced Cooperation"
                ),
                (
                    BlockKind::Paragraph,
                    "The call lasted an hour. Both sides spoke."
                ),
                (BlockKind::ListItem, "- first point"),
                (BlockKind::ListItem, "- second point"),
                (BlockKind::ListItem, "2. numbered"),
            ]
        );
    }

    #[test]
    fn wrapped_lines_join_and_tables_are_not_headings() {
        let text = "The company said its net profit\nrose to 12 mln dlrs in the year.\nShr 45 cts vs 58 cts\nNet 1.2 mln vs 1.5 mln";
        let blocks = segment(text);
        assert_eq!(
            &text[blocks[0].span.clone()],
            "The company said its net profit\nrose to 12 mln dlrs in the year."
        );
        assert_eq!(blocks[0].sentences.len(), 1);
        assert!(blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    }

    #[test]
    fn corpus_articles_split_where_a_reader_would() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            for block in segment(&text) {
                for sentence in &block.sentences {
                    let s = &text[sentence.clone()];
                    assert_eq!(s, s.trim());
                    if block.kind == BlockKind::Paragraph {
                        assert!(s.ends_with(['.', '?', '!', ':', '"', '\u{201d}']), "{s:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn blocks_are_the_blocks_of_segment_without_sentences() {
        let text = "Historic Call Sets Stage\nThe call lasted an hour. Both sides spoke.\n\n- first point\n2. numbered";
        let segmented = segment(text);
        let blocks = blocks(text);
        assert_eq!(blocks.len(), segmented.len());
        for (block, full) in blocks.iter().zip(&segmented) {
            assert_eq!((block.kind, &block.span), (full.kind, &full.span));
            assert!(block.sentences.is_empty());
        }
    }

    #[test]
    fn words() {
        assert_eq!(word_count("The U.S. gave $1.5 billion \u{2014} today."), 6);
        for text in [
            "",
            " a\u{0B}b\u{85}c ",
            "caf\u{e9} \u{2014} 42",
            "--- x",
            "\u{a0}\u{3000}z",
        ] {
            let expected = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            assert_eq!(word_count(text), expected, "{text:?}");
        }
    }
}

#[cfg(test)]
mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn spans_are_in_bounds_and_ordered(text in "(\\PC|[\\n .!?\"'()•-]|1\\. |Mr\\. |U\\.S\\. |\\.\\.\\. ){0,80}") {
            let text = crate::Normalizer::new().normalize(&text);
            let mut last = 0;
            for block in segment(&text) {
                prop_assert!(text.get(block.span.clone()).is_some());
                for sentence in &block.sentences {
                    prop_assert!(text.get(sentence.clone()).is_some());
                    prop_assert!(sentence.start >= last);
                    last = sentence.end;
                }
            }
        }
    }
}
