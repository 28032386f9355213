//! `docpipe eval STAGE`: run one stage over a gold file, write predictions in the format its
//! Python scorer reads, and print the same metrics the scorer prints.

mod common;
mod dedup;
mod extract;
mod langid;
mod sentences;
mod stories;
mod summarize;
mod timex;

use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Sentence splitting on the English Golden Rules.
    Sentences(sentences::Args),
    /// Main text and metadata of HTML pages (scorer: ../shared/eval/html/score.py).
    Extract(extract::Args),
    /// Language identification (scorer: ../shared/eval/langid/score.py).
    Langid(langid::Args),
    /// Near-duplicate clustering (scorer: ../shared/eval/dedup/score.py).
    Dedup(dedup::Args),
    /// Temporal expressions, TempEval-3 Task A (scorer: ../shared/eval/timex/score.py).
    Timex(timex::Args),
    /// Extractive summaries, ROUGE (scorer: ../shared/eval/summarization/score.py).
    Summarize(summarize::Args),
    /// Story grouping, BCubed and pairwise (scorer: ../shared/eval/stories/score.py).
    Stories(stories::Args),
}

pub fn run(command: EvalCommand) -> anyhow::Result<()> {
    match command {
        EvalCommand::Sentences(args) => sentences::run(&args),
        EvalCommand::Extract(args) => extract::run(&args),
        EvalCommand::Langid(args) => langid::run(&args),
        EvalCommand::Dedup(args) => dedup::run(&args),
        EvalCommand::Timex(args) => timex::run(&args),
        EvalCommand::Summarize(args) => summarize::run(&args),
        EvalCommand::Stories(args) => stories::run(&args),
    }
}
