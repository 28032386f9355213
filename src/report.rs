//! `docpipe report`: reads a run's records and the side files beside them, streaming, and
//! writes the HTML page `docpipe-report` renders from them.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::NaiveDate;
use serde::de::IgnoredAny;
use serde::Deserialize;

use docpipe_ingest::FileId;
use docpipe_report::{
    render_html, DedupStatus, PageInfo, RecordSummary, ReportBuilder, RunCounts, Story,
    TimelineEntry,
};

use crate::sink::AtomicFile;
use crate::usage::UsageError;

/// Bytes read at a time from a records file.
const READ_BUFFER: usize = 1 << 16;
const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The records of a run (`NAME.jsonl`, or gzip- or zstd-compressed); its side files
    /// (`NAME.stats.json`, `NAME.rejects.jsonl`, `NAME.duplicates.jsonl`,
    /// `NAME.stories.jsonl`) are read from beside it when they are there.
    pub records: PathBuf,
    /// Where to write the page [default: NAME.report.html beside the records].
    #[arg(short, long, value_name = "REPORT.html")]
    pub output: Option<PathBuf>,
}

/// The files of one run, by what they are.
struct RunFiles {
    name: String,
    records: PathBuf,
    stats: PathBuf,
    rejects: PathBuf,
    duplicates: PathBuf,
    stories: PathBuf,
    report: PathBuf,
}

