//! The main text: boilerplate removal, the choice of the content container, and its blocks.
//!
//! The method follows the published ideas rather than any one tool:
//! - elements that never hold article text (scripts, styles, form controls, `nav`, `aside`,
//!   `footer`, captions) are dropped with their subtree, and so are elements whose
//!   `class`/`id`/`role` names a kind of boilerplate (menus, share bars, cookie banners,
//!   comments, related links, bylines...), unless the element holds half the page's text or
//!   all elements of that name together hold a large share of it: then the name is this
//!   page's word for its content (a forum thread is all "comments"). Hidden elements stay:
//!   collapsed tabs and accordions are content;
//! - the page is cut into text blocks at block-level elements, each with its character and
//!   link-character counts (link density, as in boilerpipe);
//! - paragraph-like blocks score their ancestors with a decay by distance (as in
//!   readability), a container's score is cut by its link density and moved by the hints in
//!   its name and tag, and the best container is the seed of the main content;
//! - the container then grows to its parent while the parent adds little besides good text
//!   (page builders cut one article into many sibling sections and wrappers);
//! - inside the content, blocks of nearly only links are dropped, and so are what follows
//!   the last block of prose ("Related stories", share and tag lines), the headline and the
//!   datelines above the body (the text convention of the gold sets: title and date are
//!   metadata, not text).

use crate::dom::{Dom, NodeData, NodeId, Tag};
use crate::{Block, BlockKind};

mod names;

use names::name_hint;

/// A block shorter than this many characters does not vote for its container.
const MIN_SCORING_CHARS: usize = 25;

/// A container whose text is more than this share link text is navigation.
const MAX_LINK_DENSITY: f64 = 0.5;

/// An element whose name says boilerplate is still kept when it holds more than this share
/// of the page's text: the name is then the page's own vocabulary for its content.
const MAX_BOILERPLATE_SHARE: f64 = 0.5;

/// A block with at most this share of link text counts as good text.
const GOOD_LINK_DENSITY: f64 = 0.3;

/// The container grows to its parent when the parent holds this many times its good text.
const GROWTH: f64 = 1.25;

/// The container also grows when what its parent adds is at least this share good text.
const MIN_ADDED_GOOD_SHARE: f64 = 0.5;

/// A boilerplate name whose elements hold together more than this share of the page's text
/// names the content on this page.
const CONTENT_NAME_SHARE: f64 = 0.3;

/// A parent that adds at most this share of the container's text (a section heading, a
/// caption) is a wrapper, and the container grows to it.
const MINOR_ADDITION: f64 = 0.15;

/// A block inside the content with more link text than this is a link list.
const KEEP_LINK_DENSITY: f64 = 0.9;

/// What the extraction found: the blocks and where the main content lies.
pub(crate) struct Content {
    pub blocks: Vec<Block>,
    /// The container chosen as the main content, if any scored.
    pub container: Option<NodeId>,
}

/// A run of text under one block-level element.
#[derive(Debug)]
struct TextBlock {
    /// The block-level element the text belongs to.
    owner: NodeId,
    /// The first text node of the block, for the containment tests.
    first_node: NodeId,
    kind: BlockKind,
    text: String,
    link_chars: usize,
}

impl TextBlock {
    fn chars(&self) -> usize {
        self.text.chars().filter(|c| !c.is_whitespace()).count()
    }

    fn link_density(&self) -> f64 {
        let chars = self.chars();
        if chars == 0 {
            return 0.0;
        }
        self.link_chars as f64 / chars as f64
    }
}

fn is_block_tag(tag: Tag) -> bool {
    !matches!(
        tag,
        Tag::A | Tag::Other | Tag::OtherVoid | Tag::Time | Tag::Br | Tag::Meta | Tag::Link
    )
}

