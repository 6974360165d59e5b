//! The climate pages' pictures: lines over years (emissions pathways, warming with its likely
//! range), signed bars (gaps, fair-share thresholds), and the world map of rating bands.

use std::collections::HashMap;

use attache_pledges::rating::Band as Rating;
use attache_viz::chart::Frame;
use attache_viz::chart::bar::{Bar, BarSpec, SignLabels, bar_chart};
use attache_viz::chart::line::{Band, LineSpec, LineStyle, Series, YZero, line_chart};
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, choropleth};
use attache_viz::palette::Rgb;
use attache_viz::scale::{Scale, ValueFormat};

use super::MapRegions;
use crate::error::AppError;

/// One line: name, `(year, value)` points, an optional fixed pattern.
pub struct Line {
    pub name: String,
    pub points: Vec<(i32, Option<f64>)>,
    pub style: Option<LineStyle>,
}

impl Line {
    pub fn new(name: &str, points: impl IntoIterator<Item = (i32, f64)>) -> Line {
        Line {
            name: name.to_string(),
            points: points.into_iter().map(|(y, v)| (y, Some(v))).collect(),
            style: None,
        }
    }

    pub fn styled(mut self, style: LineStyle) -> Line {
        self.style = Some(style);
        self
    }
}

/// A shaded range `(year, low, high)` in the colour of line `of`.
pub struct Range {
    pub name: String,
    pub points: Vec<(i32, f64, f64)>,
    pub of: usize,
}

/// What a year chart shows and how it is labelled.
pub struct YearChart<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub y_label: &'a str,
    pub caption: &'a str,
    pub decimals: usize,
    pub y_zero: YZero,
}

/// Lines over years with shaded ranges.
pub fn years(c: &YearChart, lines: Vec<Line>, ranges: Vec<Range>) -> Result<String, AppError> {
    let mut frame = Frame::new(c.id, c.title, 760.0, 360.0);
    frame.caption = Some(c.caption.to_string());
    let spec = LineSpec {
        frame,
        x_label: "Year".into(),
        y_label: c.y_label.into(),
        scale: Scale::Linear,
        value_format: ValueFormat::Number {
            decimals: c.decimals,
        },
        y_zero: c.y_zero,
    };
    let series: Vec<Series> = lines
        .into_iter()
        .filter(|l| l.points.iter().any(|p| p.1.is_some()))
        .map(|l| {
            let mut s = Series::new(
                &l.name,
                l.points
                    .into_iter()
                    .map(|(y, v)| (f64::from(y), v))
                    .collect(),
            );
            s.style = l.style;
            s
        })
        .collect();
    let bands: Vec<Band> = ranges
        .into_iter()
        .filter(|r| !r.points.is_empty())
        .map(|r| Band {
            name: r.name,
            points: r
                .points
                .into_iter()
                .map(|(y, a, b)| (f64::from(y), a, b))
                .collect(),
            series: Some(r.of),
        })
        .collect();
    line_chart(&spec, &series, &bands).map_err(AppError::internal)
}

/// One scenario on a warming chart: its best-estimate line and its likely (17–83%) range.
pub struct Warming {
    pub name: String,
    pub line: Vec<(i32, f64)>,
    pub likely: Vec<(i32, f64, f64)>,
}

/// Warming above 1850–1900 of several scenarios, each with its likely range shaded.
pub fn warming(id: &str, caption: &str, scenarios: Vec<Warming>) -> Result<String, AppError> {
    let mut lines = Vec::new();
    let mut ranges = Vec::new();
    for (i, w) in scenarios.into_iter().enumerate() {
        if !w.likely.is_empty() {
            ranges.push(Range {
                name: format!("{}: likely range (17–83%)", w.name),
                points: w.likely,
                of: i,
            });
        }
        lines.push(Line::new(&w.name, w.line));
    }
    years(
        &YearChart {
            id,
            title: "Global warming above 1850–1900",
            y_label: "K (°C)",
            caption,
            decimals: 2,
            y_zero: YZero::Include,
        },
        lines,
        ranges,
    )
}

/// Horizontal bars, each with its tooltip and optional link.
pub fn bars(
    id: &str,
    title: &str,
    value_label: &str,
    bars: Vec<Bar>,
    signs: Option<(&str, &str)>,
) -> Result<String, AppError> {
    let height = (60.0 + 26.0 * bars.len() as f64).max(160.0);
    let spec = BarSpec {
        frame: Frame::new(id, title, 720.0, height),
        value_label: value_label.into(),
        value_format: ValueFormat::Number { decimals: 0 },
        sign_labels: signs.map(|(p, n)| SignLabels {
            positive: p.into(),
            negative: n.into(),
        }),
    };
    bar_chart(&spec, &bars).map_err(AppError::internal)
}

/// Colours of the rating bands, best first (green to dark red, as rating maps usually are;
/// distinguishable in the legend's words too).
pub const BAND_COLOURS: [Rgb; 5] = [
    Rgb(0x1a, 0x98, 0x50),
    Rgb(0x91, 0xcf, 0x60),
    Rgb(0xfe, 0xe0, 0x8b),
    Rgb(0xfc, 0x8d, 0x59),
    Rgb(0xb2, 0x18, 0x2b),
];

/// The five bands in order.
pub const BANDS: [Rating; 5] = [
    Rating::OnePointFive,
    Rating::AlmostSufficient,
    Rating::Insufficient,
    Rating::HighlyInsufficient,
    Rating::CriticallyInsufficient,
];

/// The index of a band in [`BANDS`].
pub fn band_index(b: Rating) -> usize {
    BANDS
        .iter()
        .position(|x| *x == b)
        .unwrap_or(BANDS.len() - 1)
}

/// The world map of rating bands, linked to the countries' climate pages.
pub fn band_map(
    map: &MapRegions,
    values: &[(String, String, Option<Rating>)],
) -> Result<String, AppError> {
    let mut v = HashMap::new();
    let mut tips = HashMap::new();
    for (iso3, name, band) in values {
        match band {
            Some(b) => {
                v.insert(iso3.clone(), band_index(*b) as f64);
                tips.insert(iso3.clone(), format!("{name}: {}", b.label()));
            }
            None => {
                tips.insert(iso3.clone(), format!("{name}: not rated"));
            }
        }
    }
    let mut frame = Frame::new(
        "band-map",
        "NDC rating bands (our CAT-style reconstruction)",
        960.0,
        520.0,
    );
    frame.caption = Some("Reference assessment of fossil CO2 in 2030 under each NDC; grey hatched: not rated (no emissions, population or GDP data).".into());
    let spec = ChoroplethSpec {
        frame,
        legend_title: "Overall band (worse of fair share and domestic pathway)".into(),
        colours: ColourScale::Categories {
            classes: BANDS
                .iter()
                .zip(BAND_COLOURS)
                .map(|(b, c)| (b.label().to_string(), c))
                .collect(),
        },
        value_format: ValueFormat::Number { decimals: 0 },
        no_data_colour: NO_DATA,
        link_template: Some("/climate/country/{key}".into()),
    };
    Ok(choropleth(&spec, &map.regions(), &v, &tips)
        .map_err(AppError::internal)?
        .svg
        + &super::html_legend(&spec))
}
