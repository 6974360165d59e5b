//! `GET /api/v1/predictors[?format]`: the models briefs can attach outcomes of (the one
//! registry the binary builds), one row per quantity.

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::error::ErrorBody;
use crate::params::ApiParams;

#[utoipa::path(get, path = "/predictors", tag = "predictors",
    summary = "The models briefs can attach outcomes of (the deployment's one registry), one row per quantity: model, kind, unit, subjects, scenarios, settings",
    params(FormatArg),
    responses((status = 200, description = "Predictors and their quantities", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    respond(
        crate::views::predictors::table(&state.config.predictors),
        format,
        None,
    )
}
