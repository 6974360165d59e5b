//! `GET /api/v1/sources[?format]`: the current vintage's sources (publisher, licence, citation,
//! publication lag) in `meta`, and its files (URL, sha256, row accounting) as data.

use axum::extract::State;

use super::{ApiResult, DATA_FORMATS, respond};
use crate::AppState;
use crate::params::{ApiParams, Format};

pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only(&["format"])?;
    let format = params.format(Format::Json, DATA_FORMATS)?;
    respond(crate::views::sources::files_table(&state)?, format, None)
}
