//! The stories file: what a story is as the report shows it, and the few largest kept while
//! the rest are only counted.

use std::collections::BTreeMap;

use crate::bins::size_bins;

/// What the stories file held.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryStats {
    /// Stories in the file.
    pub stories: u64,
    /// Articles over all stories.
    pub articles: u64,
    /// Stories by articles, binned as clusters are: `(label, stories)`.
    pub sizes: Vec<(String, u64)>,
    /// The largest stories, most articles first (ties: first in the file first).
    pub largest: Vec<Story>,
}

/// One story of the stories file (`NAME.stories.jsonl`), as much of it as the report shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Story {
    /// The story's `id`.
    pub id: String,
    /// Its `title`.
    pub title: String,
    /// The ids of its articles, in publication order.
    pub articles: Vec<String>,
    /// The outlets (sites) that covered it.
    pub outlets: Vec<String>,
    /// The first article's publication date, as written.
    pub first_published: Option<String>,
    /// The last article's publication date, as written.
    pub last_published: Option<String>,
    /// Its key phrases.
    pub keywords: Vec<String>,
    /// The sentences of its summary.
    pub summary: Vec<String>,
    /// Its timeline, in order.
    pub timeline: Vec<TimelineEntry>,
}

/// One dated sentence of a story's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TimelineEntry {
    /// The date it is about, as written (a TIMEX3 value such as `2024-03-18` or `2024-03`).
    pub date: String,
    /// The article it comes from.
    pub article: String,
    /// The sentence.
    pub text: String,
}

/// Counts every story and keeps the `keep` largest.
#[derive(Debug)]
pub(crate) struct StoryRanking {
    keep: usize,
    stories: u64,
    articles: u64,
    sizes: BTreeMap<u64, u64>,
    largest: Vec<Story>,
}

impl StoryRanking {
    pub(crate) fn new(keep: usize) -> StoryRanking {
        StoryRanking {
            keep,
            stories: 0,
            articles: 0,
            sizes: BTreeMap::new(),
            largest: Vec::with_capacity(keep + 1),
        }
    }

    pub(crate) fn add(&mut self, story: Story) {
        let size = story.articles.len() as u64;
        self.stories += 1;
        self.articles += size;
        // A story without articles is still a story of the file; its bin is that of 1.
        *self.sizes.entry(size.max(1)).or_default() += 1;
        // Sorted most articles first; a story ties after those already kept, so the first in
        // the file wins a tie and the order does not depend on anything but the file.
        let at = self
            .largest
            .partition_point(|kept| kept.articles.len() as u64 >= size);
        if at < self.keep {
            self.largest.insert(at, story);
            self.largest.truncate(self.keep);
        }
    }

    pub(crate) fn finish(self) -> StoryStats {
        StoryStats {
            stories: self.stories,
            articles: self.articles,
            sizes: size_bins(self.sizes.into_iter()),
            largest: self.largest,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(id: &str, articles: usize) -> Story {
        Story {
            id: id.to_string(),
            articles: (0..articles).map(|n| format!("{id}-{n}")).collect(),
            ..Story::default()
        }
    }

    #[test]
    fn keeps_the_largest_first_in_file_order_on_ties() {
        let mut ranking = StoryRanking::new(2);
        for (id, size) in [("a", 1), ("b", 3), ("c", 2), ("d", 3), ("e", 1)] {
            ranking.add(story(id, size));
        }
        let stats = ranking.finish();
        let kept: Vec<&str> = stats.largest.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(kept, ["b", "d"]);
        assert_eq!(stats.stories, 5);
        assert_eq!(stats.articles, 10);
        assert_eq!(
            stats.sizes,
            [
                ("1".to_string(), 2),
                ("2".to_string(), 1),
                ("3".to_string(), 2)
            ]
        );
    }
}
