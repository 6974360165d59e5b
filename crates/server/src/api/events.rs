//! `GET /api/v1/events`: a country's daily event index as JSON (or CSV/Parquet), the very
//! table the `/events` page renders (`views::events::table`).

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::error::ErrorBody;
use crate::params::ApiParams;
use crate::views::events;

/// Reported events a day in a country, from the imported feeds.
///
/// One row per feed and day: events, material conflict (QuadClass 4), conflict share
/// (QuadClass 3-4), mean Goldstein and tone, the share of the feed's volume that day and a
/// z-score of events against the country's previous 28 days. Counts of what the news reported,
/// not of what happened.
#[utoipa::path(get, path = "/events", tag = "events",
    params(
        ("country" = String, Query, description = "ISO3 code, or any code or name the crosswalk knows."),
        ("source" = Option<String>, Query, pattern = "^(gdelt|icews)$", description = "Only this feed."),
        FormatArg),
    responses((status = 200, description = "Days", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let v = events::view(&state, &params).await?;
    respond(events::table(&v), format, None)
}
