//! What a report counts: one pass over record summaries, rejects, dropped duplicates and
//! stories, keeping aggregates only, so the records of a multi-gigabyte run never sit in memory.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::bins::size_bins;
pub use crate::bins::{length_bin, length_bin_label, EXACT_CLUSTER_SIZES};
use crate::keywords::{LossyCounter, TOP_KEYWORDS};
use crate::stories::{Story, StoryRanking, StoryStats};
use crate::DedupStatus;

/// How many stories the report shows with their timelines.
pub const LARGEST_STORIES: usize = 10;

/// What a report needs of one record: the fields of the record schema it charts.
#[derive(Debug, Clone, Copy)]
pub struct RecordSummary<'a> {
    /// The record's `id`.
    pub id: &'a str,
    /// `lang`, `None` when the record has none (figures, too short, stage off).
    pub lang: Option<&'a str>,
    /// `published.date`, `None` when unknown.
    pub published: Option<NaiveDate>,
    /// `chars`: the length of `text` in characters.
    pub chars: u64,
    /// `words`: the length of `text` in words.
    pub words: u64,
    /// `dedup.status` and `dedup.cluster`; `None` when the dedup stage did not run.
    pub dedup: Option<(DedupStatus, &'a str)>,
    /// `keywords`, best first.
    pub keywords: &'a [String],
    /// Whether the record names a `story` (a stories stage ran and put it in one).
    pub in_story: bool,
}

/// The counts of the run's stats file (`NAME.stats.json`), when it is there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// Documents read.
    pub read: u64,
    /// Records written.
    pub written: u64,
    /// Documents rejected.
    pub rejected: u64,
    /// Documents found to repeat an earlier one.
    pub duplicates: u64,
    /// Duplicates left out of the records (`--drop-duplicates`).
    pub duplicates_dropped: u64,
}

/// Which calendar unit the publication dates are counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateUnit {
    /// One bar per day.
    Day,
    /// One bar per month.
    Month,
    /// One bar per year.
    Year,
}

/// At most this many bars per day or per month: a span of dates that needs more is counted by
/// the next larger unit, so bars stay wide enough to read (a quarter of days, ten years of
/// months).
pub const MAX_DATE_BARS: i64 = 120;

/// Feeds the report one value at a time; [`ReportBuilder::build`] gives the [`Report`].
#[derive(Debug, Default)]
pub struct ReportBuilder {
    counts: Option<RunCounts>,
    records: u64,
    languages: BTreeMap<String, u64>,
    no_language: u64,
    published: BTreeMap<NaiveDate, u64>,
    no_date: u64,
    chars: u64,
    words: u64,
    word_bins: Vec<u64>,
    dedup_seen: bool,
    statuses: BTreeMap<DedupStatus, u64>,
    /// Cluster id to the documents beyond its first (its other records and dropped
    /// duplicates): only clusters that have duplicates are here.
    cluster_members: HashMap<String, u64>,
    unique_records: u64,
    keywords: LossyCounter,
    in_story: u64,
    rejects: BTreeMap<String, (u64, String)>,
    dropped: u64,
    dropped_by_status: BTreeMap<DedupStatus, u64>,
    stories: Option<StoryRanking>,
    unreadable: BTreeMap<&'static str, u64>,
}

impl ReportBuilder {
    /// An empty report.
    pub fn new() -> ReportBuilder {
        ReportBuilder::default()
    }

    /// The run's own counts, from its stats file; without them the report counts what the
    /// records and side files hold.
    pub fn run_counts(&mut self, counts: RunCounts) -> &mut ReportBuilder {
        self.counts = Some(counts);
        self
    }

