//! The page read back as a browser tokenizes it: well formed, with each chart's numbers
//! those the test computes from its own inputs, and no text of the input taken for markup.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use html5gum::{Token, Tokenizer};

use crate::*;

/// Elements HTML never closes.
const VOID: [&str; 4] = ["meta", "br", "img", "input"];

/// What the test needs of a page.
#[derive(Default)]
struct Page {
    /// `data-chart` name to its bars' `(data-label, data-value)`, in order.
    charts: BTreeMap<String, Vec<(String, u64)>>,
    /// Every start tag's name.
    tags: Vec<String>,
    /// Every text between tags, unescaped.
    texts: String,
}

/// Tokenizes `html`, failing on any parse error or an element closed out of order.
fn parse(html: &str) -> Page {
    let mut page = Page::default();
    let mut open: Vec<String> = Vec::new();
    let mut chart: Option<String> = None;
    for token in Tokenizer::new(html) {
        let token = token.unwrap_or_else(|never| match never {});
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                let get = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|value| String::from_utf8_lossy(value).into_owned())
                };
                if name == "svg" {
                    chart = get("data-chart");
                }
                if let (Some(chart), Some(label), Some(value)) =
                    (&chart, get("data-label"), get("data-value"))
                {
                    let value = value.parse().expect("a count");
                    page.charts
                        .entry(chart.clone())
                        .or_default()
                        .push((label, value));
                }
                page.tags.push(name.clone());
                if !VOID.contains(&name.as_str()) && !tag.self_closing {
                    open.push(name);
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                assert_eq!(open.pop().as_deref(), Some(name.as_str()), "misnested");
                if name == "svg" {
                    chart = None;
                }
            }
            Token::String(value) => page.texts.push_str(&String::from_utf8_lossy(&value)),
            Token::Error(error) => panic!("the page does not parse: {error:?}"),
            Token::Comment(_) | Token::Doctype(_) => {}
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
    page
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

struct Input {
    id: String,
    lang: Option<&'static str>,
    published: Option<NaiveDate>,
    words: u64,
    status: DedupStatus,
    cluster: String,
    keywords: Vec<String>,
}

fn inputs() -> Vec<Input> {
    let langs = [Some("eng"), Some("deu"), Some("eng"), None, Some("fra")];
    (0..40u64)
        .map(|n| {
            let cluster = if n % 7 == 3 { n - 1 } else { n };
            Input {
                id: format!("doc{n}"),
                lang: langs[(n % 5) as usize],
                published: date(&format!("2024-03-{:02}", 1 + n % 9)).filter(|_| n % 6 != 0),
                words: n * n * 3,
                status: if cluster == n {
                    DedupStatus::Unique
                } else {
                    DedupStatus::Near
                },
                cluster: format!("doc{cluster}"),
                keywords: vec![
                    format!("topic {}", n % 4),
                    "<script>alert(1)</script>".to_string(),
                ],
            }
        })
        .collect()
}

fn story(id: &str, title: &str, articles: usize) -> Story {
    Story {
        id: id.to_string(),
        title: title.to_string(),
        articles: (0..articles).map(|n| format!("doc{n}")).collect(),
        outlets: vec!["BBC".to_string(), "Reuters & Co".to_string()],
        first_published: Some("2024-03-01".to_string()),
        last_published: Some("2024-03-09".to_string()),
        keywords: vec!["talks".to_string()],
        summary: vec!["The talks began.".to_string()],
        timeline: vec![TimelineEntry {
            date: "2024-03-02".to_string(),
            article: "doc1".to_string(),
            text: "On 2 March the talks began.".to_string(),
        }],
    }
}

fn build(inputs: &[Input]) -> Report {
    let mut builder = ReportBuilder::new();
    for input in inputs {
        builder.record(&RecordSummary {
            id: &input.id,
            lang: input.lang,
            published: input.published,
            chars: input.words * 6,
            words: input.words,
            dedup: Some((input.status, &input.cluster)),
            keywords: &input.keywords,
            in_story: false,
        });
    }
    builder.reject("not_json", "line 3: expected value");
    builder.reject("empty", "empty file");
    builder.reject("not_json", "line 9: expected value");
    builder.dropped_duplicate(DedupStatus::Exact, "doc2");
    builder.story(story("s1", "Small", 2));
    builder.story(story("s2", "<script>alert('story')</script> talks", 5));
    builder.build()
}

