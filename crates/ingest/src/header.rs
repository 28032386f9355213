//! Metadata at the top of text and Markdown articles: front matter, `Key: value` header lines,
//! a bare `date 2024-03-18` prefix, and a headline with an optional subtitle.

use std::collections::BTreeMap;

/// Header keys recognized in `Key: value` lines. Anything else is body text, so that a body
/// sentence such as "Note: the council..." is never swallowed.
const HEADER_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "date",
    "published",
    "updated",
    "url",
    "link",
    "author",
    "authors",
    "byline",
    "source",
    "category",
    "categories",
    "tags",
    "language",
    "lang",
    "id",
];

/// Keys whose value is the publication date, in order of preference.
const DATE_KEYS: &[&str] = &["date", "published", "updated"];

/// A headline is one line of at most this many characters and words.
const MAX_HEADLINE_CHARS: usize = 200;
const MAX_HEADLINE_WORDS: usize = 25;

/// What [`parse_article`] finds.
#[derive(Debug, Default, PartialEq)]
pub struct ParsedArticle {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub date: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub body: String,
}

/// Splits a text or Markdown article into metadata, headline, subtitle and body.
pub fn parse_article(text: &str, markdown: bool) -> ParsedArticle {
    let unified;
    let mut rest: &str = if text.contains('\r') {
        unified = text.replace("\r\n", "\n").replace('\r', "\n");
        &unified
    } else {
        text
    };
    let mut metadata = BTreeMap::new();

    if let Some(after) = front_matter(rest, &mut metadata) {
        rest = after;
    }
    loop {
        let trimmed = rest.trim_start();
        let (line, after) = split_first_line(trimmed);
        if let Some((key, value)) = header_line(line) {
            metadata.insert(key, value);
            rest = after;
            continue;
        }
        if let Some((date, remainder)) = bare_date_prefix(line) {
            metadata.insert("date".to_string(), date);
            // The header shares its line with the first body sentence: `remainder` is the tail
            // of `line`, which is the head of `trimmed`.
            rest = trimmed[line.len() - remainder.len()..].trim_start_matches([' ', '\t']);
        }
        break;
    }

    let mut title = metadata.get("title").cloned();
    let mut subtitle = metadata.get("subtitle").cloned();
    let mut body = rest.trim_start_matches(['\n', ' ', '\t']);
    if title.is_none() {
        let (first, after) = split_first_line(body);
        if let Some(line) = headline(first, markdown).filter(|_| has_body(after)) {
            title = Some(line);
            body = after.trim_start_matches(['\n', ' ', '\t']);
            let (second, after) = split_first_line(body);
            if let Some(sub) = headline(second, markdown).filter(|_| has_body(after)) {
                if subtitle.is_none() {
                    subtitle = Some(sub);
                    body = after.trim_start_matches(['\n', ' ', '\t']);
                }
            }
        }
    }
    let date = DATE_KEYS.iter().find_map(|key| metadata.get(*key).cloned());
    ParsedArticle {
        title,
        subtitle,
        date,
        metadata,
        body: body.trim_end().to_string(),
    }
}

fn split_first_line(text: &str) -> (&str, &str) {
    match text.find('\n') {
        Some(end) => (&text[..end], &text[end + 1..]),
        None => (text, ""),
    }
}

fn has_body(text: &str) -> bool {
    text.split_whitespace().nth(2).is_some()
}

/// A `---` block of `key: value` lines at the very top; returns the text after it.
fn front_matter<'a>(text: &'a str, metadata: &mut BTreeMap<String, String>) -> Option<&'a str> {
    let start = text.trim_start_matches('\u{feff}');
    let inner = start.strip_prefix("---\n")?;
    let end = inner.find("\n---")?;
    let (block, after) = (&inner[..end], &inner[end + 4..]);
    let after = after.strip_prefix('\n').unwrap_or(after);
    for line in block.lines() {
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_lowercase();
            let value = value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string();
            if !key.is_empty() && !value.is_empty() {
                metadata.insert(key, value);
            }
        }
    }
    Some(after)
}

/// `Date: 2024-03-18`, `Title: ...`: a known key, a colon, a value.
fn header_line(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim().to_lowercase();
    let value = value.trim();
    if value.is_empty() || !HEADER_KEYS.contains(&key.as_str()) {
        return None;
    }
    Some((key, value.to_string()))
}

