//! `/sdg`, `/sdg/country/{code}`, `/risk`, `/risk/country/{code}`: the SDG Index and INFORM
//! Risk pages (a world map, a ranked table, per-country goal tiles with trend arrows, risk
//! drivers and a coping what-if), each with a plain-language explainer and downloads. The
//! views (data, tables) are `views::indices`.

use std::collections::HashMap;

use attache_indices::sdg::GOALS;
use attache_viz::map::ColourScale;
use attache_viz::palette::Palette;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::indices::{
    ASEAN_JAPAN, BANDS, HAZARDS, IndicatorLine, KNOWN_RISK, name, parse_sdg, region_table, risk,
    risk_country, risk_country_table, risk_table, sdg, sdg_country, sdg_country_table,
    sdg_indicators, sdg_indicators_table, sdg_lines, sdg_table,
};

/// The goals' short names (UN).
const GOAL_NAMES: [&str; GOALS] = [
    "No poverty",
    "Zero hunger",
    "Good health and well-being",
    "Quality education",
    "Gender equality",
    "Clean water and sanitation",
    "Affordable and clean energy",
    "Decent work and economic growth",
    "Industry, innovation and infrastructure",
    "Reduced inequalities",
    "Sustainable cities and communities",
    "Responsible consumption and production",
    "Climate action",
    "Life below water",
    "Life on land",
    "Peace, justice and strong institutions",
    "Partnerships for the goals",
];

fn opt(v: Option<f64>, d: usize) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.d$}"))
}

pub async fn sdg_page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.format(Format::Html, &Format::TABLE)?;
    let d = sdg(&state).await?;
    let q = parse_sdg(&params, d.last_year)?;
    if format != Format::Html {
        return sdg_table(&d, &q).respond(format);
    }
    let lines = sdg_lines(&d, &q);
    let what = match q.goal {
        Some(g) => format!("Goal {g}: {}", GOAL_NAMES[g - 1]),
        None => "SDG Index".to_string(),
    };
    let (mut values, mut tips) = (HashMap::new(), HashMap::new());
    for l in &lines {
        let v = match q.goal {
            Some(g) => l.goals[g - 1],
            None => l.index,
        };
        if let Some(v) = v {
            values.insert(l.iso3.clone(), v);
            tips.insert(l.iso3.clone(), format!("{}: {what} {v:.1}", name(&l.iso3)));
        }
    }
    let map = crate::charts::map_svg(
        &state,
        "sdg-map",
        &what,
        "Score, 0-100 (100: goals achieved)",
        values,
        tips,
        ColourScale::Binned {
            thresholds: vec![50.0, 60.0, 70.0, 80.0],
            palette: Palette::Viridis,
        },
    );
    let year_label = q
        .year
        .map_or_else(|| "SDR 2023".to_string(), |y| y.to_string());
    let body = html! {
        h1 { "Sustainable Development Goals: progress" }
        (how_to_read(&[
            "Each country gets a score from 0 to 100 per goal, and the SDG Index is the average of its 17 goal scores: 100 means every goal achieved.",
            "Countries missing more than a fifth of the goals are shown but not ranked: too much is missing to compare them fairly.",
            "Pick a year or a goal; open a country to see its 17 goals with colours and trend arrows.",
        ]))
        form method="get" action="/sdg" {
            label for="sdg-year" { "Year" } " "
            select #sdg-year name="year" {
                option value="2023" selected[q.year.is_none()] { "SDR 2023" }
                @for y in (2000..=d.last_year).rev() { option value=(y) selected[q.year == Some(y)] { (y) } }
            }
            " " label for="sdg-goal" { "Map" } " "
            select #sdg-goal name="goal" {
                option value="" selected[q.goal.is_none()] { "the index" }
                @for g in 1..=GOALS { option value=(g) selected[q.goal == Some(g)] { (g) ". " (GOAL_NAMES[g - 1]) } }
            }
            " " button type="submit" { "Show" }
        }
        figure.chart { (maud::PreEscaped(map)) }
        p.small { "Source: SDSN, Sustainable Development Report (Sachs et al. 2023). Our index is recomputed from the published goal scores: "
            @if q.year.is_none() { "for the SDR 2023 table, the mean of the 17 goals with a missing goal filled by its region's mean, which equals every published score." }
            @else { "for the 2000-2022 series, the mean of the goals with data (the series writes a missing goal as 0); where it differs from the published index both are shown." } }
        (scrolling("SDG Index by country", html! { table #sdg-table.sortable {
            caption { (year_label) "; ranked countries first, best first." }
            thead { tr { th scope="col" { "Rank" } th scope="col" { "Country" } th scope="col" { "Index (ours)" } th scope="col" { "Published" } th scope="col" { "Goals with data" } } }
            tbody {
                @for l in &lines {
                    tr data-key=(l.iso3) {
                        td.num { @if let Some(r) = l.rank { (r) } @else { "not ranked" } }
                        th scope="row" { a href={"/sdg/country/" (l.iso3)} { (name(&l.iso3)) } " " span.small { (l.iso3) } }
                        td.num data-value=(l.index.unwrap_or(f64::NAN)) { (opt(l.index, 1)) }
                        td.num { (opt(l.published, 1)) }
                        td.num { (l.goals.iter().flatten().count()) " of 17" }
                    }
                }
            }
        } }))
        (view_links(&q.permalink()))
    };
    Ok(Html(layout("SDG progress", &viewer, body).into_string()).into_response())
}

