//! Fills [`PageSignals`] from the parsed page, as its field docs say.

use crate::dom::{Dom, NodeData, NodeId, Tag};
use crate::meta::{DateText, Heading, PageSignals, TimeElement};

/// How far above the main content a heading or `<time>` may sit and still count as the
/// content's own (the article wrapper that holds headline, byline and body).
const WRAPPER_LEVELS: usize = 2;

fn lower(value: &str) -> String {
    value.trim().to_lowercase()
}

fn has_word(value: &str, words: &[&str]) -> bool {
    let value = value.to_ascii_lowercase();
    words.iter().any(|w| value.contains(w))
}

/// The longest text, whitespace folded, that is looked at for a shown date.
const DATE_TEXT_CHARS: usize = 120;
/// The most nodes such a text's element holds (text nodes and inline wrappers).
const DATE_TEXT_NODES: usize = 32;

/// Whether `text` holds a year: four digits from 1900 to 2099, no digit either side.
fn holds_year(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(4).enumerate().any(|(at, four)| {
        let century = (four[0] == b'1' && four[1] == b'9') || (four[0] == b'2' && four[1] == b'0');
        century
            && four[2].is_ascii_digit()
            && four[3].is_ascii_digit()
            && (at == 0 || !bytes[at - 1].is_ascii_digit())
            && bytes.get(at + 4).is_none_or(|b| !b.is_ascii_digit())
    })
}

/// Elements whose text is never shown as a date.
fn hidden_text(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Script | Tag::Style | Tag::Noscript | Tag::Template | Tag::Option | Tag::Head
    )
}

/// The inline children a shown date may be wrapped in.
fn inline_child(tag: Tag, attrs: &crate::dom::Attrs) -> bool {
    matches!(tag, Tag::A | Tag::Time | Tag::Br) || (tag == Tag::Other && attrs.phrasing)
}

