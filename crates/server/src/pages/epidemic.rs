//! `/epidemic`: the epidemic scenario page: a disease and its seeds, a lever panel (the option's
//! travel, route, screening, distancing and vaccination levers in the grammar of `attache
//! epidemic --lever`), the world map of median arrival days, daily incidence fans of up to three
//! countries, and one table per country (arrival, peak, attack rate, and with levers the delay
//! they buy and the cases they avoid) that downloads as CSV, JSON or Parquet. The form is a GET:
//! the URL of every result is its permalink.
//!
//! The page; the view (query, run, table) is `views::epidemic`.

use attache_epidemic::predictor::Kind;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};

use crate::AppState;
use crate::auth::Viewer;
use crate::charts::epidemic::{Arrival, Daily, arrival_map, daily, incidence};
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, percent, scrolling, view_links};
use crate::params::{ANON_MAX_ENSEMBLE, Format, Params};
use crate::views::epidemic::{
    CountryOutcome, EpidemicRun, MAX_ENSEMBLE, MAX_PAGE_DAYS, MAX_SHOW, date_of, run, table,
};

/// Rows the page's table shows before "show all" (the download always has every country).
const FIRST_ROWS: usize = 60;

/// Lever examples for the panel (the grammar of `attache epidemic --lever`).
const LEVER_EXAMPLES: [(&str, &str); 5] = [
    (
        "travel:CHN*0.1@2020-01-23",
        "travel to and from China cut to 10% from 23 January 2020",
    ),
    (
        "route:CHN-USA*0@2020-02-02",
        "no flights between China and the United States from 2 February",
    ),
    (
        "screen:exit:CHN=0.3",
        "exit screening in China stops 30% of infectious travellers",
    ),
    (
        "distancing:ITA*0.6@2020-03-09..2020-05-04",
        "contacts in Italy at 60% for eight weeks",
    ),
    (
        "vaccinate:USA=0.002/day@2020-06-01",
        "0.2% of the United States vaccinated a day from June",
    ),
];

fn opt_day(d: Option<f64>) -> String {
    d.map_or_else(|| "–".into(), |d| format!("{d:.0}"))
}

fn interval(m: Option<f64>, lo: Option<f64>, hi: Option<f64>) -> String {
    match m {
        Some(m) => format!("{m:.0} ({}–{})", opt_day(lo), opt_day(hi)),
        None => "not within the horizon".into(),
    }
}

fn count(x: f64) -> String {
    let r = x.round();
    if r.abs() >= 1e6 {
        format!("{:.1} million", r / 1e6)
    } else {
        format!("{r:.0}")
    }
}

