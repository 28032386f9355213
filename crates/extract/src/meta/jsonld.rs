//! Facts read from a page's JSON-LD (`<script type="application/ld+json">`): the article
//! node's headline, publication date and authors, and the site's name.
//!
//! Pages put the article node at the top, in an `@graph`, in an array, or under a page's
//! `mainEntity`; authors and publishers are often `{"@id": ...}` references to another
//! node of the graph. Nodes reached through lists of other works (`itemListElement`,
//! `hasPart`, `comment`, `review`...) describe other articles and are not read, since their
//! dates are not this page's.

use serde_json::Value;
use std::collections::HashMap;

use super::text::fold;

/// What the JSON-LD of a page says of its article.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct JsonLdFacts {
    /// `datePublished` (or `dateCreated`) of the best article node, as written.
    pub published: Option<String>,
    /// `headline` (or `name` of an article-type node).
    pub headline: Option<String>,
    /// Author names (people, or untyped), in order.
    pub authors: Vec<String>,
    /// Authors typed as organizations: a page credited to its publisher names no person.
    pub author_organizations: Vec<String>,
    /// Publisher or site name.
    pub site: Option<String>,
}

/// How much a node looks like the page's own article; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// Article, NewsArticle, BlogPosting, DiscussionForumPosting, Report...
    Article = 0,
    /// Another creative work (Recipe, VideoObject, Question, HowTo, Review...).
    Work = 1,
    /// WebPage and its kinds: their dates are the page's, less often the article's.
    Page = 2,
}

/// Types that are never the article: their dates and names belong to something else.
const NOT_A_WORK: &[&str] = &[
    "website",
    "organization",
    "newsmediaorganization",
    "corporation",
    "person",
    "breadcrumblist",
    "listitem",
    "itemlist",
    "imageobject",
    "sitenavigationelement",
    "searchaction",
    "entrypoint",
    "place",
    "postaladdress",
    "localbusiness",
    "product",
    "offer",
    "aggregateoffer",
    "aggregaterating",
    "rating",
    "brand",
    "event",
    "thing",
    "contactpoint",
    "country",
    "language",
    "audience",
    "collectionpage",
    "searchresultspage",
    "faqpage",
    "wpheader",
    "wpfooter",
    "wpsidebar",
    "readaction",
    "speakablespecification",
    "interactioncounter",
];

/// Keys under which nodes describe other works than the page's own article.
const OTHER_WORKS: &[&str] = &[
    "itemlistelement",
    "haspart",
    "comment",
    "review",
    "reviews",
    "citation",
    "mentions",
    "subjectof",
    "relatedlink",
    "significantlink",
    "workexample",
    "associatedmedia",
    "video",
    "image",
    "suggestedanswer",
    "acceptedanswer",
    "hasoffercatalog",
    "offers",
    "potentialaction",
];

fn rank_of(types: &[String]) -> Option<Rank> {
    if types.is_empty() {
        return None;
    }
    let any = |f: &dyn Fn(&str) -> bool| types.iter().any(|t| f(t));
    if any(&|t| t.ends_with("article") || t.ends_with("posting") || t == "report") {
        return Some(Rank::Article);
    }
    if any(&|t| t.ends_with("page") && !NOT_A_WORK.contains(&t)) {
        return Some(Rank::Page);
    }
    if types.iter().all(|t| NOT_A_WORK.contains(&t.as_str())) {
        return None;
    }
    Some(Rank::Work)
}

fn types_of(node: &serde_json::Map<String, Value>) -> Vec<String> {
    match node.get("@type") {
        Some(Value::String(t)) => vec![short_type(t)],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(short_type)
            .collect(),
        _ => Vec::new(),
    }
}

/// `http://schema.org/NewsArticle` and `NewsArticle` are one type.
fn short_type(t: &str) -> String {
    t.rsplit(['/', ':', '#'])
        .next()
        .unwrap_or(t)
        .trim()
        .to_ascii_lowercase()
}

