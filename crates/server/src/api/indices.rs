//! `GET /api/v1/sdg` and `GET /api/v1/risk`: the SDG Index and INFORM Risk tables the `/sdg`
//! and `/risk` pages render (`views::indices`), with the same parameters.

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::ErrorBody;
use crate::params::ApiParams;
use crate::views::indices;

/// The SDG Index per country, recomputed from the goal scores (SDSN, Sustainable Development
/// Report).
///
/// One row per country, ranked countries first (best first): our index, the published one,
/// the 17 goal scores, whether the country is ranked (at most 20% of the goals missing) and
/// its rank. `year=2023` (default) is the SDR 2023 table (a missing goal filled by its region's
/// mean); 2000-2022 the SDG Index series (the mean of the goals with data).
#[utoipa::path(get, path = "/sdg", tag = "indices",
    params(
        ("year" = Option<i32>, Query, description = "2023 (the SDR 2023 table, default) or a year of the 2000-2022 series."),
        ("goal" = Option<usize>, Query, minimum = 1, maximum = 17, description = "The goal the page maps (no effect on the table)."),
        FormatArg),
    responses((status = 200, description = "Countries", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "A year or goal out of range, or an unknown parameter", body = ErrorBody),
        (status = 503, description = "No SDG tables synced yet", body = ErrorBody)))]
pub async fn sdg(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_sdg>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let d = indices::sdg(&state).await?;
    let q = indices::parse_sdg(&params, d.last_year)?;
    respond(indices::sdg_table(&d, &q), format, None)
}

/// INFORM Risk 2025 per country, recomputed from its 22 components (JRC).
///
/// One row per country, highest risk first: the risk (0-10), its three dimensions and class
/// as we compute them by the JRC's aggregation, the published risk, and the JRC's
/// lack-of-reliability index.
#[utoipa::path(get, path = "/risk", tag = "indices",
    params(FormatArg),
    responses((status = 200, description = "Countries", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "An unknown parameter", body = ErrorBody),
        (status = 503, description = "No INFORM table synced yet", body = ErrorBody)))]
pub async fn risk(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_risk>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let d = indices::risk(&state).await?;
    respond(indices::risk_table(&d), format, None)
}
