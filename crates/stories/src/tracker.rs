//! The online tracker: assigns each article to a story in input order and closes stories
//! that stop growing.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;

use chrono::NaiveDate;
use docpipe_summarize::IdfTable;
use rustc_hash::FxHashMap;

use crate::article::Article;
use crate::error::StoryError;
use crate::features::{self, PreparedArticle};
use crate::frequencies::DocumentFrequencies;
use crate::index::StoryIndex;
use crate::story::{CloseOptions, OpenStory, Story};
use crate::vector::{LookupVector, SparseVector};

/// Default for [`StoryTrackerBuilder::window_articles`]: a story that no article joined for
/// this many articles is closed. 20,000 articles is a few days of a large news feed.
pub const DEFAULT_WINDOW_ARTICLES: usize = 20_000;

/// Default for [`StoryTrackerBuilder::window_days`]: a dated story closes once the stream's
/// dates are this many days past its last article. TDT systems used windows of about a month
/// (Yang et al. 1998): most stories get no new article after a few weeks.
pub const DEFAULT_WINDOW_DAYS: u32 = 30;

/// A story is closed by date only after this many articles have gone by without one joining
/// it: an archive out of date order (or one misdated article) must not close stories article
/// by article.
pub const MIN_ARTICLES_BEFORE_DATE_CLOSE: u64 = 1_000;

/// Default for [`StoryTrackerBuilder::summary_sentences`].
pub const DEFAULT_SUMMARY_SENTENCES: usize = 5;

/// Default for [`StoryTrackerBuilder::timeline_entries`].
pub const DEFAULT_TIMELINE_ENTRIES: usize = 20;

/// Terms and names a story is listed under in the index.
const INDEX_TERMS: usize = 40;
const INDEX_ENTITIES: usize = 20;
/// Terms and names of an article looked up in the index.
const QUERY_TERMS: usize = 12;
const QUERY_ENTITIES: usize = 6;
/// Stories compared in full per article: the ones sharing the most query weight.
const MAX_CANDIDATES: usize = 12;

/// The stream's date is the median of the last this many publication dates: robust to a
/// misdated article, and it follows a stream that is roughly in date order.
const CLOCK_DATES: usize = 255;
/// The clock is recomputed after this many dated articles.
const CLOCK_EVERY: usize = 32;

/// How an article is compared with an open story. The score is
/// `cos(terms) + entity_weight * cos'(names and numbers) + time_weight * (cos(years and
/// months) - time_neutral)`, less `date_gap_penalty` when both have publication dates more
/// than `date_gap_days` apart; the article joins the best-scoring story if that score is at
/// least `threshold`. In `cos'` each name of the article is weighted by how few articles of
/// the stream so far used it, so names both events of a kind share count less. The time term counts only when both sides have dates, so an undated
/// article is neither pushed towards nor away from any story.
///
/// The defaults were chosen on 17 of the 21 topics of an ECB+ development set (pairs of
/// similar events of one kind: two earthquakes, two rehab stays) and checked on the other 4.
#[derive(Clone, Debug, PartialEq)]
pub struct Similarity {
    /// The lowest score at which an article joins a story.
    pub threshold: f32,
    /// Weight of the cosine of the names and numbers (who, where, how many).
    pub entity_weight: f32,
    /// Weight of the agreement of years and months (when).
    pub time_weight: f32,
    /// The cosine of years and months that counts as neither for nor against.
    pub time_neutral: f32,
    /// Publication dates further apart than this many days count against a match.
    pub date_gap_days: u32,
    /// What publication dates too far apart take off the score.
    pub date_gap_penalty: f32,
}

impl Default for Similarity {
    fn default() -> Self {
        Similarity {
            threshold: 0.55,
            entity_weight: 0.75,
            time_weight: 0.4,
            time_neutral: 0.2,
            date_gap_days: 60,
            date_gap_penalty: 0.2,
        }
    }
}

impl Similarity {
    /// `terms` is the article's term vector, `entities` its entity vector weighted by the
    /// stream's frequencies, both laid out for comparison with many stories.
    fn score(
        &self,
        article: &PreparedArticle,
        terms: &LookupVector,
        entities: &LookupVector,
        story: &OpenStory,
    ) -> f32 {
        let mut score =
            terms.cosine(&story.terms) + self.entity_weight * entities.cosine(&story.entities);
        if !article.time.is_empty() && !story.time.is_empty() {
            score += self.time_weight * (article.time.cosine(&story.time) - self.time_neutral);
        }
        if let (Some(date), Some(first), Some(last)) = (
            article.published,
            story.first_published,
            story.last_published,
        ) {
            let gap = if date < first {
                (first - date).num_days()
            } else {
                (date - last).num_days().max(0)
            };
            if gap > i64::from(self.date_gap_days) {
                score -= self.date_gap_penalty;
            }
        }
        score
    }
}

