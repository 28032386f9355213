//! `docpipe eval timex`. The owner of this stage replaces this placeholder.

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn run(_args: &Args) -> anyhow::Result<()> {
    anyhow::bail!("docpipe eval timex is not built yet")
}
