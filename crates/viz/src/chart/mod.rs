//! Charts: a forecast fan chart ([`fan`]), a multi-series line chart ([`line`](mod@line)) and a
//! horizontal bar chart ([`bar`]), sharing one layout: title, legend under it, plot with
//! labelled axes and grid, optional caption at the bottom.
//!
//! Every chart is an `<svg role="img">` with `aria-label`, `<title>` and `<desc>` (a generated
//! summary of what is shown unless [`Frame::description`] is given), a `viewBox` so it scales,
//! presentation attributes only (no `style`, so a strict Content-Security-Policy is fine), and
//! element ids prefixed with [`Frame::id`] so several charts can share one HTML page.
//!
//! Stable hooks for tests and CSS, common to all charts:
//!
//! | selector | element |
//! | --- | --- |
//! | `svg.viz#<id>` | the chart; `.viz-fan`, `.viz-line`, `.viz-bar` by kind |
//! | `.viz-title`, `.caption` | title and caption text |
//! | `g.legend > g.legend-item[data-item]` | one legend entry (`data-item` is its class) |
//! | `g.axis-x`, `g.axis-y`, `text.tick`, `line.grid`, `text.axis-label` | axes |
//!
//! Chart-specific classes are listed in each module's documentation.

pub mod bar;
pub mod fan;
pub mod line;

use std::fmt::{self, Write as _};
use std::str::FromStr;

use crate::error::VizError;
use crate::palette::{GRID, INK, Rgb};
use crate::scale::Ticks;
use crate::xml::{esc, px, text};

/// What every chart and map shares: element id prefix, title, size, texts.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Id of the `<svg>` and prefix of every id inside it (`[A-Za-z][A-Za-z0-9_-]*`).
    pub id: String,
    pub title: String,
    /// Read by screen readers (`<desc>`); `None` generates a summary of the data shown.
    pub description: Option<String>,
    /// Shown under the chart, e.g. "Reference forecast — not a decision".
    pub caption: Option<String>,
    pub width: f64,
    pub height: f64,
}

impl Frame {
    pub fn new(id: &str, title: &str, width: f64, height: f64) -> Self {
        Frame {
            id: id.into(),
            title: title.into(),
            description: None,
            caption: None,
            width,
            height,
        }
    }

    pub(crate) fn validate(&self, min_width: f64, min_height: f64) -> Result<(), VizError> {
        let mut chars = self.id.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !ok {
            return Err(VizError::BadId(self.id.clone()));
        }
        let fits = |v: f64, min: f64| v.is_finite() && (min..=10_000.0).contains(&v);
        if !(fits(self.width, min_width) && fits(self.height, min_height)) {
            return Err(VizError::BadSize {
                width: self.width,
                height: self.height,
                min_width,
                min_height,
            });
        }
        Ok(())
    }

    /// The description, or the generated one.
    pub(crate) fn desc(&self, generated: String) -> String {
        self.description.clone().unwrap_or(generated)
    }
}

/// A calendar month, written `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    /// `None` unless `year` is 1..=9999 and `month` 1..=12.
    pub fn new(year: i32, month: u8) -> Option<Self> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    /// Months since January of year 0 (for spacing).
    pub(crate) fn index(self) -> i64 {
        self.year as i64 * 12 + self.month as i64 - 1
    }

    pub(crate) fn from_index(i: i64) -> Self {
        YearMonth {
            year: i.div_euclid(12) as i32,
            month: (i.rem_euclid(12) + 1) as u8,
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = VizError;

    fn from_str(s: &str) -> Result<Self, VizError> {
        let bad = || VizError::Month(s.to_string());
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        YearMonth::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).ok_or_else(bad)
    }
}

/// A rectangle in SVG user units (y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn w(&self) -> f64 {
        self.x1 - self.x0
    }
    pub fn h(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// Approximate rendered width of `s` at `size` px in a sans-serif font.
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().count() as f64 * size * 0.58
}

