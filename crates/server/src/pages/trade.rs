//! `/trade`: the trade-policy scenario page (a scenario form with examples, the world map of
//! the predicted change in real GDP, the effects the answer rests on, one table per country
//! downloadable as CSV, JSON or Parquet) and `/trade/gaps`: the mirror-statistics explorer
//! (every flow as both sides reported it, flags and the gravity check, per country or all).
//! Forms are GETs: the URL of every result is its permalink.
//!
//! The pages; the views (query, run, tables) are `views::trade`.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};

use crate::AppState;
use crate::auth::Viewer;
use crate::charts::trade::{GdpChange, gdp_map};
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::trade::{
    CAVEAT, EXAMPLES, GapsQuery, TradeRun, baseline, gaps, gaps_table, name, parse, parse_gaps,
    run, select, table,
};

/// Rows of the gaps table on the page (the download has all).
const GAP_ROWS: usize = 100;

fn pct(v: f64) -> String {
    format!("{v:+.3}%")
}

fn form(scenario: &str) -> Markup {
    html! {
        form #trade-form method="get" action="/trade" {
            label for="scenario" { "Scenario" }
            input #scenario type="text" name="scenario" size="60" value=(scenario) placeholder="e.g. tariff USA on CHN 25%";
            " " button type="submit" { "Simulate" }
            details {
                summary { "Scenario grammar and examples" }
                ul {
                    @for (spec, words) in EXAMPLES {
                        li { a href={"/trade?scenario=" (crate::views::enc(spec))} { code { (spec) } } " — " (words) }
                    }
                }
                p.small { "Forms: " code { "rta-add A,B,…" } ", " code { "rta-remove A,B,…" } ", " code { "border-remove A,B,…" } ", " code { "tariff IMPORTERS on EXPORTERS RATE%" } ", " code { "sanction SENDERS on TARGETS" } ", " code { "sanction-lift SENDERS on TARGETS" } "; ISO3 codes; several shocks joined by “;”. The same text works in " code { "attache trade simulate --scenario" } " and as a brief option's scenario (model " code { "trade" } ")." }
            }
        }
    }
}