impl RunFiles {
    fn new(args: &ReportArgs) -> RunFiles {
        let file_name = args
            .records
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "records".to_string());
        let mut stem = file_name.as_str();
        for suffix in [".gz", ".zst", ".zstd"] {
            stem = stem.strip_suffix(suffix).unwrap_or(stem);
        }
        for suffix in [".jsonl", ".ndjson"] {
            stem = stem.strip_suffix(suffix).unwrap_or(stem);
        }
        let side = |suffix: &str| args.records.with_file_name(format!("{stem}{suffix}"));
        RunFiles {
            name: stem.to_string(),
            records: args.records.clone(),
            stats: side(".stats.json"),
            rejects: side(".rejects.jsonl"),
            duplicates: side(".duplicates.jsonl"),
            stories: side(".stories.jsonl"),
            report: args.output.clone().unwrap_or_else(|| side(".report.html")),
        }
    }

    fn inputs(&self) -> [(&'static str, &Path); 5] {
        [
            ("records", &self.records),
            ("stats", &self.stats),
            ("rejects", &self.rejects),
            ("duplicates", &self.duplicates),
            ("stories", &self.stories),
        ]
    }

    /// Refuses a report that would be written over one of the files it reads, by identity
    /// (a link or another spelling of the same file is caught too).
    fn check(&self) -> anyhow::Result<()> {
        if self.report.is_dir() {
            bail!(UsageError(format!(
                "the report {} is a directory; name a file with -o",
                self.report.display()
            )));
        }
        let Some(report) = FileId::of(&self.report) else {
            return Ok(());
        };
        for (what, path) in self.inputs() {
            if FileId::of(path) == Some(report) {
                bail!(UsageError(format!(
                    "the report {} is the {what} file {}: writing it would destroy it; name \
                     another output with -o",
                    self.report.display(),
                    path.display()
                )));
            }
        }
        Ok(())
    }
}

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let files = RunFiles::new(args);
    files.check()?;
    let mut builder = ReportBuilder::new();
    let mut page = PageInfo {
        name: files.name.clone(),
        ..PageInfo::default()
    };
    let mut seen = |what: &str, path: &Path, there: bool| {
        let entry = (what.to_string(), path.display().to_string());
        if there {
            page.read.push(entry);
        } else {
            page.missing.push(entry);
        }
    };

    let records = open_records(&files.records)?;
    let mut unreadable = each_line(records, &files.records, |line| record(&mut builder, line))?;
    seen("records", &files.records, true);

    match std::fs::read(&files.stats) {
        Ok(bytes) => match serde_json::from_slice::<StatsFile>(&bytes) {
            Ok(stats) => {
                builder.run_counts(RunCounts {
                    read: stats.read,
                    written: stats.written,
                    rejected: stats.rejected,
                    duplicates: stats.duplicates,
                    duplicates_dropped: stats.duplicates_dropped,
                });
                seen("stats", &files.stats, true);
            }
            Err(err) => {
                eprintln!(
                    "docpipe: warning: {} is not a stats file ({err}); left out",
                    files.stats.display()
                );
                builder.unreadable_line("stats");
                unreadable += 1;
            }
        },
        Err(err) if err.kind() == io::ErrorKind::NotFound => seen("stats", &files.stats, false),
        Err(err) => {
            return Err(err).with_context(|| format!("cannot read {}", files.stats.display()))
        }
    }

    let sides: [(&str, &Path, LineReader); 3] = [
        ("rejects", &files.rejects, reject),
        ("duplicates", &files.duplicates, duplicate),
        ("stories", &files.stories, story),
    ];
    for (what, path, read) in sides {
        match File::open(path) {
            Ok(file) => {
                if what == "stories" {
                    builder.stories_present();
                }
                let reader = BufReader::with_capacity(READ_BUFFER, file);
                unreadable += each_line(Box::new(reader), path, |line| read(&mut builder, line))?;
                seen(what, path, true);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => seen(what, path, false),
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    let html = render_html(&builder.build(), &page);
    let mut out = AtomicFile::create(&files.report)?;
    out.write_all(html.as_bytes())
        .with_context(|| format!("cannot write {}", files.report.display()))?;
    out.finish()?;
    if unreadable > 0 {
        eprintln!(
            "docpipe: warning: {unreadable} line(s) could not be read; the report says which file"
        );
    }
    eprintln!("docpipe: report written to {}", files.report.display());
    Ok(())
}

/// Reads one line of a side file into the builder; `Err` when it is not such a line.
type LineReader = fn(&mut ReportBuilder, &[u8]) -> Result<(), LineError>;

/// A line that is not what its file holds.
#[derive(Debug)]
struct LineError;

fn open_records(path: &Path) -> anyhow::Result<Box<dyn BufRead>> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut reader = BufReader::with_capacity(READ_BUFFER, file);
    let head = reader
        .fill_buf()
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(if head.starts_with(GZIP_MAGIC) {
        Box::new(BufReader::with_capacity(
            READ_BUFFER,
            flate2::bufread::MultiGzDecoder::new(reader),
        ))
    } else if head.starts_with(ZSTD_MAGIC) {
        let decoder = zstd::stream::read::Decoder::with_buffer(reader)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Box::new(BufReader::with_capacity(READ_BUFFER, decoder))
    } else {
        Box::new(reader)
    })
}

/// Calls `read` on each non-blank line; returns how many lines it refused. A line that does
/// not read is counted (and reported on the page) rather than ending the report; an I/O error
/// (a corrupt compressed stream) does end it.
fn each_line(
    mut reader: Box<dyn BufRead>,
    path: &Path,
    mut read: impl FnMut(&[u8]) -> Result<(), LineError>,
) -> anyhow::Result<u64> {
    let mut line = Vec::with_capacity(READ_BUFFER);
    let mut refused = 0;
    let mut number = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .with_context(|| format!("cannot read {} after line {number}", path.display()))?;
        if n == 0 {
            return Ok(refused);
        }
        number += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if read(&line).is_err() {
            refused += 1;
        }
    }
}

#[derive(Deserialize)]
struct StatsFile {
    read: u64,
    written: u64,
    rejected: u64,
    duplicates: u64,
    duplicates_dropped: u64,
}

#[derive(Deserialize)]
struct RecordLine<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(default, borrow)]
    lang: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    published: Option<Published<'a>>,
    #[serde(default)]
    chars: Option<u64>,
    #[serde(default)]
    words: Option<u64>,
    #[serde(default, borrow)]
    dedup: Option<Dedup<'a>>,
    #[serde(default)]
    keywords: Option<Vec<String>>,
    #[serde(default)]
    story: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct Published<'a> {
    #[serde(default, borrow)]
    date: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Dedup<'a> {
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(borrow)]
    cluster: Cow<'a, str>,
}