/// The page's shown dates, as [`PageSignals::date_texts`] says: elements of the body whose
/// children are text and inline elements only, whose own text or an inline child's own text
/// holds a year, and whose whole text is short. One pass in document order; each element
/// looks only at its direct children, so the work is linear in the page.
fn date_texts(dom: &Dom, in_main: &dyn Fn(NodeId) -> bool) -> Vec<DateText> {
    let mut out = Vec::new();
    let mut skip_until = 0usize;
    for id in 1..dom.nodes.len() {
        let NodeData::Element { tag, attrs } = &dom.nodes[id].data else {
            continue;
        };
        if id <= skip_until || matches!(tag, Tag::Html | Tag::Body) {
            continue;
        }
        if hidden_text(*tag) || matches!(tag, Tag::Svg | Tag::Math) {
            skip_until = dom.subtree_end(id);
            continue;
        }
        let end = dom.subtree_end(id);
        // A short text has few nodes; the bound keeps nested inline chains linear.
        if end - id > DATE_TEXT_NODES {
            continue;
        }
        let mut only_inline = true;
        let mut year = false;
        let mut child = id + 1;
        while child <= end {
            match &dom.nodes[child].data {
                NodeData::Text { start, end: stop } => {
                    year |= holds_year(&dom.text[*start..*stop]);
                }
                NodeData::Element { tag, attrs } if inline_child(*tag, attrs) => {
                    // The child's own text: its direct text nodes.
                    let child_end = dom.subtree_end(child);
                    let mut grandchild = child + 1;
                    while grandchild <= child_end {
                        if let NodeData::Text { start, end: stop } = dom.nodes[grandchild].data {
                            year |= holds_year(&dom.text[start..stop]);
                        }
                        grandchild = dom.subtree_end(grandchild) + 1;
                    }
                }
                _ => {
                    only_inline = false;
                    break;
                }
            }
            child = dom.subtree_end(child) + 1;
        }
        if !only_inline || !year {
            continue;
        }
        let text = dom.text_of(id);
        if text.is_empty() || text.chars().count() > DATE_TEXT_CHARS {
            continue;
        }
        let parent_class = dom
            .attrs(dom.nodes[id].parent)
            .and_then(|a| a.class.as_deref());
        let hints: Vec<String> = [
            attrs.class.as_deref(),
            attrs.id.as_deref(),
            attrs.itemprop.as_deref(),
            parent_class,
        ]
        .into_iter()
        .flatten()
        .map(|v| v.trim().to_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
        out.push(DateText {
            text,
            hints: hints.join(" "),
            in_main: in_main(id),
        });
    }
    out
}

/// What the metadata code reads from the page; `container` is the main content, if found.
pub(crate) fn collect(dom: &Dom, container: Option<NodeId>) -> PageSignals {
    let mut signals = PageSignals::default();
    // The wrapper of the content: headings and times in it but before the content are the
    // article's headline and dateline.
    let wrapper = container.map(|mut at| {
        for _ in 0..WRAPPER_LEVELS {
            if at == 0 {
                break;
            }
            at = dom.nodes[at].parent;
        }
        at
    });
    let in_main = |id: NodeId| container.is_some_and(|c| dom.contains(c, id));
    let near_main = |id: NodeId| {
        in_main(id)
            || (container.is_some_and(|c| id < c)
                && wrapper.is_some_and(|w| w != 0 && dom.contains(w, id)))
    };
    let mut in_svg_until = 0usize;
    for id in 1..dom.nodes.len() {
        let NodeData::Element { tag, attrs } = &dom.nodes[id].data else {
            continue;
        };
        if id <= in_svg_until {
            continue;
        }
        match tag {
            Tag::Svg | Tag::Math => in_svg_until = dom.subtree_end(id),
            Tag::Title if signals.title_tag.is_none() => {
                let text = dom.text_of(id);
                if !text.is_empty() {
                    signals.title_tag = Some(text);
                }
            }
            Tag::Html if signals.html_lang.is_none() => {
                signals.html_lang = attrs
                    .lang
                    .as_ref()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty());
            }
            Tag::Meta => {
                let key = [
                    &attrs.name,
                    &attrs.property,
                    &attrs.itemprop,
                    &attrs.http_equiv,
                ]
                .into_iter()
                .flatten()
                .next();
                if let (Some(key), Some(content)) = (key, &attrs.content) {
                    signals.metas.push((lower(key), content.clone()));
                }
            }
            Tag::Script => {
                let json = attrs
                    .kind
                    .as_deref()
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
                if json {
                    let mut text = String::new();
                    for node in &dom.nodes[id..=dom.subtree_end(id)] {
                        if let NodeData::Text { start, end } = node.data {
                            text.push_str(&dom.text[start..end]);
                        }
                    }
                    signals.json_ld.push(text);
                }
            }
            Tag::Link => {
                if let Some(href) = &attrs.href {
                    signals
                        .links
                        .push((lower(attrs.rel.as_deref().unwrap_or("")), href.clone()));
                }
            }
            Tag::Time => {
                let mut hints = Vec::new();
                for value in [&attrs.itemprop, &attrs.class].into_iter().flatten() {
                    let value = value.trim().to_lowercase();
                    if !value.is_empty() {
                        hints.push(value);
                    }
                }
                if attrs.pubdate {
                    hints.push("pubdate".to_string());
                }
                signals.times.push(TimeElement {
                    datetime: attrs.datetime.clone(),
                    text: dom.text_of(id),
                    hints: hints.join(" "),
                    in_main: near_main(id),
                });
            }
            Tag::H1 | Tag::H2 => {
                let text = dom.text_of(id);
                if !text.is_empty() {
                    signals.headings.push(Heading {
                        level: tag.heading_level().unwrap_or(1),
                        text,
                        in_main: near_main(id),
                    });
                }
            }
            _ => {}
        }
        let names_author = attrs.rel.as_deref().is_some_and(|r| {
            r.split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("author"))
        }) || attrs.itemprop.as_deref().is_some_and(|p| {
            p.split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("author"))
        }) || [&attrs.class, &attrs.id]
            .into_iter()
            .flatten()
            .any(|v| has_word(v, &["byline", "author"]));
        if names_author && !matches!(tag, Tag::Meta | Tag::Link | Tag::Html | Tag::Body) {
            let text = dom.text_of(id);
            if !text.is_empty() {
                signals.bylines.push(text);
            }
        }
    }
    signals.date_texts = date_texts(dom, &in_main);
    signals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_kind_of_signal() {
        let html = r#"<html lang="en-GB"><head><title> A  title </title>
            <meta property="og:title" content="OG title"><meta charset="utf-8">
            <link rel="Canonical" href="https://example.com/a">
            <script type="application/ld+json">{"@type":"NewsArticle"}</script></head>
            <body><h1>Headline</h1><div class="byline">By <a rel="author">Jane Roe</a></div>
            <time datetime="2024-05-01" class="Published">May 1</time>
            <svg><title>icon</title></svg></body></html>"#;
        let dom = Dom::parse(html);
        let s = collect(&dom, None);
        assert_eq!(s.title_tag.as_deref(), Some("A title"));
        assert_eq!(s.html_lang.as_deref(), Some("en-GB"));
        assert_eq!(
            s.metas,
            vec![("og:title".to_string(), "OG title".to_string())]
        );
        assert_eq!(
            s.links,
            vec![("canonical".to_string(), "https://example.com/a".to_string())]
        );
        assert_eq!(s.json_ld, vec![r#"{"@type":"NewsArticle"}"#.to_string()]);
        assert_eq!(s.headings.len(), 1);
        assert_eq!(s.headings[0].text, "Headline");
        assert_eq!(s.times[0].datetime.as_deref(), Some("2024-05-01"));
        assert_eq!(s.times[0].hints, "published");
        assert_eq!(
            s.bylines,
            vec!["By Jane Roe".to_string(), "Jane Roe".to_string()]
        );
    }

    #[test]
    fn shown_dates_are_short_inline_texts_with_a_year() {
        let html = r#"<html><head><title>t 2024</title></head><body>
            <div class="meta"><span class="date">Published <b>March 3, 2024</b></span></div>
            <p>A long paragraph that mentions 2019 among many other words, far longer than a
            dateline could ever be, so that it is not read as the page's date at all.</p>
            <p>Phone 120245678 and 02024</p><script>var y = 2024;</script>
            <div><div>2021</div></div></body></html>"#;
        let dom = Dom::parse(html);
        let s = collect(&dom, None);
        let texts: Vec<(&str, &str)> = s
            .date_texts
            .iter()
            .map(|t| (t.text.as_str(), t.hints.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                ("Published March 3, 2024", "date meta"),
                ("March 3, 2024", "date"),
                ("2021", "")
            ]
        );
        assert!(holds_year("x 1999."));
        assert!(!holds_year("12024"));
        assert!(!holds_year("1899"));
    }

    #[test]
    fn nested_inline_dates_stay_linear() {
        let html = format!("<body>{}</body>", "<span>2024 ".repeat(100_000));
        let dom = Dom::parse(&html);
        let s = collect(&dom, None);
        assert!(s.date_texts.len() <= 64);
    }
}
