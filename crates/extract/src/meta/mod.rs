//! Page metadata (title, authors, publication date, site, canonical URL, language) read
//! from what the parser collected of a page ([`PageSignals`]).
//!
//! Each field has an ordered list of sources, from the most deliberate to the most
//! incidental: JSON-LD, then `<meta>` tags, then elements of the page body, then the URL.
//! A field is left empty rather than guessed: a date needs a date-bearing source, an
//! author a name-bearing one.
//!
//! ```
//! use docpipe_extract::{metadata, DateSource, PageSignals};
//!
//! let signals = PageSignals {
//!     title_tag: Some("Rain falls on the plain | The Daily".into()),
//!     metas: vec![
//!         ("og:site_name".into(), "The Daily".into()),
//!         ("author".into(), "By Jane Doe and John Roe".into()),
//!     ],
//!     ..PageSignals::default()
//! };
//! let meta = metadata(&signals, Some("https://daily.example/2024/03/15/rain"));
//! assert_eq!(meta.title.as_deref(), Some("Rain falls on the plain"));
//! assert_eq!(meta.authors, ["Jane Doe", "John Roe"]);
//! let published = meta.published.unwrap();
//! assert_eq!((published.date.as_str(), published.source), ("2024-03-15", DateSource::Url));
//! assert_eq!(meta.site.as_deref(), Some("The Daily"));
//! ```

mod authors;
mod dates;
mod jsonld;
mod site;
mod text;
mod title;

use crate::{DateSource, Published};
use site::meta;

/// A `<time>` element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeElement {
    /// Its `datetime` attribute, if any.
    pub datetime: Option<String>,
    /// Its text, whitespace folded.
    pub text: String,
    /// Its `itemprop`, `class` and `pubdate` hints, lower-cased and space-joined.
    pub hints: String,
    /// True when it lies inside the block chosen as the main content.
    pub in_main: bool,
}

/// A heading element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its text, whitespace folded.
    pub text: String,
    /// True when it lies inside (or directly before) the main content.
    pub in_main: bool,
}

/// A short text of the page body that holds a year: where pages show their dates to
/// readers (`Published on July 18, 2025`, `Dec 12, 2025`, `Updated 2025/4/29`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateText {
    /// The element's text, whitespace folded; at most 120 characters.
    pub text: String,
    /// The element's `class`, `id` and `itemprop` and its parent's `class`, lower-cased
    /// and space-joined.
    pub hints: String,
    /// True when it lies inside the block chosen as the main content.
    pub in_main: bool,
}

/// What the parser saw of a page that the metadata is read from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageSignals {
    /// The `<title>` text, whitespace folded.
    pub title_tag: Option<String>,
    /// `<html lang>`.
    pub html_lang: Option<String>,
    /// Every `<meta>` with content: (its `name`, `property`, `itemprop` or `http-equiv`,
    /// lower-cased; its `content`), in document order.
    pub metas: Vec<(String, String)>,
    /// The text of every `<script type="application/ld+json">`.
    pub json_ld: Vec<String>,
    /// Every `<link>` with an `href`: (its `rel`, lower-cased; the `href`).
    pub links: Vec<(String, String)>,
    /// The `<time>` elements, in document order.
    pub times: Vec<TimeElement>,
    /// The `h1` and `h2` elements, in document order.
    pub headings: Vec<Heading>,
    /// Texts of elements that name an author: `rel=author`, `itemprop=author`, or a class or
    /// id with `byline` or `author` in it; whitespace folded.
    pub bylines: Vec<String>,
    /// Texts of the page body that may show a date, in document order. One for each
    /// element of `<body>` other than `<script>`, `<style>`, `<noscript>`, `<template>` and
    /// `<option>` whose children are text and inline elements only (`span`, `a`, `b`,
    /// `strong`, `i`, `em`, `time`, `br`), where its own text or the own text of one of
    /// those children holds a year (a four-digit number from 1900 to 2099 with no digit
    /// either side), and whose whole text, whitespace folded, is at most 120 characters.
    /// An element and its inline child may both appear. A page's visible date is often its
    /// only date.
    pub date_texts: Vec<DateText>,
}

