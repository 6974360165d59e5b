//! `GET /api/v1/speeches`: a state's UN General Debate speeches with their tone and topic
//! shares as JSON (or CSV/Parquet), the table the country page shows in part
//! (`views::signals::table`).

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::error::ErrorBody;
use crate::params::ApiParams;
use crate::views::signals;

/// A state's General Debate speeches, 1946-2024: tone and topic shares.
///
/// One row per speech: year, session, the corpus's code, words, sentences, the positive and
/// negative words of the stated lists, tone = ln((positive + 0.5) / (negative + 0.5)), and the
/// share of sentences on each topic (`topic_disarmament`, `topic_climate`,
/// `topic_human_rights`, `topic_development`, `topic_palestine`, `topic_conflict`). A
/// dictionary count, not a reading of intent. Empty when the data vintage has no speeches.
#[utoipa::path(get, path = "/speeches", tag = "signals",
    params(
        ("country" = String, Query, description = "ISO3 code, or any code or name the crosswalk knows."),
        FormatArg),
    responses((status = 200, description = "Speeches", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 503, description = "No data synced yet", body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let v = signals::speeches(&state, &params).await?;
    respond(signals::table(&v), format, None)
}
