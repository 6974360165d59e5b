//! The epidemic scenario's pictures: the world map of median arrival days and daily incidence
//! fans (median line, 50% and 90% bands) per charted country, over days since day 0.

use std::collections::HashMap;

use attache_epidemic::Quantiles;
use attache_viz::chart::Frame;
use attache_viz::chart::line::{Band, LineSpec, LineStyle, Series, YZero, line_chart};
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, choropleth};
use attache_viz::palette::Palette;
use attache_viz::scale::{Scale, ValueFormat};

use super::{MapRegions, html_legend};
use crate::error::AppError;

/// Class edges of the arrival map, in days after day 0.
pub const ARRIVAL_EDGES: [f64; 6] = [30.0, 60.0, 90.0, 120.0, 180.0, 270.0];

/// One country on the arrival map: ISO3, name, median arrival day (`None`: not within the
/// horizon in at least half the runs) and the chance it arrives at all.
pub struct Arrival {
    pub iso3: String,
    pub name: String,
    pub median: Option<f64>,
    pub reached: f64,
}

/// The world map of median arrival days, linked to nothing (the table below it is the
/// accessible alternative).
pub fn arrival_map(
    map: &MapRegions,
    values: &[Arrival],
    days: u32,
    date_of: impl Fn(f64) -> String,
) -> Result<String, AppError> {
    let mut v = HashMap::new();
    let mut tips = HashMap::new();
    for a in values {
        let chance = crate::html::percent(a.reached);
        match a.median {
            Some(d) => {
                v.insert(a.iso3.clone(), d);
                tips.insert(
                    a.iso3.clone(),
                    format!(
                        "{}: first infection around day {d:.0} ({}), arrives in {chance} of runs",
                        a.name,
                        date_of(d)
                    ),
                );
            }
            None => {
                tips.insert(
                    a.iso3.clone(),
                    format!(
                        "{}: no arrival within {days} days in most runs (arrives in {chance})",
                        a.name
                    ),
                );
            }
        }
    }
    let mut frame = Frame::new(
        "arrival-map",
        "Median day of the first infection",
        960.0,
        520.0,
    );
    frame.caption = Some(
        "Reference simulation; grey hatched: no arrival within the horizon in most runs, or not in the network."
            .into(),
    );
    let spec = ChoroplethSpec {
        frame,
        legend_title: "Days after day 0 (median over the runs)".into(),
        colours: ColourScale::Binned {
            thresholds: ARRIVAL_EDGES.to_vec(),
            palette: Palette::Viridis,
        },
        value_format: ValueFormat::Number { decimals: 0 },
        no_data_colour: NO_DATA,
        link_template: None,
    };
    let c = choropleth(&spec, &map.regions(), &v, &tips).map_err(AppError::internal)?;
    Ok(c.svg + &html_legend(&spec))
}

/// What a daily fan counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Daily {
    /// New infections per day.
    Incidence,
    /// People infected (latent or infectious) on the day.
    Prevalence,
}

/// A daily fan of one place: the median, its 50% and 90% bands, and (with levers) the
/// baseline's median as a dashed line.
pub fn incidence(
    id: &str,
    title: &str,
    fan: &[Quantiles],
    baseline_median: Option<&[f64]>,
) -> Result<String, AppError> {
    daily(Daily::Incidence, id, title, fan, baseline_median)
}

/// [`incidence`] for either kind of daily count.
pub fn daily(
    kind: Daily,
    id: &str,
    title: &str,
    fan: &[Quantiles],
    baseline_median: Option<&[f64]>,
) -> Result<String, AppError> {
    let mut frame = Frame::new(id, title, 760.0, 340.0);
    frame.caption =
        Some("Reference simulation — not a decision. Bands: 50% and 90% of the runs.".into());
    let spec = LineSpec {
        frame,
        x_label: "Days after day 0".into(),
        y_label: match kind {
            Daily::Incidence => "New infections per day",
            Daily::Prevalence => "People infected on the day",
        }
        .into(),
        scale: Scale::Linear,
        value_format: ValueFormat::Number { decimals: 0 },
        y_zero: YZero::Include,
    };
    let day = |d: usize| d as f64;
    let mut series = vec![Series::new(
        if baseline_median.is_some() {
            "With the levers (median)"
        } else {
            "Median"
        },
        fan.iter()
            .enumerate()
            .map(|(d, q)| (day(d), Some(q.q50)))
            .collect(),
    )];
    if let Some(b) = baseline_median {
        let mut s = Series::new(
            "Without the levers (median)",
            b.iter()
                .enumerate()
                .map(|(d, v)| (day(d), Some(*v)))
                .collect(),
        );
        s.style = Some(LineStyle::Dashed);
        series.push(s);
    }
    let bands = vec![
        Band {
            name: "90% of runs".into(),
            points: fan
                .iter()
                .enumerate()
                .map(|(d, q)| (day(d), q.q05, q.q95))
                .collect(),
            series: Some(0),
        },
        Band {
            name: "50% of runs".into(),
            points: fan
                .iter()
                .enumerate()
                .map(|(d, q)| (day(d), q.q25, q.q75))
                .collect(),
            series: Some(0),
        },
    ];
    line_chart(&spec, &series, &bands).map_err(AppError::internal)
}
