//! Horizontal bar chart: a ranked list (top risks) or signed contributions (forecast drivers).
//!
//! Bars start at zero. With only non-negative values all bars are blue; with signed values,
//! positive bars are vermillion and negative ones blue, and every bar carries its value as text
//! with an explicit sign, so the sign never depends on colour alone. Bars may link somewhere
//! ([`Bar::href`]: a path, `#fragment` or http(s) URL, already percent-encoded by the caller).
//!
//! A height of `60 + 24 * bars` (plus 18 with a caption, 18 with a sign legend) fits well.
//!
//! Classes and data attributes (in addition to those in [`crate::chart`]):
//!
//! | selector | element |
//! | --- | --- |
//! | `g.bar[data-label][data-value]` | one bar, also `.pos`, `.neg` or `.zero`; its `<title>` is the tooltip |
//! | `g.bar > rect`, `text.bar-label`, `text.bar-value` | bar, category label, value label |
//! | `line.zero` | the zero line |

use std::fmt::Write as _;

use super::{
    Frame, LegendItem, Rect, Swatch, TITLE_H, bottom_space, caption, check_value, legend,
    legend_height, text_width, title, truncate, x_axis,
};
use crate::error::VizError;
use crate::palette::{GRID, INK, SERIES};
use crate::scale::{Scale, Ticks, ValueFormat};
use crate::xml::{data_num, esc, open_svg, px, text};

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// Hover text; `None` gives "label: value".
    pub tooltip: Option<String>,
    /// Link target (path, `#fragment` or http(s) URL).
    pub href: Option<String>,
}

impl Bar {
    pub fn new(label: &str, value: f64) -> Self {
        Bar {
            label: label.into(),
            value,
            tooltip: None,
            href: None,
        }
    }
}

/// Legend words for the two signs, e.g. ("Raises risk", "Lowers risk").
#[derive(Clone, Debug, PartialEq)]
pub struct SignLabels {
    pub positive: String,
    pub negative: String,
}

/// How a bar chart is labelled.
#[derive(Clone, Debug, PartialEq)]
pub struct BarSpec {
    pub frame: Frame,
    /// Value axis title with unit, e.g. "Probability of ≥ 25 deaths next month".
    pub value_label: String,
    pub value_format: ValueFormat,
    /// Shown as a legend when values have both signs.
    pub sign_labels: Option<SignLabels>,
}

const POS: crate::palette::Rgb = SERIES[1];
const NEG: crate::palette::Rgb = SERIES[0];

