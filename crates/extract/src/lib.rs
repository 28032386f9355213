//! Extracts a news article from its HTML page: the main text as blocks (headings, paragraphs,
//! list items, block quotes) with the boilerplate removed, and the page's metadata (title,
//! authors, publication date and where it came from, site name, canonical URL, declared
//! language).
//!
//! The page is tokenized by html5gum and built into an arena tree here (implied end tags,
//! bounded depth, no recursion); the main content is the container that text density and
//! link density point to, grown over the sections a page builder splits an article into,
//! with navigation, menus, share bars, cookie banners, related links, comments and bylines
//! removed. The headline and the datelines above the body are metadata, not text.
//!
//! # Example
//!
//! ```
//! use docpipe_extract::{extract_str, BlockKind};
//!
//! let html = r#"<html><head><title>Rain due | The Daily</title></head><body>
//!   <nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Rain due</h1>
//!     <p>Heavy rain is expected across the region tomorrow, forecasters said on Monday,
//!     with up to forty millimetres in places.</p>
//!     <h2>Travel</h2>
//!     <ul><li>Trains will run a reduced timetable.</li><li>Two roads will close.</li></ul>
//!   </article>
//!   <div class="share-bar"><a href="/share">Share on social media</a></div>
//! </body></html>"#;
//! let article = extract_str(html, Some("https://example.com/rain"))?;
//! let kinds: Vec<BlockKind> = article.blocks.iter().map(|b| b.kind).collect();
//! assert_eq!(
//!     kinds,
//!     [BlockKind::Paragraph, BlockKind::Heading, BlockKind::ListItem, BlockKind::ListItem]
//! );
//! assert!(article.text().starts_with("Heavy rain is expected"));
//! assert!(article.text().ends_with("- Two roads will close."));
//! assert!(!article.text().contains("Share"));
//! # Ok::<(), docpipe_extract::ExtractError>(())
//! ```
//!
//! [`extract`] takes the page's bytes, [`extract_str`] a decoded page; both return an
//! [`Article`] of [`Block`]s and [`Metadata`], or an [`ExtractError`].

#![deny(missing_docs)]

// The README's example, compiled and run by `cargo test` so that it cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod charset;
mod content;
mod dom;
mod error;
pub mod meta;
mod signals;

pub use error::ExtractError;
pub use meta::{metadata, DateText, Heading, Metadata, PageSignals, TimeElement};

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
#[non_exhaustive]
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
#[non_exhaustive]
pub enum DateSource {
    /// A JSON-LD `datePublished` (or `dateCreated`).
    JsonLd,
    /// An OpenGraph / `article:published_time` / other `<meta>` tag.
    Meta,
    /// A `<time datetime>` element.
    Time,
    /// A date in the URL's path.
    Url,
    /// A date written in a short text of the page body (`Published on July 18, 2025`).
    Text,
}

