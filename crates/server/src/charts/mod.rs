//! The dashboard's pictures, drawn by `attache-viz`: this module only maps our records to its
//! inputs (ISO-numeric map ids to ISO3 keys through the crosswalk, months, quantiles);
//! [`climate`] does the same for the climate pages, [`epidemic`] for the epidemic scenario,
//! [`trade`] for the trade scenario.

pub mod climate;
pub mod epidemic;
pub mod trade;

use std::collections::HashMap;

use attache_core::{Crosswalk, MonthId, Scheme};
use attache_store::{DriverRecord, MonthOutlook};
use attache_viz::chart::Frame;
use attache_viz::chart::YearMonth;
use attache_viz::chart::bar::{Bar, BarSpec, SignLabels, bar_chart};
use attache_viz::chart::fan::{FanData, FanSpec, FanStep, fan_chart as viz_fan};
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, Region, choropleth};
use attache_viz::palette::Palette;
use attache_viz::scale::{Scale, ValueFormat};
use attache_viz::topo::Topology;

use crate::AppState;
use crate::error::AppError;

/// The map's regions keyed by ISO3, and the map ids the crosswalk could not place (drawn as
/// no data; reported on the page, never dropped).
pub struct MapRegions {
    topo: Topology,
    /// ISO3 per feature of the `countries` object, in order (`None`: not placed).
    keys: Vec<Option<String>>,
    pub unplaced: Vec<String>,
}

impl MapRegions {
    pub fn from_topojson(bytes: &[u8]) -> Result<MapRegions, String> {
        let topo = Topology::parse(bytes).map_err(|e| e.to_string())?;
        let cw = Crosswalk::global();
        let mut unplaced = Vec::new();
        let keys = topo
            .countries()
            .map_err(|e| e.to_string())?
            .iter()
            .map(|f| {
                let key =
                    f.id.as_deref()
                        .and_then(|id| cw.lookup(Scheme::IsoNumeric, id).ok())
                        .map(|c| c.iso3.clone());
                if key.is_none() {
                    unplaced.push(format!(
                        "{} (id {})",
                        f.name.as_deref().unwrap_or("unnamed"),
                        f.id.as_deref().unwrap_or("none")
                    ));
                }
                key
            })
            .collect();
        Ok(MapRegions {
            topo,
            keys,
            unplaced,
        })
    }

    pub fn regions(&self) -> Vec<Region<'_>> {
        let features = self.topo.countries().unwrap_or(&[]);
        features
            .iter()
            .zip(&self.keys)
            .map(|(f, k)| Region::from_feature(f, k.clone()))
            .collect()
    }
}

/// The risk map: P(>= 25 in the next 12 months) per country, linked to country pages.
pub fn world_map(
    map: &MapRegions,
    values: &[(String, String, Option<f64>)],
    as_of: &str,
) -> Result<String, AppError> {
    let mut v = HashMap::new();
    let mut tips = HashMap::new();
    for (iso3, name, p) in values {
        match p {
            Some(p) => {
                v.insert(iso3.clone(), *p);
                tips.insert(
                    iso3.clone(),
                    format!(
                        "{name}: {} chance of ≥ 25 battle deaths in a month of the next 12",
                        crate::html::percent(*p)
                    ),
                );
            }
            None => {
                tips.insert(iso3.clone(), format!("{name}: no forecast"));
            }
        }
    }
    let mut frame = Frame::new(
        "risk-map",
        &format!("Conflict risk, 12 months after {as_of}"),
        960.0,
        520.0,
    );
    frame.caption =
        Some("Reference forecast; grey hatched: no forecast (not in the ViEWS panel).".into());
    let spec = ChoroplethSpec {
        frame,
        legend_title: "Probability of ≥ 25 state-based battle deaths in at least one month".into(),
        colours: ColourScale::Binned {
            thresholds: vec![0.05, 0.1, 0.25, 0.5, 0.75, 0.9],
            palette: Palette::YlOrRd,
        },
        value_format: ValueFormat::Percent { decimals: 0 },
        no_data_colour: NO_DATA,
        link_template: Some(format!("/country/{{key}}?as_of={as_of}")),
    };
    let c = choropleth(&spec, &map.regions(), &v, &tips).map_err(AppError::internal)?;
    Ok(c.svg + &html_legend(&spec))
}

fn ym(m: MonthId) -> Result<YearMonth, AppError> {
    YearMonth::new(m.year(), m.month())
        .ok_or_else(|| AppError::internal(format!("month {m} out of range")))
}

