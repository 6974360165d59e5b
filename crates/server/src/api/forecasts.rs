//! `GET /api/v1/forecasts?country=ISO3&as_of=YYYY-MM[&format=json|csv|parquet][&page&per_page]`:
//! the stored forecast run's country-months (median, 50% and 90% intervals, P(>= 25)); the
//! same numbers `attache forecast show` prints. `GET /api/v1/forecasts/runs`: the as-of months.
//! `GET /api/v1/forecasts/watchlist`: quiet countries ranked by onset risk.

use attache_core::Crosswalk;
use axum::Json;
use axum::extract::State;
use axum::response::IntoResponse;
use serde_json::json;

use super::{ApiResult, DATA_FORMATS, pagination, respond};
use crate::AppState;
use crate::download::{Column, Table};
use crate::error::{ApiError, AppError};
use crate::params::{ApiParams, Format};
use crate::views::model_tag;

pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&["country", "as_of", "format", "page", "per_page", "model"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
    let page = params.page(500)?;
    let run = state.run(params.as_of()?)?;
    crate::views::check_model(&params, &run)?;
    let iso3 = match params.get("country") {
        None => None,
        Some(c) => {
            let country = Crosswalk::global()
                .find(c)
                .map_err(|e| AppError::NotFound(format!("unknown country {c:?}: {e}")))?;
            if run.country(&country.iso3).is_none() {
                return Err(ApiError(AppError::NotFound(format!(
                    "{} ({}) is not in the forecast as of {}",
                    country.name, country.iso3, run.meta.as_of
                ))));
            }
            Some(country.iso3.clone())
        }
    };
    let rows: Vec<_> = run
        .months
        .iter()
        .filter(|m| iso3.as_deref().is_none_or(|i| m.iso3 == i))
        .collect();
    let total = rows.len();
    let rows = page.slice(&rows);
    let outlook = iso3.as_deref().and_then(|i| run.country(i));
    let meta = json!({
        "label": run.meta.label, "as_of": run.meta.as_of, "months": run.meta.months, "vintage": run.meta.vintage,
        "model": model_tag(&run), "seed": run.meta.seed, "draws": run.meta.draws,
        "outcome": "state-based battle deaths per country-month (UCDP GED)",
        "country": outlook.map(|c| json!({
            "iso3": c.iso3, "name": c.name, "views_id": c.views_id, "p_any_ge25_next12": c.p_any_ge25_next12,
            "novelty": c.novelty.as_ref().map(|n| json!({"score": n.score, "percentile": n.percentile, "flagged": n.flagged, "label": n.label})),
            "drivers": c.drivers.iter().map(|d| json!({"feature": d.feature, "label": d.label, "value": d.value, "contribution": d.contribution, "text": d.text})).collect::<Vec<_>>(),
        })),
    });
    let f = |g: fn(&attache_store::MonthOutlook) -> f64| {
        Column::Float(rows.iter().map(|m| Some(g(m))).collect())
    };
    let table = Table::new(format!("attache-forecasts-{}", run.meta.as_of), meta)
        .with(
            "iso3",
            Column::Text(rows.iter().map(|m| Some(m.iso3.clone())).collect()),
        )
        .with(
            "views_id",
            Column::Int(rows.iter().map(|m| Some(m.views_id)).collect()),
        )
        .with(
            "month",
            Column::Text(rows.iter().map(|m| Some(m.month_id.to_string())).collect()),
        )
        .with(
            "month_id",
            Column::Int(rows.iter().map(|m| Some(m.month_id.0 as i64)).collect()),
        )
        .with("median", f(|m| m.median))
        .with("q05", f(|m| m.q05))
        .with("q25", f(|m| m.q25))
        .with("q75", f(|m| m.q75))
        .with("q95", f(|m| m.q95))
        .with("p_ge_25", f(|m| m.p_ge_25));
    respond(table, format, Some(pagination(page, total)))
}

/// `GET /api/v1/forecasts/watchlist?as_of=YYYY-MM[&format=json|csv|parquet]`: the watch list
/// (quiet countries by onset risk), the table the home page shows the first rows of.
pub async fn watchlist(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&["as_of", "format", "model"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
    let run = state.run(params.as_of()?)?;
    crate::views::check_model(&params, &run)?;
    respond(crate::views::forecasts::watch_table(&run), format, None)
}

pub async fn runs(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&[])?;
    let runs = state.runs()?;
    Ok(
        Json(json!({"data": runs.iter().rev().map(|m| m.to_string()).collect::<Vec<_>>()}))
            .into_response(),
    )
}
