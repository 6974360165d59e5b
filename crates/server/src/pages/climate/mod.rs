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

pub use crate::views::climate::{
    CLIMATE_NOTE, POLICY_SOURCES, conditional, mt, param_set, scenario, signed_mt,
};

use attache_climate::calibration::ParamSet;
use maud::{Markup, html};

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