/// Draws a horizontal bar chart (at least 240 wide, 12 px per bar).
pub fn bar_chart(spec: &BarSpec, bars: &[Bar]) -> Result<String, VizError> {
    let f = &spec.frame;
    f.validate(240.0, 100.0)?;
    if bars.is_empty() {
        return Err(VizError::Empty("a bar chart needs at least one bar"));
    }
    for b in bars {
        check_value(&b.label, &"its value", b.value, false)?;
        if let Some(h) = &b.href {
            check_href(h)?;
        }
    }
    let (lo, hi) = bars.iter().fold((0.0f64, 0.0f64), |(a, b), bar| {
        (a.min(bar.value), b.max(bar.value))
    });
    let signed = lo < 0.0 && hi > 0.0;
    let colour = |v: f64| if v > 0.0 && signed { POS } else { NEG };

    let items = match (&spec.sign_labels, signed) {
        (Some(l), true) => vec![
            LegendItem {
                class: "pos".into(),
                label: l.positive.clone(),
                swatch: Swatch::Area(POS, 1.0),
            },
            LegendItem {
                class: "neg".into(),
                label: l.negative.clone(),
                swatch: Swatch::Area(NEG, 1.0),
            },
        ],
        _ => Vec::new(),
    };
    let legend_h = legend_height(&items, f.width - 16.0);
    let labels: Vec<String> = bars.iter().map(|b| truncate(&b.label, 32)).collect();
    let label_w = labels
        .iter()
        .map(|l| text_width(l, 12.0))
        .fold(0.0, f64::max)
        .min(f.width * 0.4);
    let plot = Rect {
        x0: 8.0 + label_w + 8.0,
        y0: TITLE_H + legend_h + 8.0,
        x1: f.width - 12.0,
        y1: f.height - bottom_space(f, &spec.value_label),
    };
    let band = plot.h() / bars.len() as f64;
    if band < 12.0 || plot.w() < 100.0 {
        let min_height = f.height - plot.h() + 12.0 * bars.len() as f64;
        return Err(VizError::BadSize {
            width: f.width,
            height: f.height,
            min_width: 240.0,
            min_height,
        });
    }
    let ticks = Ticks::new(Scale::Linear, lo, hi, ((plot.w() / 90.0) as usize).max(2));
    // Room for value labels outside the bar ends.
    let fmt = |v: f64| {
        if signed {
            spec.value_format.format_signed(v)
        } else {
            spec.value_format.format(v)
        }
    };
    let room = bars
        .iter()
        .map(|b| text_width(&fmt(b.value), 11.0))
        .fold(0.0, f64::max)
        + 8.0;
    let inner = Rect {
        x0: plot.x0 + if lo < 0.0 { room } else { 0.0 },
        x1: plot.x1 - if hi > 0.0 || !signed { room } else { 0.0 },
        ..plot
    };
    let x = |v: f64| inner.x0 + ticks.frac(v) * inner.w();

    let mut out = String::new();
    open_svg(
        &mut out,
        &f.id,
        "viz-bar",
        (f.width, f.height),
        (&f.title, &f.desc(describe(spec, bars, &fmt))),
        bars.iter().any(|b| b.href.is_some()),
    );
    title(&mut out, &f.title);
    out.push_str(&legend(&items, 8.0, TITLE_H, f.width - 16.0).0);
    for &v in &ticks.values {
        let _ = write!(
            out,
            r#"<line class="grid" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{GRID}"/>"#,
            px(plot.y0),
            px(plot.y1),
            x = px(x(v)),
        );
    }
    for (i, (b, label)) in bars.iter().zip(&labels).enumerate() {
        let cy = plot.y0 + band * (i as f64 + 0.5);
        let th = (band * 0.7).min(28.0);
        let (xa, xb) = (x(0.0).min(x(b.value)), x(0.0).max(x(b.value)));
        let class = if b.value > 0.0 {
            "pos"
        } else if b.value < 0.0 {
            "neg"
        } else {
            "zero"
        };
        let tip = b
            .tooltip
            .clone()
            .unwrap_or_else(|| format!("{}: {}", b.label, fmt(b.value)));
        if let Some(h) = &b.href {
            let _ = write!(out, r#"<a href="{}" aria-label="{}">"#, esc(h), esc(&tip));
        }
        let _ = write!(
            out,
            r#"<g class="bar {class}" data-label="{}" data-value="{}"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
            esc(&b.label),
            data_num(b.value),
            esc(&tip),
            px(xa),
            px(cy - th / 2.0),
            px(xb - xa),
            px(th),
            colour(b.value),
        );
        text(
            &mut out,
            plot.x0 - 8.0,
            cy + 4.0,
            &format!(r#"class="bar-label" text-anchor="end" fill="{INK}""#),
            label,
        );
        let (vx, anchor) = if b.value < 0.0 {
            (xa - 4.0, "end")
        } else {
            (xb + 4.0, "start")
        };
        text(
            &mut out,
            vx,
            cy + 4.0,
            &format!(r#"class="bar-value" text-anchor="{anchor}" font-size="11" fill="{INK}""#),
            &fmt(b.value),
        );
        out.push_str("</g>");
        if b.href.is_some() {
            out.push_str("</a>");
        }
    }
    let _ = write!(
        out,
        r#"<line class="zero" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{INK}"/>"#,
        px(plot.y0),
        px(plot.y1),
        x = px(x(0.0)),
    );
    let xt: Vec<(f64, String)> = ticks
        .values
        .iter()
        .map(|&v| (x(v), ticks.label(v)))
        .collect();
    x_axis(&mut out, plot, &xt, &spec.value_label);
    caption(&mut out, f);
    out.push_str("</svg>");
    Ok(out)
}

/// Accepts paths (`/…`), fragments (`#…`), queries (`?…`) and http(s) URLs; refuses other
/// schemes (`javascript:`, `data:`) so a link can never run code.
pub(crate) fn check_href(h: &str) -> Result<(), VizError> {
    let lower = h.trim_start().to_ascii_lowercase();
    let ok = (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('#')
        || lower.starts_with('?')
        || lower.starts_with("https://")
        || lower.starts_with("http://");
    if ok && !h.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(VizError::BadHref(h.to_string()))
    }
}

fn describe(spec: &BarSpec, bars: &[Bar], fmt: &dyn Fn(f64) -> String) -> String {
    let list: Vec<String> = bars
        .iter()
        .take(10)
        .map(|b| format!("{} {}", b.label, fmt(b.value)))
        .collect();
    let more = if bars.len() > 10 {
        format!(" and {} more", bars.len() - 10)
    } else {
        String::new()
    };
    format!("{}: {}{more}.", spec.value_label, list.join(", "))
}