/// The metadata of a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The headline, without a site-name suffix.
    pub title: Option<String>,
    /// The authors' names, each once, in order.
    pub authors: Vec<String>,
    /// The publication date and its source.
    pub published: Option<crate::Published>,
    /// The site's name.
    pub site: Option<String>,
    /// The canonical URL (`<link rel=canonical>`, `og:url`), made absolute.
    pub canonical_url: Option<String>,
    /// The language the page declares (`<html lang>`, `content-language`), as given.
    pub language: Option<String>,
}

/// `<meta>` keys that hold the publication date, most specific first.
const PUBLISHED_METAS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "published_time",
    "published-date",
    "publication_date",
    "pubdate",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "date",
    "citation_publication_date",
    "citation_date",
    "prism.publicationdate",
    "datecreated",
];

/// `<meta>` keys that name the authors, most specific first.
const AUTHOR_METAS: &[&str] = &[
    "article:author",
    "og:article:author",
    "parsely-author",
    "sailthru.author",
    "author",
    "byl",
    "dc.creator",
    "dcterms.creator",
];

/// Hints of a `<time>` element that mark it as the publication time.
const PUBLISHED_TIME_HINTS: &[&str] = &[
    "datepublished",
    "pubdate",
    "published",
    "publish",
    "post-date",
    "post_date",
    "postdate",
    "entry-date",
    "created",
];

/// Hints of a `<time>` element that mark it as something other than the publication
/// time.
const OTHER_TIME_HINTS: &[&str] = &["modified", "updated", "update", "comment", "expire"];

/// Hints of a date text that place it outside the article: comments, footers, lists of
/// other articles.
const OTHER_TEXT_HINTS: &[&str] = &["comment", "footer", "copyright", "related", "sidebar"];

/// How many datelines after an `Updated` one are searched for the publication date:
/// pages show the two together, and dates further on belong to other articles.
const UPDATE_LOOKAHEAD: usize = 3;

