//! `/climate/country/{iso3}`: one country's Paris progress, the numbers of `attache climate
//! country ISO3`: fossil-CO2 history against its NDC target path, the gap in the target year at
//! the current trend and the trend arrow, the pledge and current-policies pathways, its
//! fair-share range from four effort-sharing rules and the CAT-style rating band. `edit=SPEC`
//! changes the pledge as `--edit` does, `pledges=conditional` as `--conditional`. Any code or
//! name the crosswalk knows is redirected to the ISO3 URL. Permalink:
//! `/climate/country/CHN?from=1990&to=2060[&edit=...][&pledges=conditional]`.
//!
//! This module is the view: query, computation and the one table its page, downloads and API
//! share; `pages::climate::country` renders it.

use std::borrow::Cow;

use attache_pledges::ndc::apply_edit;
use attache_pledges::pathway::Settings;
use attache_pledges::report::{CountryReport, RATING_YEAR, country_report};
use serde_json::{Value, json};

use crate::climate::{ClimateData, pledge_error};
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::params::Params;
use crate::views::climate::conditional;
use crate::views::enc;

/// Years the pledge pathway is printed for (as `attache climate country`).
pub const PATHWAY_YEARS: [i32; 5] = [2030, 2040, 2050, 2070, 2100];

/// One country's view.
pub struct CountryView<'a> {
    pub iso3: String,
    pub report: Cow<'a, CountryReport>,
    pub edit: Option<String>,
    pub conditional: bool,
    pub from: i32,
    pub to: i32,
    pub permalink: String,
    pub vintage: String,
}

/// The report for `iso3` under the query's edit and settings (the stored one without them).
pub fn view<'a>(
    data: &'a ClimateData,
    iso3: &str,
    params: &Params,
) -> Result<CountryView<'a>, AppError> {
    let edit = params.get("edit").map(str::to_string);
    let conditional = conditional(params)?;
    let from = params.number("from", 1990, 1750..=2019)? as i32;
    let to = params.number("to", 2060, 2030..=2100)? as i32;
    let report = match (&edit, conditional) {
        (None, false) => match data.reports.get(iso3) {
            Some(Ok(r)) => Cow::Borrowed(r),
            Some(Err(e)) => {
                return Err(AppError::Unprocessable(format!("{}: {e}", data.name(iso3))));
            }
            None => return Err(no_history(data, iso3)),
        },
        _ => {
            let s = Settings {
                conditional,
                ..data.settings.clone()
            };
            let c = data
                .world
                .country(iso3)
                .ok_or_else(|| no_history(data, iso3))?;
            let pledge = match &edit {
                Some(spec) => Some(apply_edit(c.pledge.as_ref(), spec).map_err(pledge_error)?),
                None => None,
            };
            Cow::Owned(
                country_report(&data.world, iso3, pledge.as_ref(), &s, &data.shares)
                    .map_err(pledge_error)?,
            )
        }
    };
    let mut permalink = format!("/climate/country/{iso3}?from={from}&to={to}");
    if let Some(e) = &edit {
        permalink.push_str(&format!("&edit={}", enc(e)));
    }
    if conditional {
        permalink.push_str("&pledges=conditional");
    }
    Ok(CountryView {
        iso3: iso3.to_string(),
        report,
        edit,
        conditional,
        from,
        to,
        permalink,
        vintage: data.vintage.clone(),
    })
}

pub(crate) fn no_history(data: &ClimateData, iso3: &str) -> AppError {
    let top: Vec<&str> = data.largest.iter().map(|x| x.0.as_str()).collect();
    AppError::NotFound(format!(
        "no fossil-CO2 history for {iso3} in the CDIAC data (largest emitters: {})",
        top.join(", ")
    ))
}

pub(crate) fn series_json(s: &attache_pledges::Series) -> Value {
    json!({"year": s.0.keys().collect::<Vec<_>>(), "mt_co2": s.0.values().collect::<Vec<_>>()})
}

/// The country's numbers, with the field names of `attache climate country --format json`.
pub fn numbers(v: &CountryView) -> Value {
    let r = &v.report;
    let p = &r.progress;
    json!({
        "iso3": p.iso3, "name": p.name,
        "unit": "Mt CO2 per year, fossil fuels and cement (CDIAC)",
        "jump_off": {"year": p.jump_off.0, "mt_co2": p.jump_off.1},
        "trend_per_year": p.trend, "arrow": p.arrow.glyph(),
        "pledge": p.pledge.as_ref().map(|x| json!({"text": x.describe(), "source": x.source})),
        "target": p.target.map(|(y, v)| json!({"year": y, "mt_co2": v})),
        "projected_at_target_year": p.projected, "gap_mt_co2": p.gap, "gap_share": p.gap_share(), "on_track": p.on_track(),
        "current_policies_note": r.current_policies.note,
        "pledge_pathway": r.pledge_pathway.as_ref().map(|x| json!({"note": x.note, "at": PATHWAY_YEARS.iter().map(|y| json!({"year": y, "mt_co2": x.at(*y)})).collect::<Vec<_>>()})),
        "rating_year": RATING_YEAR,
        "fair_shares": r.fair_shares.as_ref().map(|fs| fs.iter().map(|f| json!({
            "level": f.level.label, "benchmark": f.level.scenario.label(), "global_mt_co2": f.global,
            "by_method": f.by_method.iter().map(|(m, v)| json!({"method": m.label(), "mt_co2": v})).collect::<Vec<_>>(),
            "range": [f.range.0, f.range.1],
        })).collect::<Vec<_>>()),
        "rating": r.rating.as_ref().map(|x| json!({
            "assessed_mt_co2": x.assessed, "fair_share_thresholds": x.fair_thresholds, "domestic_thresholds": x.domestic_thresholds,
            "fair_share": x.fair.label(), "domestic": x.domestic.label(), "overall": x.overall.label(),
        })),
        "history": series_json(&p.history),
        "target_path": series_json(&p.target_path),
    })
}

/// The view's table: one row per year from `from` to `to`.
pub fn table(v: &CountryView) -> Table {
    let r = &v.report;
    let p = &r.progress;
    let ys: Vec<i32> = (v.from..=v.to).collect();
    let col = |f: &dyn Fn(i32) -> Option<f64>| Column::Float(ys.iter().map(|y| f(*y)).collect());
    let mut meta = numbers(v);
    meta["view"] = json!("climate country");
    meta["permalink"] = json!(v.permalink);
    meta["vintage"] = json!(v.vintage);
    meta["edit"] = json!(v.edit);
    meta["pledges"] = json!(if v.conditional {
        "conditional"
    } else {
        "unconditional"
    });
    meta["label"] = json!(super::CLIMATE_NOTE);
    Table::new(format!("attache-climate-{}", p.iso3), meta)
        .with(
            "year",
            Column::Int(ys.iter().map(|y| Some(i64::from(*y))).collect()),
        )
        .with("history_mt", col(&|y| p.history.get(y)))
        .with(
            "current_policies_mt",
            col(&|y| r.current_policies.at(y).filter(|_| y >= p.jump_off.0)),
        )
        .with(
            "pledge_pathway_mt",
            col(&|y| {
                r.pledge_pathway
                    .as_ref()
                    .and_then(|x| x.at(y))
                    .filter(|_| y >= p.jump_off.0)
            }),
        )
        .with("target_path_mt", col(&|y| p.target_path.get(y)))
}
