//! The forecast views' shared tables: the watch list (quiet countries by onset risk) that the
//! home page shows in part and `GET /api/v1/forecasts/watchlist` serves whole, and the
//! side-by-side comparison of up to five countries (`/compare`).

use serde_json::json;

use super::model_tag;
use crate::download::{Column, Table};

/// The watch list of a run: countries quiet for a year (no month with 25+ deaths in the 12 up to
/// the as-of month) ranked by their onset risk. The home page shows its first rows;
/// `GET /api/v1/forecasts/watchlist` serves it whole.
pub fn watch_table(run: &attache_store::ForecastRun) -> Table {
    let list = run.watch_list();
    Table::new(
        format!("attache-watchlist-{}", run.meta.as_of),
        json!({"view": "watch list", "label": run.meta.label, "as_of": run.meta.as_of, "vintage": run.meta.vintage,
               "model": model_tag(run), "seed": run.meta.seed, "draws": run.meta.draws,
               "outcome": "P(>= 25 state-based deaths in at least one of the next 12 months) for countries with no month of 25+ deaths in the 12 up to as_of"}),
    )
    .with("rank", Column::Int((1..=list.len() as i64).map(Some).collect()))
    .with("iso3", Column::Text(list.iter().map(|c| Some(c.iso3.clone())).collect()))
    .with("name", Column::Text(list.iter().map(|c| Some(c.name.clone())).collect()))
    .with("p_any_ge25_next12", Column::Float(list.iter().map(|c| c.p_any_ge25_next12).collect()))
    .with("worst_recent_month", Column::Float(list.iter().map(|c| c.worst_recent_month).collect()))
    .with("top_driver", Column::Text(list.iter().map(|c| c.drivers.first().map(|d| d.text.clone())).collect()))
}

/// At most this many countries side by side (a page a reader can take in at once).
pub const COMPARE_MAX: usize = 5;

/// `A,B,C` (codes or names the crosswalk knows) into ISO3 codes in the forecast of `run`,
/// without repeats: at least one, at most [`COMPARE_MAX`]; an unknown name or one not in the
/// run is an error naming it.
pub fn compare_list(
    list: &str,
    run: &attache_store::ForecastRun,
) -> Result<Vec<String>, crate::error::AppError> {
    use crate::error::AppError;
    let mut out: Vec<String> = Vec::new();
    for q in list.split(',').map(str::trim).filter(|q| !q.is_empty()) {
        let c = attache_core::Crosswalk::global()
            .find(q)
            .map_err(|e| AppError::NotFound(format!("unknown country {q:?}: {e}")))?;
        if run.country(&c.iso3).is_none() {
            return Err(AppError::NotFound(format!(
                "{} ({}) is not in the forecast as of {}",
                c.name, c.iso3, run.meta.as_of
            )));
        }
        if !out.contains(&c.iso3) {
            out.push(c.iso3.clone());
        }
    }
    if out.is_empty() {
        return Err(AppError::BadRequest(
            "countries: name one to five countries, separated by commas".into(),
        ));
    }
    if out.len() > COMPARE_MAX {
        return Err(AppError::BadRequest(format!(
            "countries: {} named; compare at most {COMPARE_MAX} side by side",
            out.len()
        )));
    }
    Ok(out)
}

/// One row per compared country: the 12-month probability, the first forecast month's median
/// and 90% interval, the worst recent month, novelty and the strongest driver. `/compare` shows
/// it and downloads it.
pub fn compare_table(run: &attache_store::ForecastRun, iso3s: &[String]) -> Table {
    let cs: Vec<&attache_store::CountryOutlook> =
        iso3s.iter().filter_map(|i| run.country(i)).collect();
    let first = |i: &str| run.months.iter().find(|m| m.iso3 == i);
    Table::new(
        format!("attache-compare-{}", run.meta.as_of),
        json!({"view": "compare", "countries": iso3s, "label": run.meta.label, "as_of": run.meta.as_of,
               "vintage": run.meta.vintage, "model": model_tag(run), "seed": run.meta.seed, "draws": run.meta.draws,
               "outcome": "state-based battle deaths per country-month (UCDP GED)"}),
    )
    .with("iso3", Column::Text(cs.iter().map(|c| Some(c.iso3.clone())).collect()))
    .with("name", Column::Text(cs.iter().map(|c| Some(c.name.clone())).collect()))
    .with("p_any_ge25_next12", Column::Float(cs.iter().map(|c| c.p_any_ge25_next12).collect()))
    .with("first_month", Column::Text(cs.iter().map(|c| first(&c.iso3).map(|m| m.month_id.to_string())).collect()))
    .with("first_month_median", Column::Float(cs.iter().map(|c| first(&c.iso3).map(|m| m.median)).collect()))
    .with("first_month_q05", Column::Float(cs.iter().map(|c| first(&c.iso3).map(|m| m.q05)).collect()))
    .with("first_month_q95", Column::Float(cs.iter().map(|c| first(&c.iso3).map(|m| m.q95)).collect()))
    .with("worst_recent_month", Column::Float(cs.iter().map(|c| c.worst_recent_month).collect()))
    .with("novelty_flagged", Column::Int(cs.iter().map(|c| c.novelty.as_ref().map(|n| i64::from(n.flagged))).collect()))
    .with("top_driver", Column::Text(cs.iter().map(|c| c.drivers.first().map(|d| d.text.clone())).collect()))
}
