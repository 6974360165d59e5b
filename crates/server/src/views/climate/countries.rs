//! `/climate/countries`: the Paris progress monitor for every country with fossil-CO2 history:
//! a world map of rating bands and a table (emissions, trend arrow, NDC target, gap at the
//! current trend, band), largest emitters first, each linked to its page. Permalink:
//! `/climate/countries` (the view has no settings; `format=` downloads the table).
//!
//! This module is the view: query, computation and the one table its page, downloads and API
//! share; `pages::climate::countries` renders it.

use serde_json::json;

use crate::climate::{ClimateData, Report};
use crate::download::{Column, Table};

pub(crate) const PERMALINK: &str = "/climate/countries";

/// Every country's report, largest emitter first (unreported ones last, by code).
pub(crate) fn ranked(data: &ClimateData) -> Vec<(&String, &Report)> {
    let mut rows: Vec<(&String, &Report)> = data.reports.iter().collect();
    let e0 = |r: &Report| r.as_ref().map_or(-1.0, |r| r.progress.jump_off.1);
    rows.sort_by(|a, b| e0(b.1).total_cmp(&e0(a.1)).then(a.0.cmp(b.0)));
    rows
}

/// The view's table: one row per country, largest emitter first.
pub fn table(data: &ClimateData) -> Table {
    let rows = ranked(data);
    let ok = |f: &dyn Fn(&attache_pledges::report::CountryReport) -> Option<f64>| {
        Column::Float(
            rows.iter()
                .map(|(_, r)| r.as_ref().ok().and_then(f))
                .collect(),
        )
    };
    let text = |f: &dyn Fn(&attache_pledges::report::CountryReport) -> Option<String>| {
        Column::Text(
            rows.iter()
                .map(|(_, r)| r.as_ref().ok().and_then(f))
                .collect(),
        )
    };
    let largest: Vec<&str> = data.largest.iter().map(|x| x.0.as_str()).collect();
    Table::new(
        "attache-climate-countries",
        json!({"view": "climate countries", "permalink": PERMALINK, "vintage": data.vintage, "label": super::CLIMATE_NOTE,
               "unit": "Mt CO2 per year, fossil fuels and cement (CDIAC)", "rating_year": attache_pledges::report::RATING_YEAR,
               "largest_emitters": largest,
               "not_reported": data.reports.iter().filter_map(|(k, r)| r.as_ref().err().map(|e| json!({"iso3": k, "reason": e}))).collect::<Vec<_>>()}),
    )
    .with("rank", Column::Int((1..=rows.len() as i64).map(Some).collect()))
    .with("iso3", Column::Text(rows.iter().map(|(k, _)| Some((*k).clone())).collect()))
    .with("name", Column::Text(rows.iter().map(|(k, _)| Some(data.name(k))).collect()))
    .with("jump_off_year", Column::Int(rows.iter().map(|(_, r)| r.as_ref().ok().map(|r| i64::from(r.progress.jump_off.0))).collect()))
    .with("jump_off_mt", ok(&|r| Some(r.progress.jump_off.1)))
    .with("trend_per_year", ok(&|r| Some(r.progress.trend)))
    .with("arrow", text(&|r| Some(r.progress.arrow.glyph().to_string())))
    .with("ndc", text(&|r| r.progress.pledge.as_ref().map(|p| p.describe())))
    .with("target_year", Column::Int(rows.iter().map(|(_, r)| r.as_ref().ok().and_then(|r| r.progress.target).map(|t| i64::from(t.0))).collect()))
    .with("target_mt", ok(&|r| r.progress.target.map(|t| t.1)))
    .with("projected_mt", ok(&|r| r.progress.projected))
    .with("gap_mt", ok(&|r| r.progress.gap))
    .with("gap_share", ok(&|r| r.progress.gap_share()))
    .with("band", text(&|r| r.rating.as_ref().map(|x| x.overall.label().to_string())))
    .with("band_fair_share", text(&|r| r.rating.as_ref().map(|x| x.fair.label().to_string())))
    .with("band_domestic", text(&|r| r.rating.as_ref().map(|x| x.domestic.label().to_string())))
}
