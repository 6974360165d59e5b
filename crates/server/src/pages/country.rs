//! `/country/{iso3}`: one country's observed history and forecast fan chart (median, 50% and
//! 90% intervals), P(>= 25) per month and over the next 12 months, the drivers in words, the
//! novelty flag, the satellite signals where the vintage has them (night lights and gas
//! flaring, annual, the last six years with their anomaly, source and lag), and the data
//! vintage with its licences. Any code or name the crosswalk knows is
//! redirected to the canonical ISO3 URL. Permalink: `/country/ISO3?as_of=..&model=..&history=N`.
//! `/country?q=...` is the country search box on every page: a match goes to its page, a miss
//! lists the closest names.

use attache_core::{Crosswalk, MonthId, SourceId};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde_json::json;

use super::{check_model, enc, model_tag, run_month};
use crate::AppState;
use crate::auth::Viewer;
use crate::charts;
use crate::download::{Column, Table};
use crate::error::AppError;
use crate::html::{
    page as layout, percent, reference_banner, scrolling, sources_table, view_links,
};
use crate::params::{Format, Params};

const DEFAULT_HISTORY: usize = 36;

/// Sources whose data feed the conflict forecast (shown with their licences).
const FORECAST_SOURCES: &[SourceId] = &[
    SourceId::VIEWS_CM,
    SourceId::UCDP_BRD,
    SourceId::POLITY5,
    SourceId::CROSSWALK,
];