/// Options of a [`StoryTracker`].
#[derive(Clone, Debug)]
pub struct StoryTrackerBuilder {
    idf: Option<IdfTable>,
    window_articles: usize,
    window_days: u32,
    summary_sentences: usize,
    timeline_entries: usize,
    similarity: Similarity,
}

impl Default for StoryTrackerBuilder {
    fn default() -> Self {
        StoryTrackerBuilder {
            idf: None,
            window_articles: DEFAULT_WINDOW_ARTICLES,
            window_days: DEFAULT_WINDOW_DAYS,
            summary_sentences: DEFAULT_SUMMARY_SENTENCES,
            timeline_entries: DEFAULT_TIMELINE_ENTRIES,
            similarity: Similarity::default(),
        }
    }
}

impl StoryTrackerBuilder {
    /// IDF weights of stems (default: [`IdfTable::english`]); pass the run's own table to
    /// weigh terms as the summarizer does.
    pub fn idf(mut self, idf: IdfTable) -> Self {
        self.idf = Some(idf);
        self
    }

    /// Close a story that no article joined for this many articles
    /// (default [`DEFAULT_WINDOW_ARTICLES`]).
    pub fn window_articles(mut self, articles: usize) -> Self {
        self.window_articles = articles;
        self
    }

    /// Close a dated story once the stream's date is this many days past its last article
    /// and [`MIN_ARTICLES_BEFORE_DATE_CLOSE`] articles have passed
    /// (default [`DEFAULT_WINDOW_DAYS`]).
    pub fn window_days(mut self, days: u32) -> Self {
        self.window_days = days;
        self
    }

    /// Sentences in a story's summary (default [`DEFAULT_SUMMARY_SENTENCES`]).
    pub fn summary_sentences(mut self, sentences: usize) -> Self {
        self.summary_sentences = sentences;
        self
    }

    /// Most entries in a story's timeline (default [`DEFAULT_TIMELINE_ENTRIES`]); when a
    /// story has more dates, those stated by the most articles are kept.
    pub fn timeline_entries(mut self, entries: usize) -> Self {
        self.timeline_entries = entries;
        self
    }

    /// How articles are compared with stories.
    pub fn similarity(mut self, similarity: Similarity) -> Self {
        self.similarity = similarity;
        self
    }

    /// The tracker, or what is wrong with the options.
    pub fn build(self) -> Result<StoryTracker, StoryError> {
        if self.window_articles == 0 {
            return Err(StoryError::InvalidOption {
                option: "window_articles",
                reason: "must be at least 1",
            });
        }
        let s = &self.similarity;
        let finite = [
            s.threshold,
            s.entity_weight,
            s.time_weight,
            s.time_neutral,
            s.date_gap_penalty,
        ];
        if finite.iter().any(|v| !v.is_finite()) {
            return Err(StoryError::InvalidOption {
                option: "similarity",
                reason: "weights and threshold must be finite numbers",
            });
        }
        Ok(StoryTracker {
            preparer: ArticlePreparer {
                idf: Arc::new(self.idf.unwrap_or_else(IdfTable::english)),
            },
            window_articles: self.window_articles as u64,
            window_days: self.window_days,
            close: CloseOptions {
                summary_sentences: self.summary_sentences,
                timeline_entries: self.timeline_entries,
            },
            similarity: self.similarity,
            slots: Vec::new(),
            free: Vec::new(),
            index: StoryIndex::default(),
            by_position: BTreeSet::new(),
            by_date: BTreeSet::new(),
            articles: FxHashMap::default(),
            position: 0,
            recent_dates: VecDeque::with_capacity(CLOCK_DATES),
            dated_since_clock: 0,
            clock: None,
            closed: Vec::new(),
            frequencies: DocumentFrequencies::default(),
            lookups: Default::default(),
        })
    }
}

/// Prepares articles for [`StoryTracker::add_prepared`] on any thread: get one from
/// [`StoryTracker::preparer`], clone it into each worker.
#[derive(Clone, Debug)]
pub struct ArticlePreparer {
    idf: Arc<IdfTable>,
}

