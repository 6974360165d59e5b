//! `/climate/warming`: the emulator on the built-in emission scenarios (RCPs and the AR6 SSPs),
//! with an optional parameter ensemble: warming against 1850–1900 and CO2 concentration year by
//! year, and the SSPs' 2081–2100 means next to IPCC AR6 SPM.1. The numbers of `attache climate
//! warming --scenario S --params P [--ensemble N --seed K]`; the download has its columns
//! (`year,temperature_c,co2_ppm`, the quantiles `temperature_p05..p95`) with a `scenario` column
//! in front. Permalink: `/climate/warming?scenarios=ssp126,ssp245&params=calibrated&ensemble=100&seed=1&to=2100`.
//!
//! The page; the view (query, run, table) is `views::climate::warming`.

use attache_climate::Scenario;
use attache_viz::chart::line::YZero;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::{climate_banner, param_options, tabs};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts::climate::{Line, Warming, YearChart, warming, years};
use crate::error::AppError;
use crate::html::{page as layout, scrolling, view_links};
use crate::params::{Format, Params};

use crate::views::climate::warming::*;

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(Format::Html, &Format::TABLE)?;
    let r = run(&state, &viewer, &params).await?;
    if format != Format::Html {
        return table(&r).respond(format);
    }
    let scenarios = r
        .scenarios
        .iter()
        .map(|s| Warming {
            name: s.scenario.label().to_string(),
            line: s
                .years
                .iter()
                .copied()
                .zip(s.temperature.iter().copied())
                .collect(),
            likely: s
                .years
                .iter()
                .zip(&s.quantiles)
                .filter(|(y, _)| **y >= 2015)
                .map(|(y, q)| (*y, q[1], q[3]))
                .collect(),
        })
        .collect();
    let warming = warming(
        "warming",
        "Emulator runs on the published emission scenarios. Reference projection — not a decision.",
        scenarios,
    )?;
    let co2 = years(
        &YearChart {
            id: "co2",
            title: "Atmospheric CO₂ concentration",
            y_label: "ppm",
            caption: "Four-box carbon cycle with state-dependent uptake (FaIR 1.6).",
            decimals: 0,
            y_zero: YZero::Fit,
        },
        r.scenarios
            .iter()
            .map(|s| {
                Line::new(
                    s.scenario.label(),
                    s.years.iter().copied().zip(s.co2_ppm.iter().copied()),
                )
            })
            .collect(),
        vec![],
    )?;
    let body = html! {
        h1 { "Emission scenarios through the climate emulator" }
        (crate::html::how_to_read(&["Lines are the ensemble median warming for each scenario; bands are the likely (66%) ranges.", "Choose scenarios with the check boxes; the table gives the numbers for each year shown."]))
        (tabs("/climate/warming"))
        p.lede { "The published RCP and SSP emission pathways run through Attaché's FaIR 1.6.4-compatible emulator, as " code { "attache climate warming" } " does." }
        (climate_banner())
        form #warming-form method="get" action="/climate/warming" {
            fieldset {
                legend { "Scenarios" }
                label { "Scenarios (comma-separated) " input type="text" name="scenarios" id="scenarios" size="40" value=(r.scenarios.iter().map(|s| s.scenario.id()).collect::<Vec<_>>().join(",")); }
                br;
                @for sc in Scenario::ALL {
                    label.check { input type="checkbox" data-scenario=(sc.id()) checked[r.scenarios.iter().any(|s| s.scenario == sc)]; " " (sc.label()) }
                }
            }
            p {
                label { "Parameters " select name="params" { (param_options(r.params)) } }
                " · " label { "Ensemble members " input type="range" name="ensemble" min="0" max=(MAX_ENSEMBLE) step="10" value=(r.ensemble) data-output="ensemble_out"; output #ensemble_out { (r.ensemble) } }
                " · " label { "Seed " input type="number" name="seed" min="0" value=(r.seed); }
                " · " label { "Until " input type="range" name="to" min="2030" max="2300" step="10" value=(r.to) data-output="to_out"; output #to_out { (r.to) } }
                " " button type="submit" { "Run" }
            }
        }
        figure.chart { (maud::PreEscaped(warming)) }
        figure.chart { (maud::PreEscaped(co2)) }
        @if r.scenarios.iter().any(|s| ar6(s.scenario).is_some() && s.mean_2081_2100.is_some()) {
            h2 { "2081–2100 against IPCC AR6" }
            (scrolling("AR6 comparison", html! { table #ar6 {
                thead { tr { th { "Scenario" } th { "Ours, best estimate" } th { "Ours, 5–95% (17–83%)" } th { "AR6 best (5–95%)" } } }
                tbody {
                    @for s in &r.scenarios {
                        @if let (Some((b, lo, hi)), Some(m)) = (ar6(s.scenario), s.mean_2081_2100) {
                            tr data-scenario=(s.scenario.id()) {
                                td { (s.scenario.label()) }
                                td.num data-value=(m) { (format!("{m:.2} °C")) }
                                td.num { @if let Some(q) = &s.mean_quantiles { (format!("{:.2}–{:.2} ({:.2}–{:.2})", q[0], q[4], q[1], q[3])) } @else { "–" } }
                                td.num { (format!("{b:.1} ({lo:.1}–{hi:.1})")) }
                            }
                        }
                    }
                }
            } }))
            p.small { "AR6 WG1 Table SPM.1. The ensemble samples parameter uncertainty only and is not constrained by observed warming, so its ranges are wider than AR6's for the two-box sets (see the method)." }
        }
        h2 { "2100" }
        (scrolling("Warming in 2100", html! { table #y2100 {
            thead { tr { th { "Scenario" } th { "Warming" } th { "CO₂" } } }
            tbody {
                @for s in &r.scenarios {
                    @if let Some(i) = s.years.iter().position(|y| *y == 2100) {
                        tr data-scenario=(s.scenario.id()) {
                            td { (s.scenario.label()) }
                            td.num data-value=(s.temperature[i]) { (format!("{:.2} °C", s.temperature[i])) @if let Some(q) = s.quantiles.get(i) { " (" (format!("{:.1}–{:.1}", q[1], q[3])) ")" } }
                            td.num data-value=(s.co2_ppm[i]) { (format!("{:.0} ppm", s.co2_ppm[i])) }
                        }
                    }
                }
            }
        } }))
        (view_links(&r.permalink))
        h2 { "Method" }
        p { "Parameters " code { (r.params.id()) } ": fitted to " (r.params.fitted().1) ". Scenario tables are compiled into the binary: RCPs as shipped with FaIR (Apache-2.0), RCMIP v5.1.0 SSP emissions (CC BY 4.0). "
            a href="/methodology#climate" { "Golden tests against FaIR 1.6.4, calibration and its out-of-sample checks" } "." }
    };
    Ok(Html(layout("Emission scenarios", &viewer, body).into_string()).into_response())
}
