//! The page: one HTML file with its style and charts inline, readable without a network or
//! JavaScript.

use std::fmt::Write;

use crate::aggregate::{DateUnit, Report, RunCounts};
use crate::escape::{attr, text};
use crate::svg::{columns, group, horizontal_bars, Labels};
use crate::{DedupStatus, Story};

/// Languages shown one by one; the rest are summed in one bar.
pub const TOP_LANGUAGES: usize = 12;
/// Timeline entries shown per story.
pub const TIMELINE_ENTRIES: usize = 12;
/// Summary sentences shown per story.
pub const SUMMARY_SENTENCES: usize = 3;

/// Width of a chart in one of the two columns of the page, in CSS pixels.
const HALF_WIDTH: f64 = 560.0;
/// Width of a chart across the page.
const FULL_WIDTH: f64 = 1150.0;
/// Height of the plot area of a column chart.
const COLUMN_HEIGHT: f64 = 220.0;

const STYLE: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1f2328;background:#f6f8fa;margin:0}
main{max-width:1180px;margin:0 auto;padding:16px 12px 40px}
h1{font-size:24px;margin:8px 0 2px}h2{font-size:18px;margin:0 0 8px}h3{font-size:15px;margin:0 0 4px}
.sub{color:#57606a;margin:0 0 14px}
.cols{display:flex;gap:14px;align-items:flex-start;margin-bottom:14px}.col{flex:1;min-width:0;display:flex;flex-direction:column;gap:14px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px;overflow:hidden}
.wide{margin-bottom:14px}
table{border-collapse:collapse;width:100%}td,th{padding:3px 8px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.warn{color:#9a6700;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:6px 10px;margin:0 0 10px}
.note{color:#57606a;font-size:13px;margin:6px 0 0}
svg.chart{max-width:100%;height:auto;display:block;font-size:12px}
svg .title{font-size:15px;font-weight:600;fill:#1f2328}
svg .axis-title{font-size:12px;fill:#57606a;font-style:italic}
svg .tick{fill:#57606a;font-size:11px}svg .label{fill:#1f2328}svg .value{fill:#1f2328;font-size:11px}
svg line.grid{stroke:#eaeef2}svg rect{fill:#2f81f7}svg .bar:hover rect{fill:#0550ae}
.kw{display:inline-block;background:#ddf4ff;border-radius:10px;padding:0 8px;margin:2px 3px 2px 0;font-size:12px}
.story{border-top:1px solid #d0d7de;padding-top:10px;margin-top:10px}
.story ol{margin:4px 0 6px 20px;padding:0}.timeline td:first-child{white-space:nowrap;color:#57606a}
";

/// What the page says about where its numbers come from.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// The run's name, shown in the heading.
    pub name: String,
    /// The files read, `(what, path)`.
    pub read: Vec<(String, String)>,
    /// The side files that were not there, `(what, path)`.
    pub missing: Vec<(String, String)>,
}

/// The report as one self-contained HTML page.
pub fn render_html(report: &Report, page: &PageInfo) -> String {
    let mut html = String::with_capacity(64 * 1024);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>docpipe report: {name}</title><style>{STYLE}</style></head><body><main>",
        name = text(&page.name),
    );
    let _ = write!(
        html,
        "<h1>docpipe run report: {name}</h1><p class=\"sub\">{records} records, {words} words, {chars} characters",
        name = text(&page.name),
        records = group(report.found.written),
        words = group(report.words),
        chars = group(report.chars),
    );
    if let Some(mean) = report.words.checked_div(report.found.written) {
        let _ = write!(html, " ({} words per record on average)", group(mean));
    }
    html.push_str(".</p>");
    warnings(&mut html, report);

    // Two columns of cards stacked on their own, so a short card leaves no hole beside a tall
    // one: the key phrases (the tallest) on the right, the rest on the left.
    html.push_str("<div class=\"cols\"><div class=\"col\">");
    counts_card(&mut html, report, page);
    duplicates_card(&mut html, report);
    languages_card(&mut html, report);
    rejects_card(&mut html, report);
    html.push_str("</div><div class=\"col\">");
    card(&mut html, |html| {
        let found = &report.found;
        let bars = vec![
            ("written".to_string(), found.written),
            ("duplicates dropped".to_string(), found.duplicates_dropped),
            ("rejected".to_string(), found.rejected),
        ];
        html.push_str(&horizontal_bars(
            &Labels {
                id: "outcome",
                title: "Where the documents went",
                categories: "outcome",
                values: "documents",
            },
            &bars,
            HALF_WIDTH,
        ));
    });
    keywords_card(&mut html, report);
    html.push_str("</div></div>");
    dates_card(&mut html, report);
    lengths_card(&mut html, report);
    stories_card(&mut html, report);
    html.push_str("</main></body></html>\n");
    html
}

fn card(html: &mut String, body: impl FnOnce(&mut String)) {
    html.push_str("<section class=\"card\">");
    body(html);
    html.push_str("</section>");
}

fn wide_card(html: &mut String, body: impl FnOnce(&mut String)) {
    html.push_str("<section class=\"card wide\">");
    body(html);
    html.push_str("</section>");
}

fn warnings(html: &mut String, report: &Report) {
    for (file, lines) in &report.unreadable {
        let _ = write!(
            html,
            "<p class=\"warn\" data-unreadable=\"{file}\" data-value=\"{lines}\">{lines} line(s) of the {file} file could not be read and are left out of the charts.</p>",
            file = attr(file),
            lines = lines,
        );
    }
    if let Some(counts) = report.counts {
        if counts != report.found {
            html.push_str("<p class=\"warn\">The stats file's counts differ from what the records and side files hold (see Counts): the files may come from different runs, or the run was interrupted.</p>");
        }
    }
}

/// A row of the counts table: its key, its name, and how to read it off the counts.
type CountRow = (&'static str, &'static str, fn(&RunCounts) -> u64);

fn counts_card(html: &mut String, report: &Report, page: &PageInfo) {
    card(html, |html| {
        html.push_str("<h2>Counts</h2><table data-table=\"counts\"><tr><th></th><th class=\"n\">stats file</th><th class=\"n\">found in the files</th></tr>");
        let found = report.found;
        let rows: [CountRow; 5] = [
            ("read", "documents read", |c| c.read),
            ("written", "records written", |c| c.written),
            ("rejected", "rejected", |c| c.rejected),
            ("duplicates", "duplicates found", |c| c.duplicates),
            ("duplicates_dropped", "duplicates dropped", |c| {
                c.duplicates_dropped
            }),
        ];
        for (key, name, get) in rows {
            let stated = report
                .counts
                .as_ref()
                .map_or_else(|| "–".to_string(), |counts| group(get(counts)));
            let _ = write!(
                html,
                "<tr data-count=\"{key}\" data-value=\"{value}\"><td>{name}</td><td class=\"n\">{stated}</td><td class=\"n\">{found}</td></tr>",
                value = get(&found),
                found = group(get(&found)),
            );
        }
        html.push_str("</table><p class=\"note\">Read: ");
        let files: Vec<String> = page
            .read
            .iter()
            .map(|(what, path)| format!("{} <code>{}</code>", text(what), text(path)))
            .collect();
        html.push_str(&files.join(", "));
        html.push('.');
        if !page.missing.is_empty() {
            html.push_str(" Not there: ");
            let files: Vec<String> = page
                .missing
                .iter()
                .map(|(what, path)| format!("{} <code>{}</code>", text(what), text(path)))
                .collect();
            html.push_str(&files.join(", "));
            html.push('.');
        }
        html.push_str(" Found = records + dropped duplicates + rejects.</p>");
    });
}

fn rejects_card(html: &mut String, report: &Report) {
    card(html, |html| {
        if report.rejects.is_empty() {
            let _ = write!(
                html,
                "<h2>Rejects</h2><p data-chart=\"rejects\" data-value=\"0\">No document was rejected.</p>"
            );
            return;
        }
        let bars: Vec<(String, u64)> = report
            .rejects
            .iter()
            .map(|reject| (reject.kind.clone(), reject.count))
            .collect();
        html.push_str(&horizontal_bars(
            &Labels {
                id: "rejects",
                title: "Rejects by kind",
                categories: "kind",
                values: "documents rejected",
            },
            &bars,
            HALF_WIDTH,
        ));
        html.push_str("<table class=\"examples\"><tr><th>kind</th><th>first reason</th></tr>");
        for reject in &report.rejects {
            let _ = write!(
                html,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                text(&reject.kind),
                text(&reject.example)
            );
        }
        html.push_str("</table>");
    });
}

fn duplicates_card(html: &mut String, report: &Report) {
    card(html, |html| {
        let Some(clusters) = &report.clusters else {
            html.push_str("<h2>Duplicates</h2><p>The records carry no <code>dedup</code> field: the dedup stage did not run.</p>");
            return;
        };
        let status = |status: DedupStatus| report.statuses.get(&status).copied().unwrap_or(0);
        if clusters.with_duplicates == 0 {
            let _ = write!(
                html,
                "<h2>Duplicates</h2><p data-chart=\"cluster-sizes\" data-value=\"0\">No duplicates were found: each of the {} documents is alone in its cluster.</p>",
                group(clusters.singletons)
            );
            return;
        }
        html.push_str(&columns(
            &Labels {
                id: "cluster-sizes",
                title: "Duplicate clusters by size",
                categories: "documents in the cluster",
                values: "clusters",
            },
            &clusters.bins,
            HALF_WIDTH,
            COLUMN_HEIGHT * 0.8,
        ));
        let _ = write!(
            html,
            "<p class=\"note\" data-singletons=\"{singletons}\" data-exact=\"{exact}\" data-near=\"{near}\">{with} clusters have duplicates (the largest has {largest} documents); {singletons_g} documents have none. Duplicates: {exact_g} exact, {near_g} near, counting the dropped ones.</p>",
            singletons = clusters.singletons,
            singletons_g = group(clusters.singletons),
            exact = status(DedupStatus::Exact),
            near = status(DedupStatus::Near),
            with = group(clusters.with_duplicates),
            largest = group(clusters.largest),
            exact_g = group(status(DedupStatus::Exact)),
            near_g = group(status(DedupStatus::Near)),
        );
    });
}

fn languages_card(html: &mut String, report: &Report) {
    card(html, |html| {
        let mut bars: Vec<(String, u64)> = report
            .languages
            .iter()
            .take(TOP_LANGUAGES)
            .cloned()
            .collect();
        let rest = &report.languages[bars.len()..];
        if !rest.is_empty() {
            bars.push((
                format!("{} other languages", rest.len()),
                rest.iter().map(|(_, count)| count).sum(),
            ));
        }
        if report.no_language > 0 {
            bars.push(("none".to_string(), report.no_language));
        }
        html.push_str(&horizontal_bars(
            &Labels {
                id: "languages",
                title: "Languages",
                categories: "ISO 639-3",
                values: "records",
            },
            &bars,
            HALF_WIDTH,
        ));
    });
}

fn keywords_card(html: &mut String, report: &Report) {
    card(html, |html| {
        if report.keywords.is_empty() {
            html.push_str("<h2>Key phrases</h2><p>No record has key phrases.</p>");
            return;
        }
        html.push_str(&horizontal_bars(
            &Labels {
                id: "keywords",
                title: "Most frequent key phrases",
                categories: "phrase",
                values: "records naming it",
            },
            &report.keywords,
            HALF_WIDTH,
        ));
        if report.keywords_error > 0 {
            let _ = write!(
                html,
                "<p class=\"note\">Counted in bounded memory: each count may be up to {} below the truth.</p>",
                group(report.keywords_error)
            );
        }
    });
}

fn dates_card(html: &mut String, report: &Report) {
    wide_card(html, |html| {
        let Some(dates) = &report.published else {
            html.push_str("<h2>Publication dates</h2><p data-chart=\"published\" data-value=\"0\">No record has a publication date.</p>");
            return;
        };
        let (title, unit) = match dates.unit {
            DateUnit::Day => ("Records by publication date, per day", "day"),
            DateUnit::Month => ("Records by publication date, per month", "month"),
            DateUnit::Year => ("Records by publication date, per year", "year"),
        };
        html.push_str(&columns(
            &Labels {
                id: "published",
                title,
                categories: unit,
                values: "records",
            },
            &dates.bars,
            FULL_WIDTH,
            COLUMN_HEIGHT,
        ));
        if let Some((period, detail)) = &report.busiest {
            let unit = match detail.unit {
                DateUnit::Day => "day",
                DateUnit::Month => "month",
                DateUnit::Year => "year",
            };
            let title = format!(
                "The busiest {}, {period}, per {unit}",
                match dates.unit {
                    DateUnit::Year => "year",
                    _ => "month",
                }
            );
            html.push_str(&columns(
                &Labels {
                    id: "published-busiest",
                    title: &title,
                    categories: unit,
                    values: "records",
                },
                &detail.bars,
                FULL_WIDTH,
                COLUMN_HEIGHT * 0.7,
            ));
        }
        let _ = write!(
            html,
            "<p class=\"note\" data-no-date=\"{}\">{} records have no publication date and are not in the chart.</p>",
            report.no_date,
            group(report.no_date)
        );
    });
}

fn lengths_card(html: &mut String, report: &Report) {
    wide_card(html, |html| {
        html.push_str(&columns(
            &Labels {
                id: "length",
                title: "Text length (log scale bins)",
                categories: "words in the text",
                values: "records",
            },
            &report.lengths,
            FULL_WIDTH,
            COLUMN_HEIGHT,
        ));
    });
}

fn stories_card(html: &mut String, report: &Report) {
    let Some(stories) = &report.stories else {
        return;
    };
    wide_card(html, |html| {
        let _ = write!(
            html,
            "<h2>Stories</h2><p class=\"sub\" data-stories=\"{}\" data-articles=\"{}\">{} stories over {} articles; {} records name a story.</p>",
            stories.stories,
            stories.articles,
            group(stories.stories),
            group(stories.articles),
            group(report.in_story),
        );
        if stories.stories == 0 {
            return;
        }
        html.push_str(&columns(
            &Labels {
                id: "story-sizes",
                title: "Stories by size",
                categories: "articles in the story",
                values: "stories",
            },
            &stories.sizes,
            FULL_WIDTH,
            COLUMN_HEIGHT * 0.7,
        ));
        let _ = write!(
            html,
            "<h2>The {} largest stories</h2>",
            stories.largest.len()
        );
        for story in &stories.largest {
            story_section(html, story);
        }
    });
}

fn story_section(html: &mut String, story: &Story) {
    let title = if story.title.is_empty() {
        "(untitled)"
    } else {
        &story.title
    };
    let span = match (&story.first_published, &story.last_published) {
        (Some(first), Some(last)) if first != last => format!("{} to {}", text(first), text(last)),
        (Some(date), _) | (None, Some(date)) => text(date).into_owned(),
        (None, None) => "dates unknown".to_string(),
    };
    let _ = write!(
        html,
        "<div class=\"story\" data-story=\"{id}\" data-articles=\"{n}\"><h3>{title}</h3><p class=\"note\">{n} articles, {span}; outlets: {outlets}; story <code>{id_text}</code></p>",
        id = attr(&story.id),
        n = story.articles.len(),
        title = text(title),
        outlets = if story.outlets.is_empty() {
            "unknown".to_string()
        } else {
            text(&story.outlets.join(", ")).into_owned()
        },
        id_text = text(&story.id),
    );
    if !story.keywords.is_empty() {
        html.push_str("<p>");
        for keyword in &story.keywords {
            let _ = write!(html, "<span class=\"kw\">{}</span>", text(keyword));
        }
        html.push_str("</p>");
    }
    if !story.summary.is_empty() {
        html.push_str("<ol class=\"summary\">");
        for sentence in story.summary.iter().take(SUMMARY_SENTENCES) {
            let _ = write!(html, "<li>{}</li>", text(sentence));
        }
        html.push_str("</ol>");
    }
    if !story.timeline.is_empty() {
        html.push_str("<table class=\"timeline\"><tr><th>date</th><th>what happened</th><th>article</th></tr>");
        for entry in story.timeline.iter().take(TIMELINE_ENTRIES) {
            let _ = write!(
                html,
                "<tr data-date=\"{date_attr}\"><td>{date}</td><td>{sentence}</td><td><code>{article}</code></td></tr>",
                date_attr = attr(&entry.date),
                date = text(&entry.date),
                sentence = text(&entry.text),
                article = text(&entry.article),
            );
        }
        html.push_str("</table>");
        if story.timeline.len() > TIMELINE_ENTRIES {
            let _ = write!(
                html,
                "<p class=\"note\">and {} more dated sentences.</p>",
                story.timeline.len() - TIMELINE_ENTRIES
            );
        }
    }
    html.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(25_169), "25,169");
        assert_eq!(group(1_000_000), "1,000,000");
    }
}
