//! `GET /api/v1/alerts`: the alerts of the event rules as JSON (or CSV/Parquet), the very table
//! the `/alerts` page renders (`views::alerts::table`).

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::error::ErrorBody;
use crate::params::ApiParams;
use crate::views::alerts;

/// Warning signs raised by stated rules on the imported event feeds, newest first.
///
/// One row per alert: rule, country, day, level, the measure and the threshold it passed, the
/// explanation, how many evidence rows it carries and its permalink (`/alerts/{id}` lists the
/// events and articles). A reference for an analyst, not a finding.
#[utoipa::path(get, path = "/alerts", tag = "events",
    params(
        ("country" = Option<String>, Query, description = "ISO3 code, or any code or name the crosswalk knows."),
        ("rule" = Option<String>, Query, pattern = "^(nb_cusum|goldstein_shift|tone_shift|conflict_share_shift|hdx_surge)$", description = "Only this rule."),
        FormatArg),
    responses((status = 200, description = "Alerts", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let f = alerts::filter(&params)?;
    let rows = alerts::select(alerts::all(&state).await?, &f);
    respond(alerts::table(&rows, &f), format, None)
}
