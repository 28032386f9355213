//! Extracts a news article from its HTML page: the main text as blocks (headings, paragraphs,
//! list items, block quotes) with the boilerplate removed, and the page's metadata (title,
//! authors, publication date and where it came from, site name, canonical URL, declared
//! language).
//!
//! CONTRACT SKELETON: the types and functions below are the interface the rest of the
//! workspace builds on; their bodies are being written (the extraction here is a naive
//! tag strip, not the product).

#![deny(missing_docs)]

mod content;
mod dom;
mod error;
pub mod meta;
mod signals;

pub use error::ExtractError;
pub use meta::{metadata, Heading, Metadata, PageSignals, TimeElement};

/// One page to extract: its bytes, and what the transport said of it.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    /// The HTML as it came (any charset; decoded by [`extract`]).
    pub html: &'a [u8],
    /// The page's URL, if known (WARC-Target-URI, a JSON field).
    pub url: Option<&'a str>,
    /// The HTTP `Content-Type` header, if known; its `charset` parameter is a hint.
    pub content_type: Option<&'a str>,
}

/// What a block of the main text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `h1`-`h6` or an element playing that role.
    Heading,
    /// Running text.
    Paragraph,
    /// One item of a list.
    ListItem,
    /// A block quote.
    Quote,
}

/// One block of the main text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Heading, paragraph, list item or quote.
    pub kind: BlockKind,
    /// The block's text, whitespace folded, never empty.
    pub text: String,
}

/// Where the publication date was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSource {
    /// A JSON-LD `datePublished` (or `dateCreated`).
    JsonLd,
    /// An OpenGraph / `article:published_time` / other `<meta>` tag.
    Meta,
    /// A `<time datetime>` element.
    Time,
    /// A date in the URL's path.
    Url,
}

impl DateSource {
    /// Stable name: `json-ld`, `meta`, `time`, `url`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::JsonLd => "json-ld",
            DateSource::Meta => "meta",
            DateSource::Time => "time",
            DateSource::Url => "url",
        }
    }
}

/// A publication date and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// ISO 8601: `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ss` with an offset when the page gives a
    /// time, or `YYYY-MM` when it gives only a month.
    pub date: String,
    /// Where it was found.
    pub source: DateSource,
}

/// An extracted article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Article {
    /// The main text, in reading order.
    pub blocks: Vec<Block>,
    /// The metadata.
    pub meta: Metadata,
    /// The WHATWG name of the charset the bytes were decoded with (`utf-8`, `windows-1252`...).
    pub charset: &'static str,
    /// True when decoding put U+FFFD in place of bytes that were not valid in that charset.
    pub replaced_invalid: bool,
}

impl Article {
    /// The main text: blocks joined by a blank line, in a form `docpipe-normalize` segments
    /// back into the same blocks.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&block.text);
        }
        out
    }
}

/// Extracts the article of a page given as bytes: decodes them (BOM, then the HTTP
/// content type, then `<meta charset>` checked against the bytes, then a detector), then
/// [`extract_str`].
pub fn extract(page: &Page<'_>) -> Result<Article, ExtractError> {
    if page.html.contains(&0) {
        return Err(ExtractError::NotText);
    }
    let html = String::from_utf8_lossy(page.html);
    let mut article = extract_str(&html, page.url)?;
    article.replaced_invalid = matches!(html, std::borrow::Cow::Owned(_));
    Ok(article)
}

/// Extracts the article of a page already decoded.
pub fn extract_str(html: &str, url: Option<&str>) -> Result<Article, ExtractError> {
    let dom = dom::Dom::parse(html);
    let content = content::extract(&dom, None);
    if content.blocks.is_empty() {
        return Err(ExtractError::NoContent);
    }
    let signals = signals::collect(&dom, content.container);
    Ok(Article {
        blocks: content.blocks,
        meta: metadata(&signals, url),
        charset: "utf-8",
        replaced_invalid: false,
    })
}

/// Development aid (to be removed): the extraction's trace.
#[doc(hidden)]
pub fn debug_trace(html: &str) -> String {
    let dom = dom::Dom::parse(html);
    let mut trace = String::new();
    content::extract(&dom, Some(&mut trace));
    trace
}
