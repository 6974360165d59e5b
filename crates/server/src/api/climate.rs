//! `GET /api/v1/climate/...`: the climate views' tables as JSON (or CSV/Parquet), the very
//! tables the pages render (`pages::climate::*::table`): `scenarios` (the explorer, same
//! parameters), `warming` (built-in scenarios), `countries` (paginated), `countries/{iso3}`,
//! `blocs`.

use axum::extract::{OriginalUri, Path, State};

use super::{ApiResult, FormatArg, TableAnswer, respond, respond_list};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::{AppError, ErrorBody};
use crate::params::{ApiParams, Page};
use crate::views::climate::{blocs, countries, country, explorer, warming};

/// The climate scenario explorer: current policies, NDCs and a user scenario, year by year.
///
/// Global fossil CO2, total CO2 fed to the emulator, warming against 1850-1900 with ensemble
/// quantiles, and CO2 concentration per scenario and year; `meta.scenarios` summarises each
/// (warming in 2100, peak, years 1.5 and 2 C are passed, AR6 remaining budgets). Reference
/// projections. Besides the parameters below, the sliders: `{group}_2030` (fossil CO2 in 2030
/// as a percentage of the jump-off year, 0 to 200) and `{group}_nz` (net-zero year, 2030 to
/// 2101 = as pledged) for the groups chn, usa, eu, ind, rus, jpn and row.
#[utoipa::path(get, path = "/climate/scenarios", tag = "climate",
    params(
        ("reference" = Option<String>, Query, pattern = "^(ssp119|ssp126|ssp245|ssp370|ssp585)$", description = "SSP supplying land-use CO2 and the other gases (ssp245 by default)."),
        ("params" = Option<String>, Query, pattern = "^(fair16|calibrated|calibrated-hist|three-layer)$", description = "Emulator parameter set (calibrated-hist by default)."),
        ("ensemble" = Option<usize>, Query, minimum = 0, maximum = 500, description = "Ensemble members for the quantiles (100 by default; at most 100 without signing in)."),
        ("pledges" = Option<String>, Query, pattern = "^(unconditional|conditional)$", description = "Which end of pledged ranges."),
        ("edit" = Option<String>, Query, description = "Pledge edits `ISO3=spec;ISO3=spec` in the grammar of `attache climate pledges --edit`."),
        FormatArg),
    responses((status = 200, description = "Scenario rows", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody), (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn scenarios(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    // The view checks the names itself (the sliders' names are patterns); a test pins its
    // list to this declaration.
    let FormatArg { format } = FormatArg::parse(&params)?;
    let r = explorer::run(&state, &viewer, &params).await?;
    respond(explorer::table(&r), format, None)
}

/// The climate emulator on built-in emission scenarios (RCPs, SSPs).
///
/// Columns as `attache climate warming --format csv` (year, temperature_c, co2_ppm, and with an
/// ensemble temperature_p05..p95) with a scenario column; `meta.warming_2081_2100` compares the
/// SSPs with IPCC AR6 SPM.1.
#[utoipa::path(get, path = "/climate/warming", tag = "climate",
    params(
        ("scenarios" = Option<String>, Query, description = "Comma-separated built-in scenarios (default: the five SSPs)."),
        ("params" = Option<String>, Query, pattern = "^(fair16|calibrated|calibrated-hist|three-layer)$", description = "Emulator parameter set (calibrated by default)."),
        ("ensemble" = Option<usize>, Query, minimum = 0, maximum = 1000, description = "Ensemble members (100 by default; at most 100 without signing in)."),
        ("seed" = Option<u64>, Query, description = "Ensemble seed (1 by default)."),
        ("to" = Option<i32>, Query, minimum = 2030, maximum = 2300, description = "Last year (2100 by default)."),
        FormatArg),
    responses((status = 200, description = "Scenario rows", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody)))]
pub async fn warming(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_warming>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let r = warming::run(&state, &viewer, &params).await?;
    respond(warming::table(&r), format, None)
}

#[utoipa::path(get, path = "/climate/countries", tag = "climate",
    summary = "Paris progress of every country: emissions, trend, NDC target, gap at the current trend, rating band",
    params(FormatArg, Page),
    responses((status = 200, description = "Countries, largest emitter first (default 500 a page)", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody), (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn countries(
    State(state): State<AppState>,
    OriginalUri(uri): OriginalUri,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_countries>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let data = state.climate().await?;
    respond_list(countries::table(&data), format, &params, 500, &uri)
}

/// One country's Paris progress, fair shares and rating (as `attache climate country`).
///
/// Rows: year, history, current policies, pledge pathway and target path (Mt CO2). `meta`
/// carries the numbers of `attache climate country ISO3 --format json`.
#[utoipa::path(get, path = "/climate/countries/{code}", tag = "climate",
    params(
        ("code" = String, Path, description = "ISO3 code, or any code or name the crosswalk knows."),
        ("edit" = Option<String>, Query, description = "Replace or amend the NDC pledge (`base:2005,cut:50,by:2030,netzero:2050`)."),
        ("pledges" = Option<String>, Query, pattern = "^(unconditional|conditional)$", description = "Which end of pledged ranges."),
        ("from" = Option<i32>, Query, minimum = 1750, maximum = 2019, description = "First year of the rows (1990 by default)."),
        ("to" = Option<i32>, Query, minimum = 2030, maximum = 2100, description = "Last year of the rows (2060 by default)."),
        FormatArg),
    responses((status = 200, description = "Years", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 404, description = "Unknown country", body = ErrorBody),
        (status = 422, description = "A pledge edit that is well-formed but invalid", body = ErrorBody), (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn country(
    State(state): State<AppState>,
    ApiParams(params): ApiParams,
    Path(code): Path<String>,
) -> ApiResult {
    params.only_documented::<__path_country>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let data = state.climate().await?;
    let iso3 = match data.world.country(&code.trim().to_ascii_uppercase()) {
        Some(c) => c.iso3.clone(),
        None => attache_core::Crosswalk::global()
            .find(&code)
            .map(|c| c.iso3.clone())
            .map_err(|e| AppError::NotFound(format!("unknown country {code:?}: {e}")))?,
    };
    let v = country::view(&data, &iso3, &params)?;
    respond(country::table(&v), format, None)
}

#[utoipa::path(get, path = "/climate/blocs", tag = "climate",
    summary = "Negotiating blocs: summed fossil CO2, trend, pledges and trend in 2030, gap",
    params(("ids" = Option<String>, Query, description = "Comma-separated bloc ids (default: all)."), FormatArg),
    responses((status = 200, description = "Blocs", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 404, description = "Unknown bloc", body = ErrorBody), (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn blocs(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_blocs>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let data = state.climate().await?;
    let ids = blocs::selected(&data, &params)?;
    respond(blocs::table(&data, &ids), format, None)
}