/// Reads the facts from the texts of a page's JSON-LD scripts.
pub(crate) fn facts(scripts: &[String]) -> JsonLdFacts {
    let values: Vec<Value> = scripts.iter().flat_map(|s| parse_lenient(s)).collect();
    let mut by_id: HashMap<&str, &serde_json::Map<String, Value>> = HashMap::new();
    // (rank, document order, node) of every node that may be the article.
    let mut works: Vec<(Rank, usize, &serde_json::Map<String, Value>)> = Vec::new();
    let mut website_name: Option<String> = None;
    // An explicit stack (value, reached through a list of other works): JSON-LD nests
    // as deep as the page likes.
    let mut stack: Vec<(&Value, bool)> = values.iter().rev().map(|v| (v, false)).collect();
    let mut order = 0;
    while let Some((value, other)) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items.iter().rev().map(|v| (v, other))),
            Value::Object(node) => {
                order += 1;
                if let Some(Value::String(id)) = node.get("@id") {
                    if node.len() > 1 {
                        by_id.entry(id.as_str()).or_insert(node);
                    }
                }
                let types = types_of(node);
                if !other {
                    if let Some(rank) = rank_of(&types) {
                        works.push((rank, order, node));
                    }
                    if website_name.is_none() && types.iter().any(|t| t == "website") {
                        website_name = name_of(node);
                    }
                }
                for (k, v) in node.iter().rev() {
                    if v.is_object() || v.is_array() {
                        let k = k.to_ascii_lowercase();
                        let nested_other = other
                            || OTHER_WORKS.contains(&k.as_str())
                            || k == "author"
                            || k == "publisher"
                            || k == "creator"
                            || k == "ispartof";
                        stack.push((v, nested_other));
                    }
                }
            }
            _ => {}
        }
    }
    works.sort_by_key(|&(rank, order, _)| (rank, order));
    let mut out = JsonLdFacts::default();
    for &(rank, _, node) in &works {
        if out.published.is_none() {
            out.published = first_string(node.get("datePublished"))
                .or_else(|| first_string(node.get("dateCreated")))
                .or_else(|| {
                    (rank != Rank::Page)
                        .then(|| first_string(node.get("uploadDate")))
                        .flatten()
                });
        }
        if out.headline.is_none() && rank != Rank::Page {
            out.headline = first_string(node.get("headline")).or_else(|| {
                (rank == Rank::Article)
                    .then(|| first_string(node.get("name")))
                    .flatten()
            });
        }
        if out.authors.is_empty() && out.author_organizations.is_empty() {
            if let Some(author) = node.get("author").or_else(|| node.get("creator")) {
                for (name, organization) in typed_names(author, &by_id) {
                    if organization {
                        out.author_organizations.push(name);
                    } else {
                        out.authors.push(name);
                    }
                }
            }
        }
        if out.site.is_none() {
            out.site = node
                .get("publisher")
                .and_then(|p| names(p, &by_id).into_iter().next())
                .or_else(|| {
                    node.get("isPartOf")
                        .and_then(|p| resolve(p, &by_id))
                        .filter(|p| types_of(p).iter().any(|t| t == "website"))
                        .and_then(name_of)
                });
        }
    }
    if out.site.is_none() {
        out.site = website_name;
    }
    out
}

fn resolve<'a>(
    value: &'a Value,
    by_id: &HashMap<&str, &'a serde_json::Map<String, Value>>,
) -> Option<&'a serde_json::Map<String, Value>> {
    let node = value.as_object()?;
    if node.len() == 1 {
        if let Some(Value::String(id)) = node.get("@id") {
            return by_id.get(id.as_str()).copied();
        }
    }
    Some(node)
}

fn name_of(node: &serde_json::Map<String, Value>) -> Option<String> {
    if let Some(name) = first_string(node.get("name")) {
        return Some(name);
    }
    let given = first_string(node.get("givenName"));
    let family = first_string(node.get("familyName"));
    match (given, family) {
        (Some(g), Some(f)) => Some(format!("{g} {f}")),
        (Some(n), None) | (None, Some(n)) => Some(n),
        (None, None) => None,
    }
}