/// `/country?q=`: the search box in every page's header.
pub async fn search(viewer: Viewer, params: Params) -> Result<Response, AppError> {
    params.only(&["q"])?;
    let q = params.get("q").unwrap_or_default().trim().to_string();
    let found = Crosswalk::global().find(&q);
    if let Ok(c) = found {
        return Ok(Redirect::to(&format!("/country/{}", c.iso3)).into_response());
    }
    let suggestions = match &found {
        Err(attache_core::country::LookupError::NoMatch { suggestions, .. }) => suggestions.clone(),
        _ => Vec::new(),
    };
    let body = html! {
        h1 { "No country matches “" (q) "”" }
        @if suggestions.is_empty() {
            p { "Try an English name (“Côte d'Ivoire”), an ISO code (CIV, CI) or a common short name." }
        } @else {
            p { "Did you mean:" }
            ul #suggestions { @for (name, iso3) in &suggestions { li { a href={"/country/" (iso3)} { (name) } " (" (iso3) ")" } } }
        }
    };
    Ok((
        axum::http::StatusCode::NOT_FOUND,
        Html(layout("Country search", &viewer, body).into_string()),
    )
        .into_response())
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&["as_of", "model", "history", "format"])?;
    let country = Crosswalk::global()
        .find(&code)
        .map_err(|e| AppError::NotFound(format!("unknown country {code:?}: {e}")))?;
    if country.iso3 != code {
        let q: Vec<String> = params
            .0
            .iter()
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        let sep = if q.is_empty() { "" } else { "?" };
        return Ok(
            Redirect::permanent(&format!("/country/{}{sep}{}", country.iso3, q.join("&")))
                .into_response(),
        );
    }
    let iso3 = country.iso3.as_str();
    let format = params.format(Format::Html, &Format::TABLE)?;
    let history_n = params.number("history", DEFAULT_HISTORY, 0..=600)?;
    let run = state.run(params.as_of()?)?;
    check_model(&params, &run)?;
    let outlook = run.country(iso3).ok_or_else(|| {
        AppError::NotFound(format!("{} ({iso3}) is not in the forecast as of {} (it covers the {} countries of the ViEWS panel)", country.name, run.meta.as_of, run.countries.len()))
    })?;
    let as_of = run_month(&run)?;
    let months: Vec<_> = run.months_of(iso3).cloned().collect();
    let hist = state.history().await?;
    let (observed, outcome) = series(&hist, iso3, as_of, history_n, &months);
    let happened: std::collections::BTreeMap<MonthId, f64> = outcome.iter().copied().collect();

    let permalink = format!(
        "/country/{iso3}?as_of={}&model={}&history={history_n}",
        enc(&run.meta.as_of),
        enc(&model_tag(&run))
    );
    let n_obs = observed.len();
    let kind: Vec<Option<String>> = std::iter::repeat_n(Some("observed".to_string()), n_obs)
        .chain(std::iter::repeat_n(
            Some("forecast".to_string()),
            months.len(),
        ))
        .collect();
    let f = |g: fn(&attache_store::MonthOutlook) -> f64| -> Vec<Option<f64>> {
        std::iter::repeat_n(None, n_obs)
            .chain(months.iter().map(|m| Some(g(m))))
            .collect()
    };
    let table = Table::new(
        format!("attache-{iso3}-{}", run.meta.as_of),
        json!({"view": "country", "iso3": iso3, "name": country.name, "permalink": permalink, "label": run.meta.label,
               "as_of": run.meta.as_of, "vintage": run.meta.vintage, "model": model_tag(&run), "seed": run.meta.seed,
               "draws": run.meta.draws, "outcome": "state-based battle deaths per month (UCDP GED)",
               "p_any_ge25_next12": outlook.p_any_ge25_next12,
               "novelty": outlook.novelty.as_ref().map(|n| json!({"score": n.score, "percentile": n.percentile, "flagged": n.flagged, "label": n.label})),
               "drivers": outlook.drivers.iter().map(|d| json!({"feature": d.feature, "value": d.value, "contribution": d.contribution, "text": d.text})).collect::<Vec<_>>()}),
    )
    .with("kind", Column::Text(kind))
    .with("month", Column::Text(observed.iter().map(|(m, _)| Some(m.to_string())).chain(months.iter().map(|m| Some(m.month_id.to_string()))).collect()))
    .with("observed", Column::Float(observed.iter().map(|(_, y)| Some(*y)).chain(months.iter().map(|m| happened.get(&m.month_id).copied())).collect()))
    .with("median", Column::Float(f(|m| m.median)))
    .with("q05", Column::Float(f(|m| m.q05)))
    .with("q25", Column::Float(f(|m| m.q25)))
    .with("q75", Column::Float(f(|m| m.q75)))
    .with("q95", Column::Float(f(|m| m.q95)))
    .with("p_ge_25", Column::Float(f(|m| m.p_ge_25)));
    if format != Format::Html {
        return table.respond(format);
    }

    let fan = charts::fan_chart(
        "fan",
        &observed,
        &months,
        &outcome,
        as_of,
        &format!("{}: state-based battle deaths per month", country.name),
    )?;
    let drivers_svg = charts::drivers(&outlook.drivers)?;
    let lock = state.lockfile().ok();
    // Warning signs from the event feeds, when any were imported (issue 15).
    let has_events = crate::views::events::available(&state);
    let alerts: Vec<crate::views::alerts::AlertRow> = if has_events {
        crate::views::alerts::all(&state)
            .await?
            .into_iter()
            .filter(|a| a.iso3 == iso3)
            .take(5)
            .collect()
    } else {
        Vec::new()
    };
    // Satellite signals (annual): shown where the vintage has them for this country.
    let signals = crate::views::signals::signals(&state).await?;
    let (lights, flaring) = signals.of(iso3, SIGNAL_YEARS);
    let speeches = signals.speeches_of(iso3);
    let speeches = &speeches[speeches.len().saturating_sub(SPEECH_YEARS)..];
    let body = html! {
        h1 #country-name data-iso3=(iso3) { (country.name) }
        (crate::html::how_to_read(&["The headline is the probability of at least 25 state-based battle deaths in at least one of the next 12 months.", "The fan chart shows the forecast deaths per month: the line is the median, the dark band the middle 50%, the light band 90% of outcomes; the line up to the as-of month is what was recorded; open circles after it are what happened, known after the forecast was made and never used by it.", "Drivers say which inputs move this country's forecast up or down compared with the average case; they explain the model, not the causes of a war.", "Every number is for reference: the system advises, a person decides."]))
        p.lede { "Conflict forecast as of " strong #as-of { (run.meta.as_of) } " for " (run.meta.months[0]) " to " (run.meta.months[1]) "." }
        (reference_banner())
        @if let Some(n) = outlook.novelty.as_ref().filter(|n| n.flagged) {
            p.novelty-warning role="alert" { "⚠ " (n.label.clone().unwrap_or(run.meta.novelty_label.clone())) }
        }
        div.headline {
            p { "Probability of at least one month with 25 or more state-based battle deaths in the next 12 months: "
                strong #p-any data-value=(outlook.p_any_ge25_next12.map(|p| p.to_string()).unwrap_or_default()) {
                    (outlook.p_any_ge25_next12.map(percent).unwrap_or("n/a".into())) } }
            @if let Some(n) = &outlook.novelty {
                p.novelty { "Novelty: the inputs are more unusual than " (format!("{:.0}%", n.percentile)) " of the situations the model was trained on." }
            }
        }
        figure.fan { (maud::PreEscaped(fan)) figcaption { "Observed (current data vintage) and forecast median with 50% and 90% intervals. Reference only." @if !outcome.is_empty() { " Open circles: what happened in " (outcome.len()) " of the forecast months, known after the forecast was made." } } }
        h2 { "What drives this forecast" }
        p.small { "Contributions of the inputs to the predicted risk three months ahead (attribution of the fitted model, not causes)." }
        ul #drivers { @for d in &outlook.drivers { li { (d.text) } } }
        figure.drivers { (maud::PreEscaped(drivers_svg)) }
        @if has_events {
            section #event-signs {
                h2 { "Warning signs from event feeds" }
                @if alerts.is_empty() {
                    p.small { "No alert for this country in the imported feeds. " a href={"/events?country=" (iso3)} { "Its daily event counts" } "." }
                } @else {
                    ul #country-alerts { @for a in &alerts {
                        li { a href=(crate::views::alerts::path(&a.id)) { (a.raised_on) ", " (a.rule) } ": " (a.explanation) }
                    } }
                    p.small { a href={"/alerts?country=" (iso3)} { "All alerts" } " · " a href={"/events?country=" (iso3)} { "Daily event counts" } }
                }
            }
        }
        @if !lights.is_empty() || !flaring.is_empty() {
            section #satellite-signals {
                h2 { "Signals from satellites (annual)" }
                (signal_table(&SignalTable {
                    title: "Night lights",
                    id: "night-lights",
                    caption: "Night lights: sum of radiance over the country (nW·cm⁻²·sr⁻¹), and its anomaly, the log change against the mean of the earlier years (0.10 ≈ 10% brighter than its past)",
                    columns: ["Night lights", "Anomaly"],
                    value: |v| format!("{v:.0}"),
                    change: |c| c.map_or("n/a (first year)".to_string(), |c| format!("{c:+.2}")),
                    source: signal_source(lock.as_deref(), SourceId::NIGHT_LIGHTS),
                }, &lights))
                (signal_table(&SignalTable {
                    title: "Gas flaring",
                    id: "gas-flaring",
                    caption: "Gas flared (billion cubic metres, every segment the release gives), and the change on the year before",
                    columns: ["Flared (BCM)", "Change"],
                    value: |v| format!("{v:.3}"),
                    change: |c| c.map_or("n/a".to_string(), |c| format!("{c:+.3}")),
                    source: signal_source(lock.as_deref(), SourceId::GAS_FLARING),
                }, &flaring))
            }
        }
        @if !speeches.is_empty() {
            section #speech-signals {
                h2 { "In the UN General Debate" }
                (speech_table(iso3, speeches, lock.as_deref()))
            }
        }
        p.small { "Elsewhere: " a href={"/trade/country/" (iso3)} { "its trade partners, agreements and sanctions" } " · " a href={"/climate/country/" (iso3)} { "its climate pledges" } }
        h2 { "Month by month" }
        // Six columns do not fit 390 px: the table scrolls inside its own region.
        (scrolling("Month by month forecast", html! {
            table #months {
                thead { tr { th { "Month" } th { "Median" } th { "50% interval" } th { "90% interval" } th { "P(≥ 25)" } th { "What happened" } } }
                tbody {
                    @for m in &months {
                        tr data-month=(m.month_id.to_string()) {
                            td { (m.month_id.to_string()) }
                            td.median data-value=(m.median) { (format!("{:.0}", m.median)) }
                            td { (format!("{:.0}–{:.0}", m.q25, m.q75)) }
                            td { (format!("{:.0}–{:.0}", m.q05, m.q95)) }
                            td.prob data-value=(m.p_ge_25) { (percent(m.p_ge_25)) }
                            @match happened.get(&m.month_id) {
                                Some(y) => td.happened data-value=(y) { (format!("{y:.0}")) (if (m.q05..=m.q95).contains(y) { "" } else { " (outside the 90% interval)" }) }
                                None => td.happened.small { "not known yet" }
                            }
                        }
                    }
                }
            }
        }))
        form.compare method="get" action="/compare" {
            label { "Compare side by side (up to five countries, separated by commas) "
                input name="countries" value={(iso3) ", "} required; }
            " " button type="submit" { "Compare" }
            input type="hidden" name="as_of" value=(run.meta.as_of);
        }
        (view_links(&permalink))
        h2 { "Data and provenance" }
        p.provenance { "Model " code { (model_tag(&run)) } ", seed " (run.meta.seed) ", " (run.meta.draws) " draws, data vintage " code #vintage { (run.meta.vintage) } "." }
        (sources_table(lock.as_deref(), FORECAST_SOURCES, html! {}))
    };
    Ok(Html(layout(&country.name, &viewer, body).into_string()).into_response())
}