    /// One record of the records file.
    pub fn record(&mut self, record: &RecordSummary<'_>) -> &mut ReportBuilder {
        self.records += 1;
        match record.lang {
            Some(lang) => *self.languages.entry(lang.to_string()).or_default() += 1,
            None => self.no_language += 1,
        }
        match record.published {
            Some(date) => *self.published.entry(date).or_default() += 1,
            None => self.no_date += 1,
        }
        self.chars += record.chars;
        self.words += record.words;
        let bin = length_bin(record.words);
        if self.word_bins.len() <= bin {
            self.word_bins.resize(bin + 1, 0);
        }
        self.word_bins[bin] += 1;
        if let Some((status, cluster)) = record.dedup {
            self.dedup_seen = true;
            *self.statuses.entry(status).or_default() += 1;
            match status {
                DedupStatus::Unique => self.unique_records += 1,
                DedupStatus::Exact | DedupStatus::Near => self.add_member(cluster),
            }
        }
        // A phrase counts once per document: the chart is of documents that name it.
        for (index, keyword) in record.keywords.iter().enumerate() {
            if !record.keywords[..index].contains(keyword) {
                self.keywords.add(keyword);
            }
        }
        if record.in_story {
            self.in_story += 1;
        }
        self
    }

    /// One line of the rejects file: its stable `kind` and its `reason`, of which the first of
    /// each kind is kept as an example.
    pub fn reject(&mut self, kind: &str, reason: &str) -> &mut ReportBuilder {
        let entry = self
            .rejects
            .entry(kind.to_string())
            .or_insert_with(|| (0, reason.to_string()));
        entry.0 += 1;
        self
    }

    /// One line of the duplicates file (`--drop-duplicates`): a duplicate left out of the
    /// records, in the cluster whose earliest document is `cluster`.
    pub fn dropped_duplicate(&mut self, status: DedupStatus, cluster: &str) -> &mut ReportBuilder {
        self.dropped += 1;
        self.dedup_seen = true;
        *self.dropped_by_status.entry(status).or_default() += 1;
        self.add_member(cluster);
        self
    }

    /// One story of the stories file.
    pub fn story(&mut self, story: Story) -> &mut ReportBuilder {
        self.stories
            .get_or_insert_with(|| StoryRanking::new(LARGEST_STORIES))
            .add(story);
        self
    }

    /// Says that a stories file was read, even if it held no story.
    pub fn stories_present(&mut self) -> &mut ReportBuilder {
        self.stories
            .get_or_insert_with(|| StoryRanking::new(LARGEST_STORIES));
        self
    }

    /// A line of one of the files (`"records"`, `"rejects"`...) that could not be read: the
    /// report counts it and says so instead of stopping.
    pub fn unreadable_line(&mut self, file: &'static str) -> &mut ReportBuilder {
        *self.unreadable.entry(file).or_default() += 1;
        self
    }

    fn add_member(&mut self, cluster: &str) {
        match self.cluster_members.get_mut(cluster) {
            Some(count) => *count += 1,
            None => {
                self.cluster_members.insert(cluster.to_string(), 1);
            }
        }
    }

    /// The aggregates, ready to render.
    pub fn build(self) -> Report {
        let rejected: u64 = self.rejects.values().map(|(count, _)| count).sum();
        let found = RunCounts {
            read: self.records + self.dropped + rejected,
            written: self.records,
            rejected,
            duplicates: self
                .statuses
                .iter()
                .chain(&self.dropped_by_status)
                .filter(|(status, _)| **status != DedupStatus::Unique)
                .map(|(_, count)| count)
                .sum(),
            duplicates_dropped: self.dropped,
        };
        let clusters = self
            .dedup_seen
            .then(|| cluster_sizes(self.unique_records, self.cluster_members.values().copied()));
        let mut languages: Vec<(String, u64)> = self.languages.into_iter().collect();
        languages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut rejects: Vec<RejectKind> = self
            .rejects
            .into_iter()
            .map(|(kind, (count, example))| RejectKind {
                kind,
                count,
                example,
            })
            .collect();
        rejects.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.kind.cmp(&b.kind)));
        let mut statuses = self.statuses;
        for (status, count) in self.dropped_by_status {
            *statuses.entry(status).or_default() += count;
        }
        Report {
            counts: self.counts,
            found,
            languages,
            no_language: self.no_language,
            published: date_bars(&self.published),
            busiest: busiest_period(&self.published),
            no_date: self.no_date,
            chars: self.chars,
            words: self.words,
            // From the shortest record's bin: empty bins before it only push the others aside.
            lengths: self
                .word_bins
                .iter()
                .enumerate()
                .skip_while(|(_, &count)| count == 0)
                .map(|(bin, &count)| (length_bin_label(bin), count))
                .collect(),
            clusters,
            statuses,
            keywords: self.keywords.top(TOP_KEYWORDS),
            keywords_error: self.keywords.max_error(),
            rejects,
            in_story: self.in_story,
            stories: self.stories.map(StoryRanking::finish),
            unreadable: self.unreadable,
        }
    }
}

