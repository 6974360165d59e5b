//! Line chart of several named series over a numeric x axis (usually years), with optional
//! shaded ranges: emissions history against a target path and a trend, temperature scenarios
//! with their likely range.
//!
//! Series take colours from the Okabe–Ito palette in order and, unless set, dash patterns in
//! order too (solid, dashed, dotted, …), so they stay apart without colour. A `None` value
//! leaves a gap in the line.
//!
//! Classes and data attributes (in addition to those in [`crate::chart`]):
//!
//! | selector | element |
//! | --- | --- |
//! | `g.series[data-series][data-hover]` | one series (its `<title>` summarises it); `data-hover` lists its points as `x-pixel,text` separated by `;` (the text as a point's tooltip) for a pointer readout |
//! | `g.series > path.line` | the line |
//! | `circle.pt[data-x][data-value]` | a point, when the series has [`Markers::Shown`] |
//! | `path.band[data-band]` | a shaded range |

use std::fmt::Write as _;

use super::{
    Frame, LegendItem, Rect, Swatch, TITLE_H, bottom_space, caption, check_value, legend,
    legend_height, plot_left, title, x_axis, y_axis,
};
use crate::error::VizError;
use crate::palette::{GRID, Rgb, SERIES};
use crate::scale::{Scale, Ticks, ValueFormat, fmt_number};
use crate::xml::{Close, PathData, data_num, esc, open_svg, px};

/// Line pattern of a series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStyle {
    Solid,
    Dashed,
    Dotted,
    DashDot,
}

impl LineStyle {
    fn dash(self) -> Option<&'static str> {
        match self {
            LineStyle::Solid => None,
            LineStyle::Dashed => Some("7 4"),
            LineStyle::Dotted => Some("2 3"),
            LineStyle::DashDot => Some("8 3 2 3"),
        }
    }

    const CYCLE: [LineStyle; 4] = [
        LineStyle::Solid,
        LineStyle::Dashed,
        LineStyle::Dotted,
        LineStyle::DashDot,
    ];
}

/// Whether each point gets a marker (with its own tooltip and data attributes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Markers {
    #[default]
    Hidden,
    Shown,
}

/// One named line.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// `(x, y)` in increasing x; `None` is a gap.
    pub points: Vec<(f64, Option<f64>)>,
    /// `None`: the next pattern in the cycle.
    pub style: Option<LineStyle>,
    pub markers: Markers,
}

impl Series {
    pub fn new(name: &str, points: Vec<(f64, Option<f64>)>) -> Self {
        Series {
            name: name.into(),
            points,
            style: None,
            markers: Markers::Hidden,
        }
    }
}

/// A shaded range, e.g. a likely (66 %) range of warming.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub name: String,
    /// `(x, low, high)` in increasing x.
    pub points: Vec<(f64, f64, f64)>,
    /// Index of the series whose colour it takes; `None` is grey.
    pub series: Option<usize>,
}

/// How a line chart is labelled and scaled.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSpec {
    pub frame: Frame,
    /// X axis title, e.g. "Year".
    pub x_label: String,
    /// Y axis title with unit, e.g. "CO₂ emissions (Gt CO₂ per year)".
    pub y_label: String,
    pub scale: Scale,
    /// How values appear in tooltips.
    pub value_format: ValueFormat,
    /// Whether the y axis must include 0 (honest for magnitudes like emissions).
    pub y_zero: YZero,
}

/// Whether the value axis is stretched to include zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum YZero {
    #[default]
    Include,
    /// Fit the data only (for anomalies, indices).
    Fit,
}

