//! `GET /api/v1/forecasts?country=ISO3&as_of=YYYY-MM[&format=json|csv|parquet][&page&per_page]`:
//! the stored forecast run's country-months (median, 50% and 90% intervals, P(>= 25)); the
//! same numbers `attache forecast show` prints. `GET /api/v1/forecasts/runs`: the as-of months.
//! `GET /api/v1/forecasts/watchlist`: quiet countries ranked by onset risk.

use axum::Json;
use axum::extract::{OriginalUri, State};
use axum::response::IntoResponse;
use serde_json::json;

use super::{ApiResult, FormatArg, TableAnswer, respond, respond_list};
use crate::AppState;
use crate::download::{Column, Table};
use crate::error::ErrorBody;
use crate::params::{ApiParams, Page};
use crate::views::model_tag;

/// Conflict forecasts per country-month from a stored run.
///
/// Median, 50% and 90% intervals and P(>= 25) of state-based battle deaths per month (rows as
/// the `ForecastRow` schema). With `country`, `meta.country` carries P(>= 25 in any of the next
/// 12 months), the novelty flag and the drivers in words. Reference forecasts: the system
/// advises, a person decides.
#[utoipa::path(get, path = "/forecasts", tag = "forecasts",
    params(
        ("country" = Option<String>, Query, description = "ISO3 code (or any code or name the crosswalk knows), or up to five separated by commas (compare)."),
        ("as_of" = Option<String>, Query, pattern = "^[0-9]{4}-[0-9]{2}$", description = "The run's last month of data, YYYY-MM; default: the latest run."),
        ("model" = Option<String>, Query, description = "NAME@VERSION the run must have been made with (permalinks)."),
        FormatArg, Page),
    responses(
        (status = 200, description = "Forecast rows (default 500 a page)", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 404, description = "Unknown country or no run as of that month", body = ErrorBody),
        (status = 503, description = "No forecast run stored yet", body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let run = state.run(params.as_of()?)?;
    crate::views::check_model(&params, &run)?;
    // One country (`meta.country` carries its outlook) or up to five, comma-separated
    // (`meta.countries`), as `/compare` shows them.
    let iso3s: Option<Vec<String>> = match params.get("country") {
        None => None,
        Some(c) => Some(crate::views::forecasts::compare_list(c, &run)?),
    };
    let rows: Vec<_> = run
        .months
        .iter()
        .filter(|m| iso3s.as_ref().is_none_or(|l| l.contains(&m.iso3)))
        .collect();
    let outlook_json = |c: &attache_store::CountryOutlook| {
        json!({
            "iso3": c.iso3, "name": c.name, "views_id": c.views_id, "p_any_ge25_next12": c.p_any_ge25_next12,
            "novelty": c.novelty.as_ref().map(|n| json!({"score": n.score, "percentile": n.percentile, "flagged": n.flagged, "label": n.label})),
            "drivers": c.drivers.iter().map(|d| json!({"feature": d.feature, "label": d.label, "value": d.value, "contribution": d.contribution, "text": d.text})).collect::<Vec<_>>(),
        })
    };
    let outlooks: Vec<_> = iso3s
        .iter()
        .flatten()
        .filter_map(|i| run.country(i))
        .collect();
    let meta = json!({
        "label": run.meta.label, "as_of": run.meta.as_of, "months": run.meta.months, "vintage": run.meta.vintage,
        "model": model_tag(&run), "seed": run.meta.seed, "draws": run.meta.draws,
        "outcome": "state-based battle deaths per country-month (UCDP GED)",
        "country": (outlooks.len() == 1).then(|| outlook_json(outlooks[0])),
        "countries": (outlooks.len() > 1).then(|| outlooks.iter().map(|c| outlook_json(c)).collect::<Vec<_>>()),
    });
    let table = rows_table(
        Table::new(format!("attache-forecasts-{}", run.meta.as_of), meta),
        &rows,
    );
    respond_list(table, format, &params, 500, &uri)
}

/// The forecast rows' columns; the OpenAPI document's `ForecastRow` is derived from them.
pub fn rows_table(table: Table, rows: &[&attache_store::MonthOutlook]) -> Table {
    let f = |g: fn(&attache_store::MonthOutlook) -> f64| {
        Column::Float(rows.iter().map(|m| Some(g(m))).collect())
    };
    table
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
        .with("p_ge_25", f(|m| m.p_ge_25))
}

/// `GET /api/v1/forecasts/watchlist?as_of=YYYY-MM[&format=json|csv|parquet]`: the watch list
/// (quiet countries by onset risk), the table the home page shows the first rows of.
#[utoipa::path(get, path = "/forecasts/watchlist", tag = "forecasts",
    summary = "The watch list: countries with no month of 25+ deaths in the 12 up to the run's as-of month, ranked by P(>= 25 deaths in a month of the next 12)",
    params(
        ("as_of" = Option<String>, Query, pattern = "^[0-9]{4}-[0-9]{2}$", description = "YYYY-MM of a stored run (default: the latest)."),
        ("model" = Option<String>, Query, description = "NAME@VERSION the run must have been made with (permalinks)."),
        FormatArg),
    responses(
        (status = 200, description = "Watch list", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 404, description = "No run as of that month", body = ErrorBody),
        (status = 503, description = "No forecast run stored yet", body = ErrorBody)))]
pub async fn watchlist(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_watchlist>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let run = state.run(params.as_of()?)?;
    crate::views::check_model(&params, &run)?;
    respond(crate::views::forecasts::watch_table(&run), format, None)
}

/// The as-of months with a stored run, newest first.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RunsAnswer {
    /// YYYY-MM, newest first.
    pub data: Vec<String>,
}

#[utoipa::path(get, path = "/forecasts/runs", tag = "forecasts",
    summary = "The as-of months with a stored run, newest first",
    responses(
        (status = 200, description = "Months", body = RunsAnswer),
        (status = 400, description = "Malformed parameter", body = ErrorBody)))]
pub async fn runs(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_runs>()?;
    let runs = state.runs()?;
    Ok(Json(RunsAnswer {
        data: runs.iter().rev().map(|m| m.to_string()).collect(),
    })
    .into_response())
}