/// Years of each satellite signal a country page shows.
const SIGNAL_YEARS: usize = 6;

/// How one satellite signal's table reads.
struct SignalTable {
    title: &'static str,
    id: &'static str,
    caption: &'static str,
    /// Headers of the value and change columns (the first column is the year).
    columns: [&'static str; 2],
    value: fn(f64) -> String,
    change: fn(Option<f64>) -> String,
    /// Where the signal comes from (`signal_source`).
    source: String,
}

/// A signal's years as a table with its source below; nothing when the country has none.
fn signal_table(t: &SignalTable, years: &[crate::views::signals::SignalYear]) -> Markup {
    html! {
        @if !years.is_empty() {
            (scrolling(t.title, html! {
                table id=(t.id) {
                    caption { (t.caption) }
                    thead { tr { th { "Year" } th { (t.columns[0]) } th { (t.columns[1]) } } }
                    tbody { @for y in years {
                        tr data-year=(y.year) { td { (y.year) } td data-value=(y.value) { ((t.value)(y.value)) }
                            td data-value=(y.change.map(|c| c.to_string()).unwrap_or_default()) { ((t.change)(y.change)) } }
                    } }
                }
            }))
            p.small { (t.source) }
        }
    }
}

/// Speeches of the General Debate a country page shows (the last ones; the API has all).
const SPEECH_YEARS: usize = 10;

/// A state's last speeches: tone and the two topics it spoke most of each year.
fn speech_table(
    iso3: &str,
    speeches: &[attache_store::signals::SpeechTone],
    lock: Option<&attache_store::Lockfile>,
) -> Markup {
    let top = |s: &attache_store::signals::SpeechTone| {
        let mut t: Vec<(f64, &str)> = attache_text::TOPICS
            .iter()
            .zip(&s.topics)
            .filter_map(|(t, v)| v.filter(|v| *v > 0.0).map(|v| (v, t.name)))
            .collect();
        t.sort_by(|a, b| b.0.total_cmp(&a.0));
        let shown: Vec<String> = t
            .iter()
            .take(2)
            .map(|(v, n)| format!("{n} {:.0}%", v * 100.0))
            .collect();
        if shown.is_empty() {
            "none of the listed topics".to_string()
        } else {
            shown.join(", ")
        }
    };
    html! {
        (scrolling("General Debate speeches", html! {
            table #speeches {
                caption { "Tone of each speech (above 0: more words from the positive list than the negative one) and the topics it gave most sentences to" }
                thead { tr { th { "Year" } th { "Tone" } th { "Words" } th { "Most on" } } }
                tbody { @for s in speeches {
                    tr data-year=(s.year) {
                        td { (s.year) }
                        td data-value=(s.tone) { (format!("{:+.2}", s.tone)) }
                        td data-value=(s.words) { (s.words) }
                        td { (top(s)) }
                    }
                } }
            }
        }))
        p.small { (crate::views::signals::TONE_LABEL) " "
            a href={"/api/v1/speeches?country=" (iso3) "&format=csv"} { "Every speech since 1946 (CSV)" } ". "
            (signal_source(lock, SourceId::UNGDC)) }
    }
}