impl ArticlePreparer {
    /// A preparer weighing terms by `idf`, as a tracker built with that table prepares.
    pub fn new(idf: IdfTable) -> ArticlePreparer {
        ArticlePreparer { idf: Arc::new(idf) }
    }

    /// What the tracker needs of an article (the same as [`StoryTracker::prepare`]).
    pub fn prepare(&self, article: &Article<'_>) -> PreparedArticle {
        features::prepare(article, &self.idf)
    }
}

/// The story an article was put in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The story's id: the id of its first article.
    pub story: String,
    /// Whether the article started the story.
    pub new_story: bool,
    /// Whether it joined as a duplicate of an article of the story.
    pub duplicate: bool,
}

/// Groups a stream of articles into stories, online and in input order.
///
/// Call [`add`](StoryTracker::add) (or [`prepare`](StoryTracker::prepare) on any thread,
/// then [`add_prepared`](StoryTracker::add_prepared) in input order) for each article, take
/// the stories that closed with [`take_closed`](StoryTracker::take_closed) whenever
/// convenient, and [`finish`](StoryTracker::finish) at the end. The result depends only on
/// the articles and their order.
pub struct StoryTracker {
    preparer: ArticlePreparer,
    window_articles: u64,
    window_days: u32,
    close: CloseOptions,
    similarity: Similarity,
    slots: Vec<Option<OpenStory>>,
    free: Vec<u32>,
    index: StoryIndex,
    /// Open stories by the position of their last article.
    by_position: BTreeSet<(u64, u32)>,
    /// Dated open stories by their last publication date.
    by_date: BTreeSet<(NaiveDate, u32)>,
    /// Article id hash to the slot of its open story, for duplicates.
    articles: FxHashMap<u64, u32>,
    position: u64,
    recent_dates: VecDeque<NaiveDate>,
    dated_since_clock: usize,
    clock: Option<NaiveDate>,
    closed: Vec<Story>,
    /// How many articles of the stream used each name or number.
    frequencies: DocumentFrequencies,
    /// The article's vectors laid out for comparison, kept between articles (only their
    /// cells are reused: each article fills them anew).
    lookups: (LookupVector, LookupVector),
}

impl StoryTracker {
    /// A tracker with the default options.
    pub fn new() -> Self {
        Self::builder()
            .build()
            .unwrap_or_else(|_| unreachable!("the default options are valid"))
    }

    /// Options for a tracker.
    pub fn builder() -> StoryTrackerBuilder {
        StoryTrackerBuilder::default()
    }

    /// What the tracker needs of an article. It reads no state that
    /// [`add_prepared`](Self::add_prepared) changes, so articles can be prepared in parallel.
    pub fn prepare(&self, article: &Article<'_>) -> PreparedArticle {
        self.preparer.prepare(article)
    }

    /// A handle that prepares articles as [`prepare`](Self::prepare) does, for worker
    /// threads while this tracker is busy adding (it shares the IDF table, not a copy).
    pub fn preparer(&self) -> ArticlePreparer {
        self.preparer.clone()
    }

    /// Puts the next article of the stream in a story.
    pub fn add(&mut self, article: &Article<'_>) -> Assignment {
        let prepared = self.prepare(article);
        self.add_prepared(prepared)
    }

    /// Puts the next prepared article of the stream in a story. Stories it leaves behind the
    /// windows are closed and wait in [`take_closed`](Self::take_closed).
    pub fn add_prepared(&mut self, article: PreparedArticle) -> Assignment {
        self.position += 1;
        let position = self.position;
        if let Some(date) = article.published {
            self.advance_clock(date);
        }
        self.close_expired();

        let original = article
            .duplicate_of
            .as_deref()
            .filter(|&original| original != article.id)
            .and_then(|original| self.articles.get(&features::hash(original, 0)).copied());
        let (slot, duplicate) = match original {
            Some(slot) => (Some(slot), true),
            None => (self.best_story(&article), false),
        };
        let id_hash = features::hash(&article.id, 0);
        self.frequencies
            .add_document(article.entities.entries().iter().map(|&(key, _)| key));
        let (slot, new_story) = match slot {
            Some(slot) => (slot, false),
            None => (self.open_slot(), true),
        };
        let Some(story) = self.slots.get_mut(slot as usize).and_then(Option::as_mut) else {
            unreachable!("the slot was just found or opened");
        };
        let old_position = story.last_position;
        let old_date = story.last_published;
        story.add(article, position);
        let new_keys = index_keys(story);
        let old_keys = std::mem::replace(&mut story.index_keys, new_keys);
        let story_id = story.id().to_string();
        let new_date = story.last_published;

        self.index.relist(slot, &old_keys, &story.index_keys);
        if !new_story {
            self.by_position.remove(&(old_position, slot));
        }
        self.by_position.insert((position, slot));
        if let Some(date) = old_date {
            self.by_date.remove(&(date, slot));
        }
        if let Some(date) = new_date {
            self.by_date.insert((date, slot));
        }
        self.articles.insert(id_hash, slot);
        Assignment {
            story: story_id,
            new_story,
            duplicate,
        }
    }