/// Cuts `s` to at most `max` characters, ending with "…" when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// How a legend entry is drawn.
pub(crate) enum Swatch {
    /// A line sample: colour, width, dash pattern (`None` = solid).
    Line(Rgb, f64, Option<&'static str>),
    /// A filled box: colour, opacity.
    Area(Rgb, f64),
}

pub(crate) struct LegendItem {
    pub class: String,
    pub label: String,
    pub swatch: Swatch,
}

const LEGEND_ROW: f64 = 18.0;

/// Lays out legend entries in rows from `(x, y)` (top) within `max_w`; returns the markup and
/// the height used.
pub(crate) fn legend(items: &[LegendItem], x: f64, y: f64, max_w: f64) -> (String, f64) {
    if items.is_empty() {
        return (String::new(), 0.0);
    }
    let mut out = String::from(r#"<g class="legend">"#);
    let (mut cx, mut cy) = (x, y);
    for it in items {
        let w = 26.0 + text_width(&it.label, 12.0) + 16.0;
        if cx > x && cx + w > x + max_w {
            cx = x;
            cy += LEGEND_ROW;
        }
        let mid = cy + LEGEND_ROW / 2.0;
        let _ = write!(
            out,
            r#"<g class="legend-item" data-item="{}">"#,
            esc(&it.class)
        );
        match &it.swatch {
            Swatch::Line(c, width, dash) => {
                let dash = dash
                    .map(|d| format!(r#" stroke-dasharray="{d}""#))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    r#"<line x1="{}" y1="{m}" x2="{}" y2="{m}" stroke="{c}" stroke-width="{}"{dash}/>"#,
                    px(cx),
                    px(cx + 20.0),
                    px(*width),
                    m = px(mid),
                );
            }
            Swatch::Area(c, opacity) => {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="20" height="10" fill="{c}" fill-opacity="{opacity}"/>"#,
                    px(cx),
                    px(mid - 5.0),
                );
            }
        }
        text(
            &mut out,
            cx + 26.0,
            mid + 4.0,
            &format!(r#"fill="{INK}""#),
            &it.label,
        );
        out.push_str("</g>");
        cx += w;
    }
    out.push_str("</g>");
    (out, cy - y + LEGEND_ROW)
}

/// Height of the legend [`legend`] would draw.
pub(crate) fn legend_height(items: &[LegendItem], max_w: f64) -> f64 {
    legend(items, 0.0, 0.0, max_w).1
}

/// The title line.
pub(crate) fn title(out: &mut String, title: &str) {
    text(
        out,
        8.0,
        20.0,
        &format!(r#"class="viz-title" font-size="15" font-weight="600" fill="{INK}""#),
        title,
    );
}

/// The caption line at the bottom.
pub(crate) fn caption(out: &mut String, frame: &Frame) {
    if let Some(c) = &frame.caption {
        text(
            out,
            8.0,
            frame.height - 8.0,
            &format!(r#"class="caption" font-size="11" font-style="italic" fill="{INK}""#),
            c,
        );
    }
}

/// Space above the plot: title plus legend.
pub(crate) const TITLE_H: f64 = 30.0;

/// Vertical value axis on the left of `plot`, with horizontal grid lines and a rotated label.
pub(crate) fn y_axis(out: &mut String, ticks: &Ticks, plot: Rect, label: &str) {
    out.push_str(r#"<g class="axis axis-y">"#);
    for &v in &ticks.values {
        let y = plot.y1 - ticks.frac(v) * plot.h();
        let _ = write!(
            out,
            r#"<line class="grid" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}"/>"#,
            px(plot.x0),
            px(plot.x1),
            y = px(y),
        );
        text(
            out,
            plot.x0 - 6.0,
            y + 4.0,
            &format!(r#"class="tick" text-anchor="end" fill="{INK}""#),
            &ticks.label(v),
        );
    }
    let cy = (plot.y0 + plot.y1) / 2.0;
    let _ = write!(
        out,
        r#"<text class="axis-label" transform="translate(14 {}) rotate(-90)" text-anchor="middle" fill="{INK}">{}</text>"#,
        px(cy),
        esc(label),
    );
    out.push_str("</g>");
}

/// Left edge of the plot: room for the rotated axis label and the widest tick label.
pub(crate) fn plot_left(ticks: &Ticks) -> f64 {
    let widest = ticks
        .values
        .iter()
        .map(|&v| text_width(&ticks.label(v), 12.0))
        .fold(0.0, f64::max);
    24.0 + widest + 8.0
}

/// Horizontal axis line with tick marks and labels at the given positions.
pub(crate) fn x_axis(out: &mut String, plot: Rect, ticks: &[(f64, String)], label: &str) {
    out.push_str(r#"<g class="axis axis-x">"#);
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{INK}"/>"#,
        px(plot.x0),
        px(plot.x1),
        y = px(plot.y1),
    );
    for (x, t) in ticks {
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{INK}"/>"#,
            px(plot.y1),
            px(plot.y1 + 4.0),
            x = px(*x),
        );
        text(
            out,
            *x,
            plot.y1 + 16.0,
            &format!(r#"class="tick" text-anchor="middle" fill="{INK}""#),
            t,
        );
    }
    if !label.is_empty() {
        text(
            out,
            (plot.x0 + plot.x1) / 2.0,
            plot.y1 + 32.0,
            &format!(r#"class="axis-label" text-anchor="middle" fill="{INK}""#),
            label,
        );
    }
    out.push_str("</g>");
}

/// Height below the plot for the x axis (ticks and label) and the caption.
pub(crate) fn bottom_space(frame: &Frame, x_label: &str) -> f64 {
    let axis = if x_label.is_empty() { 24.0 } else { 40.0 };
    axis + if frame.caption.is_some() { 18.0 } else { 4.0 }
}

/// Month ticks between `first` and `last` (indices): a step from 1, 2, 3, 6, 12, 24, 60, 120
/// months giving at most `max` labels; yearly or coarser steps start in January.
pub(crate) fn month_ticks(first: i64, last: i64, max: usize) -> Vec<i64> {
    let span = (last - first).max(0);
    let step = [1i64, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200]
        .into_iter()
        .find(|s| span / s < max as i64)
        .unwrap_or(1200);
    let start = if step >= 12 {
        let jan = first.div_euclid(12) * 12;
        let mut s = if jan < first { jan + 12 } else { jan };
        while s.div_euclid(12) % (step / 12) != 0 {
            s += 12;
        }
        s
    } else {
        // Align to multiples of the step within the year (Jan, Apr, Jul, Oct for 3).
        let mut s = first;
        while s.rem_euclid(step) != 0 {
            s += 1;
        }
        s
    };
    (0..)
        .map(|k| start + k * step)
        .take_while(|&m| m <= last)
        .collect()
}

/// Largest magnitude a chart or map accepts: beyond it, layout arithmetic (spans, percentages)
/// could overflow, and no quantity this project shows comes near it.
pub const MAX_ABS: f64 = 1e15;

/// Checks that a value is finite, within [`MAX_ABS`] (and non-negative on a log1p axis).
pub(crate) fn check_value(
    series: &str,
    at: &dyn fmt::Display,
    v: f64,
    log1p: bool,
) -> Result<(), VizError> {
    if !v.is_finite() {
        return Err(VizError::NonFinite {
            series: series.into(),
            at: at.to_string(),
            value: v,
        });
    }
    if v.abs() > MAX_ABS {
        return Err(VizError::TooLarge {
            series: series.into(),
            at: at.to_string(),
            value: v,
        });
    }
    if log1p && v < 0.0 {
        return Err(VizError::Negative {
            series: series.into(),
            at: at.to_string(),
            value: v,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let m: YearMonth = "2024-03".parse().unwrap();
        assert_eq!(
            (m.year(), m.month(), m.to_string()),
            (2024, 3, "2024-03".to_string())
        );
        assert_eq!(YearMonth::from_index(m.index()), m);
        for bad in [
            "2024-13", "2024-00", "24-03", "2024-3", "2024/03", "", "abcd-ef", "+024-03",
        ] {
            assert_eq!(
                bad.parse::<YearMonth>(),
                Err(VizError::Month(bad.into())),
                "{bad}"
            );
        }
    }

    #[test]
    fn month_tick_steps() {
        let ym = |s: &str| s.parse::<YearMonth>().unwrap().index();
        let show = |v: Vec<i64>| {
            v.into_iter()
                .map(|i| YearMonth::from_index(i).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            show(month_ticks(ym("2024-01"), ym("2024-06"), 8)),
            [
                "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"
            ]
        );
        assert_eq!(
            show(month_ticks(ym("2022-02"), ym("2025-03"), 8)),
            [
                "2022-07", "2023-01", "2023-07", "2024-01", "2024-07", "2025-01"
            ]
        );
        assert_eq!(
            show(month_ticks(ym("2023-11"), ym("2024-12"), 8)),
            [
                "2023-11", "2024-01", "2024-03", "2024-05", "2024-07", "2024-09", "2024-11"
            ]
        );
        assert_eq!(
            show(month_ticks(ym("2023-11"), ym("2024-12"), 5)),
            ["2024-01", "2024-04", "2024-07", "2024-10"]
        );
        assert_eq!(
            show(month_ticks(ym("2010-05"), ym("2024-12"), 8)),
            [
                "2012-01", "2014-01", "2016-01", "2018-01", "2020-01", "2022-01", "2024-01"
            ]
        );
    }

    #[test]
    fn ids_and_sizes() {
        let ok = Frame::new("risk-map_1", "t", 400.0, 300.0);
        assert_eq!(ok.validate(200.0, 100.0), Ok(()));
        for id in ["", "1abc", "a b", "a\"b", "é"] {
            let f = Frame {
                id: id.into(),
                ..ok.clone()
            };
            assert_eq!(f.validate(200.0, 100.0), Err(VizError::BadId(id.into())));
        }
        let f = Frame {
            width: f64::NAN,
            ..ok
        };
        assert!(matches!(
            f.validate(200.0, 100.0),
            Err(VizError::BadSize { .. })
        ));
    }
}