/// Elements that never hold main text.
fn never_content(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Script
            | Tag::Style
            | Tag::Template
            | Tag::Svg
            | Tag::Math
            | Tag::Iframe
            | Tag::Select
            | Tag::Option
            | Tag::Optgroup
            | Tag::Button
            | Tag::Textarea
            | Tag::Title
            | Tag::Nav
            | Tag::Aside
            | Tag::Footer
            | Tag::Dialog
            | Tag::Figcaption
    )
}

fn count_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Finds the main text of a parsed page.
pub(crate) fn extract(dom: &Dom) -> Content {
    let n = dom.nodes.len();
    // Parents precede children, so every per-node flag that is inherited is one forward pass.
    let mut hard_removed = vec![false; n];
    let mut in_link = vec![false; n];
    let mut hints = vec![0i32; n];
    for id in 1..n {
        let parent = dom.nodes[id].parent;
        hard_removed[id] = hard_removed[parent];
        in_link[id] = in_link[parent];
        if let NodeData::Element { tag, .. } = &dom.nodes[id].data {
            if never_content(*tag) {
                hard_removed[id] = true;
            }
            if *tag == Tag::A {
                in_link[id] = true;
            }
            // Hidden elements stay: collapsed tabs and accordions hold content (the gold
            // convention keeps them: dev 4/5 word F1 0.796 -> 0.799), and streaming
            // renderers ship the whole page in a hidden element.
            hints[id] = name_hint(dom, id);
        }
    }
    // Text mass of each subtree, without what is removed for sure, in one backward pass.
    let mut mass = vec![0usize; n];
    for id in (1..n).rev() {
        if hard_removed[id] {
            continue;
        }
        if let NodeData::Text { start, end } = dom.nodes[id].data {
            mass[id] += count_chars(&dom.text[start..end]);
        }
        let parent = dom.nodes[id].parent;
        mass[parent] += mass[id];
    }
    let total = mass[0].max(1) as f64;
    // The text under each boilerplate name, counting only the outermost element with it: a
    // name that covers most of the page (every post of a forum thread is a "comment") is
    // this page's word for its content.
    let mut name_mass: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
    let mut under_hint = vec![false; n];
    for id in 1..n {
        let parent = dom.nodes[id].parent;
        under_hint[id] = under_hint[parent];
        if hints[id] < 0 && !under_hint[id] && !hard_removed[id] {
            *name_mass.entry(hints[id]).or_default() += mass[id];
            under_hint[id] = true;
        }
    }
    let content_name = |hint: i32| {
        name_mass
            .get(&hint)
            .is_some_and(|&m| m as f64 > CONTENT_NAME_SHARE * total)
    };
    let mut removed = hard_removed;
    for id in 1..n {
        let parent = dom.nodes[id].parent;
        if removed[parent] {
            removed[id] = true;
            continue;
        }
        let structural = matches!(
            dom.tag(id),
            Some(Tag::Html | Tag::Body | Tag::Main | Tag::Article)
        );
        if hints[id] < 0
            && !structural
            && (mass[id] as f64) < MAX_BOILERPLATE_SHARE * total
            && !content_name(hints[id])
        {
            removed[id] = true;
        }
    }

    let blocks = text_blocks(dom, &removed, &in_link);
    let container = choose_container(dom, &blocks, &hints);
    let chosen: Vec<&TextBlock> = match container {
        Some(container) => {
            let link_heavy_container = container_link_density(&blocks, dom, container) > 0.5;
            blocks
                .iter()
                .filter(|b| {
                    dom.contains(container, b.owner) || dom.contains(container, b.first_node)
                })
                .filter(|b| link_heavy_container || keep_in_content(b))
                .collect()
        }
        None => blocks.iter().filter(|b| keep_in_content(b)).collect(),
    };
    // What follows the last block of prose is the content's own footer: "Related stories",
    // "Share", "Filed under", tag lists.
    // A short list item of plain text at the end is still the article's (a closing list).
    let last_good = chosen.iter().rposition(|b| {
        is_good(b) || (b.kind == BlockKind::ListItem && b.link_density() <= GOOD_LINK_DENSITY)
    });
    let chosen = match last_good {
        Some(last) => &chosen[..=last],
        None => &chosen[..],
    };
    let mut out = Vec::with_capacity(chosen.len());
    let mut seen_body_text = false;
    for block in chosen {
        if block.kind == BlockKind::Heading
            && !seen_body_text
            && dom.tag(block.owner) == Some(Tag::H1)
        {
            // The headline: metadata, not text.
            continue;
        }
        if !seen_body_text && is_dateline(&block.text) {
            // "Dec 18, 2025", "3 min read", "Updated 5:50 am": the article's metadata.
            continue;
        }
        if block.kind != BlockKind::Heading {
            seen_body_text = true;
        }
        out.push(Block {
            kind: block.kind,
            text: block.text.clone(),
        });
    }
    Content {
        blocks: out,
        container,
    }
}

