//! Online grouping of news articles into stories, with a multi-document summary and a
//! timeline per story.
//!
//! A news dump is many outlets covering the same events over time. [`StoryTracker`] takes
//! the articles one by one in input order, with what the earlier stages found in each
//! (sentences, key phrases, dated expressions, publication date, duplicate cluster), and puts
//! each in a story: the open story it is most similar to, or a new one. Similarity weighs
//! what tells two similar events apart (TDT's who, where and when): TF-IDF over stemmed
//! words, names and numbers weighted by how rare they are in the stream so far, and the
//! years and months of the article's dates (see [`Similarity`]). Candidate stories come from
//! an inverted index over each open story's heaviest terms and names, so the cost per article
//! does not grow with the number of open stories. A story that no article joined within a
//! window (of articles, and of days where dates are known) is closed and handed out as a
//! [`Story`]: its articles in publication order, a title, key phrases, an extractive summary
//! picked by maximal marginal relevance across its articles, and a timeline of its dated
//! sentences.
//!
//! Results depend only on the articles and their order: preparing an article (reading its
//! words, names and dates) depends on nothing else, so the caller may prepare articles on
//! many threads with an [`ArticlePreparer`] (from [`StoryTracker::preparer`]), and
//! [`StoryTracker::add_prepared`] takes them in input order.
//!
//! # Wiring it into a pipeline
//!
//! Per article, after deduplication, dates and keywords: build an [`Article`] from the
//! record (byte spans, as the stage crates report them), prepare it on the worker thread,
//! and on the thread that keeps input order call [`StoryTracker::add_prepared`]; write
//! [`Assignment::story`] as the record's story. After each article, or every so often,
//! write out [`StoryTracker::take_closed`]; at the end, [`StoryTracker::finish`]. A
//! [`Story`]'s spans are character offsets, ready for a record.
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use docpipe_date_extract::{Timex, TimexType};
//! use docpipe_stories::{Article, StoryTracker};
//! use docpipe_summarize::{SentenceInput, SentenceRole};
//!
//! /// One sentence per line, as a sentence splitter would report them (byte spans).
//! fn sentences(text: &str) -> Vec<SentenceInput> {
//!     let mut start = 0;
//!     text.split('\n')
//!         .map(|line| {
//!             let span = start..start + line.len();
//!             start += line.len() + 1;
//!             SentenceInput { span, role: SentenceRole::Body, paragraph: 0 }
//!         })
//!         .collect()
//! }
//!
//! let quake = "A magnitude 6.1 earthquake hit Aceh province on Sumatra, killing twenty people in Bener Meriah.\n\
//!              Houses collapsed in Takengon and Bener Meriah, and landslides blocked roads across Aceh.";
//! let follow_up = "The toll from the Aceh earthquake rose to thirty as rescuers reached Bener Meriah.\n\
//!                  Soldiers cleared landslides near Takengon, where the magnitude 6.1 quake destroyed a mosque.";
//! let other = "Voters in Norway elected a new parliament, with Labour winning the most seats in Oslo.\n\
//!              Coalition talks begin in Oslo next week, the Labour leader said.";
//!
//! let mut tracker = StoryTracker::new();
//! let (s1, s2, s3) = (sentences(quake), sentences(follow_up), sentences(other));
//!
//! let mut first = Article::new("quake-1", quake);
//! first.sentences = &s1;
//! first.published = NaiveDate::from_ymd_opt(2013, 7, 2);
//! assert_eq!(tracker.add(&first).story, "quake-1");
//!
//! let dates = [Timex { span: 0..3, kind: TimexType::Date, value: "2013-07-03".into() }];
//! let mut second = Article::new("quake-2", follow_up);
//! second.sentences = &s2;
//! second.dates = &dates;
//! second.title = Some("Aceh quake toll rises to 30");
//! assert_eq!(tracker.add(&second).story, "quake-1", "the same event joins its story");
//!
//! let mut third = Article::new("vote", other);
//! third.sentences = &s3;
//! assert_eq!(tracker.add(&third).story, "vote", "another event starts its own");
//!
//! let stories = tracker.finish();
//! assert_eq!(stories[0].articles, ["quake-1", "quake-2"]);
//! assert_eq!(stories[0].title, "Aceh quake toll rises to 30");
//! let dates: Vec<String> = stories[0].timeline.iter().map(|e| e.date.to_string()).collect();
//! assert_eq!(dates, ["2013-07-02", "2013-07-03"]);
//! ```
//!
//! # Costs and bounds
//!
//! An open story holds its centroids (at most 300 terms, 150 names, 24 dates), at most
//! [`MAX_SUMMARY_CANDIDATES`] sentences for its summary, [`MAX_TIMELINE_DATES`] dated
//! sentences for its timeline, 8 headline candidates and 64 key phrases, plus the id, date
//! and position of each of its articles. An article is read up to its first 200 content
//! words. The stream's name frequencies take a fixed 2 MiB. Figures per article and per open
//! story are in the crate's benchmark (`benches/stories.rs`).
//!
//! # Duplicates
//!
//! An article whose [`Article::duplicate_of`] names an article of an open story joins that
//! story whatever its text. When the original's story is already closed (or the original
//! was never seen), the duplicate is grouped by its content like any other article.

#![deny(missing_docs)]

mod article;
mod date;
mod error;
mod features;
mod frequencies;
mod index;
mod story;
mod summary;
#[cfg(test)]
mod test_support;
mod tracker;
mod vector;
#[cfg(feature = "serde")]
mod wire;

pub use article::Article;
pub use date::TimelineDate;
pub use error::StoryError;
pub use features::PreparedArticle;
pub use story::{Story, StorySentence, TimelineEntry, MAX_SUMMARY_CANDIDATES, MAX_TIMELINE_DATES};
pub use tracker::{
    ArticlePreparer, Assignment, Similarity, StoryTracker, StoryTrackerBuilder,
    DEFAULT_SUMMARY_SENTENCES, DEFAULT_TIMELINE_ENTRIES, DEFAULT_WINDOW_ARTICLES,
    DEFAULT_WINDOW_DAYS, MIN_ARTICLES_BEFORE_DATE_CLOSE,
};