fn result(r: &TradeRun, map_svg: &str) -> Markup {
    let f = &r.fitted;
    html! {
        h2 { "What the model says" }
        p.reference role="note" { strong { "Old baseline. " } "The economy simulated is that of " (r.sim.year) ", the last year of the gravity panel (" (f.countries.len()) " countries; the rest of the world is not modelled). Read the direction and the rough size, not the digits." }
        ul.summary {
            li { "Scenario: " code { (r.sim.scenario) } "; " (r.sim.pairs_changed) " directed flows change." }
            li { "Effect of a regional trade agreement: " (format!("{:.3}", f.rta.estimate)) " (standard error " (format!("{:.3}", f.rta.std_error)) ", clustered by pair), from PPML with pair, exporter-year and importer-year effects on " (f.years.len()) " years (" (f.n_obs) " flows)." }
            @if let Some(s) = &f.sanction {
                li { "Effect of a complete trade sanction (GSDB export or import ban): " (format!("{:.3}", s.estimate)) " (standard error " (format!("{:.3}", s.std_error)) "), same regression. Sanctions by organisations (EU, UN) are not counted as their members'." }
            }
            @if r.sim.scenario.has_border() { @if let Some(b) = &f.border {
                li { "Effect of an international border: " (format!("{:.3}", b.estimate)) " (robust standard error " (format!("{:.3}", b.std_error)) "), the Guide's trade-without-borders regression on " (r.sim.year) "." }
            } }
            li { "Intervals: the equilibrium re-solved with the effects at their 5th and 95th percentiles" @if r.sim.scenario.has_tariff() { ", and with sigma 5 and 9 (an assumed range; a tariff's revenue is not modelled)" } "." }
            li { "Store vintage " (r.vintage) "." }
        }
        figure.chart { (maud::PreEscaped(map_svg)) }
        h2 { "Per country" }
        (scrolling("Predicted changes per country", html! { table #trade-table.sortable {
            caption { "Percent change once the economy has fully adjusted; 90% interval in brackets. Largest change in real GDP first." }
            thead { tr {
                th scope="col" { "Country" }
                th scope="col" { "Real GDP" }
                th scope="col" { "Exports" }
                th scope="col" { "Exports, output held" }
                th scope="col" { "Factory-gate price" }
                th scope="col" { "Consumer prices (inward resistance)" }
            } }
            tbody {
                @for x in &r.rows {
                    tr data-key=(x.country) {
                        th scope="row" { (name(&x.country)) " " span.small { (x.country) } }
                        td.num data-value=(x.real_gdp.central) { (pct(x.real_gdp.central)) " (" (pct(x.real_gdp.low)) " to " (pct(x.real_gdp.high)) ")" }
                        td.num data-value=(x.exports.central) { (pct(x.exports.central)) " (" (pct(x.exports.low)) " to " (pct(x.exports.high)) ")" }
                        td.num data-value=(x.exports_conditional) { (pct(x.exports_conditional)) }
                        td.num data-value=(x.price) { (pct(x.price)) }
                        td.num data-value=(x.imr) { (pct(x.imr)) }
                    }
                }
            }
        } }))
        (view_links(&r.permalink))
    }
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(Format::Html, &Format::TABLE)?;
    let scenario = parse(&params)?;
    let r = match scenario {
        Some(s) => Some(run(&state, s).await?),
        None => None,
    };
    if format != Format::Html {
        return match &r {
            Some(r) => table(r).respond(format),
            None => Err(AppError::BadRequest(
                "scenario: give a scenario to download its table".into(),
            )),
        };
    }
    let body_result = match &r {
        Some(r) => {
            let values: Vec<GdpChange> = r
                .rows
                .iter()
                .map(|x| GdpChange {
                    iso3: x.country.clone(),
                    name: name(&x.country),
                    central: x.real_gdp.central,
                    low: x.real_gdp.low,
                    high: x.real_gdp.high,
                })
                .collect();
            // Without the map's source the table still answers; the page says what is missing.
            let svg = match state.map() {
                Ok(map) => gdp_map(&map, &values, r.sim.year)?,
                Err(_) => html! { p.small role="status" { "No map: the country boundaries (source naturalearth) are not in this vintage; the table below has every number." } }.into_string(),
            };
            result(r, &svg)
        }
        None => {
            let (f, vintage) = baseline(&state).await?;
            html! {
                h2 { "The baseline" }
                p { "Trade flows of " (f.countries.len()) " countries in " (f.year) " (store vintage " (vintage) "). A regional trade agreement raises trade between its members by "
                    (format!("{:.0}%", (f.rta.estimate.exp() - 1.0) * 100.0)) " (coefficient " (format!("{:.3}", f.rta.estimate)) ", standard error " (format!("{:.3}", f.rta.std_error)) ")"
                    @if let Some(s) = &f.sanction { "; a complete trade sanction changes it by " (format!("{:.0}%", (s.estimate.exp() - 1.0) * 100.0)) " (coefficient " (format!("{:.3}", s.estimate)) ", standard error " (format!("{:.3}", s.std_error)) ")" }
                    ". Choose a scenario above." }
            }
        }
    };
    let body = html! {
        h1 { "Trade policy scenarios" }
        (how_to_read(&[
            "Write a scenario (a tariff, a trade agreement added or ended, a sanction imposed or lifted) and press Simulate; the examples show the forms.",
            "The map colours each country by the predicted change in its real GDP once prices, output and spending have adjusted: red a loss, blue a gain.",
            "The table gives every country's change in real GDP and exports with a 90% interval for the estimated effects, and the prices that move them.",
        ]))
        p.reference role="note" { "Reference simulation: the system advises, a person decides. Structural gravity (the WTO/UNCTAD Advanced Guide's GE-PPML), solved exactly; a comparative static, not a forecast of a path." }
        (form(r.as_ref().map(|r| r.sim.scenario.to_string()).as_deref().unwrap_or("")))
        (body_result)
        p { a href="/trade/gaps" { "Mirror statistics: trade gaps between what countries report" } }
        h2 { "Method" }
        p { "The Advanced Guide's RTA application (Yotov, Piermartini, Monteiro and Larch 2016, chapter 2) step by step: PPML of trade on agreements (and GSDB's complete trade sanctions) with pair, exporter-year and importer-year effects; pair costs of never-trading pairs from distance, contiguity, language and colony; then the conditional and full-endowment general equilibria of the scenario. The same numbers come from "
            code { "attache trade simulate" } " and from the " code { "trade" } " model a brief's option carries. "
            a href="/methodology#trade" { "Method and its checks against the Guide's Stata logs" } "." }
    };
    Ok(Html(layout("Trade scenario", &viewer, body).into_string()).into_response())
}

fn opt_kusd(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{:.0}", x))
}

