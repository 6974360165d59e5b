//! `GET /api/v1/predictors[?format]`: the models briefs can attach outcomes of (the one
//! registry the binary builds), one row per quantity.

use axum::extract::State;

use super::{ApiResult, DATA_FORMATS, respond};
use crate::AppState;
use crate::params::{ApiParams, Format};

pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&["format"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
    respond(
        crate::views::predictors::table(&state.config.predictors),
        format,
        None,
    )
}
