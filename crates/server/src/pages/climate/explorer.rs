//! `/climate`: the scenario explorer (C-ROADS style). Sliders set, for the largest emitters, the
//! European Union and the rest of the world, fossil CO2 in 2030 as a share of the jump-off
//! year's and a net-zero year; the other countries keep their NDCs. The page compares "current
//! policies", "NDCs" and the user scenario: global fossil CO2, warming with its likely range, CO2
//! concentration, and when the AR6 remaining carbon budgets run out: the numbers of `attache
//! climate pledges` with the same edits.
//!
//! A slider left where it starts changes nothing (the NDCs stand); moved, it becomes an edit of
//! every member's pledge: `level:E0·pct/100,by:2030` and/or `netzero:YEAR`, in the grammar of
//! `attache climate pledges --edit` (`edit=ISO3=spec;ISO3=spec` takes such edits directly), and
//! all edits are read by the CLI's own `parse_edits`.
//! Pledge pathways are never above current policies, so a 2030 share above the trend shows the
//! trend. The form is a GET: the URL of every result is its permalink, carrying only what
//! differs from the defaults. `format=csv|json|parquet` downloads the scenarios year by year.
//!
//! The page; the view (query, run, table) is `views::climate::explorer`.

use attache_climate::Scenario;
use attache_climate::calibration::ParamSet;
use attache_viz::chart::line::{LineStyle, YZero};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::{POLICY_SOURCES, climate_banner, param_options, sources_table, tabs};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts::climate::{Line, Warming, YearChart, warming, years};
use crate::climate::{gt, opt_year};
use crate::error::AppError;
use crate::html::{page as layout, scrolling, view_links};
use crate::pages::briefs::{can_author, climate_form};
use crate::params::{Format, Params};

use crate::views::climate::explorer::*;

