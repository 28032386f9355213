//! Fingerprinting and the index in one value, for a single thread.

use crate::config::DedupConfig;
use crate::fingerprint::Fingerprint;
use crate::fingerprinter::Fingerprinter;
use crate::index::Index;
use crate::verdict::Verdict;

/// A [`Fingerprinter`] and an [`Index`] together: `check(id, text)` for a program that reads
/// its documents on one thread. With worker threads, prepare on the workers with a shared
/// [`Fingerprinter`] and check in input order with one [`Index`].
#[derive(Debug)]
pub struct Deduplicator {
    fingerprinter: Fingerprinter,
    index: Index,
}

impl Deduplicator {
    /// An empty index with its fingerprinter.
    pub fn new(config: DedupConfig) -> Deduplicator {
        Deduplicator {
            fingerprinter: Fingerprinter::new(config.clone()),
            index: Index::new(config),
        }
    }

    /// The fingerprinter.
    pub fn fingerprinter(&self) -> &Fingerprinter {
        &self.fingerprinter
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Fingerprints and checks in one call.
    pub fn check(&mut self, id: &str, text: &str) -> Verdict {
        let prepared = self.fingerprinter.prepare(text);
        self.index.check(id, prepared)
    }

    /// Checks a fingerprint computed elsewhere (with the same configuration).
    pub fn check_fingerprint(&mut self, id: &str, fingerprint: Fingerprint) -> Verdict {
        let prepared = self.fingerprinter.prepare_fingerprint(fingerprint);
        self.index.check(id, prepared)
    }
}

/// Checks `(id, text)` pairs in order and returns their verdicts.
pub fn deduplicate<'a>(
    config: DedupConfig,
    docs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Vec<Verdict> {
    let mut dedup = Deduplicator::new(config);
    docs.into_iter()
        .map(|(id, text)| dedup.check(id, text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{verify, DuplicateStatus};

    #[test]
    fn corpus_articles_on_one_story_stay_apart() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        let texts: Vec<String> = paths
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        let ids: Vec<String> = (0..texts.len()).map(|i| i.to_string()).collect();
        let verdicts = deduplicate(
            DedupConfig::default(),
            ids.iter()
                .map(String::as_str)
                .zip(texts.iter().map(String::as_str)),
        );
        assert_eq!(verdicts.len(), 5);
        assert!(
            verdicts.iter().all(|v| v.status == DuplicateStatus::Unique),
            "{verdicts:?}"
        );
    }

    #[test]
    fn truncated_and_edited_copies_join_the_earliest() {
        let paragraphs: Vec<String> = (0..12)
            .map(|i| format!("Paragraph {i} reports that the minister met officials from district {i} about water, roads and the harvest season ahead of winter."))
            .collect();
        let full = paragraphs.join("\n\n");
        let truncated = paragraphs[..7].join("\n\n");
        let edited = format!(
            "ISLAMABAD (AP) \u{2014} {}\n\nCopyright 2024 The Associated Press.",
            full.replace("minister", "Minister")
        );
        let verdicts = deduplicate(
            DedupConfig::default(),
            [
                ("a", full.as_str()),
                ("b", truncated.as_str()),
                ("c", edited.as_str()),
            ],
        );
        assert_eq!(verdicts[1].status, DuplicateStatus::Near);
        assert_eq!(verdicts[1].cluster, "a");
        assert_eq!(verdicts[2].status, DuplicateStatus::Near);
        assert_eq!(verdicts[2].cluster, "a");
    }

    #[test]
    fn texts_without_words_repeat_only_the_same_characters() {
        let verdicts = deduplicate(
            DedupConfig::default(),
            [
                ("grin", "\u{1f600}"),
                ("party", "\u{1f389}"),
                ("marks", "\u{301}\u{301}"),
                ("bangs", "!!!"),
                ("grin again", " \u{1f600}\n"),
                ("empty", ""),
                ("empty again", ""),
            ],
        );
        let statuses: Vec<_> = verdicts.iter().map(|v| v.status).collect();
        use DuplicateStatus::{Exact, Unique};
        assert_eq!(
            statuses,
            [Unique, Unique, Unique, Unique, Exact, Unique, Exact]
        );
        assert_eq!(verdicts[4].duplicate_of.as_deref(), Some("grin"));
        assert_eq!(verdicts[6].duplicate_of.as_deref(), Some("empty"));
    }

    #[test]
    fn template_briefs_with_other_figures_are_not_merged() {
        for (a, b) in [
            ("Qtly div 25 cts vs 25 cts prior Pay May 15 Record April 20 Reuter", "Qtly div 25 cts vs 25 cts prior Pay May 4 Record April 20 Reuter"),
            ("Acme Finance Overseas Ltd is issuing a 50 mln Australian dlr eurobond due April 2, 1991 paying 15 pct and priced at 101-1/2 pct, lead manager Orion Royal Bank Ltd said. The non-callable bond is available in denominations of 1,000 dlrs and will be listed in Luxembourg.",
             "Bolt Credit Corp is issuing a 50 mln Australian dlr eurobond due April 3, 1991 paying 15-1/2 pct and priced at 101-3/8 pct, lead manager Orion Royal Bank Ltd said. The non-callable bond is available in denominations of 1,000 dlrs and will be listed in Luxembourg."),
        ] {
            let verdicts = deduplicate(DedupConfig::default(), [("a", a), ("b", b)]);
            assert_eq!(verdicts[1].status, DuplicateStatus::Unique, "{b}");
        }
    }

    #[test]
    fn template_reports_with_other_figures_are_not_merged() {
        let report = |a: u32, b: u32| {
            format!("Shr {a} cts vs {b} cts Net {} mln vs {} mln Revs {} mln vs {} mln Nine mths Shr {} dlrs vs {} dlrs", a * 3, b * 3, a * 11, b * 13, a + 7, b + 9)
        };
        let verdicts = deduplicate(
            DedupConfig::default(),
            [
                ("a", report(45, 58).as_str()),
                ("b", report(12, 31).as_str()),
            ],
        );
        assert_eq!(verdicts[1].status, DuplicateStatus::Unique);
    }

    #[test]
    fn exact_duplicates_are_not_filed_and_verify_agrees_with_the_index() {
        let paragraphs: Vec<String> = (0..10)
            .map(|i| format!("Section {i} says the river rose past the old bridge and the farms along the valley road were cut off for days."))
            .collect();
        let full = paragraphs.join(" ");
        let cut = paragraphs[..7].join(" ");
        let mut dedup = Deduplicator::new(DedupConfig::default());
        dedup.check("a", &full);
        let near = dedup.check("b", &cut);
        dedup.check("c", &full.to_uppercase());
        assert_eq!(near.status, DuplicateStatus::Near);
        assert_eq!((dedup.index().len(), dedup.index().filed()), (3, 2));
        // A cluster job scoring the pair with `verify` gets the index's own score.
        let fingerprint = |text: &str| dedup.fingerprinter().fingerprint(text);
        assert_eq!(
            verify(
                &fingerprint(&cut),
                &fingerprint(&full),
                dedup.fingerprinter().config()
            ),
            near.similarity
        );
    }
}