/// "Source: …, published …" for a satellite signal, from the vintage's lockfile.
fn signal_source(lock: Option<&attache_store::Lockfile>, id: SourceId) -> String {
    match lock.and_then(|l| l.sources.iter().find(|s| id == s.id)) {
        Some(s) => format!(
            "Source: {}. Annual data, public about {} (the lag this source declares).",
            s.publisher, s.publication_lag
        ),
        None => format!("Source: {id}."),
    }
}

/// Recorded deaths per month, in month order.
pub type Series = Vec<(MonthId, f64)>;

/// A country's recorded deaths per month for a forecast page: the last `history_n` months up to
/// `as_of` (the history the forecast saw), and what happened in the forecast's months where the
/// current vintage knows it (shown against the forecast, never used by it: the run was made as
/// of `as_of`). Shared by `/country` and `/compare`.
pub fn series(
    hist: &crate::state::History,
    iso3: &str,
    as_of: MonthId,
    history_n: usize,
    months: &[attache_store::MonthOutlook],
) -> (Series, Series) {
    let Some(h) = hist.get(iso3) else {
        return (Vec::new(), Vec::new());
    };
    let shown: Vec<_> = h.iter().copied().filter(|(m, _)| *m <= as_of).collect();
    let observed = shown[shown.len().saturating_sub(history_n)..].to_vec();
    let outcome = h
        .iter()
        .copied()
        .filter(|(m, _)| months.iter().any(|o| o.month_id == *m))
        .collect();
    (observed, outcome)
}