/// `date 2024-03-18` (optionally with a time) at the start of a line, without a colon. Returns
/// the date and the rest of the line.
fn bare_date_prefix(line: &str) -> Option<(String, &str)> {
    let mut words = line.trim_start().splitn(3, ' ');
    if !words.next()?.eq_ignore_ascii_case("date") {
        return None;
    }
    let value = words.next()?;
    let bytes = value.as_bytes();
    let iso = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    if !iso {
        return None;
    }
    Some((value.to_string(), words.next().unwrap_or("")))
}

/// The line as a headline, if it is one: short, a few words, no final sentence punctuation,
/// not a list item. Markdown `#` marks are removed.
fn headline(line: &str, markdown: bool) -> Option<String> {
    let mut line = line.trim();
    let marked = (markdown || line.starts_with("# ")) && line.starts_with('#');
    if marked {
        line = line.trim_start_matches('#').trim();
    }
    // A marked heading may be one word; an unmarked line needs two to read as a headline.
    let min_words = if marked { 1 } else { 2 };
    let words = line.split_whitespace().count();
    let last = line.chars().last()?;
    let first = line.chars().next()?;
    let is_list_item = matches!(first, '-' | '*' | '\u{2022}')
        || line.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())
        });
    let headline = line.len() <= MAX_HEADLINE_CHARS
        && (min_words..=MAX_HEADLINE_WORDS).contains(&words)
        && !matches!(last, '.' | ',' | ';' | ':' | '\u{2026}')
        && !is_list_item
        && line.chars().any(char::is_alphabetic);
    headline.then(|| line.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(name: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let path = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(name))
            .unwrap();
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn bare_date_header_shares_the_first_line() {
        let parsed = parse_article(&corpus("000"), false);
        assert_eq!(parsed.date.as_deref(), Some("2024-03-18"));
        assert_eq!(
            parsed.metadata.get("date").map(String::as_str),
            Some("2024-03-18")
        );
        assert!(parsed.body.starts_with("In a significant move towards"));
        assert_eq!(parsed.title, None);
    }

    #[test]
    fn headline_and_subtitle() {
        let parsed = parse_article(&corpus("001"), false);
        assert_eq!(
            parsed.title.as_deref(),
            Some("Pakistan's New Government Extends Olive Branch to Afghan Taliban in Diplomatic Gambit")
        );
        assert_eq!(
            parsed.subtitle.as_deref(),
            Some("Pakistan initiates Taliban talks in diplomatic breakthrough")
        );
        assert!(!parsed.body.starts_with("Pakistan initiates"));
    }

    #[test]
    fn body_first_articles_have_no_title() {
        assert_eq!(parse_article(&corpus("002"), false).title, None);
        assert_eq!(parse_article(&corpus("004"), false).title, None);
        let parsed = parse_article(&corpus("003"), false);
        assert!(parsed
            .title
            .unwrap()
            .starts_with("Introduction: High-Level"));
        assert!(parsed.subtitle.is_none());
        assert!(parsed.body.starts_with("In a significant development"));
    }

    #[test]
    fn header_lines_and_front_matter() {
        let parsed = parse_article(
            "Title: Storm hits coast\r\nDate: 2024-05-01\r\nURL: https://x.test/a\r\n\r\nWinds reached 100 km/h. Note: schools closed.",
            false,
        );
        assert_eq!(parsed.title.as_deref(), Some("Storm hits coast"));
        assert_eq!(parsed.date.as_deref(), Some("2024-05-01"));
        assert_eq!(parsed.metadata["url"], "https://x.test/a");
        assert_eq!(parsed.body, "Winds reached 100 km/h. Note: schools closed.");

        let parsed = parse_article(
            "---\ntitle: \"Rates rise\"\nauthor: A. Writer\n---\n# Rates rise\n\nThe bank raised rates again today.",
            true,
        );
        assert_eq!(parsed.title.as_deref(), Some("Rates rise"));
        assert_eq!(parsed.metadata["author"], "A. Writer");
        assert_eq!(
            parsed.body,
            "# Rates rise\n\nThe bank raised rates again today."
        );
    }

    #[test]
    fn markdown_heading_is_the_title_and_lists_are_not() {
        let parsed = parse_article("# Budget day\n\nThe minister spoke for an hour.", true);
        assert_eq!(parsed.title.as_deref(), Some("Budget day"));
        assert_eq!(parsed.body, "The minister spoke for an hour.");
        let parsed = parse_article("- first point here\nThe minister spoke for an hour.", true);
        assert_eq!(parsed.title, None);
        let parsed = parse_article("Short text without end", false);
        assert_eq!(parsed.title, None, "a title needs a body under it");
    }
}
