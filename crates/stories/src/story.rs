//! An open story (what the tracker holds while it can still grow) and a closed one (what it
//! hands out): the summary and timeline are chosen when the story closes.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use crate::date::TimelineDate;
use crate::features::{PreparedArticle, SentenceCandidate};
use crate::vector::SparseVector;

/// Entries kept of a story's term centroid. A story's vocabulary settles after a few
/// articles; the tail of a centroid is words that one article used once.
const CENTROID_TERMS: usize = 300;
/// Entries kept of a story's entity centroid.
const CENTROID_ENTITIES: usize = 150;
/// Entries kept of a story's time centroid (years and months).
const CENTROID_TIMES: usize = 24;

/// Candidate sentences a story keeps for its summary: the bound on the sentence text an open
/// story holds, whatever its number of articles.
pub const MAX_SUMMARY_CANDIDATES: usize = 48;
/// Distinct dates a story keeps for its timeline, each with one sentence.
pub const MAX_TIMELINE_DATES: usize = 48;
/// Headline candidates a story keeps (the title or lead of its most central articles).
const MAX_HEADLINES: usize = 8;
/// Distinct key phrases a story keeps.
const MAX_KEYWORDS: usize = 64;
/// Key phrases a closed story shows.
const STORY_KEYWORDS: usize = 10;

/// A sentence of a closed story's summary: which article, where (Unicode character offsets
/// into that article's text, end exclusive) and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorySentence {
    /// Id of the article the sentence is from.
    pub article: String,
    /// Character offset of its first character.
    pub start: usize,
    /// Character offset just past its last character.
    pub end: usize,
    /// The sentence.
    pub text: String,
}

/// An event of a story's timeline: a sentence that states something dated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineEntry {
    /// The date, at the granularity the text gives it.
    pub date: TimelineDate,
    /// Id of the article the sentence is from.
    pub article: String,
    /// Character offset of its first character.
    pub start: usize,
    /// Character offset just past its last character.
    pub end: usize,
    /// The sentence.
    pub text: String,
    /// How many of the story's articles state something on this date (entries of several
    /// articles on one date are merged into one, showing the most central sentence).
    pub articles: usize,
}

/// A closed story.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    /// The id of its first article (the `story` every member's record carries).
    pub id: String,
    /// Headline-like title: the title of its most central titled article, else the lead of
    /// its most central article; empty when no article has either.
    pub title: String,
    /// Its articles' ids in publication order (an undated article takes the date of the
    /// article before it in the stream, so input order breaks ties).
    pub articles: Vec<String>,
    /// The distinct outlets of its articles, in order of first appearance.
    pub outlets: Vec<String>,
    /// The earliest publication date of its articles.
    pub first_published: Option<NaiveDate>,
    /// The latest publication date of its articles.
    pub last_published: Option<NaiveDate>,
    /// Its most prominent key phrases.
    pub keywords: Vec<String>,
    /// The multi-document summary, in chronological order.
    pub summary: Vec<StorySentence>,
    /// The dated events, in date order.
    pub timeline: Vec<TimelineEntry>,
}

/// An article of an open story.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub id: String,
    pub published: Option<NaiveDate>,
    pub position: u64,
}

#[derive(Clone, Debug)]
struct Headline {
    text: String,
    is_title: bool,
    vector: SparseVector,
    /// Similarity of the article to the story when it joined.
    score: f32,
}

#[derive(Clone, Debug)]
struct DatedCandidate {
    date: TimelineDate,
    sentence: SentenceCandidate,
    /// Articles that state something on this date.
    articles: usize,
    /// Similarity of the sentence to the story when it was offered.
    score: f32,
}

/// A story that can still grow.
#[derive(Clone, Debug)]
pub(crate) struct OpenStory {
    pub members: Vec<Member>,
    outlets: Vec<String>,
    pub terms: SparseVector,
    pub entities: SparseVector,
    pub time: SparseVector,
    pub first_published: Option<NaiveDate>,
    pub last_published: Option<NaiveDate>,
    pub last_position: u64,
    /// The keys under which the index lists this story.
    pub index_keys: Vec<u64>,
    headlines: Vec<Headline>,
    sentences: Vec<SentenceCandidate>,
    timeline: Vec<DatedCandidate>,
    keywords: FxHashMap<String, (String, f32, u64)>,
}

