//! Page metadata from what the parser collected (CONTRACT SKELETON: being written).

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

/// Reads the metadata from the signals and the page URL.
pub fn metadata(signals: &PageSignals, _url: Option<&str>) -> Metadata {
    Metadata {
        title: signals.title_tag.clone(),
        language: signals.html_lang.clone(),
        ..Metadata::default()
    }
}