fn resolve(code: &str) -> Result<String, AppError> {
    Ok(attache_core::Crosswalk::global()
        .find(code)
        .map_err(|e| AppError::NotFound(format!("unknown country {code:?}: {e}")))?
        .iso3
        .clone())
}

pub async fn sdg_country_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_RISK)?;
    let iso3 = resolve(&code)?;
    let d = sdg(&state).await?;
    let c = sdg_country(&d, &iso3)?;
    if format != Format::Html {
        return sdg_country_table(&c).respond(format);
    }
    let lines = sdg_indicators(&d, &iso3)?;
    let title = format!("SDG progress: {}", c.name);
    let body = html! {
        h1 { (title) }
        (how_to_read(&[
            "Each tile is one goal: its score (0-100) in the latest year, its colour band and an arrow for its trend since 2015.",
            "↑ on track to reach the goal by 2030 at the present pace; ➚ improving but not fast enough; → stagnating; ↓ moving away; · too little data.",
            "Grey tiles have no data.",
        ]))
        p { "SDG Index " (c.year) ": " strong { (opt(c.index, 1)) } " (published " (opt(c.published, 1)) ")"
            @if !c.ranked { " — " strong { "not ranked" } ": " (c.missing) " of 17 goals have no data, more than the fifth the SDR allows." } }
        ul #goal-tiles.tiles {
            @for t in &c.tiles {
                li.tile data-goal=(t.goal) data-colour=(t.rating.label()) {
                    span.goal-number { (t.goal) } " "
                    span.goal-name { (GOAL_NAMES[t.goal - 1]) } br;
                    strong { (opt(t.score, 0)) } " "
                    span.arrow role="img" aria-label=(t.arrow.label()) title=(t.arrow.label()) { (t.arrow.glyph()) }
                }
            }
        }
        p.small { "Legend: the colours are " strong { "our score bands" } " — green at least " (BANDS.green) ", yellow at least " (BANDS.yellow) ", orange at least " (BANDS.orange) ", red below; grey no data — in SDSN's dashboard hues. They are " strong { "not" } " the SDR's dashboard rating, which rates a goal by its two worst indicators (the published tables have no indicator values). Arrows follow the SDR's trend rule." }
        h2 { "Where the present trend leads by 2030" }
        p.small { "Reference projection: the straight line through each goal's scores since 2015, extended to 2030 (95% prediction interval; clipped to 0-100). It assumes the past trend continues; it does not foresee policy, shocks or saturation." }
        (scrolling("Goal scores projected to 2030", html! { table #sdg-2030 {
            caption { "Latest score, and the score in 2030 if the trend since 2015 continues." }
            thead { tr { th scope="col" { "Goal" } th scope="col" { "Latest" } th scope="col" { "2030, trend continued" } th scope="col" { "95% interval" } } }
            tbody { @for t in &c.tiles { tr {
                th scope="row" { (t.goal) ". " (GOAL_NAMES[t.goal - 1]) }
                td.num { (opt(t.score, 1)) }
                td.num { (opt(t.in_2030.map(|p| p.value), 1)) }
                td.num { @match t.in_2030.and_then(|p| p.interval) { Some((lo, hi)) => { (format!("{lo:.1} to {hi:.1}")) }, None => "–" } }
            } } }
        } }))
        (scrolling("The index by year", html! { table #sdg-history {
            caption { "Our index (mean of the goals with data) and the published one." }
            thead { tr { th scope="col" { "Year" } th scope="col" { "Ours" } th scope="col" { "Published" } } }
            tbody { @for (y, ours, theirs) in &c.history { tr { th scope="row" { (y) } td.num { (opt(*ours, 1)) } td.num { (opt(*theirs, 1)) } } } }
        } }))
        (view_links(&format!("/sdg/country/{}", c.iso3)))
        h2 { "Indicators behind the goals" }
        (indicators_html(&c.iso3, &lines))
        p { a href={"/sdg/country/" (c.iso3) "/indicators"} { "These indicators on their own, with downloads" } }
        p { a href="/sdg" { "All countries" } " · " a href={"/risk/country/" (c.iso3)} { "Disaster risk" } " · " a href={"/country/" (c.iso3)} { "Country page" } }
    };
    Ok(Html(layout(&title, &viewer, body).into_string()).into_response())
}