impl OpenStory {
    pub fn new() -> Self {
        OpenStory {
            members: Vec::new(),
            outlets: Vec::new(),
            terms: SparseVector::default(),
            entities: SparseVector::default(),
            time: SparseVector::default(),
            first_published: None,
            last_published: None,
            last_position: 0,
            index_keys: Vec::new(),
            headlines: Vec::new(),
            sentences: Vec::new(),
            timeline: Vec::new(),
            keywords: FxHashMap::default(),
        }
    }

    pub fn id(&self) -> &str {
        self.members.first().map_or("", |m| m.id.as_str())
    }

    /// Adds an article; `position` is its place in the stream.
    pub fn add(&mut self, article: PreparedArticle, position: u64) {
        let index = self.members.len() as u32;
        self.terms.add_scaled(&article.terms, 1.0);
        self.terms.truncate(CENTROID_TERMS);
        self.entities.add_scaled(&article.entities, 1.0);
        self.entities.truncate(CENTROID_ENTITIES);
        self.time.add_scaled(&article.time, 1.0);
        self.time.truncate(CENTROID_TIMES);
        if let Some(date) = article.published {
            self.first_published = Some(self.first_published.map_or(date, |d| d.min(date)));
            self.last_published = Some(self.last_published.map_or(date, |d| d.max(date)));
        }
        self.last_position = position;
        if let Some(outlet) = article.outlet {
            if !self.outlets.contains(&outlet) {
                self.outlets.push(outlet);
            }
        }

        if let Some((text, is_title)) = article.headline {
            // The article's own vector, no longer needed once in the centroid.
            let mut vector = article.terms;
            vector.truncate(crate::features::SENTENCE_TERMS);
            let score = vector.dot(&self.terms);
            self.headlines.push(Headline {
                text,
                is_title,
                vector,
                score,
            });
            if self.headlines.len() > MAX_HEADLINES {
                // Scores from when each joined: rescoring every candidate against the
                // current centroid on every article would cost more than the rest of the
                // stage.
                drop_least(&mut self.headlines, |h| {
                    h.score + if h.is_title { 1.0 } else { 0.0 }
                });
            }
        }

        for mut sentence in article.summary_candidates {
            sentence.article = index;
            sentence.score = sentence.vector.dot(&self.terms);
            self.sentences.push(sentence);
        }
        while self.sentences.len() > MAX_SUMMARY_CANDIDATES {
            drop_least(&mut self.sentences, |s| s.score);
        }

        for (date, mut sentence) in article.timeline_candidates {
            sentence.article = index;
            let score = sentence.vector.dot(&self.terms);
            match self.timeline.iter_mut().find(|c| c.date == date) {
                Some(existing) => {
                    existing.articles += 1;
                    if score > existing.score {
                        existing.sentence = sentence;
                        existing.score = score;
                    }
                }
                None => self.timeline.push(DatedCandidate {
                    date,
                    sentence,
                    articles: 1,
                    score,
                }),
            }
        }
        while self.timeline.len() > MAX_TIMELINE_DATES {
            drop_least(&mut self.timeline, |c| c.articles as f32 + c.score);
        }

        for (rank, phrase) in article.keywords.into_iter().enumerate() {
            // Earlier phrases weigh more: the summarizer ranks them.
            let weight = 1.0 / (1.0 + rank as f32);
            let order = self.keywords.len() as u64;
            let entry = self
                .keywords
                .entry(phrase.to_lowercase())
                .or_insert((phrase, 0.0, order));
            entry.1 += weight;
        }
        if self.keywords.len() > MAX_KEYWORDS {
            let mut ranked: Vec<(String, (String, f32, u64))> = self.keywords.drain().collect();
            ranked.sort_by(|a, b| b.1 .1.total_cmp(&a.1 .1).then(a.1 .2.cmp(&b.1 .2)));
            ranked.truncate(MAX_KEYWORDS);
            self.keywords = ranked.into_iter().collect();
        }

        self.members.push(Member {
            id: article.id,
            published: article.published,
            position,
        });
    }

