//! Bar charts as inline SVG: every bar carries its label and count as `data-label` and
//! `data-value` (for programs and tests), a `<title>` (the browser's tooltip) and, where it
//! fits, its count as text; every chart has a title and both axes labelled.

use std::fmt::Write;

use crate::escape::{attr, text};

/// Average advance of a character of the charts' 12 px sans-serif labels, for sizing: a
/// little wide for Latin text, so an estimate errs towards room to spare.
const CHAR_WIDTH: f64 = 7.0;
/// Horizontal bars: the height of one row.
const ROW_HEIGHT: f64 = 22.0;
/// Room for the title above a chart.
const TITLE_HEIGHT: f64 = 30.0;
/// Room for tick labels and the axis title below a chart.
const AXIS_HEIGHT: f64 = 44.0;
/// Gridlines per axis at most, before rounding the step to 1, 2 or 5 times a power of ten.
const TICKS: u64 = 5;
/// The widest a column is drawn, in pixels.
const MAX_COLUMN_WIDTH: f64 = 72.0;
/// Average advance of a character of the 11 px counts written on columns.
const VALUE_CHAR_WIDTH: f64 = 6.4;

/// A chart's text: its title and the names of its axes.
pub struct Labels<'a> {
    /// The `data-chart` name tests and programs find it by.
    pub id: &'a str,
    /// Shown above the chart.
    pub title: &'a str,
    /// What the categories are (the bars' labels).
    pub categories: &'a str,
    /// What the counts count.
    pub values: &'a str,
}

