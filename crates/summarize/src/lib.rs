//! Unsupervised extractive summaries and keywords for news articles.
//!
//! Given a text and its sentences (with whether each is body text, a heading or a list item),
//! [`Summarizer`] picks the sentences that best summarize it within a [`Budget`]: a lead prior
//! (news puts the key facts first) combined with directed centrality in a TF-IDF sentence
//! graph (a sentence that later sentences elaborate on scores high, as in PacSum), with
//! redundant picks skipped. Headings, list items, bylines, datelines, timestamps, captions and
//! sentences too short to stand alone are never picked. [`Summarizer::keywords`] ranks key
//! phrases. IDF weights come from a compact English table shipped with the crate
//! ([`IdfTable::english`]) or from the caller's own corpus ([`IdfTable::from_documents`]).
//!
//! # Example
//!
//! ```
//! use docpipe_summarize::{Budget, SentenceInput, SentenceRole, Summarizer};
//!
//! let text = "Floods Hit the North\n\
//!     Heavy rain flooded hundreds of homes in the north on Sunday, officials said. \
//!     Rivers burst their banks after three days of rain. \
//!     Rescue teams moved families from flooded homes to schools. \
//!     The weather service expects more rain on Tuesday. \
//!     Officials said the flooded homes would be inspected next week.";
//! let mut sentences = vec![SentenceInput { span: 0..20, role: SentenceRole::Heading, paragraph: 0 }];
//! let body_start = 21;
//! let mut start = body_start;
//! for part in text[body_start..].split_inclusive(". ") {
//!     let end = start + part.trim_end().len();
//!     sentences.push(SentenceInput { span: start..end, role: SentenceRole::Body, paragraph: 1 });
//!     start += part.len();
//! }
//! let summarizer = Summarizer::builder().budget(Budget::Sentences(2)).build();
//! let summary = summarizer.summarize(text, &sentences);
//! assert_eq!(summary.sentences.len(), 2);
//! assert!(!summary.sentences.contains(&0), "a heading is never picked");
//! assert!(summary.sentences.windows(2).all(|w| w[0] < w[1]), "document order");
//!
//! let keywords = summarizer.keywords(text, &sentences, 3);
//! assert!(keywords.iter().any(|k| k.phrase.contains("flooded homes")));
//! ```

#![deny(missing_docs)]

// The README's examples run as doctests, so that they cannot drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod blocks;
mod document;
mod graph;
mod idf;
mod keywords;
mod role;
mod sentence;
mod summarizer;
mod terms;
mod vocabulary;
mod words;

pub use idf::{IdfParseError, IdfTable};
pub use keywords::Keyword;
pub use sentence::{SentenceInput, SentenceRole, MIN_SUMMARY_WORDS};
pub use summarizer::{Budget, Summarizer, SummarizerBuilder, Summary, MAX_GRAPH_SENTENCES};
pub use terms::{Terms, MAX_TERM_BYTES};