    /// The stories closed so far and not yet taken, in the order they closed.
    pub fn take_closed(&mut self) -> Vec<Story> {
        std::mem::take(&mut self.closed)
    }

    /// Closes every open story and returns them with those not yet taken: first the ones
    /// closed earlier, then the open ones in the order their first article came.
    pub fn finish(mut self) -> Vec<Story> {
        let mut open: Vec<(u64, u32)> = self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(slot, s)| {
                s.as_ref()
                    .and_then(|s| s.members.first().map(|m| (m.position, slot as u32)))
            })
            .collect();
        open.sort_unstable();
        for (_, slot) in open {
            self.close_slot(slot);
        }
        self.closed
    }

    /// Number of open stories.
    pub fn open_stories(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Bytes of heap the open stories and the index hold (an estimate: the sum of the
    /// capacities of what the tracker allocated).
    pub fn open_heap_bytes(&self) -> usize {
        let stories: usize = self.slots.iter().flatten().map(OpenStory::heap_bytes).sum();
        let (keys, postings) = self.index.size();
        stories + keys * 48 + postings * 4 + self.articles.len() * 16
    }

    fn best_story(&mut self, article: &PreparedArticle) -> Option<u32> {
        let mut query: Vec<(u64, f32)> = top_entries(&article.terms, QUERY_TERMS);
        query.extend(top_entries(&article.entities, QUERY_ENTITIES));
        // Only the article's side is weighted by the stream's frequencies: a look-up per
        // name of every candidate story would cost more than the rest of the comparison.
        let entities = article.entities.scaled_by(|key| self.frequencies.idf(key));
        let (mut terms, mut entities_lookup) = std::mem::take(&mut self.lookups);
        terms.fill(&article.terms);
        entities_lookup.fill(&entities);
        let mut best: Option<(u32, f32)> = None;
        for slot in self.index.candidates(&query, MAX_CANDIDATES) {
            let Some(story) = self.slots.get(slot as usize).and_then(Option::as_ref) else {
                continue;
            };
            let score = self
                .similarity
                .score(article, &terms, &entities_lookup, story);
            let better = match best {
                None => true,
                Some((best_slot, best_score)) => {
                    score > best_score || (score == best_score && slot < best_slot)
                }
            };
            if better {
                best = Some((slot, score));
            }
        }
        self.lookups = (terms, entities_lookup);
        best.filter(|&(_, score)| score >= self.similarity.threshold)
            .map(|(slot, _)| slot)
    }

    fn open_slot(&mut self) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(OpenStory::new());
                slot
            }
            None => {
                self.slots.push(Some(OpenStory::new()));
                (self.slots.len() - 1) as u32
            }
        }
    }

    fn advance_clock(&mut self, date: NaiveDate) {
        if self.recent_dates.len() == CLOCK_DATES {
            self.recent_dates.pop_front();
        }
        self.recent_dates.push_back(date);
        self.dated_since_clock += 1;
        if self.clock.is_none() || self.dated_since_clock >= CLOCK_EVERY {
            let mut sorted: Vec<NaiveDate> = self.recent_dates.iter().copied().collect();
            sorted.sort_unstable();
            self.clock = sorted.get(sorted.len() / 2).copied();
            self.dated_since_clock = 0;
        }
    }

    fn close_expired(&mut self) {
        while let Some(&(last, slot)) = self.by_position.first() {
            if last + self.window_articles > self.position {
                break;
            }
            self.close_slot(slot);
        }
        let Some(clock) = self.clock else { return };
        let Some(cutoff) = clock.checked_sub_days(chrono::Days::new(u64::from(self.window_days)))
        else {
            return;
        };
        while let Some(&(last_date, slot)) = self.by_date.first() {
            if last_date >= cutoff {
                break;
            }
            let idle = self
                .slots
                .get(slot as usize)
                .and_then(Option::as_ref)
                .map_or(u64::MAX, |s| self.position - s.last_position);
            if idle < MIN_ARTICLES_BEFORE_DATE_CLOSE {
                // Checked in order of last date: the next story waits for its turn.
                break;
            }
            self.close_slot(slot);
        }
    }

    fn close_slot(&mut self, slot: u32) {
        let Some(story) = self.slots.get_mut(slot as usize).and_then(Option::take) else {
            return;
        };
        self.index.relist(slot, &story.index_keys, &[]);
        self.by_position.remove(&(story.last_position, slot));
        if let Some(date) = story.last_published {
            self.by_date.remove(&(date, slot));
        }
        for member in &story.members {
            let key = features::hash(&member.id, 0);
            if self.articles.get(&key) == Some(&slot) {
                self.articles.remove(&key);
            }
        }
        self.free.push(slot);
        self.closed.push(story.close(&self.close));
    }
}