pub async fn gaps_page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(Format::Html, &Format::TABLE)?;
    let q: GapsQuery = parse_gaps(&params)?;
    let g = gaps(&state).await?;
    if format != Format::Html {
        return gaps_table(&g, &q).respond(format);
    }
    let (flows, c) = select(&g, &q);
    let title = match &q.country {
        Some(c) => format!("Trade gaps: {}", name(c)),
        None => "Trade gaps".to_string(),
    };
    let body = html! {
        h1 { (title) }
        (how_to_read(&[
            "Each flow from an exporter to an importer in 2009 is shown as both sides reported it to UN Comtrade (WITS): the exporter's figure (FOB) and the importer's (CIF).",
            "The gap is the importer's figure less 6% for freight and insurance, minus the exporter's. A flag marks a gap of at least half the larger figure on a flow of at least 10 million US dollars, or a flow ten times above or below what a gravity model of size and distance expects.",
            "Pick a country to see its own flows; the table sorts from its headers and downloads as CSV, JSON or Parquet.",
        ]))
        p.reference role="note" { (CAVEAT) }
        form method="get" action="/trade/gaps" {
            label for="gaps-country" { "Country (name or code)" }
            " " input #gaps-country type="text" name="country" value=(q.country.clone().unwrap_or_default());
            " " label { input type="checkbox" name="flagged" value="true" checked[q.flagged]; " flagged only" }
            " " button type="submit" { "Show" }
        }
        ul.summary {
            li { (c.flows) " flows: " (c.both) " reported by both sides, " (c.orphaned) " only by the importer (orphaned), " (c.lost) " only by the exporter (lost); " (c.flagged) " gaps flagged." }
            @if let Some(gr) = &g.gravity {
                li { "Gravity check (PPML, flow ~ log(distance) | exporter + importer): distance elasticity " (format!("{:.3}", gr.distance.0)) " (" (format!("{:.3}", gr.distance.1)) "), " (gr.n) " flows fitted, " (gr.outliers) " more than " (gr.factor) "× above or below their prediction in all." }
            }
            li { "Store vintage " (g.vintage) "; thousand US dollars." }
        }
        (scrolling("Flows as both sides report them", html! { table #gaps-table.sortable {
            caption { "Largest gap first" @if flows.len() > GAP_ROWS { "; the first " (GAP_ROWS) " of " (flows.len()) " (the download has all)" } "." }
            thead { tr {
                th scope="col" { "Exporter" } th scope="col" { "Importer" }
                th scope="col" { "Exports (FOB)" } th scope="col" { "Imports (CIF)" }
                th scope="col" { "Gap" } th scope="col" { "Reported by" } th scope="col" { "Flags" } th scope="col" { "File lines" }
            } }
            tbody {
                @for f in flows.iter().take(GAP_ROWS) {
                    tr {
                        th scope="row" { (f.exporter) }
                        td { (f.importer) }
                        td.num data-value=(f.exports.unwrap_or(f64::NAN)) { (opt_kusd(f.exports)) }
                        td.num data-value=(f.imports.unwrap_or(f64::NAN)) { (opt_kusd(f.imports)) }
                        td.num data-value=(f.gap.unwrap_or(0.0)) { (opt_kusd(f.gap)) @if let Some(r) = f.relative_gap { " (" (format!("{:+.0}%", r * 100.0)) ")" } }
                        td { (f.sides.as_str()) }
                        td { @if f.flagged { "gap " } @if f.gravity_outlier { "gravity" } }
                        td.small { (f.lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")) }
                    }
                }
            }
        } }))
        (view_links(&q.permalink()))
        p { "The same table comes from " code { "attache trade gaps --input WITS_trade2009.csv" } ". " a href="/trade" { "Trade policy scenarios" } "." }
    };
    Ok(Html(layout(&title, &viewer, body).into_string()).into_response())
}

fn opt_num(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.decimals$}"))
}

