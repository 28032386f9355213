//! Cleans news text and finds its structure: Unicode normalization, blocks (headings,
//! paragraphs, list items), sentences, word counts, and the language it is written in.
//!
//! Everything works on plain `&str` and reports byte ranges into the text it was given.
//!
//! # Example
//!
//! ```
//! use docpipe_normalize::{segment, BlockKind, LanguageDetector, Normalizer};
//!
//! let raw = "Talks Resume\r\n\r\nMr. Dar met U.S. officials at 5 p.m. on Monday.\u{200b} They agreed.";
//! let text = Normalizer::new().normalize(raw);
//! assert_eq!(text, "Talks Resume\n\nMr. Dar met U.S. officials at 5 p.m. on Monday. They agreed.");
//!
//! let blocks = segment(&text);
//! assert_eq!(blocks[0].kind, BlockKind::Heading);
//! let sentences: Vec<&str> = blocks[1].sentences.iter().map(|s| &text[s.clone()]).collect();
//! assert_eq!(sentences, ["Mr. Dar met U.S. officials at 5 p.m. on Monday.", "They agreed."]);
//!
//! let language = LanguageDetector::new().detect(&text);
//! assert_eq!(language.code, Some("eng"));
//! ```
//!
//! The main types are [`Normalizer`], [`SentenceSplitter`] (used by [`segment`]) and
//! [`LanguageDetector`].

#![deny(missing_docs)]

mod language;
mod normalizer;
mod sentences;
mod structure;
mod words;

pub use language::{Language, LanguageDetector, DEFAULT_SAMPLE_BYTES};
pub use normalizer::{NormalForm, Normalizer};
pub use sentences::SentenceSplitter;
pub use structure::{blocks, segment, word_count, Block, BlockKind};
