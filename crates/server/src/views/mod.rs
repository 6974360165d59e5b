//! The views: for each resource, what the server computes and the one
//! [`Table`](crate::download::Table) its HTML page renders, its `?format=` downloads serve and
//! its API answers. `pages/` and `api/` both read these modules and never each other; views
//! read the state and never pages or the API.

pub mod alerts;
pub mod briefs;
pub mod climate;
pub mod epidemic;
pub mod events;
pub mod forecasts;
pub mod indices;
pub mod jobs;
pub mod negotiation;
pub mod predictors;
pub mod signals;
pub mod sources;
pub mod trade;
pub mod users;

use attache_core::MonthId;
use attache_store::ForecastRun;

use crate::error::AppError;
use crate::params::Params;

/// The required `country` parameter of a view: any code or name the crosswalk knows.
pub fn country_param(params: &Params) -> Result<&'static attache_core::Country, AppError> {
    let c = params
        .get("country")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| AppError::BadRequest("country: name a country (ISO3 or name)".into()))?;
    attache_core::Crosswalk::global()
        .find(c)
        .map_err(|e| AppError::BadRequest(format!("country={c:?}: {e}")))
}

/// `model=NAME@VERSION` as carried by permalinks: the run must be what the link was made from.
pub fn model_tag(run: &ForecastRun) -> String {
    format!("{}@{}", run.meta.model, run.meta.model_version)
}

/// Checks a permalink's `model` against the run it resolves to.
pub fn check_model(params: &Params, run: &ForecastRun) -> Result<(), AppError> {
    match params.get("model") {
        Some(m) if m != model_tag(run) => Err(AppError::NotFound(format!(
            "this link names model {m}, but the forecast as of {} was made with {}",
            run.meta.as_of,
            model_tag(run)
        ))),
        _ => Ok(()),
    }
}

/// The as-of month of a run.
pub fn run_month(run: &ForecastRun) -> Result<MonthId, AppError> {
    MonthId::parse_ym(&run.meta.as_of)
        .map_err(|e| AppError::internal(format!("stored run as_of {:?}: {e}", run.meta.as_of)))
}

/// Minimal URL query encoding for values we put in links.
pub fn enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// Now, UTC, RFC 3339 to the second: when a person's step (an alert moved, a position edited)
/// was taken.
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let d = attache_core::Date::from_days_since_epoch(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400);
    format!("{d}T{:02}:{:02}:{:02}Z", r / 3600, r % 3600 / 60, r % 60)
}
