//! The `docpipe` binary: parses arguments and wires the stage crates together.

mod eval;
mod offsets;

use clap::{Parser, Subcommand};

/// Turns raw dumps of news articles into clean, structured JSON Lines.
#[derive(Parser, Debug)]
#[command(name = "docpipe", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Measure one stage against gold data and write predictions in its scorer's format.
    #[command(subcommand)]
    Eval(eval::EvalCommand),
}

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eval(cmd) => eval::run(cmd),
    };
    if let Err(err) = result {
        eprintln!("docpipe: {err:#}");
        std::process::exit(1);
    }
}
