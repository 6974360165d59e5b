//! The climate views' shared parts: parameter parsing and number formats used by the views
//! and their pages alike, and the sources every policy view cites.

pub mod blocs;
pub mod countries;
pub mod country;
pub mod explorer;
pub mod warming;

use attache_climate::Scenario;
use attache_climate::calibration::ParamSet;

use crate::error::AppError;
use crate::params::Params;

/// Shown beside every climate number.
pub const CLIMATE_NOTE: &str = "Reference projections from a simple climate model and pledge pathways: the system advises, a person decides. Ranges show parameter uncertainty only.";

/// Sources whose data feed the policy views.
pub const POLICY_SOURCES: &[attache_core::SourceId] = &[
    attache_core::SourceId::CDIAC,
    attache_core::SourceId::WORLDBANK_WDI,
    attache_core::SourceId::NDC,
    attache_core::SourceId::COUNTRYGROUPS,
    attache_core::SourceId::CROSSWALK,
];

/// `params=` (default `default`).
pub fn param_set(params: &Params, default: ParamSet) -> Result<ParamSet, AppError> {
    match params.get("params") {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|e: String| AppError::BadRequest(format!("params={s:?}: {e}"))),
    }
}

/// A built-in scenario named by parameter `name`, among `allowed`.
pub fn scenario(
    params: &Params,
    name: &str,
    default: Scenario,
    allowed: &[Scenario],
) -> Result<Scenario, AppError> {
    let Some(s) = params.get(name) else {
        return Ok(default);
    };
    let sc: Scenario = s
        .parse()
        .map_err(|e: String| AppError::BadRequest(format!("{name}={s:?}: {e}")))?;
    if !allowed.contains(&sc) {
        let ids: Vec<&str> = allowed.iter().map(|s| s.id()).collect();
        return Err(AppError::BadRequest(format!(
            "{name}={s:?}: expected one of {}",
            ids.join(", ")
        )));
    }
    Ok(sc)
}

/// `pledges=unconditional|conditional`: which end of pledged ranges.
pub fn conditional(params: &Params) -> Result<bool, AppError> {
    match params.get("pledges") {
        None | Some("unconditional") => Ok(false),
        Some("conditional") => Ok(true),
        Some(s) => Err(AppError::BadRequest(format!(
            "pledges={s:?}: expected unconditional or conditional"
        ))),
    }
}

/// A signed number of Mt with no decimals (`+123`), as `attache climate country` prints gaps.
pub fn signed_mt(v: f64) -> String {
    format!("{v:+.0}")
}

/// Mt with no decimals.
pub fn mt(v: f64) -> String {
    format!("{v:.0}")
}
