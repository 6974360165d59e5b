//! `/climate/blocs`: negotiating blocs side by side (members from `country_groups`: the EU, G20,
//! G7, AOSIS, LDCs, BRICS, ...): summed fossil CO2, its trend arrow, the members' pledges summed
//! for 2030 against their summed trend projections, and the gap; the numbers of `attache
//! climate bloc ID`. `ids=a,b,c` picks blocs (default: [`DEFAULT_BLOCS`]; `ids=all`: every
//! group). Permalink: `/climate/blocs?ids=...`.
//!
//! This module is the view: query, computation and the one table its page, downloads and API
//! share; `pages::climate::blocs` renders it.

use attache_pledges::monitor::BLOC_YEAR;
use serde_json::json;

use crate::climate::ClimateData;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;

/// Year the history chart is indexed to (= 100).
pub(crate) const INDEX_YEAR: i32 = 2005;

/// The blocs shown by default (those of them in `country_groups`); `ids=all` shows every group.
pub const DEFAULT_BLOCS: [&str; 12] = [
    "european-union",
    "g7",
    "g20",
    "brics",
    "umbrella",
    "eig",
    "arab-group",
    "g77",
    "aosis",
    "ldc",
    "sids",
    "opec",
];

/// The blocs asked for, in order; unknown ids are a 404 naming the known ones.
pub fn selected(data: &ClimateData, params: &Params) -> Result<Vec<String>, AppError> {
    match params.get("ids") {
        None => Ok(DEFAULT_BLOCS
            .iter()
            .filter(|b| data.blocs.contains_key(**b))
            .map(|b| b.to_string())
            .collect()),
        Some("all") => Ok(data.blocs.keys().cloned().collect()),
        Some(s) => {
            let mut v: Vec<String> = Vec::new();
            for id in s.split(',').map(str::trim).filter(|x| !x.is_empty()) {
                if !data.blocs.contains_key(id) {
                    let known: Vec<&str> = data.blocs.keys().map(String::as_str).collect();
                    return Err(AppError::NotFound(format!(
                        "unknown bloc {id:?} (known: {})",
                        known.join(", ")
                    )));
                }
                if !v.iter().any(|x| x == id) {
                    v.push(id.to_string());
                }
            }
            Ok(v)
        }
    }
}

pub(crate) fn permalink(ids: &[String]) -> String {
    format!("/climate/blocs?ids={}", ids.join(","))
}

/// The view's table: one row per bloc.
pub fn table(data: &ClimateData, ids: &[String]) -> Table {
    let b: Vec<_> = ids
        .iter()
        .map(|id| (id, data.blocs.get(id).and_then(|r| r.as_ref().ok())))
        .collect();
    let f = |g: &dyn Fn(&attache_pledges::monitor::BlocProgress) -> Option<f64>| {
        Column::Float(b.iter().map(|(_, x)| x.and_then(g)).collect())
    };
    let n = |g: &dyn Fn(&attache_pledges::monitor::BlocProgress) -> usize| {
        Column::Int(b.iter().map(|(_, x)| x.map(|x| g(x) as i64)).collect())
    };
    Table::new(
        "attache-climate-blocs",
        json!({"view": "climate blocs", "permalink": permalink(ids), "vintage": data.vintage, "label": super::CLIMATE_NOTE, "year": BLOC_YEAR,
               "unit": "Mt CO2 per year, fossil fuels and cement (CDIAC)",
               "blocs": b.iter().map(|(id, x)| json!({"id": id, "members": x.map(|x| &x.members), "missing": x.map(|x| &x.missing), "unpledged": x.map(|x| &x.unpledged),
                    "pledge_not_applied": x.map(|x| x.not_applied.iter().map(|(c, why)| json!({"iso3": c, "reason": why})).collect::<Vec<_>>()),
                    "error": data.blocs.get(*id).and_then(|r| r.as_ref().err())})).collect::<Vec<_>>()}),
    )
    .with("id", Column::Text(ids.iter().map(|x| Some(x.clone())).collect()))
    .with("members", n(&|x| x.members.len()))
    .with("missing", n(&|x| x.missing.len()))
    .with("unpledged", n(&|x| x.unpledged.len()))
    .with("last_year", Column::Int(b.iter().map(|(_, x)| x.and_then(|x| x.history.last()).map(|l| i64::from(l.0))).collect()))
    .with("last_mt", f(&|x| x.history.last().map(|l| l.1)))
    .with("trend_per_year", f(&|x| Some(x.trend)))
    .with("arrow", Column::Text(b.iter().map(|(_, x)| x.map(|x| x.arrow.glyph().to_string())).collect()))
    .with("target_2030_mt", f(&|x| Some(x.target)))
    .with("projected_2030_mt", f(&|x| Some(x.projected)))
    .with("gap_mt", f(&|x| Some(x.gap())))
}