#[test]
fn every_chart_shows_the_counts_of_its_inputs() {
    let inputs = inputs();
    let report = build(&inputs);
    let page = parse(&render_html(
        &report,
        &PageInfo {
            name: "test".to_string(),
            ..PageInfo::default()
        },
    ));

    let outcome = &page.charts["outcome"];
    assert_eq!(
        outcome,
        &[
            ("written".to_string(), 40),
            ("duplicates dropped".to_string(), 1),
            ("rejected".to_string(), 3)
        ]
    );
    assert_eq!(
        page.charts["rejects"],
        [("not_json".to_string(), 2), ("empty".to_string(), 1)]
    );

    let mut languages: BTreeMap<String, u64> = BTreeMap::new();
    for input in &inputs {
        *languages
            .entry(input.lang.unwrap_or("none").to_string())
            .or_default() += 1;
    }
    let shown: BTreeMap<String, u64> = page.charts["languages"].iter().cloned().collect();
    assert_eq!(shown, languages);

    // Days 1 to 9 of March, every day shown, empty ones as 0.
    let mut days: BTreeMap<String, u64> = BTreeMap::new();
    for input in &inputs {
        if let Some(date) = input.published {
            *days.entry(date.to_string()).or_default() += 1;
        }
    }
    let shown: BTreeMap<String, u64> = page.charts["published"].iter().cloned().collect();
    assert_eq!(shown, days);

    // Bins from the shortest text's (0 words here) to the longest's, empty ones as 0.
    let mut lengths: BTreeMap<usize, u64> = BTreeMap::new();
    for input in &inputs {
        let bin = if input.words == 0 {
            0
        } else {
            64 - input.words.leading_zeros() as usize
        };
        *lengths.entry(bin).or_default() += 1;
    }
    let shown = &page.charts["length"];
    assert_eq!(shown.len(), lengths.keys().max().unwrap() + 1);
    for (bin, (label, count)) in shown.iter().enumerate() {
        assert_eq!(*count, lengths.get(&bin).copied().unwrap_or(0), "{label}");
    }
    assert_eq!(shown[12].0, "2048–4095");

    // Clusters: doc2 has doc3 (near) and a dropped exact copy; doc9 has doc10, and so on.
    let mut sizes: BTreeMap<String, u64> = BTreeMap::new();
    for input in &inputs {
        *sizes.entry(input.cluster.clone()).or_default() += 1;
    }
    *sizes.entry("doc2".to_string()).or_default() += 1;
    let mut by_size: BTreeMap<String, u64> = BTreeMap::new();
    // Documents alone are a number on the page, not a bar.
    for size in sizes.values().filter(|&&size| size > 1) {
        *by_size.entry(size.to_string()).or_default() += 1;
    }
    let shown: BTreeMap<String, u64> = page.charts["cluster-sizes"]
        .iter()
        .filter(|(_, count)| *count > 0)
        .cloned()
        .collect();
    assert_eq!(shown, by_size);

    let keywords = &page.charts["keywords"];
    assert_eq!(keywords[0], ("<script>alert(1)</script>".to_string(), 40));
    assert_eq!(keywords[1], ("topic 0".to_string(), 10));
    assert_eq!(keywords.len(), 5);

    let stories = &page.charts["story-sizes"];
    let stories: Vec<(&str, u64)> = stories.iter().map(|(l, c)| (l.as_str(), *c)).collect();
    assert_eq!(stories, [("1", 0), ("2", 1), ("3", 0), ("4", 0), ("5", 1)]);
}

#[test]
fn text_from_the_web_is_never_markup() {
    let report = build(&inputs());
    let html = render_html(
        &report,
        &PageInfo {
            name: "<script>alert('name')</script>".to_string(),
            read: vec![("records".to_string(), "a\"b<c>.jsonl".to_string())],
            missing: Vec::new(),
        },
    );
    let page = parse(&html);
    assert!(!page.tags.iter().any(|tag| tag == "script"), "a script tag");
    // The titles are on the page as text, as written.
    assert!(page.texts.contains("<script>alert('story')</script> talks"));
    assert!(page.texts.contains("<script>alert('name')</script>"));
    assert!(page.texts.contains("Reuters & Co"));
    assert!(page.texts.contains("a\"b<c>.jsonl"));
    // The larger story comes first.
    let first = html.find("data-story=\"s2\"").unwrap();
    let second = html.find("data-story=\"s1\"").unwrap();
    assert!(first < second);
}

#[test]
fn an_empty_run_still_makes_a_page() {
    let report = ReportBuilder::new().build();
    let page = parse(&render_html(&report, &PageInfo::default()));
    assert_eq!(
        page.charts["outcome"],
        [
            ("written".to_string(), 0),
            ("duplicates dropped".to_string(), 0),
            ("rejected".to_string(), 0)
        ]
    );
    assert!(page.texts.contains("No document was rejected."));
    assert!(page.texts.contains("the dedup stage did not run"));
    assert!(page.texts.contains("No record has a publication date."));
}
