//! Fills [`PageSignals`] from the parsed page, as its field docs say.

use crate::dom::{Dom, NodeData, NodeId, Tag};
use crate::meta::{Heading, PageSignals, TimeElement};

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
}
