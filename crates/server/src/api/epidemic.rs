//! `GET /api/v1/epidemic`: the epidemic scenario's per-country table as JSON (or CSV/Parquet),
//! the very table the `/epidemic` page renders (`views::epidemic::table`), with the same
//! parameters.

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::ErrorBody;
use crate::params::ApiParams;
use crate::views::epidemic;

/// The cross-border epidemic simulator on the country air network.
///
/// One row per country, earliest median arrival first: arrival day (median, 5th and 95th
/// percentile, days after day 0), the share of runs with an arrival within the horizon, the
/// median peak day and the attack rate; with `lever`, the same runs without the levers give
/// `baseline_arrival_median`, the delay the levers buy (`delay_*`, over the runs where the
/// baseline arrived; null = kept out within the horizon) and the infections they avoid.
/// `meta` names the model, day 0, the network's vintage and the world attack rate. Reference
/// simulations from a seeded chain-binomial ensemble: the same parameters give the same numbers.
#[utoipa::path(get, path = "/epidemic", tag = "epidemic",
    params(
        ("model" = Option<String>, Query, pattern = "^(sir|seir)$", description = "Compartmental model (seir by default)."),
        ("r0" = Option<f64>, Query, description = "Basic reproduction number (2.2 by default)."),
        ("infectious_days" = Option<f64>, Query, description = "Mean infectious period in days (5 by default)."),
        ("latent_days" = Option<f64>, Query, description = "Mean latent period in days, SEIR (3 by default)."),
        ("seed" = Option<String>, Query, description = "Initial infections `ISO3:COUNT@YYYY-MM-DD`, several separated by `;` (CHN:10@2019-12-01 by default). Day 0 is the earliest date."),
        ("lever" = Option<String>, Query, description = "The option's levers, separated by `;`, in the grammar of `attache epidemic --lever`: travel:ISO3*FACTOR@DATE, route:ISO3-ISO3*FACTOR@DATE, distancing:ISO3*FACTOR@DATE..DATE, screen:exit|entry:ISO3=FRACTION, vaccinate:ISO3=FRACTION[/day]@DATE."),
        ("ensemble" = Option<usize>, Query, minimum = 1, maximum = 1000, description = "Stochastic runs (100 by default; at most 100 without signing in)."),
        ("rng_seed" = Option<u64>, Query, description = "Seed of the random streams (1 by default)."),
        ("days" = Option<usize>, Query, minimum = 1, maximum = 730, description = "Days simulated after day 0 (365 by default)."),
        ("show" = Option<String>, Query, description = "Up to three countries whose daily incidence the page charts (no effect on the table)."),
        FormatArg),
    responses((status = 200, description = "Countries", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "Malformed or unknown parameter, or a seed or lever the network cannot place", body = ErrorBody),
        (status = 503, description = "No air routes or populations synced yet, or the simulation pool is full", body = ErrorBody)))]
pub async fn scenario(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_scenario>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let r = epidemic::run(&state, &viewer, &params).await?;
    respond(epidemic::table(&r), format, None)
}