/// A block of prose: long enough, few links.
fn is_good(block: &TextBlock) -> bool {
    block.kind != BlockKind::Heading
        && block.chars() >= MIN_SCORING_CHARS
        && block.link_density() <= GOOD_LINK_DENSITY
}

/// A short line of figures and few words before the body: a date, a time, a reading time.
fn is_dateline(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    // Month names and "min read" are short; a title with a figure in it is longer.
    words <= DATELINE_MAX_WORDS
        && digits > 0
        && letters <= DATELINE_MAX_LETTERS
        && !text.ends_with(['.', '!', '?'])
}

/// A dateline is at most this many words.
const DATELINE_MAX_WORDS: usize = 8;

/// A dateline has at most this many letters.
const DATELINE_MAX_LETTERS: usize = 30;

/// Whether a block inside the content is text rather than a link list.
fn keep_in_content(block: &TextBlock) -> bool {
    let density = block.link_density();
    density <= KEEP_LINK_DENSITY || block.chars() >= 300
}

fn container_link_density(blocks: &[TextBlock], dom: &Dom, container: NodeId) -> f64 {
    let (mut chars, mut links) = (0usize, 0usize);
    for b in blocks
        .iter()
        .filter(|b| dom.contains(container, b.first_node))
    {
        chars += b.chars();
        links += b.link_chars;
    }
    if chars == 0 {
        return 0.0;
    }
    links as f64 / chars as f64
}

/// The page's text blocks in reading order.
fn text_blocks(dom: &Dom, removed: &[bool], in_link: &[bool]) -> Vec<TextBlock> {
    let n = dom.nodes.len();
    let mut owner = vec![0usize; n];
    let mut in_quote = vec![false; n];
    let mut blocks: Vec<TextBlock> = Vec::new();
    // Bumped at every block-level element and line break: text on either side of one belongs
    // to different blocks even when it has the same owner (`<div>a<p>b</p>c</div>`).
    let mut boundary = 0usize;
    let mut last_boundary = usize::MAX;
    for id in 1..n {
        let parent = dom.nodes[id].parent;
        owner[id] = owner[parent];
        in_quote[id] = in_quote[parent];
        match &dom.nodes[id].data {
            NodeData::Element { tag, .. } => {
                if *tag == Tag::Blockquote {
                    in_quote[id] = true;
                }
                if is_block_tag(*tag) {
                    owner[id] = id;
                    boundary += 1;
                } else if *tag == Tag::Br {
                    boundary += 1;
                }
            }
            NodeData::Text { start, end } => {
                if removed[id] {
                    continue;
                }
                let text = &dom.text[*start..*end];
                let block_owner = owner[id];
                let continues = last_boundary == boundary
                    && blocks.last().is_some_and(|b| b.owner == block_owner);
                if !continues {
                    if text.trim().is_empty() {
                        continue;
                    }
                    let kind = block_kind(dom, block_owner, in_quote[id]);
                    blocks.push(TextBlock {
                        owner: block_owner,
                        first_node: id,
                        kind,
                        text: String::new(),
                        link_chars: 0,
                    });
                    last_boundary = boundary;
                }
                if let Some(block) = blocks.last_mut() {
                    crate::dom::push_folded(&mut block.text, text);
                    if in_link[id] {
                        block.link_chars += count_chars(text);
                    }
                }
            }
            NodeData::Document => {}
        }
    }
    for block in &mut blocks {
        let trimmed = block.text.trim_end().len();
        block.text.truncate(trimmed);
    }
    blocks.retain(|b| !b.text.is_empty());
    blocks
}