impl Default for StoryTracker {
    fn default() -> Self {
        Self::new()
    }
}

/// The keys a story is listed under, as two key-ordered sets: the index needs no order, and
/// a settled story's sets come out equal article after article, which lets relisting stop
/// at one comparison.
fn index_keys(story: &OpenStory) -> Vec<u64> {
    let mut keys = story.terms.top_key_set(INDEX_TERMS);
    keys.extend(story.entities.top_key_set(INDEX_ENTITIES));
    keys
}

fn top_entries(vector: &SparseVector, max: usize) -> Vec<(u64, f32)> {
    vector.top(max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{
        split, ELECTION, QUAKE_ACEH_1, QUAKE_ACEH_2, QUAKE_PAPUA_1, QUAKE_PAPUA_2,
    };
    use docpipe_summarize::SentenceInput;

    struct Owned {
        id: String,
        text: &'static str,
        sentences: Vec<SentenceInput>,
        published: Option<NaiveDate>,
        duplicate_of: Option<String>,
    }

    fn owned(id: &str, text: &'static str) -> Owned {
        Owned {
            id: id.to_string(),
            text,
            sentences: split(text),
            published: None,
            duplicate_of: None,
        }
    }

    fn article(o: &Owned) -> Article<'_> {
        let mut a = Article::new(&o.id, o.text);
        a.sentences = &o.sentences;
        a.published = o.published;
        a.duplicate_of = o.duplicate_of.as_deref();
        a
    }

    fn stream() -> Vec<Owned> {
        vec![
            owned("p1", QUAKE_PAPUA_1),
            owned("a1", QUAKE_ACEH_1),
            owned("e1", ELECTION),
            owned("p2", QUAKE_PAPUA_2),
            owned("a2", QUAKE_ACEH_2),
        ]
    }

    fn stories_of(tracker: &mut StoryTracker, articles: &[Owned]) -> Vec<String> {
        articles
            .iter()
            .map(|o| tracker.add(&article(o)).story)
            .collect()
    }

    #[test]
    fn similar_events_are_told_apart_and_same_events_joined() {
        let mut tracker = StoryTracker::new();
        let stories = stories_of(&mut tracker, &stream());
        assert_eq!(stories, ["p1", "a1", "e1", "p1", "a1"]);
        let closed = tracker.finish();
        let ids: Vec<&str> = closed.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            ["p1", "a1", "e1"],
            "open stories close in order of their first article"
        );
        assert_eq!(closed[0].articles, ["p1", "p2"]);
    }

    #[test]
    fn a_duplicate_joins_its_original_whatever_its_text() {
        let mut tracker = StoryTracker::new();
        let mut articles = stream();
        let mut copy = owned("dup", ELECTION);
        copy.duplicate_of = Some("a1".into());
        articles.push(copy);
        let stories = stories_of(&mut tracker, &articles);
        assert_eq!(stories[5], "a1");
        let mut unknown = owned("dup2", ELECTION);
        unknown.duplicate_of = Some("never-seen".into());
        let assignment = tracker.add(&article(&unknown));
        assert_eq!(
            assignment.story, "e1",
            "an unknown original: grouped by content"
        );
        assert!(!assignment.duplicate);
    }

    #[test]
    fn stories_close_after_the_article_window() {
        let mut tracker = StoryTracker::builder().window_articles(2).build().unwrap();
        let articles = stream();
        tracker.add(&article(&articles[0]));
        tracker.add(&article(&articles[1]));
        assert!(tracker.take_closed().is_empty());
        tracker.add(&article(&articles[2]));
        let closed = tracker.take_closed();
        assert_eq!(closed.len(), 1);
        assert_eq!(closed[0].id, "p1");
        // p2 can no longer join the closed story: it starts its own.
        assert_eq!(tracker.add(&article(&articles[3])).story, "p2");
        assert_eq!(tracker.open_stories(), 2);
    }

    #[test]
    fn dated_stories_close_after_the_date_window() {
        let mut tracker = StoryTracker::builder().window_days(10).build().unwrap();
        let mut first = owned("old", ELECTION);
        first.published = NaiveDate::from_ymd_opt(2020, 1, 1);
        tracker.add(&article(&first));
        let filler: Vec<Owned> = (0..MIN_ARTICLES_BEFORE_DATE_CLOSE + 1)
            .map(|i| {
                let mut o = owned(&format!("f{i}"), QUAKE_ACEH_1);
                o.published = NaiveDate::from_ymd_opt(2020, 3, 1);
                o
            })
            .collect();
        for (i, o) in filler.iter().enumerate() {
            tracker.add(&article(o));
            let closed = tracker.take_closed();
            if (i as u64) + 1 < MIN_ARTICLES_BEFORE_DATE_CLOSE {
                assert!(closed.is_empty(), "closed after {i} articles");
            } else if !closed.is_empty() {
                assert_eq!(closed[0].id, "old");
                return;
            }
        }
        panic!("the dated story never closed");
    }

    #[test]
    fn articles_without_date_title_or_sentences_still_get_stories() {
        let mut tracker = StoryTracker::new();
        let one_sentence = Article::new("one", "Short.");
        let empty = Article::new("empty", "");
        let foreign = Article::new("fr", "Le gouvernement a annoncé une réforme des retraites.");
        let mut bad_spans = Article::new("bad", "Text.");
        let spans = [SentenceInput {
            span: 3..99,
            role: docpipe_summarize::SentenceRole::Body,
            paragraph: 0,
        }];
        bad_spans.sentences = &spans;
        for a in [&one_sentence, &empty, &foreign, &bad_spans] {
            let assignment = tracker.add(a);
            assert_eq!(assignment.story, a.id);
            assert!(assignment.new_story);
        }
        let closed = tracker.finish();
        assert_eq!(closed.len(), 4);
        assert_eq!(closed[0].title, "", "no title and no sentence to lead with");
        assert_eq!(
            closed[2].title,
            "Le gouvernement a annoncé une réforme des retraites."
        );
    }

    #[test]
    fn results_do_not_depend_on_where_articles_are_prepared() {
        let articles = stream();
        let mut sequential = StoryTracker::new();
        let expected = stories_of(&mut sequential, &articles);
        let expected_closed = sequential.finish();

        let mut parallel = StoryTracker::new();
        let preparer = parallel.preparer();
        let prepared: Vec<PreparedArticle> = std::thread::scope(|scope| {
            let handles: Vec<_> = articles
                .iter()
                .map(|o| {
                    let preparer = preparer.clone();
                    scope.spawn(move || preparer.prepare(&article(o)))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let got: Vec<String> = prepared
            .into_iter()
            .map(|p| parallel.add_prepared(p).story)
            .collect();
        assert_eq!(got, expected);
        assert_eq!(parallel.finish(), expected_closed);
    }

    #[test]
    fn invalid_options_are_refused() {
        assert!(matches!(
            StoryTracker::builder().window_articles(0).build(),
            Err(StoryError::InvalidOption {
                option: "window_articles",
                ..
            })
        ));
        let similarity = Similarity {
            threshold: f32::NAN,
            ..Similarity::default()
        };
        assert!(StoryTracker::builder()
            .similarity(similarity)
            .build()
            .is_err());
    }

    #[test]
    fn memory_is_reported_and_freed_on_close() {
        let mut tracker = StoryTracker::builder().window_articles(1).build().unwrap();
        let articles = stream();
        tracker.add(&article(&articles[0]));
        assert!(tracker.open_heap_bytes() > 0);
        tracker.add(&article(&articles[2]));
        assert_eq!(tracker.open_stories(), 1);
        assert_eq!(tracker.take_closed().len(), 1);
    }
}
