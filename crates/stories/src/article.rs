//! What the tracker takes per article: the outputs of the earlier pipeline stages.

use chrono::NaiveDate;
use docpipe_date_extract::Timex;
use docpipe_summarize::{Keyword, SentenceInput};

/// One article as the earlier stages left it. Spans are byte ranges into `text`, as the
/// stage crates report them; a span outside the text or off a character boundary is ignored.
///
/// Only `id` and `text` are required: [`Article::new`] leaves everything else empty, and an
/// article with no title, date, sentences or keywords still gets a story.
#[derive(Clone, Debug)]
pub struct Article<'a> {
    /// The article's id; the id of a story is the id of its first article.
    pub id: &'a str,
    /// The normalized text.
    pub text: &'a str,
    /// The headline, when the article has one.
    pub title: Option<&'a str>,
    /// The outlet (site, agency or feed) it comes from, when known.
    pub outlet: Option<&'a str>,
    /// The publication date, when known.
    pub published: Option<NaiveDate>,
    /// The sentences (byte spans with their block role). With none, the whole text counts as
    /// one sentence.
    pub sentences: &'a [SentenceInput],
    /// Key phrases (from docpipe-summarize), most important first.
    pub keywords: &'a [Keyword],
    /// Temporal expressions (from docpipe-date-extract), resolved against `published`.
    pub dates: &'a [Timex],
    /// The id of the article this one duplicates (its dedup cluster), when it is an exact or
    /// near duplicate. It then joins the story of that article.
    pub duplicate_of: Option<&'a str>,
}

impl<'a> Article<'a> {
    /// An article with only an id and a text.
    pub fn new(id: &'a str, text: &'a str) -> Self {
        Article {
            id,
            text,
            title: None,
            outlet: None,
            published: None,
            sentences: &[],
            keywords: &[],
            dates: &[],
            duplicate_of: None,
        }
    }
}