/// One reject kind: how many, and the reason of the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectKind {
    /// The stable `kind`.
    pub kind: String,
    /// Rejects of this kind.
    pub count: u64,
    /// The `reason` of the first reject of this kind.
    pub example: String,
}

/// Clusters by size: how many clusters have 2, 3, … documents, and how many documents have
/// no duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSizes {
    /// `(label, clusters)`: sizes 2 to [`EXACT_CLUSTER_SIZES`] one by one, then powers of two
    /// (`10–15`, `16–31`, …), without empty bins past the largest; empty without duplicates.
    pub bins: Vec<(String, u64)>,
    /// Documents that have no duplicate (clusters of one).
    pub singletons: u64,
    /// The largest cluster's documents.
    pub largest: u64,
    /// Clusters of two documents or more.
    pub with_duplicates: u64,
}

/// Publication dates counted by [`DateUnit`], every unit from the first date to the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateBars {
    /// The unit of a bar.
    pub unit: DateUnit,
    /// `(label, documents)`: `2024-03-18`, `2024-03` or `2024`.
    pub bars: Vec<(String, u64)>,
}

/// The aggregates of a run, as [`crate::render_html`] shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The stats file's counts, when it was given.
    pub counts: Option<RunCounts>,
    /// The same counts as found in the records and side files.
    pub found: RunCounts,
    /// `(code, records)`, most first.
    pub languages: Vec<(String, u64)>,
    /// Records with no language.
    pub no_language: u64,
    /// Publication dates; `None` when no record has one.
    pub published: Option<DateBars>,
    /// When the dates are counted by month or year: the busiest month or year again, by a
    /// finer unit (a run over a 1987 archive and this year's news shows two bars a year apart).
    pub busiest: Option<(String, DateBars)>,
    /// Records with no publication date.
    pub no_date: u64,
    /// Characters over all records.
    pub chars: u64,
    /// Words over all records.
    pub words: u64,
    /// Records by words, in powers of two from the shortest record's bin: `(label, records)`.
    pub lengths: Vec<(String, u64)>,
    /// Clusters by size; `None` when the dedup stage did not run.
    pub clusters: Option<ClusterSizes>,
    /// Records and dropped duplicates by `dedup.status`.
    pub statuses: BTreeMap<DedupStatus, u64>,
    /// The most frequent key phrases: `(phrase, records)`.
    pub keywords: Vec<(String, u64)>,
    /// How far a keyword count may be below the truth (0: exact); see [`LossyCounter`].
    pub keywords_error: u64,
    /// Rejects by kind, most first.
    pub rejects: Vec<RejectKind>,
    /// Records that name a story.
    pub in_story: u64,
    /// The stories file; `None` when there was none.
    pub stories: Option<StoryStats>,
    /// Lines that could not be read, by file.
    pub unreadable: BTreeMap<&'static str, u64>,
}

fn cluster_sizes(unique_records: u64, members: impl Iterator<Item = u64>) -> ClusterSizes {
    let mut heads = 0;
    let mut largest = 1;
    let mut sizes: BTreeMap<u64, u64> = BTreeMap::new();
    for extra in members {
        heads += 1;
        largest = largest.max(extra + 1);
        *sizes.entry(extra + 1).or_default() += 1;
    }
    // The earliest document of a cluster is a unique record; the others are its members.
    let singletons = unique_records.saturating_sub(heads);
    let mut bins = size_bins(sizes.into_iter());
    // Documents alone would dwarf every other bar; the page states their number instead.
    if !bins.is_empty() {
        bins.remove(0);
    }
    if heads == 0 {
        largest = u64::from(singletons > 0);
    }
    ClusterSizes {
        bins,
        singletons,
        largest,
        with_duplicates: heads,
    }
}