fn row(r: &EpidemicRun, c: &CountryOutcome) -> Markup {
    html! {
        tr data-key=(c.iso3) {
            th scope="row" { (c.name) " " span.small { (c.iso3) } }
            td.num data-value=(c.arrival[0].unwrap_or(f64::INFINITY)) {
                (interval(c.arrival[0], c.arrival[1], c.arrival[2]))
                @if let Some(d) = c.arrival[0] { br; span.small { (date_of(r, d)) } }
            }
            td.num data-value=(c.p_arrival) { (percent(c.p_arrival)) }
            td.num data-value=(c.peak_median.unwrap_or(f64::INFINITY)) { (opt_day(c.peak_median)) }
            td.num data-value=(c.attack_rate[0]) { (percent(c.attack_rate[0])) " (" (percent(c.attack_rate[1])) "–" (percent(c.attack_rate[2])) ")" }
            @if let Some(a) = &c.against {
                td.num data-value=(a.delay[0].unwrap_or(f64::INFINITY)) {
                    @if a.runs_with_arrival == 0 { "–" } @else { (interval(a.delay[0], a.delay[1], a.delay[2])) }
                }
                td.num data-value=(a.cases_avoided[0]) { (count(a.cases_avoided[0])) " (" (count(a.cases_avoided[1])) " to " (count(a.cases_avoided[2])) ")" }
            }
        }
    }
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
    let s = &r.settings;
    let map = state.map()?;
    let arrivals: Vec<Arrival> = r
        .countries
        .iter()
        .map(|c| Arrival {
            iso3: c.iso3.clone(),
            name: c.name.clone(),
            median: c.arrival[0],
            reached: c.p_arrival,
        })
        .collect();
    let map_svg = arrival_map(&map, &arrivals, r.days, |d| date_of(&r, d))?;
    let mut charts = Vec::new();
    if r.charted.is_empty() {
        charts.push(incidence(
            "incidence-world",
            "New infections per day, all countries",
            &r.world_incidence,
            None,
        )?);
    }
    for (k, c) in r.charted.iter().enumerate() {
        charts.push(incidence(
            &format!("incidence-{k}"),
            &format!("New infections per day, {}", c.name),
            &c.incidence,
            c.baseline_median.as_deref(),
        )?);
        charts.push(daily(
            Daily::Prevalence,
            &format!("prevalence-{k}"),
            &format!("People infected, {}", c.name),
            &c.prevalence,
            c.baseline_prevalence.as_deref(),
        )?);
    }
    let with_levers = !r.lever.is_empty();
    let max_ensemble = if viewer.is_signed_in() {
        MAX_ENSEMBLE
    } else {
        ANON_MAX_ENSEMBLE
    };
    let body = html! {
        h1 { "Epidemic spread over the air network" }
        (how_to_read(&[
            "The map colours each country by the median day of its first infection over the simulated runs; darker is earlier.",
            "The table gives, per country, the arrival day with its 90% interval, the chance of an arrival at all, the peak and the share infected; with levers, the days of delay they buy and the infections they avoid, run by run against the same runs without them.",
            "Change the disease, the seeds or the levers and press Run: the address of the result is its permalink.",
        ]))
        p.reference role="note" { "Reference simulation: the system advises, a person decides. Countries are well mixed and linked by air travel only; intervals show the spread of the stochastic runs, not the uncertainty of the disease's parameters." }
        form #epidemic-form method="get" action="/epidemic" {
            fieldset {
                legend { "Disease" }
                label { "Model " select name="model" {
                    option value="seir" selected[s.kind == Kind::Seir] { "SEIR" }
                    option value="sir" selected[s.kind == Kind::Sir] { "SIR" }
                } }
                " " label { "R0 " input type="number" name="r0" step="0.1" min="0" value=(s.r0); }
                " " label { "Infectious days " input type="number" name="infectious_days" step="0.1" min="0" value=(s.infectious_days); }
                " " label { "Latent days (SEIR) " input type="number" name="latent_days" step="0.1" min="0" value=(s.latent_days); }
            }
            fieldset {
                legend { "Seeds and horizon" }
                label { "Seeds " input type="text" name="seed" size="30" value=(s.seeds.join(";")); }
                " " label { "Days " input type="number" name="days" min="1" max=(MAX_PAGE_DAYS) value=(s.days); }
                p.small { "ISO3:COUNT@YYYY-MM-DD, several separated by “;”. Day 0 is the earliest seed's date." }
            }
            fieldset {
                legend { "Levers of the option" }
                label for="lever" { "Levers (separated by “;”; empty: none)" }
                input #lever type="text" name="lever" size="60" value=(r.lever);
                details {
                    summary { "Lever grammar and examples" }
                    ul {
                        @for (spec, words) in LEVER_EXAMPLES {
                            li { code { (spec) } " — " (words) }
                        }
                    }
                    p.small { "A date after @ (or a day offset); a factor scales travel or contacts; screening and vaccination take a fraction. The same text works in " code { "attache epidemic --lever" } " and as a brief option's scenario." }
                }
            }
            fieldset {
                legend { "Runs and charts" }
                label { "Runs " input type="number" name="ensemble" min="1" max=(max_ensemble) value=(s.ensemble); }
                " " label { "Random seed " input type="number" name="rng_seed" min="0" value=(s.rng_seed); }
                " " label { "Chart countries " input type="text" name="show" size="16" placeholder="e.g. USA,ITA" value=(r.charted.iter().map(|c| c.iso3.as_str()).collect::<Vec<_>>().join(",")); }
                p.small { "At most " (max_ensemble) " runs" @if !viewer.is_signed_in() { " without signing in (" (MAX_ENSEMBLE) " signed in)" } "; at most " (MAX_SHOW) " countries charted." }
            }
            button type="submit" { "Run" }
        }
        h2 { "What the runs say" }
        ul.summary {
            li { "Model: " (s.describe()) "; day 0 = " (r.start) ", " (r.days) " days." }
            li { "Share of the world infected: " (percent(r.world_attack_rate.q50)) " (90% of runs: " (percent(r.world_attack_rate.q05)) "–" (percent(r.world_attack_rate.q95)) ")." }
            @if let Some(t) = &r.total_cases_avoided {
                li { "Levers " code { (r.lever) } ": infections avoided in all countries, median " (count(t.q50)) " (90% of runs: " (count(t.q05)) " to " (count(t.q95)) "). Paired runs drift apart once a lever changes who travels, so read per-country figures rather than the world total when the origin is in the levers." }
            }
            li { "Network: " (r.subpops) " countries, " (r.links) " links, store vintage " (r.vintage)
                @if r.per_route > 0.0 { "; each OpenFlights route carries " (format!("{:.1}", r.per_route)) " passengers a day (calibrated to ICAO's 3.3 billion passengers in 2014)" } "." }
        }
        figure.chart { (maud::PreEscaped(map_svg)) }
        @for c in &charts { figure.chart { (maud::PreEscaped(c)) } }
        h2 { "Per country" }
        (scrolling("Arrival, peak and attack rate per country", html! { table #epidemic-table.sortable {
            caption { "Days after day 0; 90% of runs in brackets. Earliest arrival" @if with_levers { " without the levers" } " first." }
            thead { tr {
                th scope="col" { "Country" }
                th scope="col" { "First infection, day" }
                th scope="col" { "Arrives within " (r.days) " days" }
                th scope="col" { "Peak, day" }
                th scope="col" { "Share infected" }
                @if with_levers { th scope="col" { "Delay the levers buy, days" } th scope="col" { "Infections avoided" } }
            } }
            tbody {
                @for c in r.countries.iter().take(FIRST_ROWS) { (row(&r, c)) }
            }
        } }))
        @if r.countries.len() > FIRST_ROWS {
            details {
                summary { "The other " (r.countries.len() - FIRST_ROWS) " countries" }
                (scrolling("Arrival, peak and attack rate of the other countries", html! { table.sortable {
                    thead { tr {
                        th scope="col" { "Country" } th scope="col" { "First infection, day" } th scope="col" { "Arrives within " (r.days) " days" } th scope="col" { "Peak, day" } th scope="col" { "Share infected" }
                        @if with_levers { th scope="col" { "Delay the levers buy, days" } th scope="col" { "Infections avoided" } }
                    } }
                    tbody { @for c in r.countries.iter().skip(FIRST_ROWS) { (row(&r, c)) } }
                } }))
            }
        }
        (view_links(&r.permalink))
        h2 { "Method" }
        p { "A seeded chain-binomial metapopulation model (" (s.describe()) ") on the country air network built from OpenFlights routes and World Bank populations as public on day 0; travel conserves every country's population. The same numbers come from "
            code { "attache epidemic run --ensemble N" } " and " code { "attache epidemic compare" } ", and a brief's option carries them through the " code { "epidemic" } " model (quantities arrival_day, p_arrival, attack_rate, peak_day, arrival_delay, cases_avoided). "
            a href="/methodology#epidemic" { "Method, route proxy and the COVID-19 arrival check" } "." }
    };
    Ok(Html(layout("Epidemic scenario", &viewer, body).into_string()).into_response())
}
