//! The stages a pipeline can run.

/// The stages after ingest that `--stages` can switch on or off. Ingest and write always run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Stage {
    /// Unicode normalization, blocks and sentences (see `--no-sentences`).
    Normalize,
    /// Language identification.
    Lang,
    /// Exact and near-duplicate detection.
    Dedup,
    /// Publication date and temporal expressions.
    Dates,
    /// Extractive summary and keywords.
    Summarize,
    /// Groups articles into stories (`story` in each record, NAME.stories.jsonl): reads the
    /// text, title and site, and whatever of the other stages ran (sentences from normalize,
    /// the publication date and dated expressions from dates, keywords from summarize, the
    /// duplicate verdict from dedup). Needs none of them.
    Stories,
}

impl Stage {
    /// Every stage, in the order they run on a document.
    pub const ALL: [Stage; 6] = [
        Stage::Normalize,
        Stage::Lang,
        Stage::Dedup,
        Stage::Dates,
        Stage::Summarize,
        Stage::Stories,
    ];

    /// The stage's name in `--stages`, in the stats and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Normalize => "normalize",
            Stage::Lang => "lang",
            Stage::Dedup => "dedup",
            Stage::Dates => "dates",
            Stage::Summarize => "summarize",
            Stage::Stories => "stories",
        }
    }
}