/// The busiest bar of [`date_bars`] (the first of equals) and its dates counted anew, when
/// the bars are coarser than days.
fn busiest_period(dates: &BTreeMap<NaiveDate, u64>) -> Option<(String, DateBars)> {
    let bars = date_bars(dates)?;
    if bars.unit == DateUnit::Day {
        return None;
    }
    let max = bars.bars.iter().map(|(_, count)| *count).max()?;
    let (label, _) = bars.bars.iter().find(|(_, count)| *count == max)?;
    let within: BTreeMap<NaiveDate, u64> = dates
        .iter()
        .filter(|(date, _)| {
            let key = match bars.unit {
                DateUnit::Month => date.format("%Y-%m").to_string(),
                _ => date.format("%Y").to_string(),
            };
            key == *label
        })
        .map(|(&date, &count)| (date, count))
        .collect();
    Some((label.clone(), date_bars(&within)?))
}

fn date_bars(dates: &BTreeMap<NaiveDate, u64>) -> Option<DateBars> {
    let (&first, _) = dates.iter().next()?;
    let (&last, _) = dates.iter().next_back()?;
    let months = |date: NaiveDate| i64::from(date.year()) * 12 + i64::from(date.month0());
    let unit = if (last - first).num_days() < MAX_DATE_BARS {
        DateUnit::Day
    } else if months(last) - months(first) < MAX_DATE_BARS {
        DateUnit::Month
    } else {
        DateUnit::Year
    };
    let key = |date: NaiveDate| match unit {
        DateUnit::Day => (last - first).num_days() - (last - date).num_days(),
        DateUnit::Month => months(date) - months(first),
        DateUnit::Year => i64::from(date.year() - first.year()),
    };
    let count = key(last) + 1;
    let mut bars: Vec<u64> = vec![0; usize::try_from(count).unwrap_or(0)];
    for (&date, &documents) in dates {
        if let Some(slot) = usize::try_from(key(date))
            .ok()
            .and_then(|index| bars.get_mut(index))
        {
            *slot += documents;
        }
    }
    let label = |index: usize| -> String {
        let offset = index as i64;
        match unit {
            DateUnit::Day => (first + chrono::Duration::days(offset))
                .format("%Y-%m-%d")
                .to_string(),
            DateUnit::Month => {
                let month = months(first) + offset;
                format!(
                    "{:04}-{:02}",
                    month.div_euclid(12),
                    month.rem_euclid(12) + 1
                )
            }
            DateUnit::Year => (i64::from(first.year()) + offset).to_string(),
        }
    };
    Some(DateBars {
        unit,
        bars: bars
            .into_iter()
            .enumerate()
            .map(|(index, documents)| (label(index), documents))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn lengths_fall_in_powers_of_two() {
        assert_eq!(length_bin(0), 0);
        assert_eq!(length_bin(1), 1);
        assert_eq!(length_bin(3), 2);
        assert_eq!(length_bin(4), 3);
        assert_eq!(length_bin(1023), 10);
        assert_eq!(length_bin(1024), 11);
        assert_eq!(length_bin_label(3), "4–7");
        assert_eq!(length_bin_label(11), "1024–2047");
    }

    #[test]
    fn the_date_unit_follows_the_span() {
        let days: BTreeMap<NaiveDate, u64> = [(date("2024-03-01"), 2), (date("2024-03-04"), 1)]
            .into_iter()
            .collect();
        let bars = date_bars(&days).unwrap();
        assert_eq!(bars.unit, DateUnit::Day);
        let labels: Vec<(&str, u64)> = bars.bars.iter().map(|(l, c)| (l.as_str(), *c)).collect();
        assert_eq!(
            labels,
            [
                ("2024-03-01", 2),
                ("2024-03-02", 0),
                ("2024-03-03", 0),
                ("2024-03-04", 1)
            ]
        );

        let months: BTreeMap<NaiveDate, u64> = [
            (date("2023-06-30"), 1),
            (date("2024-02-01"), 3),
            (date("2024-02-28"), 1),
        ]
        .into_iter()
        .collect();
        let bars = date_bars(&months).unwrap();
        assert_eq!(bars.unit, DateUnit::Month);
        assert_eq!(bars.bars.first(), Some(&("2023-06".to_string(), 1)));
        assert_eq!(bars.bars.last(), Some(&("2024-02".to_string(), 4)));
        assert_eq!(bars.bars.len(), 9);

        let years: BTreeMap<NaiveDate, u64> = [(date("1987-03-01"), 5), (date("2026-01-01"), 2)]
            .into_iter()
            .collect();
        let bars = date_bars(&years).unwrap();
        assert_eq!(bars.unit, DateUnit::Year);
        assert_eq!(bars.bars.len(), 40);
        assert_eq!(bars.bars[0], ("1987".to_string(), 5));
        assert_eq!(bars.bars[39], ("2026".to_string(), 2));
        assert!(date_bars(&BTreeMap::new()).is_none());

        // The busiest year, 1987, again by day (its dates span under four months).
        let (label, detail) = busiest_period(&years).unwrap();
        assert_eq!(label, "1987");
        assert_eq!(detail.unit, DateUnit::Day);
        assert_eq!(detail.bars, [("1987-03-01".to_string(), 5)]);
        assert!(busiest_period(&days).is_none());
        let (label, detail) = busiest_period(&months).unwrap();
        assert_eq!(label, "2024-02");
        assert_eq!(detail.bars.len(), 28);
    }

    #[test]
    fn cluster_sizes_count_records_and_dropped_duplicates() {
        let mut builder = ReportBuilder::new();
        let none: [String; 0] = [];
        let record = |id: &'static str, status, cluster: &'static str| RecordSummary {
            id,
            lang: Some("eng"),
            published: None,
            chars: 10,
            words: 2,
            dedup: Some((status, cluster)),
            keywords: &none,
            in_story: false,
        };
        for (id, status, cluster) in [
            ("a", DedupStatus::Unique, "a"),
            ("b", DedupStatus::Unique, "b"),
            ("c", DedupStatus::Near, "a"),
            ("d", DedupStatus::Unique, "d"),
        ] {
            builder.record(&record(id, status, cluster));
        }
        builder.dropped_duplicate(DedupStatus::Exact, "a");
        builder.dropped_duplicate(DedupStatus::Exact, "d");
        let report = builder.build();
        let clusters = report.clusters.unwrap();
        // a: a, c and a dropped one; d: d and a dropped one; b alone.
        assert_eq!(clusters.bins, [("2".to_string(), 1), ("3".to_string(), 1)]);
        assert_eq!(clusters.singletons, 1);
        assert_eq!(clusters.largest, 3);
        assert_eq!(clusters.with_duplicates, 2);
        assert_eq!(report.found.read, 6);
        assert_eq!(report.found.duplicates, 3);
        assert_eq!(report.statuses[&DedupStatus::Exact], 2);
    }

    #[test]
    fn large_clusters_are_binned_by_powers_of_two() {
        let bins = size_bins([(1, 1), (2, 2), (12, 1), (40, 1)].into_iter());
        let labels: Vec<&str> = bins.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            labels,
            ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10–15", "16–31", "32–63"]
        );
        assert_eq!(bins[1].1, 2);
        assert_eq!(bins[9].1, 1);
        assert_eq!(bins[10].1, 0);
        assert_eq!(bins[11].1, 1);
    }

    #[test]
    fn a_keyword_repeated_in_a_record_counts_once() {
        let keywords = ["Kabul".to_string(), "Kabul".to_string(), "Dar".to_string()];
        let mut builder = ReportBuilder::new();
        builder.record(&RecordSummary {
            id: "x",
            lang: None,
            published: Some(date("2024-01-01")),
            chars: 0,
            words: 0,
            dedup: None,
            keywords: &keywords,
            in_story: true,
        });
        let report = builder.build();
        assert_eq!(
            report.keywords,
            [("Dar".to_string(), 1), ("Kabul".to_string(), 1)]
        );
        assert_eq!(report.no_language, 1);
        assert_eq!(report.in_story, 1);
        assert!(report.clusters.is_none());
    }
}
