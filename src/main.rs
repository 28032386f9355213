//! The `docpipe` binary: parses arguments and wires the stage crates together. All I/O,
//! parallelism, the record schema and progress reporting live here; the stages live in `crates/`.

mod cli;
mod counts;
mod eval;
mod idf;
mod journal;
mod outputs;
#[cfg(feature = "parquet")]
mod parquet_out;
mod progress;
mod report;
mod run;
mod sink;
mod stories_cmd;
mod story_inputs;
mod story_output;
mod usage;
mod verify;

use clap::{Parser, Subcommand};

/// Every document allocates its strings, blocks and fingerprint on a worker and frees them
/// after writing; glibc's allocator spends a tenth of the light path on that, more with
/// threads (arena locks, consolidation), where mimalloc's thread-local heaps do not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns raw dumps of news articles into clean, structured JSON Lines: normalized text,
/// sentences, language, publication date and every date mentioned, duplicate status, summary
/// and keywords.
#[derive(Parser, Debug)]
#[command(name = "docpipe", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the pipeline over files, directories or standard input.
    Run(Box<cli::RunArgs>),
    /// Measure one stage against gold data and write predictions in its scorer's format.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
    /// Write the IDF table a run over the same inputs would weigh summaries by (for `run --idf`).
    Idf(idf::IdfArgs),
    /// Score candidate duplicate pairs of fingerprints (JSON Lines in and out), as `run` does.
    DedupVerify(verify::VerifyArgs),
    /// Write an HTML page with charts summarizing a run, from its records and side files.
    Report(report::ReportArgs),
    /// Put documents processed elsewhere in stories, in input order (for a cluster job).
    Stories(stories_cmd::StoriesArgs),
}

fn main() {
    let cli = Cli::parse();
    docpipe_pipeline::install_panic_hook();
    let result = match cli.command {
        Command::Run(args) => run::run(&args).map(|stats| {
            if args.stats {
                eprint!("{}", run::stage_table(&stats));
            }
            if !args.quiet || stats.interrupted {
                eprintln!("{}", run::summary_line(&stats));
            }
            if stats.interrupted {
                // 128 + SIGINT, as shells report an interrupted command.
                std::process::exit(130);
            }
        }),
        Command::Eval(cmd) => eval::run(cmd),
        Command::Idf(args) => idf::run(&args),
        Command::DedupVerify(args) => verify::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Stories(args) => stories_cmd::run(&args),
    };
    if let Err(err) = result {
        eprintln!("docpipe: error: {err:#}");
        std::process::exit(usage::exit_code(&err));
    }
}