/// Draws a line chart (at least 240 x 160).
pub fn line_chart(spec: &LineSpec, series: &[Series], bands: &[Band]) -> Result<String, VizError> {
    let f = &spec.frame;
    f.validate(240.0, 160.0)?;
    let log = spec.scale == Scale::Log1p;
    validate(series, bands, log)?;
    let xs = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .chain(bands.iter().flat_map(|b| b.points.iter().map(|p| p.0)));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    if !x0.is_finite() {
        return Err(VizError::Empty("a line chart needs at least one point"));
    }
    let ys = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1))
        .chain(
            bands
                .iter()
                .flat_map(|b| b.points.iter().flat_map(|p| [p.1, p.2])),
        );
    let init = if spec.y_zero == YZero::Include {
        (0.0, 0.0)
    } else {
        (f64::INFINITY, f64::NEG_INFINITY)
    };
    let (mut y0, mut y1) = ys.fold(init, |(a, b), y| (a.min(y), b.max(y)));
    if !y0.is_finite() {
        (y0, y1) = (0.0, 0.0);
    }
    let ticks = Ticks::new(spec.scale, y0, y1, 5);
    let (xa, xb) = if x1 > x0 {
        (x0, x1)
    } else {
        (x0 - 1.0, x1 + 1.0)
    };

    let colour = |i: usize| SERIES[i % SERIES.len()];
    let style = |i: usize, s: &Series| {
        s.style
            .unwrap_or(LineStyle::CYCLE[i % LineStyle::CYCLE.len()])
    };
    let mut items: Vec<LegendItem> = series
        .iter()
        .enumerate()
        .map(|(i, s)| LegendItem {
            class: "series".into(),
            label: s.name.clone(),
            swatch: Swatch::Line(colour(i), 2.0, style(i, s).dash()),
        })
        .collect();
    let band_colour = |b: &Band| b.series.map(colour).unwrap_or(Rgb(0x88, 0x88, 0x88));
    items.extend(bands.iter().map(|b| LegendItem {
        class: "band".into(),
        label: b.name.clone(),
        swatch: Swatch::Area(band_colour(b), 0.25),
    }));

    let legend_h = legend_height(&items, f.width - 16.0);
    let plot = Rect {
        x0: plot_left(&ticks),
        y0: TITLE_H + legend_h + 14.0,
        x1: f.width - 16.0,
        y1: f.height - bottom_space(f, &spec.x_label),
    };
    if plot.h() < 40.0 || plot.w() < 60.0 {
        return Err(VizError::BadSize {
            width: f.width,
            height: f.height,
            min_width: 240.0,
            min_height: 160.0,
        });
    }
    let x = |v: f64| plot.x0 + (v - xa) / (xb - xa) * plot.w();
    let y = |v: f64| plot.y1 - ticks.frac(v) * plot.h();

    let mut out = String::new();
    open_svg(
        &mut out,
        &f.id,
        "viz-line",
        (f.width, f.height),
        (&f.title, &f.desc(describe(spec, series, bands))),
        false,
    );
    title(&mut out, &f.title);
    out.push_str(&legend(&items, 8.0, TITLE_H, f.width - 16.0).0);
    y_axis(&mut out, &ticks, plot, &spec.y_label);
    if y0 < 0.0 && spec.scale == Scale::Linear {
        let _ = write!(
            out,
            r#"<line class="zero" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRID}" stroke-width="2"/>"#,
            px(plot.x0),
            px(plot.x1),
            y = px(y(0.0))
        );
    }

    for b in bands {
        let mut ring: Vec<[f64; 2]> = b.points.iter().map(|p| [x(p.0), y(p.2)]).collect();
        ring.extend(b.points.iter().rev().map(|p| [x(p.0), y(p.1)]));
        if let Some(&first) = ring.first() {
            ring.push(first);
        }
        let mut d = PathData::new();
        d.polyline(&ring, Close::Yes);
        let _ = write!(
            out,
            r#"<path class="band" data-band="{}" d="{}" fill="{}" fill-opacity=".25" stroke="none"><title>{}</title></path>"#,
            esc(&b.name),
            d.finish(),
            band_colour(b),
            esc(&b.name),
        );
    }

    let fmt = |v: f64| spec.value_format.format(v);
    for (i, s) in series.iter().enumerate() {
        let mut d = PathData::new();
        for run in s.points.split(|p| p.1.is_none()) {
            let pts: Vec<[f64; 2]> = run
                .iter()
                .filter_map(|p| p.1.map(|v| [x(p.0), y(v)]))
                .collect();
            d.polyline(&pts, Close::No);
        }
        let dash = style(i, s)
            .dash()
            .map(|d| format!(r#" stroke-dasharray="{d}""#))
            .unwrap_or_default();
        let hover: Vec<String> = s
            .points
            .iter()
            .filter_map(|p| {
                p.1.map(|v| {
                    format!(
                        "{},{}",
                        px(x(p.0)),
                        format!("{}: {}", fmt_x(p.0), fmt(v)).replace(';', ",")
                    )
                })
            })
            .collect();
        let _ = write!(
            out,
            r#"<g class="series" data-series="{}" data-hover="{}"><title>{}</title>"#,
            esc(&s.name),
            esc(&hover.join(";")),
            esc(&summary(s, &fmt))
        );
        // A lone point between gaps draws no line; it still gets a marker below.
        let _ = write!(
            out,
            r#"<path class="line" d="{}" fill="none" stroke="{}" stroke-width="2"{dash}/>"#,
            d.finish(),
            colour(i)
        );
        let lone = |k: usize| {
            let gap = |j: Option<usize>| {
                j.and_then(|j| s.points.get(j))
                    .is_none_or(|p| p.1.is_none())
            };
            gap(k.checked_sub(1)) && gap(Some(k + 1))
        };
        for (k, p) in s.points.iter().enumerate() {
            let Some(v) = p.1 else { continue };
            if s.markers == Markers::Shown || lone(k) {
                let _ = write!(
                    out,
                    r#"<circle class="pt" cx="{}" cy="{}" r="2.5" fill="{}" data-x="{}" data-value="{}"><title>{}</title></circle>"#,
                    px(x(p.0)),
                    px(y(v)),
                    colour(i),
                    data_num(p.0),
                    data_num(v),
                    esc(&format!("{}, {}: {}", s.name, fmt_x(p.0), fmt(v))),
                );
            }
        }
        out.push_str("</g>");
    }

    let xt = Ticks::new(Scale::Linear, xa, xb, ((plot.w() / 80.0) as usize).max(2));
    let dec = crate::scale::decimals_for(xt.step);
    let labels: Vec<(f64, String)> = xt
        .values
        .iter()
        .filter(|&&v| v >= xa && v <= xb)
        .map(|&v| (x(v), format!("{v:.dec$}")))
        .collect();
    x_axis(&mut out, plot, &labels, &spec.x_label);
    caption(&mut out, f);
    out.push_str("</svg>");
    Ok(out)
}

/// X values are written plainly (years: "2030", not "2,030").
fn fmt_x(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        fmt_number(v, 2)
    }
}