/// Reads the metadata from the signals and the page URL. Without a URL (a file read from
/// disk), the page's own canonical link or `og:url` stands in for it.
pub fn metadata(signals: &PageSignals, url: Option<&str>) -> Metadata {
    let ld = jsonld::facts(&signals.json_ld);
    let metas = &signals.metas;
    let canonical_url = site::canonical_url(&signals.links, metas, url);
    let page_url = url.map(str::to_string).or_else(|| canonical_url.clone());
    let host = page_url.as_deref().and_then(site::host);

    let site = meta(metas, &["og:site_name"])
        .map(text::fold)
        .or_else(|| ld.site.clone())
        .or_else(|| meta(metas, &["application-name", "twitter:site"]).map(text::fold))
        .filter(|s| !s.is_empty() && !s.starts_with('@'))
        .or_else(|| host.clone());

    let mut site_names: Vec<String> = [
        meta(metas, &["og:site_name"]).map(str::to_string),
        ld.site.clone(),
        meta(metas, &["application-name"]).map(str::to_string),
        meta(metas, &["twitter:site"]).map(|s| s.trim_start_matches('@').to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(label) = host.as_deref().and_then(site::host_label) {
        site_names.push(label.to_string());
    }
    let title = title::choose(&title::TitleSources {
        title_tag: signals.title_tag.as_deref(),
        og: meta(metas, &["og:title"]),
        twitter: meta(metas, &["twitter:title"]),
        json_ld: ld.headline.as_deref(),
        headings: &signals.headings,
        site_names,
    });

    Metadata {
        title,
        authors: authors_of(signals, &ld),
        published: published(signals, &ld, url, canonical_url.as_deref()),
        site,
        canonical_url,
        language: site::language(signals.html_lang.as_deref(), metas),
    }
}

fn authors_of(signals: &PageSignals, ld: &jsonld::JsonLdFacts) -> Vec<String> {
    let split = |values: &[String]| -> Vec<String> {
        authors::dedup(
            values
                .iter()
                .flat_map(|a| authors::split_names(a, false))
                .collect(),
        )
    };
    // A login (`jane.doe`) is used only when no source gives a name.
    let weak = |names: &[String]| -> bool { names.iter().all(|n| authors::is_login(n)) };
    let from_ld = split(&ld.authors);
    let from_meta = AUTHOR_METAS
        .iter()
        .map(|key| {
            let values: Vec<String> = signals
                .metas
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
                .collect();
            split(&values)
        })
        .find(|names| !names.is_empty())
        .unwrap_or_default();
    let from_bylines = authors::from_bylines(&signals.bylines);
    let chosen = [&from_ld, &from_meta, &from_bylines]
        .into_iter()
        .find(|names| !names.is_empty() && !weak(names))
        .or_else(|| {
            [&from_ld, &from_meta, &from_bylines]
                .into_iter()
                .find(|n| !n.is_empty())
        })
        .cloned()
        .unwrap_or_else(|| split(&ld.author_organizations));
    // `author` meta with the first of three names, and a byline with all three.
    let chosen_keys: Vec<String> = chosen.iter().map(|n| text::key(n)).collect();
    let byline_keys: Vec<String> = from_bylines.iter().map(|n| text::key(n)).collect();
    if !chosen.is_empty()
        && byline_keys.len() > chosen_keys.len()
        && chosen_keys.iter().all(|k| byline_keys.contains(k))
    {
        return from_bylines;
    }
    chosen
}

fn published(
    signals: &PageSignals,
    ld: &jsonld::JsonLdFacts,
    url: Option<&str>,
    canonical: Option<&str>,
) -> Option<Published> {
    let url_date = || {
        [url, canonical]
            .into_iter()
            .flatten()
            .filter_map(|u| url::Url::parse(u.trim()).ok())
            .find_map(|u| dates::from_url_path(u.path()))
            .map(|date| Published {
                date,
                source: DateSource::Url,
            })
    };
    let text_date = || {
        text_date(signals).map(|date| Published {
            date,
            source: DateSource::Text,
        })
    };
    let Some(machine) = machine_date(signals, ld) else {
        return url_date().or_else(text_date);
    };
    // A time stamp in UTC can fall on the day after (or before) the date the page files
    // the article under in its URL, which is the local date readers see. (The same
    // check against a date shown in the body was tried and lost more than it won: a
    // body date one day off is as often another article's.)
    if machine.date.len() > 10 {
        if let Some(filed) = url_date().filter(|u| dates::one_day_apart(&machine.date, &u.date)) {
            return Some(filed);
        }
    }
    Some(machine)
}

/// The publication date from the sources written for machines: JSON-LD, `<meta>`, then
/// `<time>` elements marked as the publication time.
fn machine_date(signals: &PageSignals, ld: &jsonld::JsonLdFacts) -> Option<Published> {
    if let Some(date) = ld.published.as_deref().and_then(dates::normalize) {
        return Some(Published {
            date,
            source: DateSource::JsonLd,
        });
    }
    for key in PUBLISHED_METAS {
        let date = signals
            .metas
            .iter()
            .filter(|(k, _)| k == key)
            .find_map(|(_, v)| dates::normalize(v));
        if let Some(date) = date {
            return Some(Published {
                date,
                source: DateSource::Meta,
            });
        }
    }
    let mut times: Vec<&TimeElement> = signals
        .times
        .iter()
        .filter(|t| {
            PUBLISHED_TIME_HINTS.iter().any(|h| t.hints.contains(h))
                && !OTHER_TIME_HINTS.iter().any(|h| t.hints.contains(h))
        })
        .collect();
    times.sort_by_key(|t| !t.in_main);
    times
        .iter()
        .find_map(|t| {
            t.datetime
                .as_deref()
                .and_then(dates::normalize)
                .or_else(|| dates::normalize(&t.text))
        })
        .map(|date| Published {
            date,
            source: DateSource::Time,
        })
}

/// The date the page shows in its body, if a text reads as a dateline.
fn text_date(signals: &PageSignals) -> Option<String> {
    let mut texts: Vec<&DateText> = signals
        .date_texts
        .iter()
        .filter(|t| !OTHER_TEXT_HINTS.iter().any(|h| t.hints.contains(h)))
        .collect();
    texts.sort_by_key(|t| !t.in_main);
    let lines: Vec<dates::Dateline> = texts
        .iter()
        .filter_map(|t| dates::dateline(&t.text))
        .collect();
    let first = lines.first()?;
    // `Updated March 3, 2024` shown first, with `Published January 5, 2024` right after:
    // the publication date is the earlier one.
    let date = if first.update {
        lines
            .iter()
            .take(UPDATE_LOOKAHEAD)
            .find(|l| !l.update && l.date < first.date)
            .unwrap_or(first)
    } else {
        first
    };
    Some(date.date.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metas(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn time(datetime: Option<&str>, text: &str, hints: &str, in_main: bool) -> TimeElement {
        TimeElement {
            datetime: datetime.map(str::to_string),
            text: text.to_string(),
            hints: hints.to_string(),
            in_main,
        }
    }

    #[test]
    fn json_ld_date_comes_before_meta_time_and_url() {
        let signals = PageSignals {
            json_ld: vec![r#"{"@type":"NewsArticle","datePublished":"2024-03-14"}"#.into()],
            metas: metas(&[("article:published_time", "2024-03-13")]),
            ..PageSignals::default()
        };
        let p = metadata(&signals, Some("https://x.test/2024/03/12/a")).published;
        assert_eq!(
            p,
            Some(Published {
                date: "2024-03-14".into(),
                source: DateSource::JsonLd
            })
        );
    }

    #[test]
    fn published_meta_is_preferred_over_modified() {
        let signals = PageSignals {
            metas: metas(&[
                ("article:modified_time", "2024-05-01"),
                ("og:updated_time", "2024-05-02"),
                ("date", "not a date"),
                ("parsely-pub-date", "2024-03-13T10:00:00Z"),
            ]),
            ..PageSignals::default()
        };
        let p = metadata(&signals, None).published.unwrap();
        assert_eq!(p.date, "2024-03-13T10:00:00+00:00");
        assert_eq!(p.source, DateSource::Meta);
    }

    #[test]
    fn time_elements_need_a_publication_hint() {
        let mut signals = PageSignals {
            times: vec![
                time(Some("2024-01-01"), "Jan 1", "", true),
                time(Some("2024-02-02"), "Feb 2", "updated", true),
            ],
            ..PageSignals::default()
        };
        assert_eq!(
            metadata(&signals, None).published,
            None,
            "no evidence, no date"
        );
        signals
            .times
            .push(time(Some("2023-12-12"), "", "pubdate", false));
        signals
            .times
            .push(time(None, "March 3, 2024", "entry-date published", true));
        let p = metadata(&signals, None).published.unwrap();
        assert_eq!(
            (p.date.as_str(), p.source),
            ("2024-03-03", DateSource::Time)
        );
    }

    #[test]
    fn a_utc_stamp_a_day_off_gives_way_to_the_url_date() {
        let mut signals = PageSignals {
            metas: metas(&[("article:published_time", "2024-03-16T02:30:00+00:00")]),
            ..PageSignals::default()
        };
        let url = Some("https://x.test/2024/03/15/rain");
        let p = metadata(&signals, url).published.unwrap();
        assert_eq!((p.date.as_str(), p.source), ("2024-03-15", DateSource::Url));
        let p = metadata(&signals, Some("https://x.test/2024/03/10/rain"))
            .published
            .unwrap();
        assert_eq!(
            p.source,
            DateSource::Meta,
            "a URL date further off is another date"
        );
        signals.date_texts = vec![date_text("March 15, 2024", true)];
        let p = metadata(&signals, None).published.unwrap();
        assert_eq!(
            p.source,
            DateSource::Meta,
            "body dates do not correct the stamp"
        );
    }

    #[test]
    fn url_date_from_the_canonical_link_when_no_url_is_given() {
        let signals = PageSignals {
            links: vec![("canonical".into(), "https://x.test/2024/03/15/rain".into())],
            ..PageSignals::default()
        };
        let p = metadata(&signals, None).published.unwrap();
        assert_eq!((p.date.as_str(), p.source), ("2024-03-15", DateSource::Url));
        assert_eq!(metadata(&PageSignals::default(), None).published, None);
    }

    fn date_text(text: &str, in_main: bool) -> DateText {
        DateText {
            text: text.to_string(),
            hints: String::new(),
            in_main,
        }
    }

    #[test]
    fn a_dateline_in_the_page_is_the_last_resort() {
        let mut signals = PageSignals {
            date_texts: vec![
                date_text("© 2024 The Daily", false),
                date_text("Best laptops of 2024", true),
                date_text("Sale ends March 31, 2024", true),
            ],
            ..PageSignals::default()
        };
        assert_eq!(metadata(&signals, None).published, None);
        signals.date_texts.push(date_text("Jan 5, 2024", false));
        signals
            .date_texts
            .push(date_text("Published on March 3, 2024", true));
        let p = metadata(&signals, None).published.unwrap();
        assert_eq!(
            (p.date.as_str(), p.source),
            ("2024-03-03", DateSource::Text)
        );
    }

    #[test]
    fn an_update_shown_first_gives_way_to_the_publication_beside_it() {
        let signals = PageSignals {
            date_texts: vec![
                date_text("Updated: May 2, 2024", true),
                date_text("Published March 3, 2024", true),
            ],
            ..PageSignals::default()
        };
        assert_eq!(
            metadata(&signals, None).published.unwrap().date,
            "2024-03-03"
        );
    }

    #[test]
    fn authors_from_json_ld_then_meta_then_bylines() {
        let mut signals = PageSignals {
            bylines: vec!["Share this".into(), "By Ann Lee | March 3, 2024".into()],
            ..PageSignals::default()
        };
        assert_eq!(metadata(&signals, None).authors, ["Ann Lee"]);
        signals.metas = metas(&[
            ("article:author", "https://facebook.example/jane"),
            ("author", "Jane Doe, John Roe"),
        ]);
        assert_eq!(metadata(&signals, None).authors, ["Jane Doe", "John Roe"]);
        signals.json_ld =
            vec![r#"{"@type":"Article","author":{"@type":"Person","name":"Kim Park"}}"#.into()];
        assert_eq!(metadata(&signals, None).authors, ["Kim Park"]);
    }

    #[test]
    fn site_canonical_and_language() {
        let signals = PageSignals {
            html_lang: Some("en-GB".into()),
            links: vec![("canonical".into(), "/a".into())],
            ..PageSignals::default()
        };
        let m = metadata(&signals, Some("https://www.daily.example/a?x=1"));
        assert_eq!(m.site.as_deref(), Some("daily.example"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://www.daily.example/a")
        );
        assert_eq!(m.language.as_deref(), Some("en-GB"));
    }

    #[test]
    fn title_is_stripped_of_the_host_name() {
        let signals = PageSignals {
            title_tag: Some("Rain falls - DAILY".into()),
            ..PageSignals::default()
        };
        let m = metadata(&signals, Some("https://daily.example/a"));
        assert_eq!(m.title.as_deref(), Some("Rain falls"));
    }

    proptest::proptest! {
        #[test]
        fn any_signals_give_metadata_without_panicking(
            title in ".{0,80}",
            meta_key in "(og:title|author|date|article:published_time|og:url|[a-z:]{1,12})",
            meta_value in ".{0,60}",
            json_ld in "[\\[\\]{}\",:a-zA-Z0-9@ ]{0,120}",
            byline in ".{0,80}",
            text in ".{0,120}",
            url in "(https?://[a-z.]{1,12}/[a-z0-9/-]{0,30})?",
        ) {
            let signals = PageSignals {
                title_tag: Some(title.clone()),
                html_lang: Some(text.clone()),
                metas: vec![(meta_key, meta_value.clone())],
                json_ld: vec![json_ld, format!("{{\"@type\":\"Article\",\"author\":\"{meta_value}\"}}")],
                links: vec![("canonical".into(), meta_value.clone())],
                times: vec![time(Some(&meta_value), &text, "published", true)],
                headings: vec![Heading { level: 1, text: title, in_main: true }],
                bylines: vec![byline],
                date_texts: vec![date_text(&text, true)],
            };
            let url = (!url.is_empty()).then_some(url.as_str());
            let meta = metadata(&signals, url);
            if let Some(p) = meta.published {
                proptest::prop_assert!(p.date.len() >= 7);
            }
        }
    }
}