impl DateSource {
    /// Stable name: `json-ld`, `meta`, `time`, `url`, `text`.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::JsonLd => "json-ld",
            DateSource::Meta => "meta",
            DateSource::Time => "time",
            DateSource::Url => "url",
            DateSource::Text => "text",
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
    /// The main text: blocks joined by a blank line, list items behind a `- ` marker, in a
    /// form `docpipe-normalize` segments back into the same blocks (headings, paragraphs and
    /// list items; a quote reads as a paragraph).
    pub fn text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            if block.kind == BlockKind::ListItem {
                out.push_str("- ");
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
    if is_binary(page.html) {
        return Err(ExtractError::NotText);
    }
    let decoded = charset::decode(page.html, page.content_type);
    let mut article = extract_str(&decoded.text, page.url)?;
    article.charset = label(decoded.charset);
    article.replaced_invalid = decoded.replaced_invalid;
    Ok(article)
}

/// The charset's name as docpipe's records spell encodings (lower-case `utf-8`, `utf-16le`,
/// `utf-16be`, as for text input); other names as encoding_rs gives them (`windows-1252`,
/// `Shift_JIS`, `ISO-8859-2`).
fn label(name: &'static str) -> &'static str {
    match name {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        other => other,
    }
}

/// Magic numbers of the binary formats a server may label `text/html`.
const BINARY_SIGNATURES: &[&[u8]] = &[
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF-",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x28\xb5\x2f\xfd",
    b"BZh",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\x00asm",
    b"wOFF",
    b"wOF2",
];

/// How much of the start of a body is looked at for control characters.
const SNIFF_LEN: usize = 1024;

/// Whether the bytes are a binary body rather than text: a known magic number, a NUL byte
/// (UTF-16 with a byte order mark aside), or many control characters near the start.
fn is_binary(bytes: &[u8]) -> bool {
    if BINARY_SIGNATURES.iter().any(|sig| bytes.starts_with(sig)) {
        return true;
    }
    let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
    if !utf16 && bytes.contains(&0) {
        return true;
    }
    let head = &bytes[..bytes.len().min(SNIFF_LEN)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c) || b == 0x7f)
        .count();
    // Text has next to none; a binary body has about one in eight.
    !utf16 && controls * 20 > head.len()
}

/// Extracts the article of a page already decoded.
pub fn extract_str(html: &str, url: Option<&str>) -> Result<Article, ExtractError> {
    let dom = dom::Dom::parse(html);
    let content = content::extract(&dom);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_bodies_are_not_text() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&[7u8; 64]);
        for bytes in [
            png.as_slice(),
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj".as_slice(),
            b"\xff\xd8\xff\xe0\x00\x10JFIF".as_slice(),
            b"GIF89a\x01\x00\x01\x00".as_slice(),
            b"<html>\x00</html>".as_slice(),
            b"\x01\x02\x03\x04\x05\x06\x07\x08<p>text</p>".as_slice(),
        ] {
            let page = Page {
                html: bytes,
                url: None,
                content_type: Some("text/html"),
            };
            assert_eq!(
                extract(&page).err(),
                Some(ExtractError::NotText),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn bytes_are_decoded_by_their_charset() {
        let extracted = |html: &[u8], content_type: Option<&str>| {
            let page = Page {
                html,
                url: None,
                content_type,
            };
            match extract(&page) {
                Ok(a) => a,
                Err(e) => panic!("{e}"),
            }
        };
        // Undeclared Latin-1 goes to the detector.
        let latin = extracted(
            b"<p>Caf\xe9 society is a phrase, and it has a long history, in print.</p>",
            None,
        );
        assert_eq!(latin.charset, "windows-1252");
        assert!(!latin.replaced_invalid);
        assert!(latin.text().starts_with("Caf\u{e9} society"));
        // Mostly valid UTF-8 with one bad byte: UTF-8, the byte replaced and said.
        let mut bytes =
            "<p>Caf\u{e9} soci\u{e9}t\u{e9}, na\u{ef}ve r\u{e9}sum\u{e9}s \u{2014} a phrase \
                         with a long history in print.</p>"
                .as_bytes()
                .to_vec();
        bytes.extend_from_slice(b"<p>One more \xff paragraph of plain words to read here.</p>");
        let utf8 = extracted(&bytes, Some("text/html; charset=utf-8"));
        assert_eq!(utf8.charset, "utf-8");
        assert!(utf8.replaced_invalid);
        assert!(utf8.text().contains("One more \u{fffd} paragraph"));
    }

    #[test]
    fn list_items_carry_a_marker_in_the_text() {
        let article = Article {
            blocks: vec![
                Block {
                    kind: BlockKind::Heading,
                    text: "Title".into(),
                },
                Block {
                    kind: BlockKind::ListItem,
                    text: "one".into(),
                },
            ],
            ..Article::default()
        };
        assert_eq!(article.text(), "Title\n\n- one");
    }
}
