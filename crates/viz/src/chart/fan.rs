//! Fan chart of a monthly forecast: the observed history as a solid line, the forecast median
//! as a dashed line, its 50 % and 90 % intervals as shaded bands, and a vertical "as of" marker
//! at the last month the forecast could see.
//!
//! Classes and data attributes (in addition to those in [`crate::chart`]):
//!
//! | selector | element |
//! | --- | --- |
//! | `path.band-90`, `path.band-50` | shaded intervals |
//! | `path.obs`, `path.fan-median` | observed line, forecast median line |
//! | `circle.obs-pt[data-month][data-value]` | one observed month, with a `<title>` |
//! | `circle.fan-pt[data-month][data-value][data-q05][data-q25][data-q75][data-q95]` | one forecast month (`data-value` = median) |
//! | `g.as-of[data-month]` | the as-of marker (line and label) |
//!
//! The intervals are central: the 90 % band runs from the 5th to the 95th percentile, the 50 %
//! band from the 25th to the 75th. The y axis starts at 0 (or below, for negative data).

use std::fmt::Write as _;

use super::{
    Frame, LegendItem, Rect, Swatch, TITLE_H, YearMonth, bottom_space, caption, check_value,
    legend, legend_height, month_ticks, plot_left, title, x_axis, y_axis,
};
use crate::error::VizError;
use crate::palette::{INK, SERIES};
use crate::scale::{Scale, Ticks, ValueFormat};
use crate::xml::{Close, PathData, data_num, esc, open_svg, px, text};

/// How a fan chart is labelled and scaled.
#[derive(Clone, Debug, PartialEq)]
pub struct FanSpec {
    pub frame: Frame,
    /// The y axis title, with its unit, e.g. "State-based fatalities per month".
    pub y_label: String,
    pub scale: Scale,
    /// How values appear in tooltips.
    pub value_format: ValueFormat,
}

/// One forecast month: median and the central 50 % and 90 % intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FanStep {
    pub month: YearMonth,
    pub median: f64,
    /// 25th and 75th percentiles.
    pub q50: (f64, f64),
    /// 5th and 95th percentiles.
    pub q90: (f64, f64),
}

/// What a fan chart shows. Months must increase strictly within each list.
#[derive(Clone, Debug, PartialEq)]
pub struct FanData {
    pub observed: Vec<(YearMonth, f64)>,
    pub forecast: Vec<FanStep>,
    /// What happened in forecast months, known after the forecast was made: drawn over the
    /// fan (a dotted line with open circles) so a reader sees the forecast against the outcome.
    pub outcome: Vec<(YearMonth, f64)>,
    /// The last month of data the forecast used.
    pub as_of: YearMonth,
}

const BLUE: crate::palette::Rgb = SERIES[0];
const OUTCOME: crate::palette::Rgb = SERIES[1];