/// Horizontal bars, one row per `(label, count)`, `width` pixels wide.
pub fn horizontal_bars(labels: &Labels<'_>, bars: &[(String, u64)], width: f64) -> String {
    let longest = bars
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let label_room = (longest as f64 * CHAR_WIDTH + 12.0).clamp(60.0, width * 0.42);
    let max_label_chars = ((label_room - 12.0) / CHAR_WIDTH) as usize;
    let max = bars.iter().map(|(_, count)| *count).max().unwrap_or(0);
    let value_room = digits(max) as f64 * CHAR_WIDTH + 16.0;
    let left = label_room;
    let plot = (width - left - value_room).max(40.0);
    let top = TITLE_HEIGHT + 18.0;
    let height = top + ROW_HEIGHT * bars.len() as f64 + AXIS_HEIGHT;
    let (step, axis_max) = nice_axis(max);
    let scale = |count: u64| count as f64 / axis_max as f64 * plot;

    let mut svg = open(labels, width, height);
    // The category axis is named above the labels, the value axis below its ticks.
    let _ = write!(
        svg,
        r#"<text class="axis-title" x="0" y="{y:.1}">{name}</text>"#,
        y = top - 6.0,
        name = text(labels.categories),
    );
    let bottom = top + ROW_HEIGHT * bars.len() as f64;
    for tick in (0..=axis_max).step_by(step as usize) {
        let x = left + scale(tick);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}"/><text class="tick" x="{x:.1}" y="{y:.1}" text-anchor="middle">{label}</text>"#,
            y = bottom + 15.0,
            label = group(tick),
        );
    }
    let _ = write!(
        svg,
        r#"<text class="axis-title" x="{x:.1}" y="{y:.1}" text-anchor="middle">{name}</text>"#,
        x = left + plot / 2.0,
        y = bottom + 34.0,
        name = text(labels.values),
    );
    for (row, (label, count)) in bars.iter().enumerate() {
        let y = top + ROW_HEIGHT * row as f64;
        let bar = scale(*count);
        let _ = write!(
            svg,
            r#"<g class="bar" data-label="{label_attr}" data-value="{count}"><title>{label_text}: {count}</title><text class="label" x="{lx:.1}" y="{ty:.1}" text-anchor="end">{short}</text><rect x="{left:.1}" y="{ry:.1}" width="{bar:.1}" height="{rh:.1}"/><text class="value" x="{vx:.1}" y="{ty:.1}">{shown}</text></g>"#,
            shown = group(*count),
            label_attr = attr(label),
            label_text = text(label),
            short = text(&shorten(label, max_label_chars)),
            lx = left - 8.0,
            ty = y + ROW_HEIGHT * 0.68,
            ry = y + 3.0,
            rh = ROW_HEIGHT - 6.0,
            vx = left + bar + 5.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Vertical columns in order (a histogram or a time line), `width` pixels wide. Counts are
/// written above the columns where they fit (see [`placed_values`]); the axis and the
/// tooltips tell the others.
pub fn columns(
    labels: &Labels<'_>,
    bars: &[(String, u64)],
    width: f64,
    plot_height: f64,
) -> String {
    let max = bars.iter().map(|(_, count)| *count).max().unwrap_or(0);
    let (step, axis_max) = nice_axis(max);
    let left = digits(axis_max) as f64 * CHAR_WIDTH + 40.0;
    let right = 12.0;
    // A few columns stay column-wide instead of filling the chart.
    let slot = ((width - left - right) / bars.len().max(1) as f64).min(MAX_COLUMN_WIDTH);
    let plot = slot * bars.len().max(1) as f64;
    let longest = bars
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let label_width = longest as f64 * CHAR_WIDTH + 8.0;
    // Every n-th column is labelled, n chosen so labels do not overlap when written across,
    // or, when even one per column needs turning, written at a slant.
    let slanted = label_width > slot && slot * 3.0 > CHAR_WIDTH * 2.0 && longest > 4;
    let every = if slanted {
        ((CHAR_WIDTH * 2.5) / slot).ceil().max(1.0) as usize
    } else {
        (label_width / slot).ceil().max(1.0) as usize
    };
    let label_depth = if slanted {
        longest as f64 * CHAR_WIDTH * 0.72 + 12.0
    } else {
        18.0
    };
    let top = TITLE_HEIGHT + 16.0;
    let bottom = top + plot_height;
    let height = bottom + label_depth + 30.0;
    let show_values = placed_values(bars, slot);
    let scale = |count: u64| count as f64 / axis_max as f64 * plot_height;

    let mut svg = open(labels, width, height);
    for tick in (0..=axis_max).step_by(step as usize) {
        let y = bottom - scale(tick);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{left:.1}" y1="{y:.1}" x2="{x2:.1}" y2="{y:.1}"/><text class="tick" x="{tx:.1}" y="{ty:.1}" text-anchor="end">{label}</text>"#,
            label = group(tick),
            x2 = left + plot,
            tx = left - 6.0,
            ty = y + 4.0,
        );
    }
    let _ = write!(
        svg,
        r#"<text class="axis-title" transform="translate(14 {y:.1}) rotate(-90)" text-anchor="middle">{name}</text><text class="axis-title" x="{x:.1}" y="{by:.1}" text-anchor="middle">{cat}</text>"#,
        y = top + plot_height / 2.0,
        name = text(labels.values),
        x = left + plot / 2.0,
        by = height - 8.0,
        cat = text(labels.categories),
    );
    for (index, (label, count)) in bars.iter().enumerate() {
        let x = left + slot * index as f64;
        let column = scale(*count);
        let gap = (slot * 0.15).min(4.0);
        let _ = write!(
            svg,
            r#"<g class="bar" data-label="{label_attr}" data-value="{count}"><title>{label_text}: {count}</title><rect x="{rx:.1}" y="{ry:.1}" width="{rw:.1}" height="{column:.1}"/>"#,
            label_attr = attr(label),
            label_text = text(label),
            rx = x + gap / 2.0,
            ry = bottom - column,
            rw = (slot - gap).max(0.5),
        );
        if show_values[index] {
            let _ = write!(
                svg,
                r#"<text class="value" x="{cx:.1}" y="{vy:.1}" text-anchor="middle">{shown}</text>"#,
                shown = group(*count),
                cx = x + slot / 2.0,
                vy = bottom - column - 4.0,
            );
        }
        if index % every == 0 {
            let cx = x + slot / 2.0;
            let ly = bottom + 14.0;
            if slanted {
                let _ = write!(
                    svg,
                    r#"<text class="label" transform="translate({cx:.1} {ly:.1}) rotate(-45)" text-anchor="end">{short}</text>"#,
                    short = text(label),
                );
            } else {
                let _ = write!(
                    svg,
                    r#"<text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="middle">{short}</text>"#,
                    short = text(label),
                );
            }
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// The opening of a chart: the element, its accessible name and its title.
fn open(labels: &Labels<'_>, width: f64, height: f64) -> String {
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="{id}" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-label="{title_attr}"><text class="title" x="0" y="20">{title}</text>"#,
        id = attr(labels.id),
        title_attr = attr(labels.title),
        title = text(labels.title),
    );
    svg
}

/// A step of 1, 2 or 5 times a power of ten giving at most [`TICKS`] steps to cover `max`,
/// and the axis end (a multiple of the step, at least `max`, at least 1).
pub fn nice_axis(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut magnitude = 1u64;
    loop {
        for factor in [1, 2, 5] {
            // Saturating: no count comes near u64::MAX, but a chart must not be what panics.
            let step = magnitude.saturating_mul(factor);
            if max.div_ceil(step) <= TICKS || step == u64::MAX {
                return (step, max.div_ceil(step).saturating_mul(step));
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// `25169` as `25,169`.
pub(crate) fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Characters in a count as the charts write it (with thousands separators).
fn digits(n: u64) -> usize {
    group(n).len()
}

/// Which columns get their count written above them when not all fit: the largest, then from
/// left to right each whose label neither overlaps one already placed nor sits under a taller
/// neighbour it would cross.
fn placed_values(bars: &[(String, u64)], slot: f64) -> Vec<bool> {
    let mut shown = vec![false; bars.len()];
    let mut taken: Vec<(f64, f64)> = Vec::new();
    let max = bars.iter().map(|(_, count)| *count).max().unwrap_or(0);
    let largest = bars.iter().position(|(_, count)| *count == max && max > 0);
    let order = largest.into_iter().chain(0..bars.len());
    for index in order {
        let count = bars[index].1;
        if count == 0 || shown[index] {
            continue;
        }
        let centre = slot * (index as f64 + 0.5);
        let half = digits(count) as f64 * VALUE_CHAR_WIDTH / 2.0 + 2.0;
        let (low, high) = (centre - half, centre + half);
        let free = taken.iter().all(|&(a, b)| high < a || low > b);
        let first = ((low / slot).floor().max(0.0)) as usize;
        let last = ((high / slot).floor() as usize).min(bars.len() - 1);
        let clear = (first..=last).all(|other| other == index || bars[other].1 <= count);
        if free && clear {
            shown[index] = true;
            taken.push((low, high));
        }
    }
    shown
}

/// `label` cut to `limit` characters with an ellipsis; the full label stays in the tooltip.
fn shorten(label: &str, limit: usize) -> String {
    if label.chars().count() <= limit {
        return label.to_string();
    }
    let mut short: String = label.chars().take(limit.saturating_sub(1)).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_axis(0), (1, 1));
        assert_eq!(nice_axis(5), (1, 5));
        assert_eq!(nice_axis(7), (2, 8));
        assert_eq!(nice_axis(23_667), (5000, 25_000));
        assert_eq!(nice_axis(100), (20, 100));
        let (step, end) = nice_axis(u64::MAX);
        assert!(step > 0 && end >= step);
    }

    #[test]
    fn long_labels_are_cut_but_kept_whole_in_the_data() {
        let labels = Labels {
            id: "t",
            title: "T",
            categories: "c",
            values: "v",
        };
        let long = "a".repeat(200);
        let svg = horizontal_bars(&labels, &[(long.clone(), 3)], 400.0);
        assert!(svg.contains(&format!("data-label=\"{long}\"")));
        assert!(svg.contains('…'));
    }

    #[test]
    fn counts_on_narrow_columns_do_not_collide() {
        let bars: Vec<(String, u64)> = [5000, 4000, 0, 0, 0, 300, 12_000, 20]
            .iter()
            .enumerate()
            .map(|(n, &count)| (n.to_string(), count))
            .collect();
        // 10 px per column: a 5-character count spans about three.
        let shown = placed_values(&bars, 10.0);
        assert_eq!(
            shown,
            [true, false, false, false, false, false, true, false]
        );
        // Wide columns: every non-zero count.
        let shown = placed_values(&bars, 60.0);
        assert_eq!(shown, [true, true, false, false, false, true, true, true]);
    }
}