fn block_kind(dom: &Dom, owner: NodeId, in_quote: bool) -> BlockKind {
    match dom.tag(owner) {
        Some(tag) if tag.heading_level().is_some() => BlockKind::Heading,
        Some(Tag::Li) => BlockKind::ListItem,
        _ if in_quote => BlockKind::Quote,
        _ => BlockKind::Paragraph,
    }
}

/// The element whose subtree is the main content: the best-scored container.
fn choose_container(dom: &Dom, blocks: &[TextBlock], hints: &[i32]) -> Option<NodeId> {
    let n = dom.nodes.len();
    let mut score = vec![0f64; n];
    let mut scored = vec![false; n];
    for block in blocks {
        let chars = block.chars();
        if chars < MIN_SCORING_CHARS || block.kind == BlockKind::Heading {
            continue;
        }
        if block.link_density() > MAX_LINK_DENSITY {
            continue;
        }
        let commas = block.text.matches([',', '，', '、']).count() as f64;
        let points = 1.0 + commas.min(10.0) + (chars as f64 / 100.0).min(3.0);
        // A paragraph element gives its score to its container; text straight in a div is its
        // own container's.
        let mut at = match dom.tag(block.owner) {
            Some(
                Tag::P
                | Tag::Li
                | Tag::Pre
                | Tag::Td
                | Tag::Th
                | Tag::Dd
                | Tag::Dt
                | Tag::Blockquote
                | Tag::Figcaption,
            ) => dom.nodes[block.owner].parent,
            _ => block.owner,
        };
        for level in 0..5 {
            if at == 0 {
                break;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f64 * 3.0,
            };
            score[at] += points / divider;
            scored[at] = true;
            at = dom.nodes[at].parent;
        }
    }
    // Link text of each subtree, for the density cut.
    let mut chars = vec![0usize; n];
    let mut links = vec![0usize; n];
    for block in blocks {
        // Charged to the owner only; the backward pass below carries it up.
        chars[block.owner] += block.chars();
        links[block.owner] += block.link_chars;
    }
    for id in (1..n).rev() {
        let parent = dom.nodes[id].parent;
        chars[parent] += chars[id];
        links[parent] += links[id];
    }
    let mut best: Option<(NodeId, f64)> = None;
    for id in 1..n {
        if !scored[id] {
            continue;
        }
        let density = if chars[id] == 0 {
            0.0
        } else {
            links[id] as f64 / chars[id] as f64
        };
        let mut s = score[id] * (1.0 - density);
        s += 5.0 * f64::from(hints[id].signum());
        if matches!(dom.tag(id), Some(Tag::Article | Tag::Main)) {
            s += 5.0;
        }
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((id, s));
        }
    }
    let (mut top, _) = best?;
    // Good text of each subtree: the text of the blocks that read as prose. Page builders cut
    // one article into many sibling sections, and the best-scored one is then only a part;
    // the container grows while its parent holds clearly more good text.
    let mut good = vec![0usize; n];
    let mut all = vec![0usize; n];
    for block in blocks {
        all[block.owner] += block.chars();
        if block.kind != BlockKind::Heading
            && block.chars() >= MIN_SCORING_CHARS
            && block.link_density() <= GOOD_LINK_DENSITY
        {
            good[block.owner] += block.chars();
        }
    }
    for id in (1..n).rev() {
        let parent = dom.nodes[id].parent;
        good[parent] += good[id];
        all[parent] += all[id];
    }
    while top != 0 {
        let parent = dom.nodes[top].parent;
        if parent == 0 || matches!(dom.tag(parent), Some(Tag::Body | Tag::Html)) {
            break;
        }
        let added_good = good[parent] - good[top];
        let added_all = all[parent] - all[top];
        let grows = (added_all as f64) <= MINOR_ADDITION * all[top] as f64
            || (good[parent] as f64) >= GROWTH * good[top] as f64
            || (added_good > 0 && added_good as f64 >= MIN_ADDED_GOOD_SHARE * added_all as f64);
        if !grows {
            break;
        }
        top = parent;
    }
    Some(top)
}