    /// Bytes of heap the story holds (an estimate of what it costs to keep open).
    pub fn heap_bytes(&self) -> usize {
        let sentence = |s: &SentenceCandidate| s.text.capacity() + s.vector.heap_bytes();
        self.members.capacity() * std::mem::size_of::<Member>()
            + self.members.iter().map(|m| m.id.capacity()).sum::<usize>()
            + self
                .outlets
                .iter()
                .map(|o| o.capacity() + 24)
                .sum::<usize>()
            + self.terms.heap_bytes()
            + self.entities.heap_bytes()
            + self.time.heap_bytes()
            + self.index_keys.capacity() * 8
            + self
                .headlines
                .iter()
                .map(|h| h.text.capacity() + h.vector.heap_bytes() + 48)
                .sum::<usize>()
            + self
                .sentences
                .iter()
                .map(|s| sentence(s) + std::mem::size_of::<SentenceCandidate>())
                .sum::<usize>()
            + self
                .timeline
                .iter()
                .map(|c| sentence(&c.sentence) + std::mem::size_of::<DatedCandidate>())
                .sum::<usize>()
            + self
                .keywords
                .iter()
                .map(|(k, v)| k.capacity() + v.0.capacity() + 64)
                .sum::<usize>()
    }

    /// Closes the story: picks its title, summary and timeline.
    pub fn close(self, options: &CloseOptions) -> Story {
        // Publication order: an undated article sits after the dated one before it.
        let mut dated: Vec<(Option<NaiveDate>, u64, usize)> =
            Vec::with_capacity(self.members.len());
        let mut carried = self.first_published;
        for (index, member) in self.members.iter().enumerate() {
            if member.published.is_some() {
                carried = member.published;
            }
            dated.push((carried, member.position, index));
        }
        dated.sort();
        let mut order = vec![0usize; self.members.len()];
        for (rank, &(_, _, index)) in dated.iter().enumerate() {
            order[index] = rank;
        }
        let articles: Vec<String> = dated
            .iter()
            .map(|&(_, _, index)| self.members[index].id.clone())
            .collect();

        let centroid = &self.terms;
        let title = self
            .headlines
            .iter()
            .enumerate()
            .max_by(|(ia, a), (ib, b)| {
                (a.is_title, a.vector.dot(centroid))
                    .partial_cmp(&(b.is_title, b.vector.dot(centroid)))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(ib.cmp(ia))
            })
            .map(|(_, h)| h.text.clone())
            .unwrap_or_default();

        let article_id = |s: &SentenceCandidate| {
            self.members
                .get(s.article as usize)
                .map_or_else(String::new, |m| m.id.clone())
        };
        let picked = crate::summary::select(&self.sentences, centroid, options.summary_sentences);
        let mut summary: Vec<&SentenceCandidate> =
            picked.into_iter().map(|i| &self.sentences[i]).collect();
        summary.sort_by_key(|s| (order.get(s.article as usize).copied(), s.index));
        let summary = summary
            .into_iter()
            .map(|s| StorySentence {
                article: article_id(s),
                start: s.start,
                end: s.end,
                text: s.text.clone(),
            })
            .collect();

        let mut timeline: Vec<&DatedCandidate> = self.timeline.iter().collect();
        timeline.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then(b.score.total_cmp(&a.score))
                .then(a.date.cmp(&b.date))
        });
        timeline.truncate(options.timeline_entries);
        timeline.sort_by_key(|c| c.date);
        let timeline = timeline
            .into_iter()
            .map(|c| TimelineEntry {
                date: c.date,
                article: article_id(&c.sentence),
                start: c.sentence.start,
                end: c.sentence.end,
                text: c.sentence.text.clone(),
                articles: c.articles,
            })
            .collect();

        let mut keywords: Vec<&(String, f32, u64)> = self.keywords.values().collect();
        keywords.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
        let keywords = keywords
            .into_iter()
            .take(STORY_KEYWORDS)
            .map(|k| k.0.clone())
            .collect();

        Story {
            id: self.id().to_string(),
            title,
            articles,
            outlets: self.outlets,
            first_published: self.first_published,
            last_published: self.last_published,
            keywords,
            summary,
            timeline,
        }
    }
}

/// The options that shape a closed story.
#[derive(Clone, Debug)]
pub(crate) struct CloseOptions {
    pub summary_sentences: usize,
    pub timeline_entries: usize,
}