/// The WDI series behind a country's goals as a table (the country page and the indicators
/// view draw the same).
fn indicators_html(iso3: &str, lines: &[IndicatorLine]) -> Markup {
    if lines.is_empty() {
        return html! { p #sdg-indicators-none { "This vintage holds no World Bank WDI series for " (name(iso3)) " (sync the worldbank source to see them)." } };
    }
    html! {
        p.small { "World Bank WDI series the store holds that inform a goal, shown as " strong { "context" } ": the SDR scores each goal from its own indicator set, which these are not. Where the SDG target states a number (for example under-5 mortality at most 25 per 1,000 by 2030) the arrow applies the SDR's trend rule towards it; elsewhere only the direction since 2015 is given." }
        (scrolling("Indicators behind the goals", html! { table #sdg-indicators.sortable {
            caption { "Each series' first value from 2015 on, its latest value, and its direction." }
            thead { tr { th scope="col" { "Goal" } th scope="col" { "Indicator" } th scope="col" { "SDG indicator" } th scope="col" { "Since" } th scope="col" { "Latest" } th scope="col" { "Per year" } th scope="col" { "Direction" } th scope="col" { "Trend to the 2030 target" } } }
            tbody { @for l in lines { tr data-code=(l.indicator.code) {
                td.num { (l.indicator.goal) }
                th scope="row" { (l.indicator.name) " " span.small { "(" (l.indicator.code) ")" } }
                td { (l.indicator.sdg) }
                td.num { @match l.status.base { Some((y, v)) => { (format!("{v:.1}")) " (" (y) ")" }, None => "–" } }
                td.num { @match l.status.latest { Some((y, v)) => { (format!("{v:.1}")) " (" (y) ")" }, None => "–" } }
                td.num { (opt(l.status.per_year, 2)) }
                td { (l.status.direction()) }
                td { @match (l.status.arrow, l.indicator.target) {
                    (Some(a), Some(t)) => { span.arrow role="img" aria-label=(a.label()) title=(a.label()) { (a.glyph()) } " " (a.label()) " (target " (t) "; " (l.indicator.target_note) ")" },
                    _ => "no numeric target",
                } }
            } } }
        } }))
    }
}

