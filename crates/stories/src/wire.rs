//! A prepared article as data (feature `serde`): a cluster job prepares articles on many
//! machines and hands them, in input order, to one tracker in another process. Weights travel
//! as the bits of their `f32`, not as decimal numbers, so the tracker compares exactly the
//! values the preparing process computed and its stories are those of a single process.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::date::TimelineDate;
use crate::features::{PreparedArticle, SentenceCandidate};
use crate::vector::SparseVector;

/// How a publication date is written.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// `PreparedArticle` with every field public to serde and every `f32` as its bits.
#[derive(Serialize, Deserialize)]
pub(crate) struct WireArticle {
    id: String,
    outlet: Option<String>,
    /// As `YYYY-MM-DD`.
    published: Option<String>,
    duplicate_of: Option<String>,
    terms: WireVector,
    entities: WireVector,
    time: WireVector,
    headline: Option<(String, bool)>,
    summary: Vec<WireSentence>,
    timeline: Vec<(WireDate, WireSentence)>,
    keywords: Vec<String>,
}

/// Sorted `(key, weight bits)` entries and the norm's bits.
#[derive(Serialize, Deserialize)]
struct WireVector(Vec<(u64, u32)>, u32);

#[derive(Serialize, Deserialize)]
struct WireSentence {
    article: u32,
    start: usize,
    end: usize,
    index: u32,
    text: String,
    vector: WireVector,
    score: u32,
}

#[derive(Serialize, Deserialize)]
struct WireDate(i32, Option<u32>, Option<u32>);

impl From<PreparedArticle> for WireArticle {
    fn from(article: PreparedArticle) -> Self {
        WireArticle {
            id: article.id,
            outlet: article.outlet,
            published: article
                .published
                .map(|date| date.format(DATE_FORMAT).to_string()),
            duplicate_of: article.duplicate_of,
            terms: WireVector::from(&article.terms),
            entities: WireVector::from(&article.entities),
            time: WireVector::from(&article.time),
            headline: article.headline,
            summary: article
                .summary_candidates
                .into_iter()
                .map(WireSentence::from)
                .collect(),
            timeline: article
                .timeline_candidates
                .into_iter()
                .map(|(date, sentence)| {
                    (
                        WireDate(date.year, date.month, date.day),
                        WireSentence::from(sentence),
                    )
                })
                .collect(),
            keywords: article.keywords,
        }
    }
}

impl TryFrom<WireArticle> for PreparedArticle {
    type Error = String;

    fn try_from(wire: WireArticle) -> Result<Self, String> {
        let published = match &wire.published {
            Some(text) => Some(
                NaiveDate::parse_from_str(text, DATE_FORMAT)
                    .map_err(|err| format!("published {text:?} is not a date: {err}"))?,
            ),
            None => None,
        };
        Ok(PreparedArticle {
            id: wire.id,
            outlet: wire.outlet,
            published,
            duplicate_of: wire.duplicate_of,
            terms: SparseVector::from(wire.terms),
            entities: SparseVector::from(wire.entities),
            time: SparseVector::from(wire.time),
            headline: wire.headline,
            summary_candidates: wire
                .summary
                .into_iter()
                .map(SentenceCandidate::from)
                .collect(),
            timeline_candidates: wire
                .timeline
                .into_iter()
                .map(|(WireDate(year, month, day), sentence)| {
                    (
                        TimelineDate { year, month, day },
                        SentenceCandidate::from(sentence),
                    )
                })
                .collect(),
            keywords: wire.keywords,
        })
    }
}

impl From<&SparseVector> for WireVector {
    fn from(vector: &SparseVector) -> Self {
        WireVector(
            vector
                .entries()
                .iter()
                .map(|&(key, weight)| (key, weight.to_bits()))
                .collect(),
            vector.norm().to_bits(),
        )
    }
}

impl From<WireVector> for SparseVector {
    fn from(WireVector(entries, norm): WireVector) -> Self {
        SparseVector::from_parts(
            entries
                .into_iter()
                .map(|(key, bits)| (key, f32::from_bits(bits)))
                .collect(),
            f32::from_bits(norm),
        )
    }
}

impl From<SentenceCandidate> for WireSentence {
    fn from(sentence: SentenceCandidate) -> Self {
        WireSentence {
            article: sentence.article,
            start: sentence.start,
            end: sentence.end,
            index: sentence.index,
            vector: WireVector::from(&sentence.vector),
            text: sentence.text,
            score: sentence.score.to_bits(),
        }
    }
}

impl From<WireSentence> for SentenceCandidate {
    fn from(wire: WireSentence) -> Self {
        SentenceCandidate {
            article: wire.article,
            start: wire.start,
            end: wire.end,
            index: wire.index,
            text: wire.text,
            vector: SparseVector::from(wire.vector),
            score: f32::from_bits(wire.score),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::split;
    use crate::{Article, StoryTracker};

    const TEXT: &str = "Storm Ciara hit the coast of Wales on Sunday with winds of 90 mph.\n\
        Thousands of homes in Cardiff lost power for more than 12 hours.";

    #[test]
    fn an_article_read_back_is_the_article_written() {
        let tracker = StoryTracker::new();
        let sentences = split(TEXT);
        let mut article = Article::new("a1", TEXT);
        article.title = Some("Storm Ciara hits Wales");
        article.outlet = Some("BBC");
        article.sentences = &sentences;
        article.published = chrono::NaiveDate::from_ymd_opt(2020, 2, 9);
        let prepared = tracker.prepare(&article);
        let json = serde_json::to_string(&prepared).unwrap();
        let back: crate::PreparedArticle = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        assert_eq!(format!("{back:?}"), format!("{prepared:?}"));
        assert!(json.contains("\"outlet\":\"BBC\""));
        assert!(json.contains("\"published\":\"2020-02-09\""));
        let bad = json.replace("2020-02-09", "2020-02-30");
        assert!(serde_json::from_str::<crate::PreparedArticle>(&bad).is_err());
    }
}