/// Removes the item with the lowest score (the latest of equal ones, so earlier articles'
/// items win ties the same way in every run).
fn drop_least<T>(items: &mut Vec<T>, score: impl Fn(&T) -> f32) {
    let mut worst: Option<(usize, f32)> = None;
    for (index, item) in items.iter().enumerate() {
        let s = score(item);
        if worst.is_none_or(|(_, w)| s <= w) {
            worst = Some((index, s));
        }
    }
    if let Some((index, _)) = worst {
        items.remove(index);
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use docpipe_date_extract::Timex;

    use crate::test_support::{date, split};
    use crate::{Article, StoryTracker};

    const FIRST: &str = "The ministers of Ruritania and Freedonia met in Strelsau to discuss the river treaty. The treaty of March 2024 settled the border along the river Elbe for good. Both ministers praised the treaty of March 2024 and its river commission.";
    const SECOND: &str = "Ruritania and Freedonia renewed the river treaty in Strelsau on Monday, their ministers said. Under the treaty of March 2024 the river commission of Ruritania and Freedonia meets twice a year. Talks on the river commission resume in June 2025, the ministers of Ruritania said.";

    fn close(texts: &[(&str, &str, Vec<Timex>, Option<NaiveDate>)]) -> crate::Story {
        let mut tracker = StoryTracker::new();
        for (id, text, dates, published) in texts {
            let sentences = split(text);
            let mut article = Article::new(id, text);
            article.sentences = &sentences;
            article.dates = dates;
            article.published = *published;
            tracker.add(&article);
        }
        let mut stories = tracker.finish();
        assert_eq!(stories.len(), 1, "the made-up articles form one story");
        stories.remove(0)
    }

    #[test]
    fn one_date_in_several_articles_is_one_timeline_entry() {
        let story = close(&[
            (
                "one",
                FIRST,
                vec![date(FIRST, "March 2024", "2024-03")],
                None,
            ),
            (
                "two",
                SECOND,
                vec![
                    date(SECOND, "March 2024", "2024-03"),
                    date(SECOND, "June 2025", "2025-06"),
                    date(SECOND, "Monday", "XXXX-XX-XX"),
                ],
                NaiveDate::from_ymd_opt(2024, 9, 2),
            ),
        ]);
        let dates: Vec<String> = story.timeline.iter().map(|e| e.date.to_string()).collect();
        assert_eq!(dates, ["2024-03", "2024-09-02", "2025-06"]);
        assert_eq!(story.timeline[0].articles, 2);
        let lead = &story.timeline[1];
        assert_eq!(
            (lead.article.as_str(), lead.start),
            ("two", 0),
            "the lead carries the date"
        );
        let june = &story.timeline[2];
        assert!(june.text.starts_with("Talks on the river commission"));
        let chars: Vec<char> = SECOND.chars().collect();
        let span: String = chars[june.start..june.end].iter().collect();
        assert_eq!(span, june.text, "spans are character offsets");
        assert_eq!(story.first_published, NaiveDate::from_ymd_opt(2024, 9, 2));
    }

    #[test]
    fn the_summary_skips_what_another_sentence_already_says() {
        let story = close(&[
            ("one", FIRST, vec![], None),
            ("copy", FIRST, vec![], None),
            ("two", SECOND, vec![], None),
        ]);
        assert!(!story.summary.is_empty());
        for (i, a) in story.summary.iter().enumerate() {
            for b in &story.summary[i + 1..] {
                assert_ne!(a.text, b.text, "the same sentence twice");
            }
        }
        assert_eq!(story.articles, ["one", "copy", "two"]);
        assert_eq!(
            story.title, story.summary[0].text,
            "no title: the most central lead"
        );
    }

    #[test]
    fn articles_are_listed_in_publication_order() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 3, d);
        let story = close(&[
            ("late", FIRST, vec![], day(20)),
            ("undated", FIRST, vec![], None),
            ("early", SECOND, vec![], day(2)),
        ]);
        assert_eq!(story.id, "late", "the id is the first article's");
        assert_eq!(story.articles, ["early", "late", "undated"]);
        assert_eq!(story.last_published, day(20));
    }
}
