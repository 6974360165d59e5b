//! `GET /api/v1/sources[?format]`: the current vintage's sources (publisher, licence, citation,
//! publication lag) in `meta`, and its files (URL, sha256, row accounting) as data.

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::error::ErrorBody;
use crate::params::ApiParams;

#[utoipa::path(get, path = "/sources", tag = "sources",
    summary = "The current data vintage: sources (licence, citation, lag) in meta, and files (URL, sha256, rows) as data",
    params(FormatArg),
    responses((status = 200, description = "Files of the vintage; sources in meta", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody), (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    respond(crate::views::sources::files_table(&state)?, format, None)
}