/// `/sdg/country/{code}/indicators`: the WDI series behind a country's goals, with downloads.
pub async fn sdg_indicators_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_RISK)?;
    let iso3 = resolve(&code)?;
    let d = sdg(&state).await?;
    let lines = sdg_indicators(&d, &iso3)?;
    if format != Format::Html {
        return sdg_indicators_table(&iso3, &lines).respond(format);
    }
    let title = format!("Indicators behind the SDGs: {}", name(&iso3));
    let body = html! {
        h1 { (title) }
        (indicators_html(&iso3, &lines))
        (view_links(&format!("/sdg/country/{iso3}/indicators")))
        p { a href={"/sdg/country/" (iso3)} { "The goals of " (name(&iso3)) } " · " a href="/sdg" { "All countries" } }
    };
    Ok(Html(layout(&title, &viewer, body).into_string()).into_response())
}

/// INFORM's class order, light to dark (its convention: yellow for low to dark red for very
/// high).
const CLASS_EDGES: [f64; 4] = [2.0, 3.2, 5.1, 6.9];

pub async fn risk_page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_RISK)?;
    let d = risk(&state).await?;
    if format != Format::Html {
        return risk_table(&d).respond(format);
    }
    let mut rows: Vec<_> = d.rows.iter().collect();
    rows.sort_by(|a, b| b.1.risk.total_cmp(&a.1.risk).then(a.0.iso3.cmp(&b.0.iso3)));
    let (mut values, mut tips) = (HashMap::new(), HashMap::new());
    for (r, s) in &rows {
        values.insert(r.iso3.clone(), s.risk);
        tips.insert(
            r.iso3.clone(),
            format!(
                "{}: INFORM risk {:.1} ({})",
                name(&r.iso3),
                s.risk,
                s.class.label()
            ),
        );
    }
    let map = crate::charts::map_svg(
        &state,
        "risk-map",
        "INFORM Risk 2025",
        "Risk, 0-10 (INFORM's classes: very low, low, medium, high, very high)",
        values,
        tips,
        ColourScale::Binned {
            thresholds: CLASS_EDGES.to_vec(),
            palette: Palette::YlOrRd,
        },
    );
    let body = html! {
        h1 { "Disaster and crisis risk (INFORM)" }
        (how_to_read(&[
            "INFORM Risk scores each country from 0 to 10 for the risk of a humanitarian crisis that would overwhelm its own capacity: hazards and exposure, vulnerability of the people, and lack of coping capacity.",
            "The map and the table show the risk as we recompute it from the 22 published components; the published figure is beside it.",
            "Open a country to see what drives its risk and what one point better coping capacity would change.",
        ]))
        figure.chart { (maud::PreEscaped(map)) }
        p.small { "Colours: INFORM's five classes (very low below 2.0, low from 2.0, medium from 3.2, high from 5.1, very high from 6.9), light yellow to dark red as INFORM draws them. Source: JRC, INFORM Risk 2025 v0.7.0." }
        (scrolling("INFORM Risk by country", html! { table #risk-table.sortable {
            caption { "Highest risk first. Reliability: the JRC's lack-of-reliability index (0-10; higher, less to trust)." }
            thead { tr { th scope="col" { "Country" } th scope="col" { "Risk" } th scope="col" { "Class" } th scope="col" { "Hazard & exposure" } th scope="col" { "Vulnerability" } th scope="col" { "Lack of coping capacity" } th scope="col" { "Published" } th scope="col" { "Lack of reliability" } } }
            tbody {
                @for (r, s) in &rows {
                    tr data-key=(r.iso3) {
                        th scope="row" { a href={"/risk/country/" (r.iso3)} { (name(&r.iso3)) } " " span.small { (r.iso3) } }
                        td.num data-value=(s.risk) { (format!("{:.1}", s.risk)) }
                        td { (s.class.label()) }
                        td.num { (format!("{:.1}", s.hazard_exposure)) }
                        td.num { (format!("{:.1}", s.vulnerability)) }
                        td.num { (format!("{:.1}", s.lack_of_coping_capacity)) }
                        td.num { (opt(r.risk, 1)) }
                        td.num { (opt(r.lack_of_reliability, 1)) }
                    }
                }
            }
        } }))
        p { a href="/risk/region/asean-japan" { "Natural hazards of ASEAN and Japan" } }
        (view_links("/risk"))
    };
    Ok(Html(layout("Disaster risk", &viewer, body).into_string()).into_response())
}