/// A publication date as records write it (`2024-03-18`, perhaps with a time after it).
fn parse_date(value: &str) -> Option<NaiveDate> {
    let day = value.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

fn record(builder: &mut ReportBuilder, line: &[u8]) -> Result<(), LineError> {
    let Ok(record) = serde_json::from_slice::<RecordLine<'_>>(line) else {
        builder.unreadable_line("records");
        return Err(LineError);
    };
    let dedup = match &record.dedup {
        Some(dedup) => match dedup.status.parse::<DedupStatus>() {
            Ok(status) => Some((status, dedup.cluster.as_ref())),
            Err(_) => {
                builder.unreadable_line("records");
                return Err(LineError);
            }
        },
        None => None,
    };
    let keywords = record.keywords.unwrap_or_default();
    builder.record(&RecordSummary {
        id: &record.id,
        lang: record.lang.as_deref(),
        published: record
            .published
            .as_ref()
            .and_then(|published| published.date.as_deref())
            .and_then(parse_date),
        chars: record.chars.unwrap_or(0),
        words: record.words.unwrap_or(0),
        dedup,
        keywords: &keywords,
        in_story: record.story.is_some(),
    });
    Ok(())
}

#[derive(Deserialize)]
struct RejectLine<'a> {
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    reason: Cow<'a, str>,
}

fn reject(builder: &mut ReportBuilder, line: &[u8]) -> Result<(), LineError> {
    let Ok(reject) = serde_json::from_slice::<RejectLine<'_>>(line) else {
        builder.unreadable_line("rejects");
        return Err(LineError);
    };
    builder.reject(&reject.kind, &reject.reason);
    Ok(())
}

fn duplicate(builder: &mut ReportBuilder, line: &[u8]) -> Result<(), LineError> {
    let parsed = serde_json::from_slice::<Dedup<'_>>(line)
        .ok()
        .and_then(|dup| Some((dup.status.parse::<DedupStatus>().ok()?, dup.cluster)));
    let Some((status, cluster)) = parsed else {
        builder.unreadable_line("duplicates");
        return Err(LineError);
    };
    builder.dropped_duplicate(status, &cluster);
    Ok(())
}

/// A story line as the stories stage writes it; ids may be strings or numbers.
#[derive(Deserialize)]
struct StoryLine {
    id: serde_json::Value,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    articles: Vec<serde_json::Value>,
    #[serde(default)]
    outlets: Vec<String>,
    #[serde(default)]
    first_published: Option<String>,
    #[serde(default)]
    last_published: Option<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    summary: Vec<SpanText>,
    #[serde(default)]
    timeline: Vec<TimelineLine>,
}

#[derive(Deserialize)]
struct SpanText {
    text: String,
}

#[derive(Deserialize)]
struct TimelineLine {
    date: String,
    article: serde_json::Value,
    text: String,
}

fn id_text(value: serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }
}

fn story(builder: &mut ReportBuilder, line: &[u8]) -> Result<(), LineError> {
    let Ok(story) = serde_json::from_slice::<StoryLine>(line) else {
        builder.unreadable_line("stories");
        return Err(LineError);
    };
    builder.story(Story {
        id: id_text(story.id),
        title: story.title.unwrap_or_default(),
        articles: story.articles.into_iter().map(id_text).collect(),
        outlets: story.outlets,
        first_published: story.first_published,
        last_published: story.last_published,
        keywords: story.keywords,
        summary: story.summary.into_iter().map(|span| span.text).collect(),
        timeline: story
            .timeline
            .into_iter()
            .map(|entry| TimelineEntry {
                date: entry.date,
                article: id_text(entry.article),
                text: entry.text,
            })
            .collect(),
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn side_files_sit_beside_the_records_whatever_their_compression() {
        for records in ["out/news.jsonl", "out/news.jsonl.gz", "out/news.jsonl.zst"] {
            let files = RunFiles::new(&ReportArgs {
                records: PathBuf::from(records),
                output: None,
            });
            assert_eq!(files.name, "news");
            assert_eq!(files.stats, Path::new("out/news.stats.json"));
            assert_eq!(files.stories, Path::new("out/news.stories.jsonl"));
            assert_eq!(files.report, Path::new("out/news.report.html"));
        }
    }

    #[test]
    fn dates_read_with_or_without_a_time() {
        assert_eq!(
            parse_date("2024-03-18"),
            NaiveDate::from_ymd_opt(2024, 3, 18)
        );
        assert_eq!(
            parse_date("2024-03-18T10:00:00Z"),
            NaiveDate::from_ymd_opt(2024, 3, 18)
        );
        assert_eq!(parse_date("2024-03"), None);
        assert_eq!(parse_date("2024-13-01"), None);
        assert_eq!(parse_date("ünïcödé-xyz"), None);
    }
}
