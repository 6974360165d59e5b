//! The climate pages: the scenario explorer with sliders (`/climate`), the emulator on the
//! built-in scenarios (`/climate/warming`), every country's Paris progress and rating band on a
//! map (`/climate/countries`), one country's progress (`/climate/country/{iso3}`), and the bloc
//! comparison (`/climate/blocs`). Each view builds one [`Table`](crate::download::Table) in a
//! `table` function that the page renders and the API (`/api/v1/climate/...`) serves, so a page,
//! its download and the API are the same numbers. The numbers are those of `attache climate`.

pub mod blocs;
pub mod countries;
pub mod country;
pub mod explorer;
pub mod warming;

use attache_climate::Scenario;
use attache_climate::calibration::ParamSet;
use maud::{Markup, html};

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

/// The climate section's tabs.
pub fn tabs(current: &str) -> Markup {
    let tab = |href: &str, label: &str| {
        html! { @if href == current { strong aria-current="page" { (label) } } @else { a href=(href) { (label) } } }
    };
    html! {
        nav.tabs aria-label="Climate" {
            (tab("/climate", "Scenario explorer")) " · "
            (tab("/climate/warming", "Emission scenarios")) " · "
            (tab("/climate/countries", "Paris progress by country")) " · "
            (tab("/climate/blocs", "Blocs"))
        }
    }
}

/// The "reference only" note of the climate pages.
pub fn climate_banner() -> Markup {
    html! { p.reference role="note" { (CLIMATE_NOTE) } }
}

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

/// `<option>`s of the parameter sets, `current` selected.
pub fn param_options(current: ParamSet) -> Markup {
    html! {
        @for p in ParamSet::ALL {
            option value=(p.id()) selected[p == current] { (p.id()) }
        }
    }
}

/// The licences of the policy views' sources (`ids`), with a link to the method too.
pub fn sources_table(
    lock: Option<&attache_store::Lockfile>,
    ids: &[attache_core::SourceId],
) -> Markup {
    crate::html::sources_table(
        lock,
        ids,
        html! { " · " a href="/methodology#climate" { "Method" } },
    )
}

/// A signed number of Mt with no decimals (`+123`), as `attache climate country` prints gaps.
pub fn signed_mt(v: f64) -> String {
    format!("{v:+.0}")
}

/// Mt with no decimals.
pub fn mt(v: f64) -> String {
    format!("{v:.0}")
}