/// Draws a fan chart (at least 240 x 160).
pub fn fan_chart(spec: &FanSpec, data: &FanData) -> Result<String, VizError> {
    let f = &spec.frame;
    f.validate(240.0, 160.0)?;
    validate(spec, data)?;

    // Domains.
    let months: Vec<i64> = data
        .observed
        .iter()
        .map(|o| o.0.index())
        .chain(data.forecast.iter().map(|s| s.month.index()))
        .chain(data.outcome.iter().map(|o| o.0.index()))
        .chain([data.as_of.index()])
        .collect();
    let (mut m0, mut m1) = (
        *months.iter().min().expect("as_of"),
        *months.iter().max().expect("as_of"),
    );
    if m0 == m1 {
        m0 -= 1;
        m1 += 1;
    }
    let values = data
        .observed
        .iter()
        .map(|o| o.1)
        .chain(data.forecast.iter().flat_map(|s| [s.q90.0, s.q90.1]))
        .chain(data.outcome.iter().map(|o| o.1));
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let ticks = Ticks::new(spec.scale, lo, hi, 5);

    // Layout.
    let mut items = Vec::new();
    if !data.observed.is_empty() {
        items.push(LegendItem {
            class: "obs".into(),
            label: "Observed".into(),
            swatch: Swatch::Line(INK, 2.0, None),
        });
    }
    if !data.forecast.is_empty() {
        items.push(LegendItem {
            class: "fan-median".into(),
            label: "Forecast median".into(),
            swatch: Swatch::Line(BLUE, 2.0, Some("6 3")),
        });
        items.push(LegendItem {
            class: "band-50".into(),
            label: "50% interval (1 in 2 outcomes)".into(),
            swatch: Swatch::Area(BLUE, 0.35),
        });
        items.push(LegendItem {
            class: "band-90".into(),
            label: "90% interval (9 in 10 outcomes)".into(),
            swatch: Swatch::Area(BLUE, 0.15),
        });
    }
    if !data.outcome.is_empty() {
        items.push(LegendItem {
            class: "outcome".into(),
            label: "What happened (known after the forecast)".into(),
            swatch: Swatch::Line(OUTCOME, 2.0, Some("1 3")),
        });
    }
    let legend_h = legend_height(&items, f.width - 16.0);
    let plot = Rect {
        x0: plot_left(&ticks),
        y0: TITLE_H + legend_h + 14.0,
        x1: f.width - 16.0,
        y1: f.height - bottom_space(f, ""),
    };
    if plot.h() < 40.0 || plot.w() < 60.0 {
        return Err(VizError::BadSize {
            width: f.width,
            height: f.height,
            min_width: 240.0,
            min_height: 160.0,
        });
    }
    let x = |m: YearMonth| plot.x0 + (m.index() - m0) as f64 / (m1 - m0) as f64 * plot.w();
    let y = |v: f64| plot.y1 - ticks.frac(v) * plot.h();

    let mut out = String::new();
    open_svg(
        &mut out,
        &f.id,
        "viz-fan",
        (f.width, f.height),
        (&f.title, &f.desc(describe(spec, data))),
        false,
    );
    title(&mut out, &f.title);
    out.push_str(&legend(&items, 8.0, TITLE_H, f.width - 16.0).0);
    y_axis(&mut out, &ticks, plot, &spec.y_label);

    // Bands, widest first.
    for (class, opacity, band) in [
        (
            "band-90",
            0.15,
            (|s: &FanStep| s.q90) as fn(&FanStep) -> (f64, f64),
        ),
        ("band-50", 0.35, |s: &FanStep| s.q50),
    ] {
        if data.forecast.is_empty() {
            break;
        }
        let mut ring: Vec<[f64; 2]> = Vec::with_capacity(2 * data.forecast.len() + 4);
        // A single month is drawn 6 px wide so it stays visible.
        let pad = if data.forecast.len() == 1 { 3.0 } else { 0.0 };
        let last = data.forecast.len() - 1;
        for (i, s) in data.forecast.iter().enumerate() {
            let xs = x(s.month);
            if i == 0 {
                ring.push([xs - pad, y(band(s).1)]);
            }
            ring.push([xs + if i == last { pad } else { 0.0 }, y(band(s).1)]);
        }
        for (i, s) in data.forecast.iter().enumerate().rev() {
            let xs = x(s.month);
            ring.push([xs + if i == last { pad } else { 0.0 }, y(band(s).0)]);
            if i == 0 {
                ring.push([xs - pad, y(band(s).0)]);
            }
        }
        ring.push(ring[0]);
        let mut d = PathData::new();
        d.polyline(&ring, Close::Yes);
        let _ = write!(
            out,
            r#"<path class="{class}" d="{}" fill="{BLUE}" fill-opacity="{opacity}" stroke="none"/>"#,
            d.finish()
        );
    }

    // Lines.
    let obs: Vec<[f64; 2]> = data.observed.iter().map(|&(m, v)| [x(m), y(v)]).collect();
    line(
        &mut out,
        "obs",
        &obs,
        &format!(r#"stroke="{INK}" stroke-width="2""#),
    );
    let med: Vec<[f64; 2]> = data
        .forecast
        .iter()
        .map(|s| [x(s.month), y(s.median)])
        .collect();
    line(
        &mut out,
        "fan-median",
        &med,
        &format!(r#"stroke="{BLUE}" stroke-width="2" stroke-dasharray="6 3""#),
    );

    // As-of marker.
    let xa = x(data.as_of);
    let _ = write!(
        out,
        r#"<g class="as-of" data-month="{m}"><line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{INK}" stroke-dasharray="2 3"/>"#,
        px(plot.y0),
        px(plot.y1),
        m = data.as_of,
        x = px(xa),
    );
    let anchor = if xa > plot.x0 + plot.w() * 0.6 {
        "end"
    } else {
        "start"
    };
    let dx = if anchor == "end" { -4.0 } else { 4.0 };
    text(
        &mut out,
        xa + dx,
        plot.y0 + 10.0,
        &format!(r#"text-anchor="{anchor}" font-size="11" fill="{INK}""#),
        &format!("as of {}", data.as_of),
    );
    out.push_str("</g>");

    // Points with tooltips.
    let fmt = |v: f64| spec.value_format.format(v);
    out.push_str(r#"<g class="obs-points">"#);
    for &(m, v) in &data.observed {
        let _ = write!(
            out,
            r#"<circle class="obs-pt" cx="{}" cy="{}" r="2.5" fill="{INK}" data-month="{m}" data-value="{}"><title>{}</title></circle>"#,
            px(x(m)),
            px(y(v)),
            data_num(v),
            esc(&format!("{m}: {} observed", fmt(v))),
        );
    }
    out.push_str(r#"</g><g class="fan-points">"#);
    for s in &data.forecast {
        let tip = format!(
            "{}: forecast median {}; 50% interval {}–{}; 90% interval {}–{}",
            s.month,
            fmt(s.median),
            fmt(s.q50.0),
            fmt(s.q50.1),
            fmt(s.q90.0),
            fmt(s.q90.1)
        );
        let _ = write!(
            out,
            r#"<circle class="fan-pt" cx="{}" cy="{}" r="3" fill="{BLUE}" data-month="{}" data-value="{}" data-q05="{}" data-q25="{}" data-q75="{}" data-q95="{}"><title>{}</title></circle>"#,
            px(x(s.month)),
            px(y(s.median)),
            s.month,
            data_num(s.median),
            data_num(s.q90.0),
            data_num(s.q50.0),
            data_num(s.q50.1),
            data_num(s.q90.1),
            esc(&tip),
        );
    }
    out.push_str("</g>");
    if !data.outcome.is_empty() {
        let pts: Vec<[f64; 2]> = data.outcome.iter().map(|&(m, v)| [x(m), y(v)]).collect();
        line(
            &mut out,
            "outcome",
            &pts,
            &format!(r#"stroke="{OUTCOME}" stroke-width="2" stroke-dasharray="1 3""#),
        );
        out.push_str(r#"<g class="outcome-points">"#);
        for &(m, v) in &data.outcome {
            let _ = write!(
                out,
                r#"<circle class="outcome-pt" cx="{}" cy="{}" r="3.5" fill="white" stroke="{OUTCOME}" stroke-width="2" data-month="{m}" data-value="{}"><title>{}</title></circle>"#,
                px(x(m)),
                px(y(v)),
                data_num(v),
                esc(&format!("{m}: {} happened (after the forecast)", fmt(v))),
            );
        }
        out.push_str("</g>");
    }

    let xt: Vec<(f64, String)> = month_ticks(m0, m1, ((plot.w() / 70.0) as usize).max(2))
        .into_iter()
        .map(|i| {
            let m = YearMonth::from_index(i);
            (x(m), m.to_string())
        })
        .collect();
    x_axis(&mut out, plot, &xt, "");
    caption(&mut out, f);
    out.push_str("</svg>");
    Ok(out)
}

fn line(out: &mut String, class: &str, pts: &[[f64; 2]], attrs: &str) {
    let mut d = PathData::new();
    d.polyline(pts, Close::No);
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path class="{class}" d="{}" fill="none" {attrs}/>"#,
            d.finish()
        );
    }
}

fn validate(spec: &FanSpec, data: &FanData) -> Result<(), VizError> {
    let log = spec.scale == Scale::Log1p;
    if data.observed.is_empty() && data.forecast.is_empty() {
        return Err(VizError::Empty(
            "a fan chart needs observed months or forecast months",
        ));
    }
    for (i, &(m, v)) in data.observed.iter().enumerate() {
        check_value("observed", &m, v, log)?;
        if i > 0 && data.observed[i - 1].0 >= m {
            return Err(VizError::Order {
                series: "observed".into(),
                at: m.to_string(),
                prev: data.observed[i - 1].0.to_string(),
            });
        }
    }
    for (i, &(m, v)) in data.outcome.iter().enumerate() {
        check_value("outcome", &m, v, log)?;
        if i > 0 && data.outcome[i - 1].0 >= m {
            return Err(VizError::Order {
                series: "outcome".into(),
                at: m.to_string(),
                prev: data.outcome[i - 1].0.to_string(),
            });
        }
    }
    for (i, s) in data.forecast.iter().enumerate() {
        let q = [s.q90.0, s.q50.0, s.median, s.q50.1, s.q90.1];
        for v in q {
            check_value("forecast", &s.month, v, log)?;
        }
        if q.windows(2).any(|w| w[0] > w[1]) {
            return Err(VizError::Quantiles {
                month: s.month.to_string(),
                q,
            });
        }
        if i > 0 && data.forecast[i - 1].month >= s.month {
            return Err(VizError::Order {
                series: "forecast".into(),
                at: s.month.to_string(),
                prev: data.forecast[i - 1].month.to_string(),
            });
        }
    }
    Ok(())
}

fn describe(spec: &FanSpec, data: &FanData) -> String {
    let mut parts = Vec::new();
    if let (Some(a), Some(b)) = (data.observed.first(), data.observed.last()) {
        parts.push(format!(
            "Observed: {}, {} to {} ({} months)",
            spec.y_label,
            a.0,
            b.0,
            data.observed.len()
        ));
    }
    if let (Some(a), Some(b)) = (data.forecast.first(), data.forecast.last()) {
        parts.push(format!(
            "forecast median with 50% and 90% intervals from {} to {}, made as of {}",
            a.month, b.month, data.as_of
        ));
    }
    if let (Some(a), Some(b)) = (data.outcome.first(), data.outcome.last()) {
        parts.push(format!(
            "what happened afterwards, {} to {} ({} months)",
            a.0,
            b.0,
            data.outcome.len()
        ));
    }
    let axis = match spec.scale {
        Scale::Linear => "linear",
        Scale::Log1p => "log(1 + y)",
    };
    format!("{}. The vertical axis is {axis}.", parts.join("; "))
}