fn charts(r: &ExplorerRun) -> Result<(String, String), AppError> {
    let y0 = r.report.jump_off;
    let mut lines = vec![
        Line::new(
            "History (CDIAC)",
            r.history.0.range(1960..=y0).map(|(y, v)| (*y, v / 1000.0)),
        )
        .styled(LineStyle::Solid),
    ];
    for sc in &r.report.scenarios {
        lines.push(Line::new(
            sc.policy.label(),
            sc.global
                .0
                .iter()
                .filter(|(y, _)| **y <= 2100)
                .map(|(y, v)| (*y, v / 1000.0)),
        ));
    }
    let emissions = years(
        &YearChart {
            id: "emissions",
            title: "Global fossil CO₂ emissions",
            y_label: "Gt CO₂ per year",
            caption: "National pathways summed, with international bunkers. Reference projection — not a decision.",
            decimals: 1,
            y_zero: YZero::Include,
        },
        lines,
        vec![],
    )?;
    let scenarios = r
        .report
        .scenarios
        .iter()
        .map(|sc| {
            let o = &sc.outcome;
            Warming {
                name: sc.policy.label().to_string(),
                line: o
                    .years
                    .iter()
                    .copied()
                    .zip(o.temperature.iter().copied())
                    .filter(|(y, _)| *y >= 1950)
                    .collect(),
                likely: o
                    .years
                    .iter()
                    .zip(&o.temperature_quantiles)
                    .filter(|(y, _)| **y >= y0)
                    .map(|(y, q)| (*y, q[1], q[3]))
                    .collect(),
            }
        })
        .collect();
    let warming = warming(
        "warming",
        "Emulator best estimate with its likely range from parameter uncertainty. Reference projection — not a decision.",
        scenarios,
    )?;
    Ok((emissions, warming))
}

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
    let (emissions_svg, warming_svg) = charts(&r)?;
    let lock = state.lockfile().ok();
    let y0 = r.report.jump_off;
    let body = html! {
        h1 { "Climate scenario explorer" }
        (crate::html::how_to_read(&["Each row is an emissions scenario run through the climate emulator: the warming in 2100 above 1850-1900, with the likely (66%) range.", "Move a slider to change one country's pledge; the page reruns the scenario and its address becomes a permalink to it.", "Warming numbers come from a simple emulator calibrated to the IPCC's assessment; they are a reference for comparing options, not a forecast of the weather."]))
        (tabs("/climate"))
        p.lede { "Test pledges and see the warming: move a slider to change what a country or group emits in " (SLIDER_YEAR)
            " and when it reaches net zero; every other country keeps its NDC. Compared with the world on current policies and the world meeting today's NDCs." }
        (climate_banner())
        form #explorer method="get" action="/climate" {
            (scrolling("Scenario controls", html! { table.sliders {
                thead { tr { th { "Who" } th { "Fossil CO₂ " (y0) } th { "2030 emissions, % of " (y0) } th { "Net zero by" } } }
                tbody {
                    @for g in &r.groups {
                        tr data-group=(g.key) {
                            td { (g.label) @if g.members.len() > 1 { span.small { " (" (g.members.len()) " countries)" } } }
                            td.num { (format!("{:.0}", g.jump_off)) " Mt" }
                            td {
                                input type="range" name={(g.key) "_2030"} id={(g.key) "_2030"} min="0" max=(PCT_MAX) step="1" value=(g.pct)
                                    data-output={(g.key) "_2030_out"} data-default=(g.default_pct) aria-label={(g.label) ": 2030 emissions as a percentage of " (y0)};
                                @if g.pct == g.default_pct { input type="hidden" name={(g.key) "_2030d"} value=(g.pct); }
                                output id={(g.key) "_2030_out"} for={(g.key) "_2030"} { (g.pct) "%" }
                                span.small { " NDCs: " (g.default_pct) "%" }
                            }
                            td {
                                input type="range" name={(g.key) "_nz"} id={(g.key) "_nz"} min=(NZ_FIRST) max=(NZ_AS_PLEDGED) step="1"
                                    value=(g.net_zero.unwrap_or(NZ_AS_PLEDGED)) data-output={(g.key) "_nz_out"} data-as-pledged=(NZ_AS_PLEDGED)
                                    aria-label={(g.label) ": net-zero year"};
                                output id={(g.key) "_nz_out"} for={(g.key) "_nz"} { (g.net_zero.map_or("as pledged".to_string(), |y| y.to_string())) }
                                span.small { " (" (g.pledged_nz) ")" }
                            }
                        }
                    }
                }
            } }))
            details open[r.advanced.is_some() || r.climate.params != ParamSet::CalibratedHist] {
                summary { "Settings and pledge edits" }
                p {
                    label { "Other gases and land use from " select name="reference" { @for s in Scenario::SSPS { option value=(s.id()) selected[s == r.climate.reference] { (s.label()) } } } }
                    " · " label { "Emulator parameters " select name="params" { (param_options(r.climate.params)) } }
                    " · " label { "Ensemble members " input type="number" name="ensemble" min="0" max=(MAX_ENSEMBLE) value=(r.climate.ensemble); }
                    " · " label { "Pledged ranges: " select name="pledges" {
                        option value="unconditional" selected[!r.conditional] { "unconditional end" }
                        option value="conditional" selected[r.conditional] { "conditional end" } } }
                }
                p { label { "Edits (" code { "ISO3=spec;ISO3=spec" } ", as " code { "attache climate pledges --edit" } "): "
                    input type="text" name="edit" size="60" value=(r.advanced.clone().unwrap_or_default()) placeholder="CHN=peak:2025,decline:4,netzero:2060;BRA=base:2005,cut:50,by:2030"; } }
            }
            p { button type="submit" { "Run" } " " a href="/climate" { "Reset to the NDCs" } }
        }
        h2 { "Outcomes" }
        (scrolling("Scenarios compared", html! { table #scenarios {
            thead { tr { th { "Scenario" } th { "Fossil CO₂ 2030" } th { "2050" } th { "2100" } th { "Warming 2100: central (ensemble median; likely)" } th { "Peak" } th { "CO₂ 2100" } th { "Passes 1.5 / 2 °C" } th { "1.5 °C budget (50%) used up" } th { "2 °C budget (67%) used up" } } }
            tbody {
                @for sc in &r.report.scenarios {
                    @let o = &sc.outcome;
                    @let b = |lim: f64, lik: f64| o.budgets.iter().find(|b| b.limit == lim && b.likelihood == lik).map_or("–".to_string(), |b| opt_year(b.exhausted_in));
                    tr data-policy=(sc.policy.label()) {
                        td { (sc.policy.label()) }
                        td.num { (sc.global.get(2030).map_or("–".into(), gt)) " Gt" }
                        td.num { (sc.global.get(2050).map_or("–".into(), gt)) " Gt" }
                        td.num { (sc.global.get(2100).map_or("–".into(), gt)) " Gt" }
                        td.num.warming data-value=(o.warming_end) {
                            (format!("{:.2} °C", o.warming_end))
                            @if let Some(q) = o.temperature_quantiles.last() { " (" span.median data-value=(q[2]) { "median " (format!("{:.2}", q[2])) } "; " (format!("{:.1}–{:.1}", q[1], q[3])) ")" }
                        }
                        td.num { (format!("{:.2} °C in {}", o.peak.1, o.peak.0)) }
                        td.num { (o.co2_ppm.last().map_or("–".into(), |v| format!("{v:.0} ppm"))) }
                        td.num { (opt_year(o.crosses[0])) " / " (opt_year(o.crosses[1])) }
                        td.num { (b(1.5, 0.5)) }
                        td.num { (b(2.0, 0.67)) }
                    }
                }
            }
        } }))
        p.small { "Fossil CO₂ in Gt per year. Warming against 1850–1900, emulator " code { (r.climate.params.id()) }
            @if r.climate.ensemble > 0 { ", likely range (17–83%) from " (r.climate.ensemble) " parameter draws (seed " (r.climate.seed) "). Warming is given twice, labelled: the central parameter set first, the ensemble median in brackets; a brief's climate outcome shows the median and names the central value in its assumptions" }
            ". Remaining budgets from 1 January 2020: AR6 WG1 Table SPM.2." }
        figure.chart { (maud::PreEscaped(emissions_svg)) }
        figure.chart { (maud::PreEscaped(warming_svg)) }
        @if !r.report.edits.is_empty() {
            details {
                summary { "The user scenario changes " (r.report.edits.len()) " pledges" }
                ul.edits { @for (k, p) in &r.report.edits { li { code { (k) } ": " (p.describe()) } } }
            }
        }
        @if let Some(sc) = r.report.scenarios.first().filter(|s| !s.national.skipped.is_empty()) {
            p.small { (sc.national.skipped.len()) " countries are left out or kept at current policies (no data since the 1990s, or a pledge that cannot be applied): "
                (sc.national.skipped.iter().map(|s| s.0.as_str()).collect::<Vec<_>>().join(", ")) "." }
        }
        (view_links(&r.permalink))
        details #for-a-brief {
            summary { "Use this scenario in a decision brief" }
            p.small { "The user scenario as a brief's predicted outcome (the emulator's ensemble under it, with its assumptions): "
                code { "attache brief predict ID --model climate --scenario \"" (r.scenario_id()) "\" --setting members=" (r.climate.ensemble) " --setting seed=" (r.climate.seed) } ": the same ensemble as this page, so the brief's point is the median shown above." }
            @if can_author(&viewer) {
                (climate_form(0, 0, viewer.csrf_token().unwrap_or(""), &r.scenario_id(), &[
                    ("params", r.climate.params.id().to_string()),
                    ("reference", r.climate.reference.id().to_string()),
                    ("pledges", if r.conditional { "conditional" } else { "unconditional" }.to_string()),
                    ("members", r.climate.ensemble.to_string()),
                    ("seed", r.climate.seed.to_string()),
                ]))
            } @else {
                p.small { a href="/login?next=%2Fclimate" { "Sign in" } " as an analyst or diplomat to add it to a draft brief." }
            }
        }
        h2 { "Method and data" }
        p { "National fossil CO₂ (CDIAC) from " (y0) ": current policies continue the 2014–" (y0) " trend, fading to zero growth over 30 years; NDC percentages (which refer to all gases) are applied to fossil CO₂. "
            "The summed path is spliced into " (r.climate.reference.label()) ", which supplies land-use CO₂ and every other gas, and run through the FaIR 1.6.4-compatible emulator. "
            a href="/methodology#climate" { "The method, its approximations and checks" } "." }
        p.provenance { "Data vintage " code #vintage { (r.vintage) } "." }
        (sources_table(lock.as_deref(), POLICY_SOURCES))
    };
    Ok(Html(layout("Climate scenario explorer", &viewer, body).into_string()).into_response())
}