#[cfg(test)]
mod tests {
    use crate::{extract_str, BlockKind, ExtractError};

    /// A made-up article of several paragraphs, long enough to win the container choice.
    fn body() -> String {
        let mut out = String::from("<article class=\"post\"><h1>The headline</h1>");
        for i in 0..4 {
            out.push_str(&format!(
                "<p>Paragraph {i} of the story, with enough words, commas, and clauses to read \
                 as running text that a person wrote for readers of the page.</p>"
            ));
        }
        out.push_str("</article>");
        out
    }

    fn text_of(html: &str) -> String {
        match extract_str(html, None) {
            Ok(article) => article.text(),
            Err(e) => format!("error: {e}"),
        }
    }

    fn assert_removed(boilerplate: &str, marker: &str) {
        let html = format!(
            "<html><body>{boilerplate}{}{boilerplate}</body></html>",
            body()
        );
        let text = text_of(&html);
        assert!(text.contains("Paragraph 3 of the story"), "{text}");
        assert!(!text.contains(marker), "{marker} kept in: {text}");
    }

    #[test]
    fn navigation_and_menus_are_removed() {
        assert_removed(
            "<nav><ul><li><a href=/>Home page link</a></li><li><a href=/n>News</a></li></ul></nav>",
            "Home page link",
        );
        assert_removed(
            "<div class=\"main-menu\"><a href=/a>Menu entry here</a> plain words too</div>",
            "Menu entry here",
        );
        assert_removed(
            "<div role=\"navigation\">Role navigation text, a sentence long.</div>",
            "Role navigation",
        );
    }

    #[test]
    fn ads_cookie_banners_and_share_bars_are_removed() {
        assert_removed(
            "<div class=\"ad-slot\">Advertisement: buy the product today, it is great.</div>",
            "Advertisement",
        );
        assert_removed(
            "<div id=\"cookie-consent\">We use cookies to improve your experience, accept them.</div>",
            "We use cookies",
        );
        assert_removed(
            "<div class=\"share_bar\"><a href=#>Share on Facebook</a> or tell a friend about it.</div>",
            "Share on Facebook",
        );
    }

    #[test]
    fn related_links_comments_footers_and_bylines_are_removed() {
        assert_removed(
            "<section class=\"related-stories\"><p>Another story about another thing, for later.</p></section>",
            "Another story",
        );
        assert_removed(
            "<div id=\"comments\"><p>First comment: I disagree with every word of this, truly.</p></div>",
            "First comment",
        );
        assert_removed(
            "<footer><p>Copyright 2024 The Example Company, all rights reserved.</p></footer>",
            "Copyright",
        );
        let html = body().replace(
            "<h1>The headline</h1>",
            "<h1>The headline</h1><div class=\"byline\">By Jane Roe, Staff Writer</div>",
        );
        let text = text_of(&html);
        assert!(!text.contains("Jane Roe"), "{text}");
        assert!(text.contains("Paragraph 0"), "{text}");
    }

    #[test]
    fn negated_boilerplate_names_are_not_boilerplate() {
        let html = format!(
            "<div class=\"site-content not-footer no-sidebar\">{}</div>",
            body()
        );
        assert!(text_of(&html).contains("Paragraph 3 of the story"));
    }