/// The names in an `author` / `publisher` value: a string, a Person or Organization, a
/// reference to one, or an array of those.
fn names(value: &Value, by_id: &HashMap<&str, &serde_json::Map<String, Value>>) -> Vec<String> {
    typed_names(value, by_id)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The names in an `author` / `publisher` value, each with whether it is typed as an
/// organization.
fn typed_names(
    value: &Value,
    by_id: &HashMap<&str, &serde_json::Map<String, Value>>,
) -> Vec<(String, bool)> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        v => vec![v],
    };
    let mut out = Vec::new();
    for item in items {
        let named = match item {
            Value::String(s) => Some((fold(s), false)),
            Value::Object(_) => resolve(item, by_id).and_then(|node| {
                let organization = types_of(node)
                    .iter()
                    .any(|t| t.ends_with("organization") || t == "corporation");
                name_of(node).map(|name| (name, organization))
            }),
            _ => None,
        };
        if let Some((name, organization)) = named {
            if !name.is_empty() {
                out.push((name, organization));
            }
        }
    }
    out
}

fn first_string(value: Option<&Value>) -> Option<String> {
    let s = match value? {
        Value::String(s) => s.as_str(),
        Value::Array(items) => items.iter().find_map(Value::as_str)?,
        _ => return None,
    };
    let s = fold(s);
    (!s.is_empty()).then_some(s)
}

/// Parses a script's text as one or more JSON values, repairing what pages commonly get
/// wrong: HTML comment or CDATA wrappers, raw control characters inside strings, trailing
/// commas, invalid `\'` escapes. What still fails to parse after the repair is dropped from
/// the first error on.
pub(crate) fn parse_lenient(script: &str) -> Vec<Value> {
    let text = unwrap_script(script);
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return vec![value];
    }
    let repaired = repair(text);
    let mut out = Vec::new();
    for value in serde_json::Deserializer::from_str(&repaired).into_iter::<Value>() {
        match value {
            Ok(v) => out.push(v),
            Err(_) => break,
        }
    }
    out
}

fn unwrap_script(script: &str) -> &str {
    let mut t = script.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("<![CDATA[", "]]>"),
        ("//<![CDATA[", "//]]>"),
    ] {
        if let Some(rest) = t.strip_prefix(open) {
            t = rest.trim();
            t = t.strip_suffix(close).unwrap_or(t).trim();
        }
    }
    t.trim_end_matches(';').trim()
}

