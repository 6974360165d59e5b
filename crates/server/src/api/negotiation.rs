//! `GET /api/v1/negotiate/{id}`, `GET /api/v1/negotiate/{id}/proposal`,
//! `GET /api/v1/votes/power` and `GET /api/v1/votes/agreement`: the tables the `/negotiate`,
//! `/votes/power` and `/votes/agreement` pages render (`views::negotiation`), with the same
//! parameters.

use axum::extract::{Path, State};

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::ErrorBody;
use crate::params::ApiParams;
use crate::views::negotiation;

/// A negotiation's positions, as analysts last left them.
///
/// One row per stated position: the actor (key, name, kind, whether a party), the issue, the
/// option it prefers, its support per option (0 to 1, in the order), its priority
/// weight, its red lines, and the public source and date the coding rests on. The metadata
/// gives the version and the issues with their options.
#[utoipa::path(get, path = "/negotiate/{id}", tag = "negotiation",
    params(("id" = String, Path, description = "The negotiation, e.g. laws-ccw."), FormatArg),
    responses((status = 200, description = "Positions", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 404, description = "No such negotiation", body = ErrorBody)))]
pub async fn positions(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Path(id): Path<String>,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_positions>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let c = negotiation::current(&state, &id).await?;
    respond(
        negotiation::positions_table(&c.tracker, c.version.as_ref()),
        format,
        None,
    )
}

/// The packages a negotiation's positions allow, and the proposal.
///
/// One row per package that respects the parties' red lines: whether it is the proposal
/// (the package that maximises the minimum normalised gain), whether it is Pareto-optimal, its
/// smallest normalised gain and each party's utility. The metadata names the proposal, its
/// criterion, the holdouts and the predicted acceptability.
#[utoipa::path(get, path = "/negotiate/{id}/proposal", tag = "negotiation",
    params(("id" = String, Path, description = "The negotiation, e.g. laws-ccw."),
        ("parties" = Option<String>, Query, description = "Actor keys at the table, comma-separated (default: the actors marked as parties)."),
        ("vary" = Option<String>, Query, description = "ACTOR:ISSUE whose weight the page's sensitivity sweep varies (no effect on the table)."),
        FormatArg),
    responses((status = 200, description = "Packages", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "An unknown actor or parameter", body = ErrorBody),
        (status = 404, description = "No such negotiation", body = ErrorBody),
        (status = 422, description = "Fewer than two parties, or every package crosses a red line", body = ErrorBody)))]
pub async fn proposal(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    Path(id): Path<String>,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_proposal>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let c = negotiation::current(&state, &id).await?;
    let q = negotiation::ProposalQuery::parse(&params, &c.tracker)?;
    let (t, q2) = (c.tracker.clone(), q.clone());
    let (p, _) = state
        .work
        .run(move || negotiation::proposals(&t, &q2))
        .await?;
    respond(
        negotiation::proposal_table(&c.tracker, &q, &p),
        format,
        None,
    )
}

/// Exact voting power (Shapley-Shubik, normalised Banzhaf) of a weighted or preset game.
///
/// One row per member: member, weight, shapley_shubik, banzhaf (the columns of `attache votes
/// power`), and with `without` the power after that member leaves.
#[utoipa::path(get, path = "/votes/power", tag = "negotiation",
    params(("game" = Option<String>, Query, description = "unsc or eu-council (default unsc when no quota is given)."),
        ("quota" = Option<String>, Query, description = "The total weight a coalition needs."),
        ("weights" = Option<String>, Query, description = "Weights, comma-separated (integers, or decimals with at most 6 places)."),
        ("names" = Option<String>, Query, description = "Member names, comma-separated."),
        ("without" = Option<String>, Query, description = "A member who leaves: power before and after."),
        ("coalition" = Option<String>, Query, description = "A member whose smallest winning coalitions the page lists (no effect on the table)."),
        FormatArg),
    responses((status = 200, description = "Members", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "A bad number, an unknown member or parameter", body = ErrorBody),
        (status = 422, description = "A game too large for exact power", body = ErrorBody)))]
pub async fn power(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_power>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let v = negotiation::power(&state, &params).await?;
    respond(negotiation::power_table(&v), format, None)
}

/// Agreement of every state with one state in the UN General Assembly's recorded votes of
/// one year.
///
/// One row per other state: iso3 (the chosen state), year, other, agreement (yes 1, abstain
/// 0.5, no 0; the mean of 1 - |difference| over the roll calls both took part in; absences
/// left out) and the number of those roll calls: the columns of `attache votes agreement`.
#[utoipa::path(get, path = "/votes/agreement", tag = "negotiation",
    params(("with" = Option<String>, Query, description = "The state (any code or name; default USA)."),
        ("year" = Option<i32>, Query, description = "The calendar year (default: the last in the record)."),
        FormatArg),
    responses((status = 200, description = "States", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "An unknown state, a year outside the record or an unknown parameter", body = ErrorBody),
        (status = 404, description = "The state cast no vote that year", body = ErrorBody),
        (status = 503, description = "No UN votes synced yet", body = ErrorBody)))]
pub async fn agreement(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_agreement>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let a = negotiation::agreement(&state, &params).await?;
    respond(negotiation::agreement_table(&a), format, None)
}