fn driver_list(c: &crate::views::indices::RiskCountry) -> Markup {
    html! {
        ol #risk-drivers {
            @for d in c.drivers.iter().take(5) {
                li { strong { (d.what.label()) } " (" (format!("{:.1}", d.value)) " of 10): one point better would lower the risk by " (format!("{:.2}", d.risk_drop)) }
            }
        }
    }
}

pub async fn risk_country_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_RISK)?;
    let iso3 = resolve(&code)?;
    let d = risk(&state).await?;
    let c = risk_country(&d, &iso3)?;
    if format != Format::Html {
        return risk_country_table(&c).respond(format);
    }
    let s = &c.scores;
    let title = format!("Disaster risk: {}", c.name);
    let body = html! {
        h1 { (title) }
        (how_to_read(&[
            "The risk (0-10) combines three dimensions: hazards and exposure, vulnerability, and lack of coping capacity, each built from the components in the table.",
            "The drivers are the components where one point of improvement would lower the risk most.",
            "This is an index of conditions, not a forecast of a disaster: it says where a shock would hurt most, not when one comes.",
        ]))
        p { "INFORM Risk " strong { (format!("{:.1}", s.risk)) } " (" (s.class.label()) "; published " (opt(c.published, 1)) "): hazard & exposure " (format!("{:.1}", s.hazard_exposure)) ", vulnerability " (format!("{:.1}", s.vulnerability)) ", lack of coping capacity " (format!("{:.1}", s.lack_of_coping_capacity)) "." }
        @if let Some(r) = c.reliability {
            @if r >= 7.0 { p.stale role="status" { strong { "Low reliability. " } "The JRC's lack-of-reliability index is " (format!("{r:.1}")) " of 10: much of this country's data is missing or old." } }
            @else { p.small { "Lack of reliability: " (format!("{r:.1}")) " of 10." } }
        }
        h2 { "What drives the risk" }
        (driver_list(&c))
        h2 { "What if coping capacity improved" }
        p #coping-what-if { (c.coping) }
        (scrolling("Components", html! { table #risk-components.sortable {
            caption { "The 22 components (0-10, higher is worse) and the fall in risk one point of improvement in each would bring." }
            thead { tr { th scope="col" { "Component" } th scope="col" { "Dimension" } th scope="col" { "Score" } th scope="col" { "Risk drop" } } }
            tbody {
                @for (k, v) in &c.components {
                    tr {
                        th scope="row" { (k.label()) }
                        td { (k.dimension().label()) }
                        td.num { (opt(*v, 1)) }
                        td.num { (opt(c.drivers.iter().find(|d| d.what == *k).map(|d| d.risk_drop), 2)) }
                    }
                }
            }
        } }))
        (view_links(&format!("/risk/country/{}", c.iso3)))
        p { a href="/risk" { "All countries" } " · " a href={"/sdg/country/" (c.iso3)} { "SDG progress" } " · " a href={"/country/" (c.iso3)} { "Country page" } }
    };
    Ok(Html(layout(&title, &viewer, body).into_string()).into_response())
}