/// Rewrites the text so that serde_json reads it: control characters inside strings become
/// spaces, `\'` becomes `'`, commas before `}` or `]` are dropped, and values written one
/// after another with a comma between them are separated by whitespace.
fn repair(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    let mut depth: usize = 0;
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                '\\' => match chars.next() {
                    Some('\'') => out.push('\''),
                    Some(e @ ('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u')) => {
                        out.push('\\');
                        out.push(e);
                    }
                    // An unknown escape: keep the character, drop the backslash.
                    Some(e) => out.push(e),
                    None => {}
                },
                '"' => {
                    in_string = false;
                    out.push(c);
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                depth += 1;
                out.push(c);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            ',' => {
                let mut ahead = chars.clone();
                let next = loop {
                    match ahead.next() {
                        Some(w) if w.is_whitespace() => continue,
                        other => break other,
                    }
                };
                match next {
                    Some('}' | ']') => {}
                    // `{...},{...}` at the top: two values, not a syntax error.
                    _ if depth == 0 => out.push(' '),
                    _ => out.push(','),
                }
            }
            c if c.is_control() && !c.is_whitespace() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(scripts: &[&str]) -> JsonLdFacts {
        facts(&scripts.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn reads_a_plain_news_article() {
        let got = f(&[r#"{"@context":"https://schema.org","@type":"NewsArticle",
            "headline":"Rain falls","datePublished":"2024-03-15T08:00:00+01:00",
            "dateModified":"2024-03-16","author":{"@type":"Person","name":"Jane Doe"},
            "publisher":{"@type":"Organization","name":"The Daily"}}"#]);
        assert_eq!(got.headline.as_deref(), Some("Rain falls"));
        assert_eq!(got.published.as_deref(), Some("2024-03-15T08:00:00+01:00"));
        assert_eq!(got.authors, ["Jane Doe"]);
        assert_eq!(got.site.as_deref(), Some("The Daily"));
    }

    #[test]
    fn walks_a_graph_and_resolves_references() {
        let got = f(&[r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","@id":"https://x.test/#website","name":"X News"},
            {"@type":"WebPage","@id":"https://x.test/a#webpage","datePublished":"2024-01-01"},
            {"@type":"Person","@id":"https://x.test/#/person/1","name":"John Roe"},
            {"@type":["Article"],"isPartOf":{"@id":"https://x.test/a#webpage"},
             "author":{"@id":"https://x.test/#/person/1"},"datePublished":"2024-01-02",
             "headline":"Graph article"}]}"#]);
        assert_eq!(got.published.as_deref(), Some("2024-01-02"));
        assert_eq!(got.authors, ["John Roe"]);
        assert_eq!(got.site.as_deref(), Some("X News"));
    }

    #[test]
    fn a_web_page_date_is_used_when_no_article_has_one() {
        let got = f(&[r#"[{"@type":"WebPage","datePublished":"2023-05-06"}]"#]);
        assert_eq!(got.published.as_deref(), Some("2023-05-06"));
        assert_eq!(got.headline, None);
    }

    #[test]
    fn dates_of_listed_works_are_not_the_pages() {
        let got = f(&[r#"{"@type":"ItemList","itemListElement":[
            {"@type":"ListItem","item":{"@type":"NewsArticle","datePublished":"2020-01-01"}}]}"#]);
        assert_eq!(got.published, None);
        let got = f(&[r#"{"@type":"Product","name":"Kettle","review":[
            {"@type":"Review","datePublished":"2021-02-03","author":"A Buyer"}]}"#]);
        assert_eq!(got.published, None);
        assert!(got.authors.is_empty());
    }

    #[test]
    fn organization_authors_are_kept_apart() {
        let got =
            f(&[r#"{"@type":"BlogPosting","author":{"@type":"Organization","name":"Acme"}}"#]);
        assert!(got.authors.is_empty());
        assert_eq!(got.author_organizations, ["Acme"]);
    }

    #[test]
    fn main_entity_of_a_page_is_read() {
        let got = f(&[r#"{"@type":"WebPage","mainEntity":{"@type":"BlogPosting",
            "datePublished":"2022-02-02","author":[{"name":"A One"},"B Two"]}}"#]);
        assert_eq!(got.published.as_deref(), Some("2022-02-02"));
        assert_eq!(got.authors, ["A One", "B Two"]);
    }

    #[test]
    fn repairs_trailing_commas_control_characters_and_wrappers() {
        let got = f(&["<!--\n{\"@type\":\"Article\",\"headline\":\"Line\none\",\n\"datePublished\":\"2024-03-15\",}\n-->"]);
        assert_eq!(got.headline.as_deref(), Some("Line one"));
        assert_eq!(got.published.as_deref(), Some("2024-03-15"));
        let values = parse_lenient(r#"{"a":[1,2,],"b":"it\'s"},{"c":3}"#);
        assert_eq!(values.len(), 2);
        assert_eq!(values[0]["b"], "it's");
    }

    #[test]
    fn hopeless_json_gives_nothing_rather_than_an_error() {
        assert!(parse_lenient("{{{ not json").is_empty());
        assert_eq!(f(&["var x = 1;"]), JsonLdFacts::default());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        // serde_json refuses past its recursion limit; the walk itself has no limit.
        assert_eq!(f(&[deep.as_str()]), JsonLdFacts::default());
    }
}