/// `/trade/country/{code}`: a country's trade partners in the gravity panel's baseline year
/// and in the WITS 2009 mirror statistics, with agreements and sanctions in force.
pub async fn country_page(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Path(code): axum::extract::Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&crate::views::trade::KNOWN_COUNTRY)?;
    let iso3 = attache_core::Crosswalk::global()
        .find(&code)
        .map_err(|e| AppError::NotFound(format!("unknown country {code:?}: {e}")))?
        .iso3
        .clone();
    let c = crate::views::trade::country(&state, &iso3).await?;
    let t = crate::views::trade::country_table(&c);
    if format != Format::Html {
        return t.respond(format);
    }
    let rta: Vec<&str> = c
        .partners
        .iter()
        .filter(|p| p.rta == Some(true))
        .map(|p| p.iso3.as_str())
        .collect();
    let sanctions: Vec<&str> = c
        .partners
        .iter()
        .filter(|p| p.sanction == Some(true))
        .map(|p| p.iso3.as_str())
        .collect();
    let flagged = c.partners.iter().filter(|p| p.flagged).count();
    let permalink = format!("/trade/country/{}", c.iso3);
    let title = format!("Trade: {}", c.name);
    let body = html! {
        h1 { (title) }
        (how_to_read(&[
            "Each row is a trade partner: what the two traded in the gravity panel's baseline year (the simulator's starting point), whether an agreement or a complete trade sanction was in force, and the 2009 flows as each side reported them.",
            "A flagged partner has a large gap between what the two sides reported; see the gaps explorer for the file lines.",
            "The links below simulate scenarios that involve this country.",
        ]))
        ul.summary {
            @match c.baseline_year {
                Some(y) => li { "In the gravity panel; baseline year " (y) ". Agreements in force with " (rta.len()) " partners" @if !rta.is_empty() { " (" (rta.join(", ")) ")" } "; complete trade sanctions (GSDB) with " (sanctions.len()) @if !sanctions.is_empty() { " (" (sanctions.join(", ")) ")" } "." },
                None => li { "Not among the gravity panel's countries: no simulation for it, only the 2009 mirror statistics." },
            }
            li { (c.partners.len()) " partners; " (flagged) " with a flagged 2009 gap. Store vintage " (c.vintage) "." }
        }
        @if c.baseline_year.is_some() {
            @if let Some(top) = c.partners.first() {
                p { "Simulate: "
                    a href={"/trade?scenario=" (crate::views::enc(&format!("tariff {} on {} 10%", top.iso3, c.iso3)))} { (name(&top.iso3)) " taxes its goods at 10%" } " · "
                    a href={"/trade?scenario=" (crate::views::enc(&format!("tariff {} on {} 10%", c.iso3, top.iso3)))} { "it taxes " (name(&top.iso3)) "'s goods at 10%" }
                    @if !rta.contains(&top.iso3.as_str()) {
                        " · " a href={"/trade?scenario=" (crate::views::enc(&format!("rta-add {},{}", c.iso3, top.iso3)))} { "an agreement with " (name(&top.iso3)) }
                    }
                    @for s in &sanctions {
                        " · " a href={"/trade?scenario=" (crate::views::enc(&format!("sanction-lift {} on {}", s, c.iso3)))} { (name(s)) " lifts its sanctions" }
                    }
                }
            }
        }
        (scrolling("Trade partners", html! { table #trade-country-table.sortable {
            caption { "Largest baseline trade first. Baseline: million US dollars; 2009: thousand US dollars." }
            thead { tr {
                th scope="col" { "Partner" }
                th scope="col" { "Exports, baseline" } th scope="col" { "Imports, baseline" }
                th scope="col" { "Agreement" } th scope="col" { "Sanction" }
                th scope="col" { "Exports 2009 (reported / partner's)" }
                th scope="col" { "Imports 2009 (reported / partner's)" }
                th scope="col" { "Gap flag" }
            } }
            tbody {
                @for p in c.partners.iter().take(GAP_ROWS) {
                    tr data-key=(p.iso3) {
                        th scope="row" { (name(&p.iso3)) " " span.small { (p.iso3) } }
                        td.num data-value=(p.exports_baseline.unwrap_or(f64::NAN)) { (opt_num(p.exports_baseline, 1)) }
                        td.num data-value=(p.imports_baseline.unwrap_or(f64::NAN)) { (opt_num(p.imports_baseline, 1)) }
                        td { @match p.rta { Some(true) => "yes", Some(false) => "no", None => "–" } }
                        td { @match p.sanction { Some(true) => "yes", Some(false) => "no", None => "–" } }
                        td.num { (opt_kusd(p.exports_2009.0)) " / " (opt_kusd(p.exports_2009.1)) }
                        td.num { (opt_kusd(p.imports_2009.0)) " / " (opt_kusd(p.imports_2009.1)) }
                        td { @if p.flagged { a href={"/trade/gaps?country=" (c.iso3) "&flagged=true"} { "flagged" } } }
                    }
                }
            }
        } }))
        (view_links(&permalink))
        p { a href={"/trade/gaps?country=" (c.iso3)} { "Its mirror statistics" } " · " a href={"/country/" (c.iso3)} { "Country page" } " · " a href="/trade" { "Trade policy scenarios" } }
    };
    Ok(Html(layout(&title, &viewer, body).into_string()).into_response())
}