    #[test]
    fn link_lists_inside_the_content_are_dropped() {
        let html = body().replace(
            "</article>",
            "<ul><li><a href=/1>Read this other piece</a></li><li><a href=/2>And this one</a></li></ul></article>",
        );
        let text = text_of(&html);
        assert!(!text.contains("Read this other piece"), "{text}");
    }

    #[test]
    fn collapsed_sections_are_kept() {
        let html = body().replace(
            "</article>",
            "<div style=\"display: none\"><p>Collapsed answer of a question, with details, \
             and more details, in a tab that opens on a click.</p></div></article>",
        );
        assert!(text_of(&html).contains("Collapsed answer"));
    }

    #[test]
    fn headline_is_metadata_and_block_kinds_follow_the_tags() {
        let html = body().replace(
            "</article>",
            "<h2>A section</h2><blockquote><p>A quoted line from a source.</p></blockquote>\
             <ol><li>First numbered point</li><li>Second point</li></ol></article>",
        );
        let article = match extract_str(&html, None) {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        };
        let kinds: Vec<BlockKind> = article.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds.first(), Some(&BlockKind::Paragraph), "headline kept");
        assert!(kinds.ends_with(&[
            BlockKind::Heading,
            BlockKind::Quote,
            BlockKind::ListItem,
            BlockKind::ListItem
        ]));
        assert_eq!(article.blocks[4].text, "A section");
        assert_eq!(article.blocks[6].text, "First numbered point");
    }

    #[test]
    fn whitespace_is_folded_and_inline_tags_do_not_split_words() {
        let html = body().replace(
            "<p>Paragraph 0",
            "<p>  Folded \n\t text with <b>bo</b>ld and <a href=#>a link</a>.</p><p>Paragraph 0",
        );
        let text = text_of(&html);
        assert!(text.contains("Folded text with bold and a link."), "{text}");
    }

    #[test]
    fn forum_posts_named_comments_are_the_content() {
        let mut html = String::from("<html><body><nav><a href=/>Forum index</a></nav>");
        for i in 0..5 {
            html.push_str(&format!(
                "<div class=\"comment\"><p>Post {i}: I tried that setting, and it worked after \
                 a restart, thanks for the detailed answer.</p></div>"
            ));
        }
        let text = text_of(&html);
        assert!(text.contains("Post 0") && text.contains("Post 4"), "{text}");
    }

    #[test]
    fn empty_script_only_and_all_boilerplate_pages_have_no_content() {
        for html in [
            "",
            "   ",
            "<html><head><script>var a = 'text in a script';</script></head><body></body></html>",
            "<style>p { color: red }</style><script>document.write('x')</script>",
            "<nav><a href=/>Home</a><a href=/b>Blog</a></nav><footer>Copyright 2024</footer>",
        ] {
            assert_eq!(
                extract_str(html, None).err(),
                Some(ExtractError::NoContent),
                "{html:?}"
            );
        }
    }

    #[test]
    fn truncated_html_keeps_the_text_it_has() {
        let html = body();
        let cut = &html[..html.len() - 60];
        let text = text_of(cut);
        assert!(text.contains("Paragraph 2 of the story"), "{text}");
        let text = text_of("<html><body><article><p>Only a start of a paragraph that goes on and on, with commas, an");
        assert!(text.ends_with("with commas, an"), "{text}");
    }

    #[test]
    fn deep_nesting_does_not_overflow_or_stall() {
        for open in [
            "<div>",
            "<ul><li>",
            "<table><tr><td>",
            "<span>",
            "<blockquote>",
        ] {
            let html = format!("{}{}", open.repeat(100_000), body());
            let text = text_of(&html);
            assert!(
                text.contains("Paragraph 1 of the story"),
                "{open}: {}",
                &text[..text.len().min(200)]
            );
        }
    }
}
