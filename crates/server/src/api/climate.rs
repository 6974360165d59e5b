//! `GET /api/v1/climate/...`: the climate views' tables as JSON (or CSV/Parquet), the very
//! tables the pages render (`pages::climate::*::table`): `scenarios` (the explorer, same
//! parameters), `warming` (built-in scenarios), `countries` (paginated), `countries/{iso3}`,
//! `blocs`.

use axum::extract::{Path, State};

use super::{ApiResult, DATA_FORMATS, pagination, respond};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::AppError;
use crate::params::{ApiParams, Format};
use crate::views::climate::{blocs, countries, country, explorer, warming};

pub async fn scenarios(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    let format = params.format(Format::Json, DATA_FORMATS)?;
    let r = explorer::run(&state, &viewer, &params).await?;
    respond(explorer::table(&r), format, None)
}

pub async fn warming(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    let format = params.format(Format::Json, DATA_FORMATS)?;
    let r = warming::run(&state, &viewer, &params).await?;
    respond(warming::table(&r), format, None)
}

pub async fn countries(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&["format", "page", "per_page"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
    let page = params.page(500)?;
    let data = state.climate().await?;
    let t = countries::table(&data);
    let total = t.rows();
    respond(t.page(page), format, Some(pagination(page, total)))
}

pub async fn country(
    State(state): State<AppState>,
    ApiParams(params): ApiParams,
    Path(code): Path<String>,
) -> ApiResult {
    params.only(&["edit", "pledges", "from", "to", "format"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
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

pub async fn blocs(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&["ids", "format"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
    let data = state.climate().await?;
    let ids = blocs::selected(&data, &params)?;
    respond(blocs::table(&data, &ids), format, None)
}
