//! `GET /api/v1/trade/simulate`, `GET /api/v1/trade/gaps` and `GET /api/v1/trade/country/{code}`:
//! the trade scenario's, the mirror statistics' and a country's partners' tables as JSON (or CSV/Parquet), the very tables the `/trade` and
//! `/trade/gaps` pages render (`views::trade`), with the same parameters.

use axum::extract::State;

use super::{ApiResult, FormatArg, TableAnswer, respond};
use crate::AppState;
use crate::auth::ApiViewer;
use crate::error::{AppError, ErrorBody};
use crate::params::ApiParams;
use crate::views::trade;

/// A trade-policy scenario in general equilibrium (structural gravity, GE-PPML).
///
/// One row per country of the gravity panel, the largest change in real GDP first: the
/// percent change in real GDP and in international exports once the economy has fully
/// adjusted (`*_p05`, `*_p95`: the equilibrium re-solved with the estimated effects at their
/// 5th and 95th percentiles, and sigma 5 and 9 for tariffs), exports with output held
/// (`exports_conditional`), the factory-gate price and the inward and outward multilateral
/// resistances. `meta` names the baseline year, the estimated effects and the vintage. A
/// reference simulation on an old baseline: read the direction and the rough size.
#[utoipa::path(get, path = "/trade/simulate", tag = "trade",
    params(
        ("scenario" = String, Query, description = "The scenario: `rta-add A,B,..`, `rta-remove A,B,..`, `tariff IMPORTERS on EXPORTERS RATE%`, `sanction SENDERS on TARGETS`, `sanction-lift SENDERS on TARGETS` (ISO3 codes; several joined by `;`), e.g. `tariff USA on CHN 25%`."),
        FormatArg),
    responses((status = 200, description = "Countries", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "No scenario, a malformed one, a country not in the panel, or a scenario that changes nothing", body = ErrorBody),
        (status = 503, description = "No gravity panel synced yet, or the simulation pool is full", body = ErrorBody)))]
pub async fn simulate(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_simulate>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let scenario = trade::parse(&params)?.ok_or_else(|| {
        AppError::BadRequest("scenario: required, e.g. scenario=tariff USA on CHN 25%".into())
    })?;
    let r = trade::run(&state, scenario).await?;
    respond(trade::table(&r), format, None)
}

/// Mirror statistics of bilateral trade (WITS 2009): each flow as both sides reported it.
///
/// One row per exporter-importer flow, the largest |gap| first: the exporter's figure (FOB)
/// and the importer's (CIF) in thousand US dollars, who reported it, the gap (imports/1.06
/// minus exports) and its share of the larger figure, the flag (|gap| at least 50% of the
/// larger figure and at least 10 million USD), the gravity check's prediction and outlier
/// mark, and the file lines behind it. A flag is a question for an analyst, not a finding.
#[utoipa::path(get, path = "/trade/gaps", tag = "trade",
    params(
        ("country" = Option<String>, Query, description = "Only flows to or from this country (ISO3, any code or name)."),
        ("flagged" = Option<bool>, Query, description = "Only flagged flows (a gap or a gravity outlier)."),
        FormatArg),
    responses((status = 200, description = "Flows", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 400, description = "Malformed or unknown parameter, or an unknown country", body = ErrorBody),
        (status = 503, description = "No WITS table synced yet", body = ErrorBody)))]
pub async fn gaps(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_gaps>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let q = trade::parse_gaps(&params)?;
    let g = trade::gaps(&state).await?;
    respond(trade::gaps_table(&g, &q), format, None)
}

/// One country's trade partners: the gravity panel's baseline-year flows and the WITS 2009
/// mirror statistics.
///
/// One row per partner, largest baseline trade first: exports and imports in the gravity
/// panel's baseline year (million USD), whether a regional trade agreement and a complete trade
/// sanction (GSDB) were in force, the 2009 flows as the country and as the partner reported
/// them (thousand USD), and whether either flow's gap is flagged. A country outside the panel
/// has only the 2009 columns.
#[utoipa::path(get, path = "/trade/country/{code}", tag = "trade",
    params(("code" = String, Path, description = "Any code (ISO3, ISO2, numeric, GW, COW, ...) or name."), FormatArg),
    responses((status = 200, description = "Partners", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 404, description = "Unknown country, or one with no trade in either source", body = ErrorBody),
        (status = 503, description = "No gravity panel or WITS table synced yet", body = ErrorBody)))]
pub async fn country(
    State(state): State<AppState>,
    ApiViewer(_viewer): ApiViewer,
    axum::extract::Path(code): axum::extract::Path<String>,
    ApiParams(params): ApiParams,
) -> ApiResult {
    params.only_documented::<__path_country>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let iso3 = attache_core::Crosswalk::global()
        .find(&code)
        .map_err(|e| AppError::NotFound(format!("unknown country {code:?}: {e}")))?
        .iso3
        .clone();
    let c = trade::country(&state, &iso3).await?;
    respond(trade::country_table(&c), format, None)
}