fn summary(s: &Series, fmt: &dyn Fn(f64) -> String) -> String {
    let known: Vec<&(f64, Option<f64>)> = s.points.iter().filter(|p| p.1.is_some()).collect();
    match (known.first(), known.last()) {
        (Some(a), Some(b)) => format!(
            "{}: {} in {}, {} in {}",
            s.name,
            fmt(a.1.unwrap_or_default()),
            fmt_x(a.0),
            fmt(b.1.unwrap_or_default()),
            fmt_x(b.0)
        ),
        _ => format!("{}: no values", s.name),
    }
}

fn validate(series: &[Series], bands: &[Band], log: bool) -> Result<(), VizError> {
    for s in series {
        for (k, &(x, v)) in s.points.iter().enumerate() {
            let at = format!("x = {}", fmt_x(x));
            check_value(&s.name, &at, x, false)?;
            if let Some(v) = v {
                check_value(&s.name, &at, v, log)?;
            }
            if k > 0 && s.points[k - 1].0 >= x {
                return Err(VizError::Order {
                    series: s.name.clone(),
                    at,
                    prev: format!("x = {}", fmt_x(s.points[k - 1].0)),
                });
            }
        }
    }
    for b in bands {
        if let Some(i) = b.series.filter(|&i| i >= series.len()) {
            return Err(VizError::BandSeries {
                band: b.name.clone(),
                index: i,
                count: series.len(),
            });
        }
        for (k, &(x, lo, hi)) in b.points.iter().enumerate() {
            let at = format!("x = {}", fmt_x(x));
            for v in [x, lo, hi] {
                check_value(&b.name, &at, v, log && v != x)?;
            }
            if lo > hi {
                return Err(VizError::Range {
                    series: b.name.clone(),
                    at,
                    lo,
                    hi,
                });
            }
            if k > 0 && b.points[k - 1].0 >= x {
                return Err(VizError::Order {
                    series: b.name.clone(),
                    at,
                    prev: format!("x = {}", fmt_x(b.points[k - 1].0)),
                });
            }
        }
    }
    Ok(())
}

fn describe(spec: &LineSpec, series: &[Series], bands: &[Band]) -> String {
    let fmt = |v: f64| spec.value_format.format(v);
    let mut parts: Vec<String> = series.iter().map(|s| summary(s, &fmt)).collect();
    parts.extend(bands.iter().map(|b| format!("shaded: {}", b.name)));
    format!(
        "{} against {}. {}.",
        spec.y_label,
        spec.x_label,
        parts.join("; ")
    )
}
