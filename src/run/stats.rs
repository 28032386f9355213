//! The figures of a run: the stats file, the summary line and `--stats`'s table.

use std::collections::BTreeMap;

use docpipe_pipeline::StageTiming;
use serde::Serialize;

use crate::counts::Counts;

/// The figures of one run, written to `<name>.stats.json`.
#[derive(Serialize, Default, Debug)]
pub struct RunStats {
    #[serde(flatten)]
    pub counts: Counts,
    /// Where summary term weights came from: `run` (the run's first documents), `file`
    /// (`--idf`) or `shipped`.
    pub idf: &'static str,
    /// The records' format: `jsonl` or `parquet`.
    pub format: &'static str,
    pub seconds: f64,
    /// The run was stopped by SIGINT or SIGTERM: outputs are left as `.partial` files and
    /// `--resume` goes on from the journal.
    pub interrupted: bool,
    /// Standard output was closed by its reader (`| head`): reading stopped there, the counts
    /// are of what was read, and the records after the close went nowhere.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub output_closed: bool,
    /// Input files this run found finished by an interrupted run and did not process again.
    pub resumed_inputs: usize,
    /// The `skipped_records_total` by kind (`request`, `warcinfo`, `not_html`, `http_status`...).
    pub skipped_records: BTreeMap<&'static str, u64>,
    /// Files in walked input folders that were not read: this run's own outputs and those of
    /// earlier docpipe runs. They hold no input documents, so they are not in the counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// Wall seconds per stage, summed over the threads that ran it.
    pub stage_seconds: BTreeMap<&'static str, f64>,
    /// CPU seconds per stage (each thread's own CPU clock), summed over threads.
    pub stage_cpu_seconds: BTreeMap<&'static str, f64>,
}

/// A walked file that was passed over, in the stats file.
#[derive(Serialize, Debug, Clone)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

impl RunStats {
    /// The figures of a run starting, before anything is read: summary terms weighed by the
    /// shipped table until the run chooses another.
    pub fn new(format: &'static str, resumed_inputs: usize, skipped: Vec<SkippedFile>) -> Self {
        RunStats {
            idf: "shipped",
            format,
            resumed_inputs,
            skipped,
            ..RunStats::default()
        }
    }

    /// Puts the time of each stage that ran, and of parsing, into the figures.
    pub fn add_timing(&mut self, stages: &[docpipe_pipeline::Stage], timing: &StageTiming) {
        // Parsing JSON and extracting HTML pages, on the workers: reading and decompressing,
        // on the reader thread, is not in it.
        let (wall, cpu) = timing.parse_seconds();
        self.stage_seconds.insert("parse", wall);
        self.stage_cpu_seconds.insert("parse", cpu);
        for stage in stages {
            let (wall, cpu) = timing.seconds(*stage);
            self.stage_seconds.insert(stage.name(), wall);
            self.stage_cpu_seconds.insert(stage.name(), cpu);
        }
    }
}

/// The one line printed at the end of a run.
pub fn summary_line(stats: &RunStats) -> String {
    let languages: Vec<String> = stats
        .counts
        .languages
        .iter()
        .map(|(lang, count)| format!("{lang}:{count}"))
        .collect();
    let megabytes = stats.counts.bytes as f64 / 1e6;
    format!(
        "docpipe: {}read {}, written {}, rejected {}{}, duplicates {} (dropped {}), languages [{}], {:.1} MB in {:.2} s ({:.1} MB/s)",
        if stats.interrupted { "interrupted, " } else { "" },
        stats.counts.read,
        stats.counts.written,
        stats.counts.rejected,
        match stats.counts.skipped_records_total {
            0 => String::new(),
            n => format!(", WARC records skipped {n}"),
        },
        stats.counts.duplicates,
        stats.counts.duplicates_dropped,
        languages.join(" "),
        megabytes,
        stats.seconds,
        megabytes / stats.seconds.max(1e-9),
    )
}

/// Per-stage figures for `--stats`: CPU seconds summed over threads, and MB/s per core.
pub fn stage_table(stats: &RunStats) -> String {
    let megabytes = stats.counts.bytes as f64 / 1e6;
    // Per core: over the stage's CPU time, which waiting for a busy machine does not inflate.
    let mut table = String::from("stage       cpu-s   wall-s    MB/s/core   docs/s/core\n");
    for (stage, wall) in &stats.stage_seconds {
        let cpu = stats.stage_cpu_seconds.get(stage).copied().unwrap_or(*wall);
        let per = cpu.max(1e-9);
        table.push_str(&format!(
            "{stage:<10} {cpu:>7.2} {wall:>8.2} {:>11.1} {:>13.0}\n",
            megabytes / per,
            stats.counts.read as f64 / per
        ));
    }
    if !stats.skipped_records.is_empty() {
        let kinds: Vec<String> = stats
            .skipped_records
            .iter()
            .map(|(kind, count)| format!("{kind} {count}"))
            .collect();
        table.push_str(&format!(
            "items {} = read {} (written, dropped as duplicates or rejected) + WARC records \
             skipped {} ({})\n",
            stats.counts.read + stats.counts.skipped_records_total,
            stats.counts.read,
            stats.counts.skipped_records_total,
            kinds.join(", ")
        ));
    }
    table.push_str(&format!(
        "end-to-end {:>7.2} s wall, {:.1} MB/s, {:.0} docs/s\n",
        stats.seconds,
        megabytes / stats.seconds.max(1e-9),
        stats.counts.read as f64 / stats.seconds.max(1e-9)
    ));
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats() -> RunStats {
        let mut stats = RunStats::new("jsonl", 0, Vec::new());
        stats.counts.read = 4;
        stats.counts.written = 3;
        stats.counts.rejected = 1;
        stats.counts.bytes = 2_000_000;
        stats.counts.languages.insert("eng".into(), 3);
        stats.seconds = 2.0;
        stats.stage_seconds.insert("normalize", 1.0);
        stats.stage_cpu_seconds.insert("normalize", 0.5);
        stats
    }

    #[test]
    fn the_summary_line_gives_the_counts_and_the_speed() {
        let line = summary_line(&stats());
        assert!(
            line.starts_with("docpipe: read 4, written 3, rejected 1,"),
            "{line}"
        );
        assert!(
            line.contains("languages [eng:3], 2.0 MB in 2.00 s (1.0 MB/s)"),
            "{line}"
        );
    }

    #[test]
    fn the_stage_table_divides_by_cpu_time_not_wall_time() {
        let table = stage_table(&stats());
        let row = table
            .lines()
            .find(|l| l.starts_with("normalize"))
            .unwrap_or_default();
        // 2 MB over 0.5 CPU-s: 4 MB/s per core, 8 documents/s per core.
        assert_eq!(
            row.split_whitespace().collect::<Vec<_>>(),
            ["normalize", "0.50", "1.00", "4.0", "8"]
        );
    }
}