/// History and forecast of one country: observed line, median, 50% and 90% bands. `id` is the
/// SVG's element id (unique on its page).
pub fn fan_chart(
    id: &str,
    observed: &[(MonthId, f64)],
    months: &[MonthOutlook],
    outcome: &[(MonthId, f64)],
    as_of: MonthId,
    title: &str,
) -> Result<String, AppError> {
    let mut frame = Frame::new(id, title, 760.0, 340.0);
    frame.caption = Some("Reference forecast — not a decision.".into());
    let spec = FanSpec {
        frame,
        y_label: "State-based battle deaths per month (log scale)".into(),
        scale: Scale::Log1p,
        value_format: ValueFormat::Number { decimals: 0 },
    };
    let data = FanData {
        observed: observed
            .iter()
            .map(|(m, y)| Ok((ym(*m)?, *y)))
            .collect::<Result<_, AppError>>()?,
        forecast: months
            .iter()
            .map(|m| {
                Ok(FanStep {
                    month: ym(m.month_id)?,
                    median: m.median,
                    q50: (m.q25, m.q75),
                    q90: (m.q05, m.q95),
                })
            })
            .collect::<Result<_, AppError>>()?,
        outcome: outcome
            .iter()
            .map(|(m, y)| Ok((ym(*m)?, *y)))
            .collect::<Result<_, AppError>>()?,
        as_of: ym(as_of)?,
    };
    viz_fan(&spec, &data).map_err(AppError::internal)
}

/// The drivers of a forecast as signed bars.
pub fn drivers(ds: &[DriverRecord]) -> Result<String, AppError> {
    if ds.is_empty() {
        return Ok(String::new());
    }
    let height = 60.0 + 26.0 * ds.len() as f64;
    let spec = BarSpec {
        frame: Frame::new(
            "drivers",
            "Contribution to the predicted risk (3 months ahead)",
            640.0,
            height.max(160.0),
        ),
        value_label: "Contribution (model units, log scale of deaths)".into(),
        value_format: ValueFormat::Number { decimals: 2 },
        sign_labels: Some(SignLabels {
            positive: "Raises the forecast".into(),
            negative: "Lowers the forecast".into(),
        }),
    };
    let bars: Vec<Bar> = ds
        .iter()
        .map(|d| {
            let mut b = Bar::new(&d.label, d.contribution);
            b.tooltip = Some(d.text.clone());
            b
        })
        .collect();
    bar_chart(&spec, &bars).map_err(AppError::internal)
}

/// The map's legend in HTML, shown instead of the SVG's on a phone (where the scaled-down map
/// would shrink the legend's text to a few pixels); hidden otherwise by the stylesheet.
pub fn html_legend(spec: &attache_viz::map::ChoroplethSpec) -> String {
    maud::html! {
        div.map-legend {
            p.legend-title { (spec.legend_title) }
            ul {
                @for (label, colour) in spec.legend_entries() {
                    // An SVG swatch: the Content-Security-Policy forbids inline styles.
                    li { svg.swatch width="14" height="14" aria-hidden="true" { rect width="14" height="14" fill=(colour) {} } (label) }
                }
                li { svg.swatch width="14" height="14" aria-hidden="true" { rect width="14" height="14" fill="#d9d9d9" stroke="#8c8c8c" {} } "No data (hatched on the map)" }
            }
        }
    }
    .into_string()
}

/// A world map of `values` per ISO3 (with hover `tips`), or a sentence saying why there is no
/// map (no boundaries in this vintage, or a drawing error); shared by the pages that map one
/// number per country.
pub fn map_svg(
    state: &AppState,
    id: &str,
    title: &str,
    legend: &str,
    values: HashMap<String, f64>,
    tips: HashMap<String, String>,
    colours: ColourScale,
) -> String {
    let Ok(map) = state.map() else {
        return maud::html! { p.small role="status" { "No map: the country boundaries (source naturalearth) are not in this vintage; the table has every number." } }.into_string();
    };
    let mut frame = Frame::new(id, title, 960.0, 520.0);
    frame.caption = Some("Grey hatched: no data.".into());
    let spec = ChoroplethSpec {
        frame,
        legend_title: legend.into(),
        colours,
        value_format: ValueFormat::Number { decimals: 0 },
        no_data_colour: NO_DATA,
        link_template: None,
    };
    match choropleth(&spec, &map.regions(), &values, &tips) {
        Ok(c) => c.svg + &html_legend(&spec),
        Err(e) => {
            maud::html! { p.small role="status" { "No map: " (e.to_string()) } }.into_string()
        }
    }
}
