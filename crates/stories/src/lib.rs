//! Online grouping of news articles into stories.
//!
//! TODO crate docs

#![deny(missing_docs)]

mod article;
mod date;
mod error;
mod features;
mod frequencies;
mod index;
mod story;
mod summary;
mod tracker;
mod vector;
#[cfg(test)]
mod test_support;

pub use article::Article;
pub use date::TimelineDate;
pub use error::StoryError;
pub use features::PreparedArticle;
pub use story::{Story, StorySentence, TimelineEntry, MAX_SUMMARY_CANDIDATES, MAX_TIMELINE_DATES};
pub use tracker::{
    Assignment, Similarity, StoryTracker, StoryTrackerBuilder, DEFAULT_SUMMARY_SENTENCES,
    DEFAULT_TIMELINE_ENTRIES, DEFAULT_WINDOW_ARTICLES, DEFAULT_WINDOW_DAYS,
    MIN_ARTICLES_BEFORE_DATE_CLOSE,
};