/// `/risk/region/asean-japan`: the natural hazards of the ASEAN members and Japan, as INFORM
/// scores them, with the displacement the store holds, and what is and is not predicted.
pub async fn region_page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_RISK)?;
    let d = risk(&state).await?;
    if format != Format::Html {
        return region_table(&d).respond(format);
    }
    // The same alert machinery as for every country: the event store's alerts, here those
    // raised for the region's countries, newest first.
    let alerts: Vec<_> = crate::views::alerts::all(&state)
        .await?
        .into_iter()
        .filter(|a| ASEAN_JAPAN.contains(&a.iso3.as_str()))
        .collect();
    let mut rows: Vec<_> = d
        .rows
        .iter()
        .filter(|(r, _)| ASEAN_JAPAN.contains(&r.iso3.as_str()))
        .collect();
    rows.sort_by(|a, b| {
        b.1.hazard_exposure
            .total_cmp(&a.1.hazard_exposure)
            .then(a.0.iso3.cmp(&b.0.iso3))
    });
    let title = "Natural hazards: ASEAN and Japan";
    let body = html! {
        h1 { (title) }
        (how_to_read(&[
            "Each row is a country of ASEAN or Japan; each hazard column is INFORM's 0-10 score of the population's exposure to it (10: the most exposed).",
            "Hazard & exposure combines them with human hazards; lack of coping capacity says how well the country can respond; the risk puts the three dimensions together.",
            "Displacement is the latest count of people displaced inside the country by conflict and violence (IDMC).",
        ]))
        section.card #what-is-predicted {
            h2 { "What this does and does not predict" }
            p { "It " strong { "does not" } " predict earthquakes, cyclones or floods, when or where they strike: INFORM measures exposure and the capacity to cope, built from historical hazard data, so a country with a high score is one where a strike would hurt more, not one where a strike is due." }
            p { "The store has no disaster displacement series and no hazard event feed; the event feeds it follows (GDELT, ICEWS) code political events, so the alerts it raises for these countries concern conflict and unrest, not natural hazards. "
                a href="/alerts" { "Alerts" } " · " a href="/risk" { "INFORM for every country" } }
        }
        h2 { "Alerts raised for these countries" }
        @if alerts.is_empty() {
            p #region-alerts-none { "No alert has been raised for these eleven countries from the imported event feeds (" a href="/alerts" { "all alerts" } ")." }
        } @else {
            (scrolling("Alerts in the region", html! { table #region-alerts {
                caption { (alerts.len()) " alerts from the event feeds, newest first (the 20 latest shown)." }
                thead { tr { th scope="col" { "Raised" } th scope="col" { "Country" } th scope="col" { "Rule" } th scope="col" { "Level" } th scope="col" { "Evidence" } } }
                tbody { @for a in alerts.iter().take(20) { tr {
                    td { (a.raised_on) } td { (name(&a.iso3)) } td { (a.rule) } td { (a.level) }
                    td { a href=(crate::views::alerts::path(&a.id)) { "events and sources" } }
                } } }
            } }))
        }
        (scrolling("Natural hazards by country", html! { table #region-table.sortable {
            caption { "INFORM Risk 2025 (JRC); highest hazard & exposure first." }
            thead { tr {
                th scope="col" { "Country" }
                @for h in HAZARDS { th scope="col" { (h.label()) } }
                th scope="col" { "Hazard & exposure" } th scope="col" { "Lack of coping capacity" } th scope="col" { "Risk" } th scope="col" { "Displaced by conflict (IDMC)" }
            } }
            tbody {
                @for (r, s) in &rows {
                    tr data-key=(r.iso3) {
                        th scope="row" { a href={"/risk/country/" (r.iso3)} { (name(&r.iso3)) } }
                        @for h in HAZARDS { td.num { (opt(r.components.get(h), 1)) } }
                        td.num { (format!("{:.1}", s.hazard_exposure)) }
                        td.num { (format!("{:.1}", s.lack_of_coping_capacity)) }
                        td.num { (format!("{:.1}", s.risk)) " " span.small { (s.class.label()) } }
                        td.num { @match d.idps.get(&r.iso3) { Some((y, n)) => { (n) " " span.small { "(" (y) ")" } }, None => "–" } }
                    }
                }
            }
        } }))
        (view_links("/risk/region/asean-japan"))
    };
    Ok(Html(layout(title, &viewer, body).into_string()).into_response())
}
